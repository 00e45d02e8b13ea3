"""The benchmark scripts run as a user runs them: in their own process, with their own anvil."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_script(name: str, *args: str, timeout: float = 240) -> str:
    """The standard output of `scripts/<name> args`; fails the test with its errors if it fails."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / name), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, f"{name} failed:\n{done.stderr[-4000:]}"
    return done.stdout


def run_json(name: str, *args: str) -> Any:
    return json.loads(run_script(name, *args))


@pytest.fixture
def script() -> Callable[..., str]:
    """`script(name, *args)`: what the script printed."""
    return run_script


@pytest.fixture
def script_json() -> Callable[..., Any]:
    """`script_json(name, *args)`: the JSON document the script printed."""
    return run_json
