"""Redemption in two sides through the gateway (Rules item 2.3): the holder signs its request and
the operator relays it (the units go into the asset's custody), the issuer confirms delivery (they
are burnt) or refuses, as the regulator may by order (they come back); anyone reads the requests.
Each refusal is answered early with the contract's own code."""

from __future__ import annotations

from typing import Any

import pytest
from eth_account.signers.local import LocalAccount
from gateway_support import Api, hx, sign_typed, walk
from world import World, h

from api.auth import create_api_key

PATH = "/v1/redemptions"


def ask(api: Api, holder: LocalAccount, issuance_id: int, amount: int, ref: str = "silo 4, Kostanay") -> Any:
    """`holder` asks to redeem: the forward request the gateway gives, signed and relayed."""
    params = {"issuance_id": issuance_id, "amount": amount, "fulfilment_ref": hx(h(ref))}
    prepared = api.get(f"{PATH}/forward-request", holder, params=params)
    assert prepared.status_code == 200, prepared.text
    signed = {**prepared.json()["fields"], "signature": sign_typed(holder, prepared.json()["typed_data"])}
    return api.post(PATH, holder, signed)


def asked(api: Api, holder: LocalAccount, issuance_id: int, amount: int) -> int:
    answer = ask(api, holder, issuance_id, amount)
    assert answer.status_code == 201, answer.text
    return int(answer.json()["request_id"])


def custody(world: World) -> int:
    """Units pending redemption: the asset's own balance."""
    return world.queries.balance_of(world.platform.deployment.asset, world.issuance)


def test_the_holder_asks_and_the_issuer_confirms_delivery(api: Api, world: World) -> None:
    holder = world.accounts[6]  # holder a: 100 units
    gas_before = world.w3.eth.get_balance(holder.address)
    answer = ask(api, holder, world.issuance, 30)
    assert answer.status_code == 201, answer.text
    requested = answer.json()
    assert (requested["holder"], requested["amount"], requested["fulfilment_ref"]) == (
        holder.address,
        30,
        hx(h("silo 4, Kostanay")),
    )
    request_id = requested["request_id"]
    assert world.w3.eth.get_balance(holder.address) == gas_before  # the operator paid
    assert world.queries.balance_of(holder.address, world.issuance) == 70 and custody(world) == 30
    assert world.queries.total_supply(world.issuance) == 100  # still in the supply until confirmed
    pending = api.get(f"{PATH}/{request_id}").json()
    assert (pending["state"], pending["issuance_id"], pending["amount"]) == ("requested", world.issuance, 30)

    delivered = hx(h("waybill 2026-114"))
    confirmed = api.post(f"{PATH}/{request_id}/confirmation", "issuer", {"delivery_ref": delivered}, key="c-1")
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["delivery_ref"] == delivered and confirmed.json()["by"] == world.issuer.address
    assert world.queries.total_supply(world.issuance) == 70 and custody(world) == 0
    assert api.get(f"{PATH}/{request_id}").json()["state"] == "confirmed"
    replay = api.post(f"{PATH}/{request_id}/confirmation", "issuer", {"delivery_ref": delivered}, key="c-1")
    assert replay.status_code == 200 and replay.headers["Idempotent-Replayed"] == "true"
    again = api.post(f"{PATH}/{request_id}/confirmation", "issuer", {"delivery_ref": delivered})
    assert again.status_code == 409 and again.json()["code"] == "secured_asset_redemption_not_requested"
    assert again.json()["arguments"] == {"request_id": request_id}


