"""The `sdap` command line against the session's anvil, two ways.

In-process (`run`, Typer's CliRunner: no interpreter start-up per call), on the SDK tests' prepared
world: onboarded roles and holders, an issuance with 500 units covered and 100 minted to holder a
(tests/sdk/world.py), rewound to that state before each test. Keys come from `--key-env`. Each
command module's test file (test_permits.py for sdap/cli/permits.py, ...) drives it this way.

As a subprocess (`cli`, test_flow.py): `Cli` runs `python -m sdap.cli` in a scratch directory with a
clean environment (no SDAP_* from the caller, HOME in the scratch directory).

Both check every output for secrets: no private key and no keystore password may ever be printed,
whatever the command and whether it succeeded.

Accounts (tests/conftest.py): 0 deployer, 1 regulator, 2 operator, 3 verifier, 4 compliance officer,
5 issuer, 6 and up holders.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from cli_support import PASSWORD, Cli, Run, clean_env
from eth_account.signers.local import LocalAccount
from web3 import Web3
from world import States, World

from sdap.anvil import Anvil

T = TypeVar("T")

ROLES = {
    "deployer": 0, "regulator": 1, "operator": 2, "verifier": 3, "compliance": 4, "issuer": 5, "a": 6, "b": 7, "c": 8,
    "agent": 12,  # a settlement agent, once the regulator grants it the role
}  # fmt: skip


@pytest.fixture(scope="module")
def states(w3: Web3, deployed: Any, accounts: list[LocalAccount]) -> Iterator[States]:
    with States(w3, deployed, accounts) as chain:
        yield chain


@pytest.fixture
def world(states: States) -> World:
    return states.world()


@pytest.fixture
def run(world: World, accounts: list[LocalAccount], anvil: Anvil, tmp_path: Path) -> Iterator[Run]:
    deployment = world.platform.deployment.save(tmp_path / "deployment.json")
    env = clean_env(tmp_path) | {"SDAP_RPC_URL": anvil.url, "SDAP_DEPLOYMENT": str(deployment)}
    env |= {f"{role.upper()}_KEY": accounts[i].key.hex() for role, i in ROLES.items()}
    yield Run(env, [a.key.hex() for a in accounts] + [PASSWORD], tmp_path)


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
