"""Fixtures of the SDK tests. `states` is module-scoped: each test module prepares the chain for
every role once (tests/sdk/world.py) and rewinds to it before each test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from eth_account.signers.local import LocalAccount
from web3 import Web3
from world import States


@pytest.fixture(scope="module")
def states(w3: Web3, deployed: Any, accounts: list[LocalAccount]) -> Iterator[States]:
    with States(w3, deployed, accounts) as chain:
        yield chain
