"""Rate limits: requests per API key and per holder wallet, nonce and sign-in requests per client
address, each answered 429 with Retry-After once used up; and a gas budget per holder on the
actions the operator relays and pays for."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from eth_account.messages import encode_typed_data
from eth_account.signers.local import LocalAccount
from gateway_support import Api
from world import World


def refused(answer: Any, code: str = "rate_limited") -> bool:
    retry = answer.headers.get("retry-after", "")
    return bool(answer.status_code == 429 and answer.json()["code"] == code and retry.isdigit() and int(retry) >= 1)


def test_requests_per_api_key(world: World, make_api: Callable[..., Api]) -> None:
    world.platform.resync_nonces()
    api = make_api(rate_limit_api_key="3/minute")
    for _ in range(3):
        assert api.get("/v1/decisions/watch", "regulator").status_code == 200
    assert refused(api.get("/v1/decisions/watch", "regulator"))
    assert api.get("/v1/decisions/watch", "operator").status_code == 200  # another key counts apart
    assert api.get("/v1/health").status_code == 200


def test_requests_per_wallet(world: World, make_api: Callable[..., Api]) -> None:
    world.platform.resync_nonces()
    api = make_api(rate_limit_wallet="2/minute")
    holder = api.holder(world.accounts[6])
    assert [api.client.get("/v1/holders/me", headers=holder).status_code for _ in range(2)] == [200, 200]
    assert refused(api.client.get("/v1/holders/me", headers=holder))
    assert api.client.get("/v1/holders/me", headers=api.holder(world.accounts[7])).status_code == 200


def test_nonces_and_sign_ins_per_client_address(world: World, make_api: Callable[..., Api]) -> None:
    world.platform.resync_nonces()
    api = make_api(rate_limit_sign_in="3/minute")
    for _ in range(3):
        assert api.client.get("/v1/auth/nonce").status_code == 200
    assert refused(api.client.get("/v1/auth/nonce"))
    sign_in = api.client.post("/v1/auth/sign-in", json={"message": "x", "signature": "0x" + "00" * 65})
    assert refused(sign_in)  # counted together with the nonces, before the message is read


def sign_typed(account: LocalAccount, typed_data: dict[str, Any]) -> str:
    return "0x" + bytes(account.sign_message(encode_typed_data(full_message=typed_data)).signature).hex()


def test_a_holder_relays_within_its_gas_budget(world: World, make_api: Callable[..., Api]) -> None:
    world.platform.resync_nonces()
    holder = world.accounts[6]
    api = make_api()
    params = {"to": world.b.address, "issuance_id": world.issuance, "amount": 1}
    gas = api.get("/v1/transfers/request", holder, params=params).json()["fields"]["gas"]
    api = make_api(relay_gas_budget=gas + gas // 2)  # one relayed transfer's worth, not two

    def relay() -> Any:
        prepared = api.get("/v1/transfers/request", holder, params=params).json()
        return api.post(
            "/v1/transfers", holder, {**prepared["fields"], "signature": sign_typed(holder, prepared["typed_data"])}
        )

    assert relay().status_code == 201
    second = relay()
    assert refused(second, "gas_budget_exceeded") and second.json()["budget"] == gas + gas // 2
    assert world.queries.balance_of(world.b.address, world.issuance) == 1  # the second was not sent
