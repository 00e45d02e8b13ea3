"""Liveness and readiness. (The problem catalogue: tests/api/routes/test_problems.py.)"""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from gateway_support import Api


def test_ready_says_what_is_there(api: Api) -> None:
    body = api.get("/v1/ready").json()
    assert body["ready"] and body["chain_reachable"] and body["deployment_found"] and body["signer_unlocked"]
    assert body["database"] and body["chain_id"] == 31337 and body["operator"] == api.gateway.chain.operator_address


def test_not_ready_without_the_operator_key(make_api: Callable[..., Api]) -> None:
    api = make_api(operator_address="0x976EA74026E726554dB657fA54763abd0C3a0aa9")
    answer = api.get("/v1/ready")
    assert answer.status_code == 503 and answer.json()["signer_unlocked"] is False


def test_not_ready_when_the_chain_is_gone(make_api: Callable[..., Api], caplog: pytest.LogCaptureFixture) -> None:
    api = make_api()
    gone = "http://127.0.0.1:9/secret-token"
    api.gateway.chain.platform.w3.provider = type(api.gateway.chain.platform.w3.provider)(gone)  # type: ignore[call-arg]
    body = api.get("/v1/ready").json()
    assert body["ready"] is False and body["chain_reachable"] is False
    with caplog.at_level(logging.WARNING, logger="sdap.gateway"):
        answer = api.get("/v1/asset-types")
    assert answer.status_code == 503 and answer.json()["code"] == "chain_unavailable"
    # The log says why (for the operator), never where the node is or its access token.
    assert "503 chain_unavailable (ConnectionFailed: " in caplog.text
    assert "secret-token" not in caplog.text and "127.0.0.1:9" not in caplog.text


def test_unknown_route_is_a_problem(api: Api) -> None:
    answer = api.get("/v1/nothing-here")
    assert answer.status_code == 404 and answer.json()["code"] == "not_found"
    assert api.client.delete("/v1/health").json()["code"] == "method_not_allowed"
