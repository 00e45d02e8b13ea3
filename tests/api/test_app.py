"""The application (api/app.py, `create_app`): the routes under /v1 and the OpenAPI document beside
them, nothing unversioned; the body limit runs before routing, and the catch-all answers what no
handler took without the server ever seeing it; web3 and Alembic log no more than the gateway
allows; the lifespan opens the gateway (or serves the one given), starts its periodic tasks when
asked, and closes it. (What the body limit refuses: test_body_limit.py; the docs page and the web
app: test_web.py; every failure's problem: test_handlers.py.)"""

from __future__ import annotations

import http.client
import logging
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from eth_account.signers.local import LocalAccount
from fastapi import FastAPI
from fastapi.testclient import TestClient
from gateway_support import settings_for

from api.app import create_app
from api.body_limit import BodyLimit
from api.gateway import Gateway
from api.handlers import CatchAll
from api.settings import Settings
from sdap.anvil import Anvil

PROBLEM_JSON = "application/problem+json"


def bare_app() -> FastAPI:
    """The application with its lifespan never entered: no gateway, no chain."""
    settings = Settings(
        deployment=Path("unused.json"),
        operator_address="0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
        session_secret="s" * 40,
    )
    return create_app(settings, background=False)


@pytest.fixture
def settings(anvil: Anvil, deployment_file: Path, tmp_path: Path) -> Callable[..., Settings]:
    def make(**overrides: object) -> Settings:
        return settings_for(anvil, deployment_file, f"sqlite:///{tmp_path / 'gateway.db'}", **overrides)

    return make


@pytest.fixture
def restored_log_levels() -> Iterator[None]:
    loggers = [logging.getLogger(name) for name in ("web3", "alembic")]
    levels = [logger.level for logger in loggers]
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


def test_the_api_is_served_under_v1_only() -> None:
    client = TestClient(bare_app())
    document = client.get("/v1/openapi.json")
    assert document.status_code == 200 and document.json()["info"]["title"] == "SDAP gateway"
    paths = document.json()["paths"]
    assert len(paths) > 40 and all(path.startswith("/v1/") for path in paths)
    assert client.get("/v1/health").json() == {"status": "ok"}
    # FastAPI's own defaults would serve these unversioned; the docs page is /v1/docs (api/web.py).
    for unversioned in ("/health", "/openapi.json", "/docs", "/redoc", "/v2/health"):
        answer = client.get(unversioned)
        assert answer.status_code == 404 and answer.headers["content-type"] == PROBLEM_JSON, unversioned
    assert client.get("/v1/docs").status_code == 200


def test_the_body_limit_refuses_before_any_route_is_matched() -> None:
    app = bare_app()
    assert [m.cls for m in app.user_middleware] == [BodyLimit, CatchAll]  # outermost first
    client = TestClient(app)
    too_long = b"x" * (64 * 1024 + 1)
    # Routing would answer 404 and 405: the body is refused before it is looked at.
    for method, path in (("POST", "/v1/nothing-here"), ("PUT", "/v1/problems"), ("POST", "/v1/issuances")):
        answer = client.request(method, path, content=too_long)
        assert answer.status_code == 413 and answer.json()["code"] == "body_too_large", (method, path)
    assert client.post("/v1/nothing-here", content=b"x").json()["code"] == "not_found"


def test_an_unexpected_failure_is_a_bare_500_problem_that_never_reaches_the_server() -> None:
    app = bare_app()

    def broken() -> None:
        raise RuntimeError("a bug, with the session secret in its message: " + "s" * 40)

    app.add_api_route("/v1/broken", broken)
    # The test client raises what reaches the server, as uvicorn would print its traceback.
    answer = TestClient(app, raise_server_exceptions=True).get("/v1/broken")
    assert answer.status_code == 500 and answer.headers["content-type"] == PROBLEM_JSON
    assert answer.json()["code"] == "internal_error" and "s" * 40 not in answer.text


@pytest.mark.usefixtures("restored_log_levels")
def test_web3_and_alembic_never_log_below_what_the_gateway_allows() -> None:
    web3, alembic = logging.getLogger("web3"), logging.getLogger("alembic")
    web3.setLevel(logging.DEBUG)  # web3 logs each request's URL, credentials included, at DEBUG
    alembic.setLevel(logging.DEBUG)
    bare_app()
    assert (web3.level, alembic.level) == (logging.INFO, logging.WARNING)
    web3.setLevel(logging.ERROR)  # quieter than that is left as it is
    bare_app()
    assert web3.level == logging.ERROR


def test_the_lifespan_opens_the_gateway_starts_its_tasks_and_closes_it(
    settings: Callable[..., Settings], accounts: list[LocalAccount]
) -> None:
    config = settings()
    app = create_app(config, signers=[accounts[2]])  # background tasks on, as in production
    client = TestClient(app)
    assert client.get("/v1/asset-types").json()["code"] == "not_ready"  # before it starts
    with client:
        gateway: Gateway = app.state.gateway
        assert isinstance(gateway, Gateway)
        assert client.get("/v1/ready").status_code == 200
        threads = list(gateway._threads)
        assert "resolver" in {t.name for t in threads} and all(t.is_alive() for t in threads)
    assert app.state.gateway is None
    assert not any(t.is_alive() for t in threads)
    assert client.get("/v1/asset-types").json()["code"] == "not_ready"  # nothing served once closed
    # Closed: its database is free for the next process.
    Gateway.open(config, [accounts[2]]).close()


def test_a_gateway_given_is_served_as_it_is_and_closed_with_the_app(
    settings: Callable[..., Settings], accounts: list[LocalAccount]
) -> None:
    gateway = Gateway.open(settings(), [accounts[2]])
    app = create_app(settings(), gateway=gateway, background=False)
    with TestClient(app) as client:
        assert app.state.gateway is gateway  # not a second one, which the database would refuse
        assert client.get("/v1/asset-types").status_code == 200
        assert gateway._threads == []  # background=False: the tests drive the periodic tasks
    assert gateway._stop.is_set()


SERVER = """
import sys
from pathlib import Path
import uvicorn
from api.app import create_app
from api.settings import Settings
settings = Settings(deployment=Path("unused.json"), operator_address="0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
                    session_secret="s" * 40)
uvicorn.run(create_app(settings, background=False), host="127.0.0.1", port=int(sys.argv[1]), lifespan="off",
            log_level="error")
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_deeply_nested_json_on_the_notice_route_is_refused_and_the_gateway_stays_up() -> None:
    """A body nested 90,000 levels deep (180 KB, within the notices' 2 MiB) once killed the process
    (the C stack overflowed while its JSON was parsed, at the recursion limit py_ecc sets): it is
    refused, and the gateway keeps serving. In a process of its own, since the failure kills it."""
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(port)])  # from the repository root
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the gateway did not start"
                time.sleep(0.2)
        depth = 90_000  # 180 KB: far below the route's 2 MiB limit
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        status = None
        try:
            conn.request(
                "POST",
                "/v1/risk-notices",
                body=b"[" * depth + b"]" * depth,
                headers={"Content-Type": "application/json"},
            )
            status = conn.getresponse().status
        except (ConnectionError, http.client.HTTPException):
            pass
        time.sleep(0.5)
        assert server.poll() is None, f"the gateway process died (exit code {server.returncode})"
        # Answered (here 503: the route's roles are checked before a body it cannot read is
        # refused, and this gateway has not started), and still serving.
        assert status is not None
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/v1/problems")
        assert conn.getresponse().status == 200
    finally:
        server.kill()
        server.wait()
