"""Onboarding and freezing participants through the gateway."""

from __future__ import annotations

from gateway_support import Api
from world import YEAR, World, chain_time, h

from sdap.clients import OperatorClient
from sdap.types import PermitState, Role


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
    assert participant["operator"] == api.gateway.chain.operator_address  # who identified it
    assert participant["recovered_to"] is None
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


def test_an_unregistered_wallet_has_no_operator(api: Api, world: World) -> None:
    participant = api.get(f"/v1/participants/{world.accounts[14].address}", "auditor").json()
    assert participant["registered"] is False and participant["operator"] is None
    assert participant["recovered_to"] is None  # not lost either


def test_only_the_operator_that_identified_a_participant_reidentifies_it(api: Api, world: World) -> None:
    """Another operator (its own key, its own permit) identified the wallet: the gateway's operator
    may not rewrite that identification."""
    other = world.client_of(OperatorClient, 10)
    wallet = world.accounts[12].address
    expiry = chain_time(world.w3) + YEAR
    world.platform.resync_nonces()
    world.regulator.grant_role(Role.OPERATOR, other.address)
    world.regulator.grant_permit(other.address, 0, expiry, h("permit No. 2"))
    other.register_participant(wallet, h("kyc by the other operator"), expiry)
    assert api.get(f"/v1/participants/{wallet}", "regulator").json()["operator"] == other.address
    answer = api.post(
        f"/v1/participants/{wallet}/identity", "operator", {"identity_ref": hx(h("kyc 2")), "identity_expiry": 1}
    )
    assert answer.status_code == 409, answer.text
    problem = answer.json()
    assert problem["code"] == "registry_not_participant_operator"
    assert problem["arguments"]["operator"] == other.address
    assert world.queries.participant(wallet).identity_ref == h("kyc by the other operator")
    # The regulator may, with its own key; the wallet stays the other operator's participant.
    by_regulator = api.post(
        f"/v1/participants/{wallet}/identity",
        "regulator",
        {"identity_ref": hx(h("kyc by the regulator")), "identity_expiry": expiry + 1},
    )
    assert by_regulator.status_code == 200, by_regulator.text
    participant = world.queries.participant(wallet)
    assert participant.identity_ref == h("kyc by the regulator") and participant.operator == other.address


def test_an_operator_without_a_permit_in_force_onboards_no_one(api: Api, world: World) -> None:
    suspended = api.post(f"/v1/permits/{world.operator.address}/suspension", "regulator", {"reason_hash": hx(h("r"))})
    assert suspended.status_code == 200
    wallet = world.accounts[12].address
    body = {"wallet": wallet, "identity_ref": hx(h("kyc")), "identity_expiry": chain_time(world.w3) + YEAR}
    answer = api.post("/v1/participants", "operator", body)
    assert answer.status_code == 409, answer.text
    assert answer.json()["code"] == "registry_permit_not_active"
    assert answer.json()["arguments"] == {"account": world.operator.address, "state": int(PermitState.SUSPENDED)}
    assert world.queries.participant(wallet).registered is False
