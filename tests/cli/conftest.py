"""The `sdap` command line driven as a subprocess against the session's anvil.

`Cli` runs `python -m sdap.cli` in a scratch directory with a clean environment (no SDAP_* from the
caller, HOME in the scratch directory) and checks every output for secrets: no private key and no
keystore password may ever be printed, whatever the command and whether it succeeded.

Accounts (tests/conftest.py): 0 deployer, 1 regulator, 2 operator, 3 verifier, 4 compliance officer,
5 issuer, 6 and up holders.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeVar

import pytest
from cli_support import PASSWORD, Cli, clean_env
from eth_account.signers.local import LocalAccount
from web3 import Web3

from sdap.anvil import Anvil

T = TypeVar("T")


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
