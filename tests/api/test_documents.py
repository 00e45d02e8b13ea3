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
