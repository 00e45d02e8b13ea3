"""Holders: acknowledging the notice by signature, gasless transfers relayed by the operator, and
their own balances and history. (Signing in with the wallet: tests/api/routes/test_auth.py.)"""

from __future__ import annotations

from typing import Any

import pytest
from eth_account.messages import encode_typed_data
from eth_account.signers.local import LocalAccount
from gateway_support import Api
from world import World, h


def sign_typed(account: LocalAccount, typed_data: dict[str, Any]) -> str:
    return "0x" + bytes(account.sign_message(encode_typed_data(full_message=typed_data)).signature).hex()


def test_acknowledge_the_notice_by_signature(api: Api, world: World) -> None:
    published = api.post("/v1/risk-notices", "regulator", {"text": "Secured digital assets may lose value."})
    assert published.status_code == 201, published.text
    version = published.json()["version"]
    notice = api.get("/v1/risk-notice").json()
    assert notice["version"] == version and notice["text"] == "Secured digital assets may lose value."
    assert notice["text_verified"] is True
    holder = world.accounts[6]
    assert api.get("/v1/holders/me", holder).json()["status"] == "notice_not_acknowledged"
    request = api.get("/v1/risk-notice/acknowledgement", holder).json()
    signature = sign_typed(holder, request["typed_data"])
    forged = api.post(
        "/v1/risk-notice/acknowledgements",
        holder,
        {**request["fields"], "signature": sign_typed(world.accounts[7], request["typed_data"])},
    )
    assert forged.status_code == 422 and forged.json()["code"] == "invalid_signature"
    answer = api.post("/v1/risk-notice/acknowledgements", holder, {**request["fields"], "signature": signature})
    assert answer.status_code == 201, answer.text
    assert api.get("/v1/holders/me", holder).json()["status"] == "eligible"
    assert world.queries.participant(holder.address).acknowledged_notice == version


def test_notice_text_published_elsewhere_is_verified(api: Api, world: World) -> None:
    notice = api.get("/v1/risk-notice").json()  # world's notice: hash of a text nobody serves
    assert notice["version"] == world.notice and notice["text"] is None and notice["text_verified"] is False


def test_gasless_transfer_relayed_by_the_operator(api: Api, world: World) -> None:
    holder = world.accounts[6]  # holder a: 100 units
    params = {"to": world.b.address, "issuance_id": world.issuance, "amount": 30}
    request = api.get("/v1/transfers/request", holder, params=params)
    assert request.status_code == 200, request.text
    prepared = request.json()
    body = {**prepared["fields"], "signature": sign_typed(holder, prepared["typed_data"])}
    balance_before = world.w3.eth.get_balance(holder.address)
    answer = api.post("/v1/transfers", holder, body)
    assert answer.status_code == 201, answer.text
    assert answer.json()["from_address"] == holder.address
    assert world.queries.balance_of(world.b.address, world.issuance) == 30
    assert world.w3.eth.get_balance(holder.address) == balance_before  # the holder paid no gas
    replay = api.post("/v1/transfers", holder, body)
    assert replay.status_code == 409  # the forwarder's nonce is spent: refused unsent
    assert replay.json()["code"] == "forward_request_used" and replay.json()["expected"] == body["nonce"] + 1


def test_a_relayed_request_carries_the_holders_next_nonce_and_enough_gas(api: Api, world: World) -> None:
    """Refused unsent, before the holder's gas budget is charged: a nonce past the holder's next
    one, and a request granting its call too little gas (not a node outage to retry)."""
    holder = world.accounts[6]
    params = {"to": world.b.address, "issuance_id": world.issuance, "amount": 5}
    prepared = api.get("/v1/transfers/request", holder, params=params).json()
    block = world.w3.eth.block_number

    def sent(**changed: int) -> Any:
        typed_data = {**prepared["typed_data"], "message": {**prepared["typed_data"]["message"], **changed}}
        body = {**prepared["fields"], **changed, "signature": sign_typed(holder, typed_data)}
        return api.post("/v1/transfers", holder, body).json()

    ahead = sent(nonce=prepared["fields"]["nonce"] + 1)
    assert ahead["code"] == "forward_request_nonce_ahead" and ahead["expected"] == prepared["fields"]["nonce"]
    short = sent(gas=22_000)
    assert short["status"] == 422 and short["code"] == "forward_request_gas_too_low"
    assert short["gas"] == 22_000 and 22_000 < short["needed"] <= prepared["fields"]["gas"]
    assert world.w3.eth.block_number == block
    assert sent()["from_address"] == holder.address  # as prepared: relayed


