"""Delivery against a payment made off-chain, through the gateway, on real anvil: the seller signs
the forward request to open the escrow (eth-account) and the operator relays it; the units stay in
its holding and move by no other route; the settlement agent (its API key, its own key sending)
confirms the payment and they go to the buyer; an escrow nobody confirmed lapses once its deadline
passed. Each refusal answered early with the contract's own code; the auditor finds it clean."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from eth_account.signers.local import LocalAccount
from gateway_support import ROLES, Api, hx, sign_typed, walk
from world import World, advance, chain_time, h

from api.auth import create_api_key
from sdap.audit import audit
from sdap.types import Role

PATH = "/v1/escrows"
PRICE = 150_000_00  # 150,000 tenge, in tiyn


@pytest.fixture
def agent(world: World) -> LocalAccount:
    """The settlement agent (a bank): SETTLEMENT_AGENT_ROLE granted by the regulator; the test
    gateway holds its key and gives it the `settlement_agent` API key."""
    account = world.accounts[ROLES["settlement_agent"]]
    world.platform.resync_nonces()
    world.regulator.grant_role(Role.SETTLEMENT_AGENT, account.address)
    return account


def terms(world: World, agent: LocalAccount, /, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "issuance_id": world.issuance,
        "amount": 10,
        "buyer": world.b.address,
        "agent": agent.address,
        "price": PRICE,
        "currency": "KZT",
        "payment_deadline": chain_time(world.w3) + 3600,
    }
    values.update(overrides)
    return values


def prepared(api: Api, seller: LocalAccount, params: dict[str, Any]) -> dict[str, Any]:
    """The seller's signed request to open the escrow (GET /v1/escrows/open-request, signed)."""
    answer = api.get(f"{PATH}/open-request", seller, params=params)
    assert answer.status_code == 200, answer.text
    return {**answer.json()["fields"], "signature": sign_typed(seller, answer.json()["typed_data"])}


def opened(api: Api, seller: LocalAccount, params: dict[str, Any], key: str | None = None) -> dict[str, Any]:
    answer = api.post(PATH, seller, prepared(api, seller, params), key=key)
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def test_delivery_against_an_off_chain_payment(world: World, agent: LocalAccount, make_api: Callable[..., Api]) -> None:
    api = make_api()
    seller, buyer = world.accounts[6], world.accounts[7]
    gas = world.w3.eth.get_balance(seller.address)
    params = terms(world, agent)
    request = prepared(api, seller, params)
    answer = api.post(PATH, seller, request, key="escrow-1")
    assert answer.status_code == 201, answer.text
    escrow = answer.json()
    assert (escrow["escrow_id"], escrow["state"], escrow["seller"], escrow["buyer"]) == (
        1,
        "open",
        seller.address,
        buyer.address,
    )
    assert (escrow["amount"], escrow["price"], escrow["currency"], escrow["expired"]) == (10, PRICE, "KZT", False)
    assert world.w3.eth.get_balance(seller.address) == gas  # the operator paid
    holding = api.get("/v1/holders/me/balances", seller).json()[0]
    assert (holding["balance"], holding["escrowed"], holding["available"]) == (100, 10, 90)
    replay = api.post(PATH, seller, request, key="escrow-1")
    assert replay.status_code == 201 and replay.headers["Idempotent-Replayed"] == "true"
    assert world.queries.escrow_count() == 1

    # The units stay in the seller's holding, held: no other route moves them.
    q = world.queries
    assert q.balance_of(seller.address, world.issuance) == 100
    assert q.escrowed_units(world.issuance, seller.address) == 10
    blocked = api.get(
        "/v1/transfers/request", seller, params={"to": buyer.address, "issuance_id": world.issuance, "amount": 91}
    )
    assert blocked.status_code == 409 and blocked.json()["code"] == "units_restricted"
    assert [e["escrow_id"] for e in walk(api, PATH, party=buyer.address)[0]] == [1]
    assert [e["escrow_id"] for e in walk(api, PATH, agent=agent.address, state="open")[0]] == [1]
    assert walk(api, PATH, party=world.accounts[8].address)[0] == []

    ref = {"payment_ref": hx(h("bank transfer KZ-2026-0001"))}
    assert api.post(f"{PATH}/1/confirmation", "issuer", ref).json()["code"] == "forbidden"
    stranger = create_api_key(api.gateway.db, "settlement_agent", world.accounts[3].address).token
    other = api.client.post(f"{PATH}/1/confirmation", json=ref, headers={"X-API-Key": stranger})
    assert other.status_code == 409 and other.json()["code"] == "exchange_not_escrow_agent"
    early = api.post(f"{PATH}/1/lapse", buyer)
    assert early.status_code == 409 and early.json()["code"] == "exchange_escrow_not_expired"

    confirmed = api.post(f"{PATH}/1/confirmation", "settlement_agent", ref, key="confirm-1")
    assert confirmed.status_code == 200, confirmed.text
    assert (confirmed.json()["delivered_to"], confirmed.json()["by"]) == (buyer.address, agent.address)
    assert confirmed.json()["payment_ref"] == ref["payment_ref"]
    assert q.balance_of(buyer.address, world.issuance) == 10 and q.balance_of(seller.address, world.issuance) == 90
    assert q.escrowed_units(world.issuance, seller.address) == 0
    again = api.post(f"{PATH}/1/confirmation", "settlement_agent", ref, key="confirm-1")
    assert again.headers["Idempotent-Replayed"] == "true" and again.json() == confirmed.json()
    twice = api.post(f"{PATH}/1/confirmation", "settlement_agent", ref)
    assert twice.status_code == 409 and twice.json()["code"] == "exchange_escrow_not_open"
    assert api.get(f"{PATH}/1").json()["state"] == "settled"

    report = audit(world.platform)
    assert report.ok, [b.message for b in report.breaches]


