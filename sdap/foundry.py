"""Where Foundry's programs (forge, anvil, cast) are: the native binaries npm installed.

npm's own commands for them (`node_modules/.bin/forge`, ...) are Node wrappers that start the
native binary but do not pass its exit status on (`@foundry-rs/forge` 1.7.1, `bin.mjs`): through
them a failing `forge build` or `forge test` looks like a success, and a SIGKILL reaches the
wrapper, not the program. So the binary of this platform's package is used directly.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from sdap.errors import ConfigurationError

_ROOT = Path(__file__).resolve().parent.parent


def foundry_binary(tool: str) -> str:
    """`tool` from SDAP_<TOOL> (e.g. SDAP_ANVIL), this checkout's node_modules, or the PATH."""
    explicit = os.environ.get(f"SDAP_{tool.upper()}")
    if explicit:
        return explicit
    # Only the package of this platform is installed (the others are optional dependencies).
    for native in sorted((_ROOT / "node_modules" / "@foundry-rs").glob(f"{tool}-*/bin/{tool}")):
        if os.access(native, os.X_OK):
            return str(native)
    found = shutil.which(tool)
    if found is None:
        raise ConfigurationError(f"{tool} not found: run `npm ci` in the repository or set SDAP_{tool.upper()}")
    return found
