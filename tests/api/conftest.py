"""Fixtures of the gateway's tests: a gateway app on the session's anvil, API keys for every role,
holders signed in with their wallets, a PostgreSQL server for the database variants, and proxies
that make anvil behave as other nodes do.

Accounts (tests/conftest.py): 0 deployer (here: the auditor's identity), 1 regulator, 2 operator
(the gateway's own key), 3 verifier, 4 compliance officer, 5 issuer, 6 and up holders; here 19 is
the supervisor's identity and 18 the settlement agent's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from eth_account.signers.local import LocalAccount
from fastapi.testclient import TestClient
from gateway_support import Api, Behind, Documents, open_api, settings_for
from node_proxy import NodeProxy
from postgres import PostgresServer, find_postgres
from web3 import Web3
from world import World, build, h

from sdap.anvil import Anvil
from sdap.platform import Platform
from sdap.rpc import KeepAliveHTTPProvider


@pytest.fixture
def deployment_file(platform: Platform, tmp_path: Path) -> Path:
    return platform.deployment.save(tmp_path / "deployment.json")


@pytest.fixture
def make_api(
    anvil: Anvil, accounts: list[LocalAccount], deployment_file: Path, tmp_path: Path
) -> Iterator[Callable[..., Api]]:
    """Starts a gateway app (lifespan included); each call may override settings."""
    running: list[TestClient] = []

    def make(database_url: str | None = None, **overrides: Any) -> Api:
        url = database_url or f"sqlite:///{tmp_path / f'gateway{len(running)}.db'}"
        api = open_api(settings_for(anvil, deployment_file, url, **overrides), accounts)
        running.append(api.client)
        return api

    yield make
    for client in reversed(running):
        client.__exit__(None, None, None)


@pytest.fixture
def fast_platform(platform: Platform, anvil: Anvil) -> Platform:
    """The test's platform over the gateway's keep-alive transport: set-up goes twice as fast.
    (`platform` still rewinds the chain after the test.)"""
    return Platform(Web3(KeepAliveHTTPProvider(anvil.url)), platform.deployment)


@pytest.fixture
def world(fast_platform: Platform, accounts: list[LocalAccount]) -> World:
    """Roles, permit, issuer, type, notice, four acknowledged holders; issuance 1 with 500 units
    covered and 100 minted to holder a (accounts[6])."""
    return build(fast_platform, accounts)


@pytest.fixture
def second(world: World) -> int:
    """A second issuance (the same issuer and operator), 50 units of it minted to holder b."""
    world.platform.resync_nonces()
    issuance = world.create_issuance(world.params(decision_hash=h("decision 2"))).id
    world.attest(500, issuance=issuance)
    world.operator.mint(issuance, world.b.address, 50)
    return issuance


@pytest.fixture
def api(world: World, make_api: Callable[..., Api]) -> Api:
    world.platform.resync_nonces()
    return make_api()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    binaries = find_postgres()
    if binaries is None:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql): the PostgreSQL variants are skipped")
    server = PostgresServer(binaries)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database of each kind."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    server: PostgresServer = request.getfixturevalue("postgres")
    return server.new_database()


@pytest.fixture
def node_proxy(anvil: Anvil) -> Iterator[Callable[..., NodeProxy]]:
    """Starts a NodeProxy in front of the session's anvil; each call takes its options."""
    started: list[NodeProxy] = []

    def start(**options: Any) -> NodeProxy:
        started.append(NodeProxy(anvil.url, **options))
        return started[-1]

    yield start
    for proxy in started:
        proxy.close()


@pytest.fixture
def gateway_behind(world: World, make_api: Callable[..., Api], node_proxy: Callable[..., NodeProxy]) -> Behind:
    """A gateway whose node is a NodeProxy: `gateway_behind(settings={...}, **proxy options)`."""

    def start(settings: dict[str, Any] | None = None, **options: Any) -> tuple[NodeProxy, Api]:
        proxy = node_proxy(**options)
        world.platform.resync_nonces()  # the test's own clients share keys with the gateway
        return proxy, make_api(rpc_url=proxy.url, **(settings or {}))

    return start


@pytest.fixture(scope="session")
def documents() -> Iterator[Documents]:
    server = Documents()
    yield server
    server.close()
