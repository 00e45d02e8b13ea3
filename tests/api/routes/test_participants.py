"""Onboarding and freezing participants through the gateway."""

from __future__ import annotations

from gateway_support import Api
from world import YEAR, World, chain_time, h


def hx(value: bytes) -> str:
    return "0x" + value.hex()


def test_onboard_and_freeze(api: Api, world: World) -> None:
    wallet = world.accounts[12].address
    expiry = chain_time(world.w3) + YEAR
    answer = api.post(
        "/v1/participants", "operator", {"wallet": wallet, "identity_ref": hx(h("kyc")), "identity_expiry": expiry}
    )
    assert answer.status_code == 201, answer.text
    participant = api.get(f"/v1/participants/{wallet}", "compliance").json()
    assert participant["registered"] and participant["status"] == "notice_not_acknowledged"
    renewed = api.post(
        f"/v1/participants/{wallet}/identity",
        "operator",
        {"identity_ref": hx(h("kyc 2")), "identity_expiry": expiry + 1},
    )
    assert renewed.status_code == 200
    assert api.get(f"/v1/participants/{wallet}", "operator").json()["identity_expiry"] == expiry + 1
    assert api.post(f"/v1/participants/{wallet}/freeze", "compliance", {"reason_hash": hx(h("aml"))}).status_code == 200
    assert api.get(f"/v1/participants/{wallet}", "regulator").json()["status"] == "frozen"
    assert (
        api.post(f"/v1/participants/{wallet}/unfreeze", "compliance", {"reason_hash": hx(h("ok"))}).status_code == 200
    )
    assert api.get(f"/v1/participants/{wallet}", "auditor").json()["frozen"] is False


def test_a_write_needs_a_key_the_gateway_holds(api: Api, world: World) -> None:
    from api.auth import create_api_key

    foreign = create_api_key(api.gateway.db, "compliance", world.accounts[13].address).token
    answer = api.client.post(
        f"/v1/participants/{world.b.address}/freeze", json={"reason_hash": hx(h("x"))}, headers={"X-API-Key": foreign}
    )
    assert answer.status_code == 503 and answer.json()["code"] == "signer_unavailable"
