"""Request bodies are limited before routing, on the bytes as they arrive: a chunked body far past
the limit is refused with a problem after the first bytes past it, while the gateway's memory stays
where it was; a route that declares a larger limit takes a larger body."""

from __future__ import annotations

import json
import select
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings

MIB = 1024 * 1024


def bare_app(**overrides: object) -> FastAPI:
    """The gateway's application without a gateway behind it: what is refused here is refused
    before any route would need one."""
    settings = Settings(
        deployment=Path("unused.json"),
        operator_address="0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
        session_secret="s" * 40,
        **overrides,  # type: ignore[arg-type]
    )
    return create_app(settings, background=False)


@pytest.fixture
def server() -> Iterator[tuple[str, int]]:
    config = uvicorn.Config(bare_app(), host="127.0.0.1", port=0, lifespan="off", log_level="error")
    served = uvicorn.Server(config)
    thread = threading.Thread(target=served.run, daemon=True)
    thread.start()
    while not served.started:
        time.sleep(0.01)
    port = served.servers[0].sockets[0].getsockname()[1]
    yield "127.0.0.1", port
    served.should_exit = True
    thread.join(timeout=10)


def resident_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def answer_of(sock: socket.socket) -> tuple[int, dict[str, object]]:
    data = b""
    while b"\r\n\r\n" not in data or not data.rstrip().endswith(b"}"):
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ")[1])
    return status, json.loads(body[body.index(b"{") :]) if b"{" in body else {}


def test_a_huge_chunked_body_is_refused_early_and_memory_stays_flat(server: tuple[str, int]) -> None:
    before = resident_bytes()
    sock = socket.create_connection(server, timeout=30)
    sock.sendall(
        b"POST /v1/auth/sign-in HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n"
    )
    chunk = b"%x\r\n%s\r\n" % (MIB, b" " * MIB)
    sent = 0
    try:
        while sent < 256 * MIB:  # what the attacker sent: 256 MiB, unauthenticated
            if select.select([sock], [], [], 0)[0]:
                break  # the gateway answered
            sock.sendall(chunk)
            sent += MIB
    except (BrokenPipeError, ConnectionResetError):
        pass
    status, problem = answer_of(sock)
    sock.close()
    assert status == 413 and problem["code"] == "body_too_large"
    assert sent < 32 * MIB, f"{sent // MIB} MiB went in before the refusal"
    assert resident_bytes() - before < 32 * MIB


def test_an_announced_length_past_the_limit_is_refused_before_any_byte(server: tuple[str, int]) -> None:
    sock = socket.create_connection(server, timeout=10)
    sock.sendall(
        b"POST /v1/permits HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10000000000\r\n\r\n"
    )
    status, problem = answer_of(sock)
    sock.close()
    assert status == 413 and problem["code"] == "body_too_large" and problem["limit"] == 64 * 1024


def test_a_route_that_declares_a_larger_limit_takes_a_larger_body() -> None:
    client = TestClient(bare_app())
    body = json.dumps({"text": "x" * MIB}).encode()
    headers = {"content-type": "application/json"}
    assert client.post("/v1/permits", content=body, headers=headers).status_code == 413
    # Past the body limit, the notice route goes on to authentication (and no gateway runs here).
    notice = client.post("/v1/risk-notices", content=body, headers=headers)
    assert notice.status_code == 503 and notice.json()["code"] == "not_ready"
    assert client.post("/v1/risk-notices", content=b"x" * (3 * MIB), headers=headers).status_code == 413


def test_the_limit_is_a_setting() -> None:
    client = TestClient(bare_app(max_body_bytes=2048))
    answer = client.post(
        "/v1/auth/sign-in", content=b"{" + b" " * 4096 + b"}", headers={"content-type": "application/json"}
    )
    assert answer.status_code == 413 and answer.json()["limit"] == 2048