def test_a_holder_transfers_only_its_own_units(api: Api, world: World) -> None:
    """b signs a request claiming a's units: the signature is b's, the request is rebuilt as b's."""
    params = {"to": world.c.address, "issuance_id": world.issuance, "amount": 1}
    a, b = world.accounts[6], world.accounts[7]
    prepared = api.get("/v1/transfers/request", a, params=params).json()
    stolen = api.post("/v1/transfers", b, {**prepared["fields"], "signature": sign_typed(a, prepared["typed_data"])})
    assert stolen.status_code == 422 and stolen.json()["code"] == "invalid_signature"
    assert world.queries.balance_of(world.c.address, world.issuance) == 0


def test_transfer_refusals_have_codes(api: Api, world: World, accounts: list[LocalAccount]) -> None:
    holder = world.accounts[6]

    def code(**params: Any) -> str:
        answer = api.get("/v1/transfers/request", holder, params={"issuance_id": world.issuance, **params})
        assert answer.status_code in (404, 409), answer.text
        return str(answer.json()["code"])

    assert code(to=accounts[15].address, amount=1) == "recipient_not_registered"
    assert code(to=world.b.address, amount=101) == "insufficient_balance"
    api.post(f"/v1/participants/{holder.address}/freeze", "compliance", {"reason_hash": "0x" + h("x").hex()})
    assert code(to=world.b.address, amount=1) == "sender_frozen"


def test_a_sender_must_have_acknowledged_the_notice_in_force(api: Api, world: World) -> None:
    """Dealing needs the acknowledgement as receiving does (Law art. 6.4); the sender is asked first."""
    assert api.post("/v1/risk-notices", "regulator", {"text": "Risks, second version."}).status_code == 201
    params = {"to": world.b.address, "issuance_id": world.issuance, "amount": 1}
    answer = api.get("/v1/transfers/request", world.accounts[6], params=params)
    assert answer.status_code == 409 and answer.json()["code"] == "sender_notice_not_acknowledged"


def test_an_undercollateralised_issuance_refuses_transfers(
    api: Api, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its only attestation revoked, nothing covers the 100 units in circulation: a transfer is
    refused early with the reason and the numbers, and, the early check left out, by the contract."""
    holder = world.accounts[6]
    params = {"to": world.b.address, "issuance_id": world.issuance, "amount": 10}
    prepared = api.get("/v1/transfers/request", holder, params=params).json()
    signed = {**prepared["fields"], "signature": sign_typed(holder, prepared["typed_data"])}
    world.platform.resync_nonces()
    world.regulator.revoke_attestation(world.attestation, h("the elevator burnt down"))

    refused = api.get("/v1/transfers/request", holder, params=params)
    assert refused.status_code == 409
    problem = refused.json()
    assert problem["code"] == "undercollateralised" and (problem["covered"], problem["supply"]) == (0, 100)
    assert api.post("/v1/transfers", holder, signed).json()["code"] == "undercollateralised"

    monkeypatch.setattr(api.gateway.holders, "_check", lambda *args: None)
    answer = api.post("/v1/transfers", holder, signed)
    assert answer.status_code == 409, answer.text
    assert answer.json()["code"] == "secured_asset_undercollateralised"
    assert answer.json()["arguments"] == {"id": world.issuance, "covered": 0, "supply": 100}
    assert world.queries.balance_of(world.b.address, world.issuance) == 0


def test_balances_and_history(api: Api, world: World) -> None:
    holder = world.accounts[6]
    balances = api.get("/v1/holders/me/balances", holder).json()
    held = {"encumbered": 0, "frozen": 0, "escrowed": 0}
    assert balances == [{"issuance_id": world.issuance, "balance": 100, "available": 100, **held}]
    world.platform.resync_nonces()
    world.a.transfer(world.b.address, world.issuance, 40)
    history = api.get("/v1/holders/me/history", holder).json()
    assert [(m["kind"], m["direction"], m["amount"]) for m in history] == [("transfer", "out", 40), ("mint", "in", 100)]
    assert history[0]["to_address"] == world.b.address and history[0]["block_time"] > 0
    assert api.get("/v1/holders/me/history", world.accounts[7]).json()[0]["direction"] == "in"
    assert api.get("/v1/holders/me/history", holder, params={"limit": 1}).json()[0]["kind"] == "transfer"
    details = api.get(f"/v1/issuances/{world.issuance}").json()
    assert {(x["holder"], x["balance"]) for x in details["holders"]} == {(world.a.address, 60), (world.b.address, 40)}
