"""The `sdap` command line driven as a subprocess against the session's anvil.

`Cli` runs `python -m sdap.cli` in a scratch directory with a clean environment (no SDAP_* from the
caller, HOME in the scratch directory) and checks every output for secrets: no private key and no
keystore password may ever be printed, whatever the command and whether it succeeded.

Accounts (tests/conftest.py): 0 deployer, 1 regulator, 2 operator, 3 verifier, 4 compliance officer,
5 issuer, 6 and up holders.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest
from eth_account.signers.local import LocalAccount
from web3 import Web3

from sdap.anvil import Anvil

T = TypeVar("T")

PASSWORD = "cli-test-password-7c1e"


@dataclass(frozen=True)
class Result:
    args: tuple[str, ...]
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@dataclass
class Cli:
    """Runs `sdap ARGS...`; raises unless the exit code is the one expected."""

    cwd: Path
    env: dict[str, str]
    secrets: set[str] = field(default_factory=set)
    runs: list[Result] = field(default_factory=list)

    def __call__(self, *args: object, code: int = 0, env: dict[str, str] | None = None) -> Result:
        argv = [str(a) for a in args]
        done = subprocess.run(
            [sys.executable, "-m", "sdap.cli", *argv],
            cwd=self.cwd,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # no controlling terminal: a prompt fails instead of waiting
        )
        result = Result(tuple(argv), done.returncode, done.stdout, done.stderr)
        self.runs.append(result)
        self.assert_no_secret(result)
        assert result.code == code, f"sdap {' '.join(argv)} exited {result.code}:\n{result.stdout}\n{result.stderr}"
        return result

    def json(self, *args: object, code: int = 0, env: dict[str, str] | None = None) -> Any:
        return self(*args, "--json", code=code, env=env).json()

    def together(self, *steps: Callable[[], T]) -> list[T]:
        """Runs independent steps at the same time (each may call the CLI several times), as
        different people would; returns their results in order. Steps must not share a signing
        key: two processes sending from one key would race for its nonce."""
        with ThreadPoolExecutor(len(steps)) as pool:
            return [f.result() for f in [pool.submit(step) for step in steps]]

    def add_secret(self, secret: str) -> None:
        """Adds a key (hex, 0x optional) or password to what no output may contain."""
        text = secret.lower().removeprefix("0x")
        self.secrets.add(text)
        for result in self.runs:  # earlier outputs too
            self.assert_no_secret(result)

    def assert_no_secret(self, result: Result) -> None:
        output = (result.stdout + result.stderr).lower()
        for secret in self.secrets:
            assert secret not in output, f"a secret was printed by sdap {' '.join(result.args)}"


def clean_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SDAP_")}
    env.update(HOME=str(home), COLUMNS="200", NO_COLOR="1")
    return env


@pytest.fixture(scope="module")
def chain(anvil: Anvil) -> Iterator[Web3]:
    """The session's anvil, put back as it was when the module is done."""
    w3 = Web3(Web3.HTTPProvider(anvil.url))
    snapshot = w3.provider.make_request("evm_snapshot", [])["result"]  # type: ignore[arg-type]
    yield w3
    w3.provider.make_request("evm_revert", [snapshot])  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def cli(chain: Web3, anvil: Anvil, accounts: list[LocalAccount], tmp_path_factory: pytest.TempPathFactory) -> Cli:
    """A scratch directory whose keystores and deployment the module's tests share."""
    home = tmp_path_factory.mktemp("cli")
    (home / "password").write_text(PASSWORD + "\n")
    env = clean_env(home) | {
        "SDAP_RPC_URL": anvil.url,
        "SDAP_KEYSTORE_DIR": str(home / "keystore"),
        "SDAP_KEYSTORE_PASSWORD_FILE": str(home / "password"),
    }
    runner = Cli(home, env)
    runner.add_secret(PASSWORD)
    for account in accounts:
        runner.add_secret(account.key.hex())
    return runner