def test_an_unconfirmed_escrow_lapses(world: World, agent: LocalAccount, make_api: Callable[..., Api]) -> None:
    api = make_api()
    seller, buyer = world.accounts[6], world.accounts[7]
    escrow_id = opened(api, seller, terms(world, agent, payment_deadline=chain_time(world.w3) + 60))["escrow_id"]
    advance(world.w3, 120)
    assert api.get(f"{PATH}/{escrow_id}").json()["expired"] is True
    late = api.post(f"{PATH}/{escrow_id}/confirmation", "settlement_agent", {"payment_ref": hx(h("too late"))})
    assert late.status_code == 409 and late.json()["code"] == "exchange_escrow_expired"
    lapsed = api.post(f"{PATH}/{escrow_id}/lapse", buyer, key="lapse-1")  # anyone signed in
    assert lapsed.status_code == 200, lapsed.text
    assert lapsed.json()["by"] == api.gateway.chain.operator_address  # the operator sent it
    assert api.post(f"{PATH}/{escrow_id}/lapse", buyer, key="lapse-1").headers["Idempotent-Replayed"] == "true"
    assert api.post(f"{PATH}/{escrow_id}/lapse", "auditor").json()["code"] == "exchange_escrow_not_open"
    shown = api.get(f"{PATH}/{escrow_id}").json()
    assert (shown["state"], shown["expired"]) == ("lapsed", False)
    assert world.queries.escrowed_units(world.issuance, seller.address) == 0
    assert world.queries.balance_of(seller.address, world.issuance) == 100
    assert [e["state"] for e in walk(api, PATH, seller=seller.address)[0]] == ["lapsed"]
    report = audit(world.platform)
    assert report.ok, [b.message for b in report.breaches]


def test_the_regulator_cancels_an_escrow_by_order(
    world: World, agent: LocalAccount, make_api: Callable[..., Api]
) -> None:
    api = make_api()
    seller = world.accounts[6]
    escrow_id = opened(api, seller, terms(world, agent))["escrow_id"]
    order = {"order_hash": hx(h("order No. 31"))}
    assert api.post(f"{PATH}/{escrow_id}/cancellation", seller, order).json()["code"] == "forbidden"
    cancelled = api.post(f"{PATH}/{escrow_id}/cancellation", "regulator", order, key="order-31")
    assert cancelled.status_code == 200, cancelled.text
    assert (cancelled.json()["by"], cancelled.json()["order_hash"]) == (world.regulator.address, order["order_hash"])
    replay = api.post(f"{PATH}/{escrow_id}/cancellation", "regulator", order, key="order-31")
    assert replay.headers["Idempotent-Replayed"] == "true" and replay.json() == cancelled.json()
    again = api.post(f"{PATH}/{escrow_id}/cancellation", "regulator", order)
    assert again.status_code == 409 and again.json()["code"] == "exchange_escrow_not_open"
    assert api.get(f"{PATH}/{escrow_id}").json()["state"] == "cancelled"
    assert world.queries.escrowed_units(world.issuance, seller.address) == 0
    late = api.post(f"{PATH}/{escrow_id}/confirmation", "settlement_agent", {"payment_ref": hx(h("paid"))})
    assert late.status_code == 409 and late.json()["code"] == "exchange_escrow_not_open"
    report = audit(world.platform)
    assert report.ok, [b.message for b in report.breaches]


