"""Fixtures of the gateway's tests: a gateway app on the session's anvil, API keys for every role,
holders signed in with their wallets, and a PostgreSQL server for the database variants.

Accounts (tests/conftest.py): 0 deployer (here: the auditor's identity), 1 regulator, 2 operator
(the gateway's own key), 3 verifier, 4 compliance officer, 5 issuer, 6 and up holders.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from eth_account.messages import encode_defunct
from eth_account.signers.local import LocalAccount
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sdk"))  # world.py: the SDK tests' set-up

from postgres import PostgresServer, find_postgres
from web3 import Web3
from world import World, build

from api.app import create_app
from api.auth import create_api_key
from api.chain.rpc import KeepAliveHTTPProvider
from api.gateway import Gateway
from api.settings import Settings
from sdap.anvil import Anvil
from sdap.platform import Platform

SESSION_SECRET = "test-session-secret-0123456789abcdef0123456789"
ROLES = {"regulator": 1, "operator": 2, "verifier": 3, "compliance": 4, "issuer": 5, "auditor": 0}


@dataclass
class Api:
    """A running gateway app and the credentials of every role."""

    client: TestClient
    gateway: Gateway
    accounts: list[LocalAccount]
    keys: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    def key(self, role: str) -> dict[str, str]:
        return {"X-API-Key": self.keys[role]}

    def holder(self, account: LocalAccount) -> dict[str, str]:
        """Signs `account` in (once) and returns its bearer header."""
        if account.address not in self.tokens:
            self.tokens[account.address] = sign_in(self.client, account)
        return {"Authorization": f"Bearer {self.tokens[account.address]}"}

    def as_(self, who: str | LocalAccount) -> dict[str, str]:
        return self.holder(who) if isinstance(who, LocalAccount) else self.key(who)

    def post(self, path: str, who: str | LocalAccount, json: Any = None, key: str | None = None, **kw: Any) -> Any:
        headers = dict(self.as_(who))
        if key is not None:
            headers["Idempotency-Key"] = key
        return self.client.post(path, json=json, headers=headers, **kw)

    def get(self, path: str, who: str | LocalAccount | None = None, **kw: Any) -> Any:
        return self.client.get(path, headers=self.as_(who) if who is not None else {}, **kw)


def sign_in(client: TestClient, account: LocalAccount) -> str:
    answer = client.get("/v1/auth/nonce", params={"address": account.address})
    assert answer.status_code == 200, answer.text
    message = answer.json()["message"]
    signature = account.sign_message(encode_defunct(text=message)).signature
    session = client.post("/v1/auth/sign-in", json={"message": message, "signature": "0x" + bytes(signature).hex()})
    assert session.status_code == 201, session.text
    return str(session.json()["token"])


def settings_for(anvil: Anvil, deployment: Path, database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "environment": "test",
        "rpc_url": anvil.url,
        "deployment": deployment,
        "operator_address": "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
        "session_secret": SESSION_SECRET,
        "public_url": "http://testserver",
        "database_url": database_url,
        "decision_allow_private": True,
        "decision_watch_interval": 0,
        "index_interval": 0,
        "idempotency_wait": 20,
        "tx_timeout": 30,
    }
    values.update(overrides)
    return Settings(**values)


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
        settings = settings_for(anvil, deployment_file, url, **overrides)
        signers = [accounts[i] for i in (1, 2, 3, 4, 5)]
        client = TestClient(create_app(settings, signers=signers, background=False), raise_server_exceptions=False)
        client.__enter__()
        running.append(client)
        gateway: Gateway = client.app.state.gateway  # type: ignore[attr-defined]
        api = Api(client, gateway, accounts)
        for role, index in ROLES.items():
            api.keys[role] = create_api_key(gateway.db, role, accounts[index].address, f"test {role}").token
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


class Documents:
    """A local web server publishing documents (decisions, notice texts) that tests can change."""

    def __init__(self) -> None:
        import http.server
        import threading

        self.files: dict[str, bytes] = {}
        files = self.files

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = files.get(self.path)
                if body is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def publish(self, path: str, content: bytes) -> str:
        self.files[path] = content
        return self.base + path

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture(scope="session")
def documents() -> Iterator[Documents]:
    server = Documents()
    yield server
    server.close()
