"""Foundry's anvil as an embedded single-node chain: started on a free port, stopped cleanly.

Used by the tests, the demo and the benchmarks. Production runs the same code against a
multi-node permissioned network (Hyperledger Besu, QBFT): only the RPC URL changes.

Past its last few hundred blocks anvil writes the chain's older states to disk, by default under
~/.foundry/anvil/tmp, and leaves them there when it exits: a few hundred megabytes per test run,
tens of gigabytes over weeks. Each anvil here gets a directory of its own for them instead
(`--cache-path`), removed when it stops; one left by a process that was killed is removed by the
next anvil started here once nothing runs on it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from types import TracebackType

from eth_account import Account
from eth_account.signers.local import LocalAccount

from sdap.errors import ConfigurationError
from sdap.foundry import foundry_binary

#: anvil's well-known development mnemonic: its keys are public, never use them on a real network.
DEV_MNEMONIC = "test test test test test test test test test test test junk"

_LISTENING = re.compile(r"Listening on ([\d.]+):(\d+)")
#: The directories of older states, in the system's temporary directory; each names its anvil's pid.
CACHE_PREFIX = "sdap-anvil-"
_OWNER = "anvil.pid"
#: Longer than any anvil takes to start: a directory without its pid this old was never used.
STARTING = 3600.0


def find_anvil() -> str:
    """anvil from SDAP_ANVIL, the project's node_modules (the native binary), or the PATH."""
    return foundry_binary("anvil")


def dev_accounts(count: int = 10) -> list[LocalAccount]:
    """The first `count` accounts of anvil's development mnemonic."""
    Account.enable_unaudited_hdwallet_features()
    return [Account.from_mnemonic(DEV_MNEMONIC, account_path=f"m/44'/60'/0'/0/{i}") for i in range(count)]


class Anvil:
    """A running anvil process. Use as a context manager, or call `stop()`."""

    def __init__(
        self,
        *,
        port: int = 0,
        accounts: int = 10,
        state_file: Path | None = None,
        block_time: float | None = None,
        extra_args: list[str] | None = None,
        startup_timeout: float = 30.0,
    ) -> None:
        remove_stale_caches(Path(tempfile.gettempdir()))
        self.cache = Path(tempfile.mkdtemp(prefix=CACHE_PREFIX))
        args = [find_anvil(), "--port", str(port), "--accounts", str(accounts), "--mnemonic", DEV_MNEMONIC]
        args += ["--cache-path", str(self.cache)]
        if state_file is not None:
            # Persists the chain across restarts: dumped every 10 s and on exit.
            args += ["--state", str(state_file), "--state-interval", "10"]
        if block_time is not None:
            args += ["--block-time", str(block_time)]
        args += extra_args or []
        try:
            self._process = subprocess.Popen(
                args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
            )
        except BaseException:
            shutil.rmtree(self.cache, ignore_errors=True)
            raise
        # Written whole, then renamed: another process clearing stale directories never reads half of it.
        (self.cache / "owner.new").write_text(str(self._process.pid))
        (self.cache / "owner.new").replace(self.cache / _OWNER)
        try:
            self.host, self.port = self._wait_listening(startup_timeout)
        except BaseException:
            self.stop()
            raise
        self.url = f"http://{self.host}:{self.port}"
        # Keep draining anvil's output so a chatty node never blocks on a full pipe.
        threading.Thread(target=self._drain, daemon=True).start()

    def _wait_listening(self, timeout: float) -> tuple[str, int]:
        assert self._process.stdout is not None
        timer = threading.Timer(timeout, self._process.kill)
        timer.start()
        seen: list[str] = []
        try:
            for line in self._process.stdout:
                seen.append(line)
                match = _LISTENING.search(line)
                if match:
                    return match.group(1), int(match.group(2))
        finally:
            timer.cancel()
        raise ConfigurationError("anvil did not start:\n" + "".join(seen[-20:]))

    def _drain(self) -> None:
        assert self._process.stdout is not None
        for _ in self._process.stdout:
            pass

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.terminate()  # SIGTERM: anvil writes its --state file before exiting
            try:
                self._process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        shutil.rmtree(self.cache, ignore_errors=True)

    def __enter__(self) -> Anvil:
        return self

    def __exit__(self, *exc: object | TracebackType) -> None:
        self.stop()


def remove_stale_caches(parent: Path, *, now: float | None = None) -> list[Path]:
    """Removes from `parent` the state directories of anvils that no longer run (their process was
    killed before it could remove them); returns them."""
    now = time.time() if now is None else now
    removed = []
    for directory in parent.glob(CACHE_PREFIX + "*"):
        if _in_use(directory, now):
            continue
        shutil.rmtree(directory, ignore_errors=True)
        removed.append(directory)
    return removed


def _in_use(directory: Path, now: float) -> bool:
    try:
        pid = int((directory / _OWNER).read_text())
    except FileNotFoundError:
        # Its anvil is starting (the pid is written once it runs), unless that was long ago.
        try:
            return now - directory.stat().st_mtime < STARTING
        except FileNotFoundError:
            return True  # removed meanwhile: nothing to do
    except PermissionError:
        return True  # another user's directory: not ours to judge
    except (OSError, ValueError):
        return False
    try:
        os.kill(pid, 0)
    except PermissionError:
        return True  # another user's process: not ours to judge
    except OSError:
        return False
    return True