def test_a_refusal_gives_the_units_back(api: Api, world: World, accounts: list[LocalAccount]) -> None:
    holder = world.accounts[6]
    first, second = asked(api, holder, world.issuance, 40), asked(api, holder, world.issuance, 10)
    assert custody(world) == 50
    reason = {"reason_hash": hx(h("the silo is flooded"))}
    # Another issuer's key, or an operator's, is no party to it.
    stranger = create_api_key(api.gateway.db, "issuer", accounts[9].address).token
    refused = api.client.post(f"{PATH}/{first}/refusal", json=reason, headers={"X-API-Key": stranger})
    assert refused.status_code == 409 and refused.json()["code"] == "secured_asset_not_redemption_party"
    assert refused.json()["arguments"] == {"request_id": first, "account": accounts[9].address}
    assert api.post(f"{PATH}/{first}/refusal", "operator", reason).json()["code"] == "forbidden"

    answer = api.post(f"{PATH}/{first}/refusal", "issuer", reason)
    assert answer.status_code == 200, answer.text
    assert (answer.json()["returned_to"], answer.json()["by"]) == (holder.address, world.issuer.address)
    # The regulator refuses by order when the issuer does not answer.
    ordered = api.post(f"{PATH}/{second}/refusal", "regulator", {"reason_hash": hx(h("order No. 12"))})
    assert ordered.status_code == 200 and ordered.json()["by"] == world.regulator.address
    assert world.queries.balance_of(holder.address, world.issuance) == 100 and custody(world) == 0
    assert [r["state"] for r in api.get(PATH).json()] == ["refused", "refused"]
    late = api.post(f"{PATH}/{first}/confirmation", "issuer", {"delivery_ref": hx(h("too late"))})
    assert late.status_code == 409 and late.json()["code"] == "secured_asset_redemption_not_requested"


def test_redemption_refusals_have_codes(api: Api, world: World, accounts: list[LocalAccount]) -> None:
    holder = world.accounts[6]

    def code(issuance_id: int, amount: int) -> str:
        params = {"issuance_id": issuance_id, "amount": amount, "fulfilment_ref": hx(h("silo"))}
        answer = api.get(f"{PATH}/forward-request", holder, params=params)
        assert answer.status_code in (404, 409), answer.text
        return str(answer.json()["code"])

    assert code(world.issuance, 101) == "insufficient_balance"
    assert code(99, 1) == "issuance_not_found"
    world.platform.resync_nonces()
    world.a.encumber(world.issuance, 80, world.b.address, h("pledge agreement"))
    assert code(world.issuance, 30) == "units_restricted"
    api.post(f"/v1/participants/{holder.address}/freeze", "compliance", {"reason_hash": hx(h("aml"))})
    assert code(world.issuance, 1) == "sender_frozen"
    assert api.get(f"{PATH}/99").json()["code"] == "redemption_not_found"
    assert api.post(f"{PATH}/99/confirmation", "issuer", {"delivery_ref": hx(h("x"))}).status_code == 404


def test_a_holder_asks_only_for_its_own_units(api: Api, world: World) -> None:
    a, b = world.accounts[6], world.accounts[7]
    params = {"issuance_id": world.issuance, "amount": 10, "fulfilment_ref": hx(h("silo"))}
    prepared = api.get(f"{PATH}/forward-request", a, params=params).json()
    stolen = api.post(PATH, b, {**prepared["fields"], "signature": sign_typed(a, prepared["typed_data"])})
    assert stolen.status_code == 422 and stolen.json()["code"] == "invalid_signature"
    assert custody(world) == 0
    assert api.get(f"{PATH}/forward-request", "issuer", params=params).json()["code"] == "forbidden"


def test_a_redemption_outlives_the_permit_and_the_coverage(api: Api, world: World) -> None:
    """The operator's permit suspended and the collateral revoked, the holder still asks and the
    issuer still delivers (Law art. 6.1-6.2 end the operator's dealing, not the issuer's obligation)."""
    suspension = api.post(
        f"/v1/permits/{world.operator.address}/suspension", "regulator", {"reason_hash": hx(h("audit"))}
    )
    assert suspension.status_code == 200, suspension.text
    world.platform.resync_nonces()
    world.regulator.revoke_attestation(world.attestation, h("the elevator burnt down"))
    request_id = asked(api, world.accounts[6], world.issuance, 100)
    confirmed = api.post(f"{PATH}/{request_id}/confirmation", "issuer", {"delivery_ref": hx(h("waybill"))})
    assert confirmed.status_code == 200, confirmed.text
    assert world.queries.total_supply(world.issuance) == 0


