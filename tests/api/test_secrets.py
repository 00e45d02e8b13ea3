"""No key or secret reaches a 5xx answer or a log line: an unexpected failure whose message carries
secrets, and a node that cannot be reached at a URL with credentials in it, are answered and logged
by what failed, never with what it carried."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import pytest
from gateway_support import SESSION_SECRET, Api
from node_proxy import NodeProxy
from world import World

NODE_PASSWORD = "node-password-0123456789"


def secrets_of(api: Api) -> list[str]:
    keys = [bytes(a.key).hex() for a in api.accounts[:8]]
    return [SESSION_SECRET, NODE_PASSWORD, *api.keys.values(), *api.tokens.values(), *keys]


@pytest.fixture
def every_log_line(caplog: pytest.LogCaptureFixture) -> Iterator[Callable[[], str]]:
    caplog.set_level(logging.DEBUG)
    yield lambda: "\n".join(f"{r.getMessage()} {r.exc_text or ''} {r.stack_info or ''}" for r in caplog.records)


def test_an_unexpected_failure_carries_no_secret(
    api: Api, world: World, monkeypatch: pytest.MonkeyPatch, every_log_line: Callable[[], str]
) -> None:
    holder = api.holder(world.accounts[6])
    leaked = " ".join(secrets_of(api))

    def failing(*args: object, **kwargs: object) -> object:
        raise RuntimeError(f"failed while holding {leaked}")

    monkeypatch.setattr(api.gateway.issuances, "summaries", failing)
    monkeypatch.setattr(api.gateway.holders, "me", failing)
    answers = [api.get("/v1/issuances"), api.client.get("/v1/holders/me", headers=holder)]
    for answer in answers:
        assert answer.status_code == 500 and answer.json()["code"] == "internal_error"
    seen = " ".join(a.text for a in answers) + every_log_line()
    assert "RuntimeError" in every_log_line()  # what failed is logged
    for secret in secrets_of(api):
        assert secret not in seen


def test_a_node_behind_credentials_that_cannot_be_reached(
    world: World,
    make_api: Callable[..., Api],
    node_proxy: Callable[..., NodeProxy],
    every_log_line: Callable[[], str],
) -> None:
    proxy = node_proxy()
    world.platform.resync_nonces()
    api = make_api(rpc_url=proxy.url.replace("http://", f"http://operator:{NODE_PASSWORD}@"))
    assert api.get("/v1/issuances").status_code == 200  # the node answers through the URL's credentials
    proxy.close()  # and then is gone
    down = [api.get("/v1/issuances"), api.post(f"/v1/issuances/{world.issuance}/pause", "operator", key="p-1")]
    for answer in down:
        assert answer.status_code >= 500, answer.text
    seen = " ".join(a.text for a in down) + every_log_line()
    for secret in secrets_of(api):
        assert secret not in seen
