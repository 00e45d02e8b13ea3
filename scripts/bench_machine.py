"""What a benchmark prints about the machine it ran on, so its figures can be read in context
(docs/performance.md gives every table its machine)."""

from __future__ import annotations

import os
import platform as host
from pathlib import Path


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "python": host.python_version(),
        "system": f"{host.system()} {host.release()}",
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
