"""Foundry's anvil as an embedded single-node chain: started on a free port, stopped cleanly.

Used by the tests, the demo and the benchmarks. Production runs the same code against a
multi-node permissioned network (Hyperledger Besu, QBFT): only the RPC URL changes.
"""

from __future__ import annotations

import re
import subprocess
import threading
from pathlib import Path
from types import TracebackType

from eth_account import Account
from eth_account.signers.local import LocalAccount

from sdap.errors import ConfigurationError
from sdap.foundry import foundry_binary

#: anvil's well-known development mnemonic: its keys are public, never use them on a real network.
DEV_MNEMONIC = "test test test test test test test test test test test junk"

_LISTENING = re.compile(r"Listening on ([\d.]+):(\d+)")


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
        args = [find_anvil(), "--port", str(port), "--accounts", str(accounts), "--mnemonic", DEV_MNEMONIC]
        if state_file is not None:
            # Persists the chain across restarts: dumped every 10 s and on exit.
            args += ["--state", str(state_file), "--state-interval", "10"]
        if block_time is not None:
            args += ["--block-time", str(block_time)]
        args += extra_args or []
        self._process = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
        )
        self.host, self.port = self._wait_listening(startup_timeout)
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

    def __enter__(self) -> Anvil:
        return self

    def __exit__(self, *exc: object | TracebackType) -> None:
        self.stop()
