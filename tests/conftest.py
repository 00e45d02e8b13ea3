"""Fixtures shared by every Python test: a real anvil on a free port and a deployed platform.

One anvil serves the session. Each test that takes `platform` starts from the chain as it was right
after deployment: the state is snapshotted once and reverted after every such test.

`emoney_artifact` gives the tests an electronic-money token in tenge to pay with on the exchange
(tests/contracts/utils/TestEMoney.sol: a plain ERC-20 of 2 decimals anyone may mint), which
tests/sdk/emoney.py deploys.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from eth_account.signers.local import LocalAccount
from web3 import Web3

from sdap.anvil import Anvil, dev_accounts
from sdap.deployment import Deployment, deploy_platform
from sdap.events import EventDecoder
from sdap.platform import Platform
from sdap.transactions import Transactor


@dataclass
class Deployed:
    deployment: Deployment
    snapshot: str


@pytest.fixture(scope="session")
def anvil() -> Iterator[Anvil]:
    # Every state the session's chain ever had stays readable, as on the archive node an auditor
    # uses: anvil keeps 500 in memory and, by default, 3,600 more on disk, fewer than the whole
    # suite makes (each test's blocks, rewound or not), after which reading the state of the
    # session's first blocks (the audit's cross-check) fails. Each is a file in the anvil's own
    # directory, removed when it stops.
    with Anvil(accounts=20, extra_args=["--max-persisted-states", "20000"]) as node:
        yield node


@pytest.fixture(scope="session")
def accounts() -> list[LocalAccount]:
    """anvil's funded development accounts: 0 deployer, 1 regulator, 2 operator, 3 verifier,
    4 compliance officer, 5 issuer, 6 and up holders."""
    return dev_accounts(20)


@pytest.fixture(scope="session")
def w3(anvil: Anvil) -> Web3:
    return Web3(Web3.HTTPProvider(anvil.url))


def _snapshot(w3: Web3) -> str:
    return str(w3.provider.make_request("evm_snapshot", [])["result"])  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def deployed(w3: Web3, accounts: list[LocalAccount]) -> Deployed:
    deployer = Transactor(w3, accounts[0], EventDecoder())
    deployment = deploy_platform(w3, deployer, accounts[1].address, "https://sdap.example/meta/{id}.json")
    return Deployed(deployment, _snapshot(w3))


@pytest.fixture
def platform(w3: Web3, deployed: Deployed) -> Iterator[Platform]:
    yield Platform(w3, deployed.deployment)
    # anvil consumes a snapshot when reverting to it, so take a new one at the same state.
    w3.provider.make_request("evm_revert", [deployed.snapshot])  # type: ignore[arg-type]
    deployed.snapshot = _snapshot(w3)


@pytest.fixture(scope="session")
def emoney_artifact() -> dict[str, Any]:
    """forge's build of tests/contracts/utils/TestEMoney.sol (built now if out/ lacks it or it is
    older than its source)."""
    from emoney import emoney_artifact as built  # tests/sdk, on pytest's pythonpath

    return built()