def test_opening_is_refused_with_the_contracts_codes(
    world: World, agent: LocalAccount, make_api: Callable[..., Api]
) -> None:
    api = make_api()
    seller, buyer = world.accounts[6], world.accounts[7]

    def code(**overrides: Any) -> str:
        answer = api.get(f"{PATH}/open-request", seller, params=terms(world, agent, **overrides))
        assert answer.status_code in (409, 422), answer.text
        return str(answer.json()["code"])

    assert code(buyer=seller.address) == "exchange_invalid_escrow"
    assert code(agent=buyer.address) == "exchange_invalid_escrow"  # the agent is neither party
    assert code(payment_deadline=chain_time(world.w3) - 1) == "exchange_invalid_deadline"
    assert code(payment_deadline=chain_time(world.w3) + 91 * 86_400) == "exchange_invalid_deadline"
    assert code(agent=world.accounts[9].address) == "exchange_missing_role"
    assert code(buyer=world.accounts[15].address) == "recipient_not_registered"
    assert code(amount=101) == "insufficient_balance"
    assert code(currency="kzt") == "validation_failed"
    assert api.get(f"{PATH}/open-request", "issuer", params=terms(world, agent)).json()["code"] == "forbidden"

    # Signed by another wallet than the signed-in seller's: refused, nothing sent.
    request = prepared(api, seller, terms(world, agent))
    stolen = api.post(PATH, buyer, request)
    assert stolen.status_code == 422 and stolen.json()["code"] == "invalid_signature"
    assert world.queries.escrow_count() == 0
    assert api.get(f"{PATH}/7").json()["code"] == "escrow_not_found"
    assert api.post(f"{PATH}/7/lapse", buyer).json()["code"] == "escrow_not_found"

    # A confirmation names its payment, and one payment settles one escrow.
    first, second = (opened(api, seller, terms(world, agent))["escrow_id"] for _ in range(2))
    empty = api.post(f"{PATH}/{first}/confirmation", "settlement_agent", {"payment_ref": "0x" + "00" * 32})
    assert empty.status_code in (409, 422) and empty.json()["code"] == "exchange_empty_payment_ref"
    paid = {"payment_ref": hx(h("bank transfer KZ-2026-0002"))}
    assert api.post(f"{PATH}/{first}/confirmation", "settlement_agent", paid).status_code == 200
    reused = api.post(f"{PATH}/{second}/confirmation", "settlement_agent", paid)
    assert reused.status_code in (409, 422) and reused.json()["code"] == "exchange_payment_ref_used"

    # An agent whose role the regulator withdrew confirms nothing, and its escrows may lapse at once.
    world.platform.resync_nonces()
    world.regulator.revoke_role(Role.SETTLEMENT_AGENT, agent.address)
    refused = api.post(f"{PATH}/{second}/confirmation", "settlement_agent", {"payment_ref": hx(h("paid"))})
    assert refused.status_code == 409 and refused.json()["code"] == "exchange_missing_role"
    lapsed = api.post(f"{PATH}/{second}/lapse", seller)
    assert lapsed.status_code == 200, lapsed.text
    assert world.queries.balance_of(buyer.address, world.issuance) == 10  # the first escrow's only
    assert world.queries.escrowed_units(world.issuance, seller.address) == 0


def test_the_openapi_document_shows_the_escrows(api: Api) -> None:
    paths = api.client.get("/v1/openapi.json").json()["paths"]
    assert paths["/v1/escrows/open-request"]["get"]["x-roles"] == ["holder"]
    assert paths["/v1/escrows"]["post"]["x-roles"] == ["holder"]
    assert paths["/v1/escrows"]["get"]["x-roles"] == ["public"]
    assert paths["/v1/escrows/{escrow_id}"]["get"]["x-roles"] == ["public"]
    assert paths["/v1/escrows/{escrow_id}/confirmation"]["post"]["x-roles"] == ["settlement_agent"]
    assert set(paths["/v1/escrows/{escrow_id}/lapse"]["post"]["x-roles"]) == {*ROLES, "holder"}
    assert paths["/v1/escrows/{escrow_id}/cancellation"]["post"]["x-roles"] == ["regulator"]
    responses = paths["/v1/escrows/{escrow_id}/confirmation"]["post"]["responses"].values()
    codes = {c for r in responses for c in r.get("x-problem-codes", [])}
    assert {
        "escrow_not_found",
        "exchange_escrow_not_open",
        "exchange_not_escrow_agent",
        "exchange_escrow_expired",
        "exchange_missing_role",
        "idempotency_key_reused",
    } <= codes