def test_requests_list_by_issuance_holder_and_state(api: Api, world: World) -> None:
    a, b = world.accounts[6], world.accounts[7]
    world.platform.resync_nonces()
    world.a.transfer(b.address, world.issuance, 20)
    ids = [asked(api, a, world.issuance, 5), asked(api, b, world.issuance, 5), asked(api, a, world.issuance, 5)]
    api.post(f"{PATH}/{ids[0]}/confirmation", "issuer", {"delivery_ref": hx(h("waybill"))})
    everything, pages = walk(api, PATH, limit=2)
    assert [r["id"] for r in everything] == ids and pages == 2
    of_a, _ = walk(api, PATH, holder=a.address)
    assert [r["id"] for r in of_a] == [ids[0], ids[2]]
    queue, _ = walk(api, PATH, issuance_id=world.issuance, state="requested")
    assert [(r["id"], r["holder"]) for r in queue] == [(ids[1], b.address), (ids[2], a.address)]
    assert api.get(PATH, params={"issuance_id": 99}).json() == []
    assert api.get(PATH, params={"state": "none"}).json()["code"] == "validation_failed"


def test_the_chain_answers_a_confirmation_by_another_key_with_the_same_code(
    api: Api, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the gateway's check, the regulator's key confirming is refused by the contract itself."""
    request_id = asked(api, world.accounts[6], world.issuance, 10)
    monkeypatch.setattr(api.gateway.redemptions, "_pending", lambda caller, request_id: None)
    api.keys["issuer"] = create_api_key(api.gateway.db, "issuer", world.regulator.address).token
    answer = api.post(f"{PATH}/{request_id}/confirmation", "issuer", {"delivery_ref": hx(h("waybill"))})
    assert answer.status_code == 409, answer.text
    assert answer.json()["code"] == "secured_asset_not_redemption_party"
    assert answer.json()["arguments"] == {"request_id": request_id, "account": world.regulator.address}
    assert custody(world) == 10


def test_units_in_custody_are_pending_not_held(api: Api, world: World) -> None:
    """The register shows units awaiting an answer as pending, held by no one; the holder's history
    shows them go as a redemption and, the request refused, come back."""
    holder = world.accounts[6]
    request_id = asked(api, holder, world.issuance, 30)
    details = api.get(f"/v1/issuances/{world.issuance}").json()
    assert details["pending_redemption"] == 30 and details["total_supply"] == 100
    assert details["holders"] == [{"holder": holder.address, "balance": 70}]
    assert api.get(f"/v1/issuances/{world.issuance}/holders").json() == details["holders"]
    api.post(f"{PATH}/{request_id}/refusal", "issuer", {"reason_hash": hx(h("no such silo"))})
    history = api.get("/v1/holders/me/history", holder).json()
    assert [(m["kind"], m["direction"], m["amount"]) for m in history[:2]] == [
        ("redemption_refused", "in", 30),
        ("redemption", "out", 30),
    ]
    assert api.get(f"/v1/issuances/{world.issuance}").json()["pending_redemption"] == 0


def test_relayed_requests_count_against_the_holders_gas_budget(world: World, make_api: Any) -> None:
    """The operator pays for a holder's request as for its transfers: within the same budget."""
    world.platform.resync_nonces()
    holder = world.accounts[6]
    params = {"issuance_id": world.issuance, "amount": 1, "fulfilment_ref": hx(h("silo"))}
    gas = make_api().get(f"{PATH}/forward-request", holder, params=params).json()["fields"]["gas"]
    api = make_api(relay_gas_budget=gas + gas // 2)  # one relayed request's worth, not two
    assert ask(api, holder, world.issuance, 1).status_code == 201
    second = ask(api, holder, world.issuance, 1)
    assert second.status_code == 429 and second.json()["code"] == "gas_budget_exceeded"
    assert custody(world) == 1  # the second was not sent
