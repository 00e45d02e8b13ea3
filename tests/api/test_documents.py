"""Fetching published documents: private addresses are refused where the connection is made, on
the addresses it is made to, so a name cannot resolve to a public address for the check and to a
private one for the connection (DNS rebinding)."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

import pytest
from gateway_support import Documents

from api.errors import DecisionUriNotAllowed
from api.services.documents import Fetcher

PUBLIC = "93.184.215.14"

_real_getaddrinfo = socket.getaddrinfo


def _resolver(answers: Callable[[int], list[str]]) -> Callable[..., Any]:
    """getaddrinfo for `*.example` names: the n-th question (from 0) gets `answers(n)`."""
    asked = [0]

    def getaddrinfo(host: str, port: Any, *args: Any, **kwargs: Any) -> list[Any]:
        if not host.endswith(".example"):
            return _real_getaddrinfo(host, port, *args, **kwargs)
        n, asked[0] = asked[0], asked[0] + 1
        out = []
        for address in answers(n):
            family = socket.AF_INET6 if ":" in address else socket.AF_INET
            out.append((family, socket.SOCK_STREAM, 6, "", (address, int(port or 80))))
        return out

    return getaddrinfo


def _port(documents: Documents) -> int:
    return int(documents.base.rsplit(":", 1)[1])


def test_a_name_that_turns_private_after_the_check_is_refused(
    documents: Documents, monkeypatch: pytest.MonkeyPatch
) -> None:
    documents.publish("/rebind.pdf", b"internal")
    monkeypatch.setattr(socket, "getaddrinfo", _resolver(lambda n: [PUBLIC] if n == 0 else ["127.0.0.1"]))
    before = len(documents.requests)
    with pytest.raises(DecisionUriNotAllowed):
        Fetcher(timeout=2).fetch(f"http://rebind.example:{_port(documents)}/rebind.pdf")
    assert len(documents.requests) == before  # nothing reached the private server


@pytest.mark.parametrize("answer", [[PUBLIC, "10.0.0.7"], ["::ffff:127.0.0.1"], ["169.254.169.254"], ["::1"]])
def test_names_with_any_private_address_are_refused(
    documents: Documents, monkeypatch: pytest.MonkeyPatch, answer: list[str]
) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", _resolver(lambda n: answer))
    with pytest.raises(DecisionUriNotAllowed):
        Fetcher(timeout=2).fetch(f"http://inside.example:{_port(documents)}/x.pdf")


def test_the_connection_goes_to_the_address_resolved_and_names_the_host(
    documents: Documents, monkeypatch: pytest.MonkeyPatch
) -> None:
    documents.publish("/decision.pdf", b"the decision")
    monkeypatch.setattr(socket, "getaddrinfo", _resolver(lambda n: ["127.0.0.1"]))
    uri = f"http://issuer.example:{_port(documents)}/decision.pdf"
    assert Fetcher(timeout=2, allow_private=True).fetch(uri) == b"the decision"
    assert documents.requests[-1] == (f"issuer.example:{_port(documents)}", "/decision.pdf")


# --- IPv6 forms that embed an IPv4 address ------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "64:ff9b::7f00:1",  # NAT64 well-known prefix, 127.0.0.1
        "64:ff9b::a00:7",  # NAT64, 10.0.0.7
        "64:ff9b:1:7f00:0:1::",  # NAT64 local-use /48, 127.0.0.1 around the reserved octet
        "2002:a9fe:a9fe::1",  # 6to4, 169.254.169.254
        "::127.0.0.1",  # IPv4-compatible
        "::ffff:0:c0a8:101",  # SIIT, 192.168.1.1
        "::ffff:10.1.2.3",  # IPv4-mapped
    ],
)
def test_ipv6_forms_embedding_a_private_ipv4_address_are_refused(
    documents: Documents, monkeypatch: pytest.MonkeyPatch, address: str
) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", _resolver(lambda n: [address]))
    with pytest.raises(DecisionUriNotAllowed):
        Fetcher(timeout=2).fetch(f"http://inside.example:{_port(documents)}/x.pdf")


@pytest.mark.parametrize("address", ["64:ff9b::808:808", "2002:808:808::1", "::ffff:0:808:808"])
def test_ipv6_forms_embedding_a_public_ipv4_address_pass_the_check(address: str) -> None:
    from api.services.documents import _public

    assert _public(address)
    assert not _public(address.replace("808:808", "7f00:1"))


# --- deadlines and remembered failures ----------------------------------------------------------


@pytest.fixture
def dripping() -> Any:
    """A server that answers headers, then one byte every 0.3 s, for ever."""
    import http.server
    import threading
    import time

    class Drip(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", "1000000")
            self.end_headers()
            try:
                while True:
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.3)
            except OSError:
                pass

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Drip)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/notice.txt"
    server.shutdown()
    server.server_close()


def test_a_dripping_server_holds_a_fetch_no_longer_than_the_deadline(dripping: str) -> None:
    import time

    from api.errors import DecisionUnavailable

    started = time.monotonic()
    with pytest.raises(DecisionUnavailable, match=r"within 1\.5 s"):
        Fetcher(timeout=1.0, deadline=1.5, allow_private=True).fetch(dripping)
    assert time.monotonic() - started < 2.5  # each byte came within the read timeout


def test_a_failure_is_remembered_when_asked(documents: Documents) -> None:
    from api.errors import DecisionUnavailable

    uri = documents.base + "/later.txt"
    fetcher = Fetcher(timeout=2, allow_private=True, failure_ttl=60)
    with pytest.raises(DecisionUnavailable):
        fetcher.fetch(uri, remember_failure=True)
    asked = len(documents.requests)
    documents.publish("/later.txt", b"now here")
    with pytest.raises(DecisionUnavailable, match="HTTP 404"):
        fetcher.fetch(uri, remember_failure=True)  # the remembered failure, without asking again
    assert len(documents.requests) == asked
    assert fetcher.fetch(uri) == b"now here"  # a fetch that does not ask for it asks the server
    assert Fetcher(timeout=2, allow_private=True, failure_ttl=0).fetch(uri, remember_failure=True) == b"now here"
    # ... and, found, the failure is forgotten: a decision's new URI checked once it is published
    # is not reported unavailable by the watch afterwards.
    assert fetcher.fetch(uri, remember_failure=True) == b"now here"


def test_a_mirror_serves_a_prefix_from_elsewhere(documents: Documents) -> None:
    documents.publish("/moved.txt", b"the text")
    fetcher = Fetcher(timeout=2, allow_private=True, mirrors={"http://127.0.0.1:1/": documents.base + "/"})
    assert fetcher.fetch("http://127.0.0.1:1/moved.txt") == b"the text"


@pytest.mark.parametrize(
    "uri", ["http://[::1/x.pdf", "http://issuer.example:99999/x.pdf", "http://" + "a" * 64 + ".example/x.pdf"]
)
def test_a_malformed_url_is_a_problem_not_a_crash(uri: str) -> None:
    from api.errors import DecisionUnavailable

    for allow_private in (False, True):
        with pytest.raises((DecisionUriNotAllowed, DecisionUnavailable)):
            Fetcher(timeout=2, allow_private=allow_private).fetch(uri)
