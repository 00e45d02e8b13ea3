"""Issuances through the gateway: creation from a published decision, attestations, details, and
minting with the contract's own checks first, each refusal with its own code."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from eth_account.signers.local import LocalAccount
from gateway_support import ROLES, Api, Documents, hx, issuance_body
from sqlalchemy import select
from world import YEAR, World, advance, chain_time, h

from api.auth import create_api_key
from api.db.schema import transactions
from sdap.contract_errors import SecuredAssetCollateralInsufficientError, SecuredAssetParticipantNotEligibleError
from sdap.types import NO_ATTESTATION, CollateralAttestation, Role


def test_create_issuance_fetches_and_hashes_the_decision(api: Api, world: World, documents: Documents) -> None:
    body = issuance_body(world, documents)
    created = api.post("/v1/issuances", "operator", body)
    assert created.status_code == 201, created.text
    issuance_id = created.json()["id"]
    assert issuance_id == world.issuance + 1
    on_chain = world.queries.issuance(issuance_id)
    assert hx(on_chain.decision_hash) == body["decision_hash"] and on_chain.decision_uri == body["decision_uri"]
    assert on_chain.operator == api.gateway.chain.operator_address


def test_an_issuer_may_post_its_own_issuance_only(api: Api, world: World, documents: Documents) -> None:
    assert api.post("/v1/issuances", "issuer", issuance_body(world, documents)).status_code == 201
    other = issuance_body(world, documents, issuer=world.holders[0].address)
    answer = api.post("/v1/issuances", "issuer", other)
    assert answer.status_code == 403 and answer.json()["code"] == "not_issuance_issuer"


def test_create_issuance_refuses_a_decision_that_does_not_match(api: Api, world: World, documents: Documents) -> None:
    body = issuance_body(world, documents, decision_hash=hx(hashlib.sha256(b"another text").digest()))
    answer = api.post("/v1/issuances", "operator", body)
    assert answer.status_code == 422
    problem = answer.json()
    assert problem["code"] == "decision_hash_mismatch"
    assert problem["expected"] == body["decision_hash"]
    assert answer.headers["content-type"] == "application/problem+json"
    assert world.queries.issuance_count() == world.issuance  # nothing was posted


def test_create_issuance_refuses_an_unpublished_decision(api: Api, world: World, documents: Documents) -> None:
    body = issuance_body(world, documents, decision_uri=documents.base + "/nowhere.pdf")
    answer = api.post("/v1/issuances", "operator", body)
    assert answer.status_code == 422 and answer.json()["code"] == "decision_unavailable"
    # Not an http(s) URL: the schema says so, before the gateway would try.
    body = issuance_body(world, documents, decision_uri="file:///etc/passwd")
    assert api.post("/v1/issuances", "operator", body).json()["code"] == "validation_failed"


def test_decisions_on_private_addresses_are_refused_unless_allowed(
    world: World, make_api: Any, documents: Documents
) -> None:
    world.platform.resync_nonces()
    api = make_api(decision_allow_private=False)
    answer = api.post("/v1/issuances", "operator", issuance_body(world, documents))
    assert answer.status_code == 422 and answer.json()["code"] == "decision_uri_not_allowed"


def test_contract_refusals_carry_the_error_name_as_code(api: Api, world: World, documents: Documents) -> None:
    answer = api.post("/v1/issuances", "operator", issuance_body(world, documents, asset_type=99))
    assert answer.status_code == 409
    problem = answer.json()
    assert problem["code"] == "secured_asset_asset_type_not_listed"
    assert problem["error"] == "SecuredAsset_AssetTypeNotListed" and problem["arguments"] == {"asset_type": 99}


def test_issuance_details(api: Api, world: World) -> None:
    answer = api.get(f"/v1/issuances/{world.issuance}")
    assert answer.status_code == 200, answer.text
    details = answer.json()
    assert details["total_supply"] == 100 and details["covered_units"] == 500 and details["max_supply"] == 1000
    assert details["decision_hash"] == hx(h("decision")) and details["evidence_hash"] == hx(h("evidence"))
    assert [a["attestation_id"] for a in details["attestations"]] == [hx(world.attestation)]
    assert details["attestations"][0]["verifier"] == world.verifier.address
    assert details["holders"] == [{"holder": world.a.address, "balance": 100}]
    assert api.get("/v1/issuances/99").json()["code"] == "issuance_not_found"
    assert [i["id"] for i in api.get("/v1/issuances").json()] == [world.issuance]


def attestation_body(world: World, attestation: CollateralAttestation) -> dict[str, Any]:
    """What a verifier hands over to be attached: the attestation it signed and the signature."""
    signed = world.verifier.sign_attestation(attestation)
    body = {
        "owner": attestation.owner,
        "collateral_ref": hx(attestation.collateral_ref),
        "value": attestation.value,
        "units": attestation.units,
        "valid_until": attestation.valid_until,
        "nonce": attestation.nonce,
        "signature": hx(signed.signature),
    }
    if attestation.supersedes != NO_ATTESTATION:
        body["supersedes"] = hx(attestation.supersedes)
    return body


def test_attach_attestation_signed_by_the_verifier(api: Api, world: World) -> None:
    attestation = world.verifier.attestation(world.issuance, world.issuer.address, h("silo 9"), 10, 200, 2**40)
    signed = world.verifier.sign_attestation(attestation)
    body = attestation_body(world, attestation)
    answer = api.post(f"/v1/issuances/{world.issuance}/attestations", "verifier", body)
    assert answer.status_code == 201, answer.text
    assert answer.json()["attestation_id"] == hx(signed.digest)
    assert world.queries.covered_units(world.issuance) == 700
    forged = {**body, "nonce": body["nonce"] + 1}
    refused = api.post(f"/v1/issuances/{world.issuance}/attestations", "operator", forged)
    assert refused.status_code == 409 and refused.json()["code"].startswith("collateral_")


def test_a_collateral_is_pledged_once_and_renewed_explicitly(api: Api, world: World) -> None:
    """World's attestation pledges a warehouse receipt: a second one for it is refused with the
    live one named; a renewal names it in `supersedes`, and the old one stops counting at once."""
    path = f"/v1/issuances/{world.issuance}/attestations"
    until = chain_time(world.w3) + 2 * YEAR
    receipt = world.queries.attestation(world.attestation).collateral_ref

    def of_the_receipt(units: int, supersedes: bytes | None = None) -> dict[str, Any]:
        attestation = world.verifier.attestation(
            world.issuance, world.issuer.address, receipt, 1, units, until, supersedes=supersedes
        )
        return attestation_body(world, attestation)

    twice = api.post(path, "verifier", of_the_receipt(500))
    assert twice.status_code == 409, twice.text
    problem = twice.json()
    assert problem["code"] == "collateral_already_pledged"
    assert problem["arguments"]["live_attestation_id"] == hx(world.attestation)
    wrong = api.post(path, "verifier", of_the_receipt(500, supersedes=h("no such attestation")))
    assert wrong.status_code == 409 and wrong.json()["code"] == "collateral_not_current_pledge"

    renewed = api.post(path, "verifier", of_the_receipt(600, supersedes=world.attestation))
    assert renewed.status_code == 201, renewed.text
    renewal = renewed.json()["attestation_id"]
    old = api.get(f"/v1/attestations/{hx(world.attestation)}").json()
    assert (old["status"], old["superseded_by"], old["issuance_id"]) == ("superseded", renewal, world.issuance)
    details = api.get(f"/v1/issuances/{world.issuance}").json()
    assert [(a["attestation_id"], a["status"]) for a in details["attestations"]] == [(renewal, "live")]
    assert details["covered_units"] == 600 and details["coverage"]["covered"] == 600  # counted once


def test_a_renewal_is_for_the_same_issuance(api: Api, world: World, documents: Documents) -> None:
    other = api.post("/v1/issuances", "operator", issuance_body(world, documents)).json()["id"]
    receipt = world.queries.attestation(world.attestation).collateral_ref
    attestation = world.verifier.attestation(
        other, world.issuer.address, receipt, 1, 10, 2**40, supersedes=world.attestation
    )
    answer = api.post(f"/v1/issuances/{other}/attestations", "verifier", attestation_body(world, attestation))
    assert answer.status_code == 409 and answer.json()["code"] == "collateral_supersedes_other_issuance"


# --- coverage --------------------------------------------------------------------------------


def test_coverage_is_public_and_follows_the_collateral(api: Api, world: World) -> None:
    record = world.queries.attestation(world.attestation)
    coverage = api.get(f"/v1/issuances/{world.issuance}/coverage")
    assert coverage.status_code == 200, coverage.text
    assert coverage.json() == {
        "issuance_id": world.issuance,
        "covered": 500,
        "supply": 100,
        "covered_until": record.valid_until,
        "undercollateralised": False,
    }
    details = api.get(f"/v1/issuances/{world.issuance}").json()
    assert details["covered_until"] == record.valid_until and details["coverage"] == coverage.json()
    assert details["attestations"][0]["status"] == "live" and details["attestations"][0]["accreditation"] > 0

    world.platform.resync_nonces()
    world.regulator.revoke_attestation(world.attestation, h("the elevator burnt down"))
    lapsed = api.get(f"/v1/issuances/{world.issuance}/coverage").json()
    assert (lapsed["covered"], lapsed["covered_until"], lapsed["undercollateralised"]) == (0, 0, True)
    details = api.get(f"/v1/issuances/{world.issuance}").json()
    assert details["covered_until"] == 0  # the revocation recorded it at once
    assert details["attestations"][0]["status"] == "revoked"
    assert api.get("/v1/issuances").json()[0]["undercollateralised"] is True
    assert api.get("/v1/issuances/99/coverage").json()["code"] == "issuance_not_found"


def test_any_role_may_have_the_coverage_recorded(api: Api, world: World) -> None:
    """A withdrawn verifier's attestations stop counting at once, but the issuance's record shows it
    only once counted again: a sync (any signed-in caller; the gateway's operator sends it) records
    it, and a retry with the same key sends nothing more."""
    world.platform.resync_nonces()
    world.regulator.revoke_role(Role.VERIFIER, world.verifier.address)
    assert api.get(f"/v1/issuances/{world.issuance}").json()["covered_until"] > 0  # recorded before the withdrawal
    holder = world.accounts[6]
    path = f"/v1/issuances/{world.issuance}/coverage/sync"
    answer = api.post(path, holder, key="sync-1")
    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "issuance_id": world.issuance,
        "covered": 0,
        "supply": 100,
        "covered_until": 0,
        "undercollateralised": True,
    }
    assert world.queries.issuance(world.issuance).covered_until == 0
    synced = world.platform.contracts.asset.events.CoverageSynced.get_logs(from_block=0)
    replay = api.post(path, holder, key="sync-1")
    assert replay.status_code == 200 and replay.headers["Idempotent-Replayed"] == "true"
    assert len(world.platform.contracts.asset.events.CoverageSynced.get_logs(from_block=0)) == len(synced)
    for role in ("auditor", "issuer", "compliance"):
        assert api.post(path, role).status_code == 200
    assert api.post("/v1/issuances/99/coverage/sync", "operator").json()["code"] == "issuance_not_found"


# --- pauses ----------------------------------------------------------------------------------


def test_a_pause_goes_through_the_key_of_who_asks(api: Api, world: World) -> None:
    """The operator's pause the operator lifts; the regulator may take it over, and then only the
    regulator lifts it."""
    path = f"/v1/issuances/{world.issuance}"

    def state() -> tuple[bool, bool]:
        details = api.get(path).json()
        return details["paused"], details["paused_by_regulator"]

    assert api.post(f"{path}/pause", "operator").status_code == 200
    assert state() == (True, False)
    assert api.post(f"{path}/unpause", "operator").status_code == 200
    assert state() == (False, False)
    assert api.post(f"{path}/pause", "operator").status_code == 200
    assert api.post(f"{path}/pause", "regulator").status_code == 200  # taken over
    assert state() == (True, True)
    summary = api.get("/v1/issuances").json()[0]
    assert summary["paused"] and summary["paused_by_regulator"]
    refused = api.post(f"{path}/unpause", "operator")
    assert refused.status_code == 409 and refused.json()["code"] == "secured_asset_paused_by_regulator"
    assert refused.json()["arguments"] == {"id": world.issuance}
    assert api.post(f"{path}/unpause", "regulator").status_code == 200
    assert state() == (False, False)
    assert api.post("/v1/issuances/99/pause", "regulator").json()["code"] == "issuance_not_found"


def test_a_supervisor_pauses_and_lifts_pauses_as_the_regulator(api: Api, world: World) -> None:
    """A supervisor's pause is the regulator's (an operator cannot lift it; a supervisor or the
    regulator can), the regulator's own only the regulator lifts (the chain decides); its key does
    nothing else of the regulator's. Without the role the chain refuses it."""
    path = f"/v1/issuances/{world.issuance}"
    supervisor = api.accounts[ROLES["supervisor"]].address
    refused = api.post(f"{path}/pause", "supervisor")
    assert refused.status_code == 409 and refused.json()["code"] == "secured_asset_not_issuance_operator"
    world.regulator.grant_role(Role.SUPERVISOR, supervisor)

    assert api.post(f"{path}/pause", "supervisor").status_code == 200
    details = api.get(path).json()
    assert details["paused"] and details["paused_by_regulator"]
    assert api.post(f"{path}/unpause", "operator").json()["code"] == "secured_asset_paused_by_regulator"
    assert api.post(f"{path}/unpause", "supervisor").status_code == 200
    assert api.post(f"{path}/pause", "supervisor").status_code == 200
    assert api.post(f"{path}/unpause", "regulator").status_code == 200
    assert api.post(f"{path}/pause", "regulator").status_code == 200
    assert api.post(f"{path}/unpause", "supervisor").json()["code"] == "secured_asset_paused_by_regulator"
    assert api.post(f"{path}/unpause", "regulator").status_code == 200
    assert not api.get(path).json()["paused"]
    assert api.post("/v1/permits", "supervisor", {}).json()["code"] == "forbidden"


# --- mint ------------------------------------------------------------------------------------


def mint(api: Api, world: World, to: str, amount: int, who: str = "issuer") -> Any:
    return api.post(f"/v1/issuances/{world.issuance}/mint", who, {"to": to, "amount": amount})


def test_mint(api: Api, world: World) -> None:
    answer = mint(api, world, world.b.address, 50)
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["amount"] == 50 and body["to"] == world.b.address and body["tx_hash"].startswith("0x")
    assert world.queries.balance_of(world.b.address, world.issuance) == 50


def test_mint_is_for_the_issuer_of_the_issuance(api: Api, world: World, accounts: list[LocalAccount]) -> None:
    other = create_api_key(api.gateway.db, "issuer", accounts[9].address).token
    answer = api.client.post(
        f"/v1/issuances/{world.issuance}/mint", json={"to": world.b.address, "amount": 1}, headers={"X-API-Key": other}
    )
    assert answer.status_code == 403 and answer.json()["code"] == "not_issuance_issuer"
    assert mint(api, world, world.b.address, 1, who="operator").status_code == 403  # the operator is not the issuer


def test_mint_refusals_each_have_their_code(api: Api, world: World, accounts: list[LocalAccount]) -> None:
    def code(to: str, amount: int) -> str:
        answer = mint(api, world, to, amount)
        assert answer.status_code == 409, answer.text
        return str(answer.json()["code"])

    stranger = accounts[15].address
    assert code(stranger, 1) == "recipient_not_registered"
    assert code(world.b.address, 1000) == "max_supply_exceeded"
    assert code(world.b.address, 401) == "collateral_insufficient"
    assert (
        api.post(f"/v1/participants/{world.c.address}/freeze", "compliance", {"reason_hash": hx(h("aml"))}).status_code
        == 200
    )
    assert code(world.c.address, 1) == "recipient_frozen"
    notice = api.post("/v1/risk-notices", "regulator", {"text": "Risks, second version."})
    assert notice.status_code == 201, notice.text
    assert code(world.b.address, 1) == "recipient_notice_not_acknowledged"
    assert (
        api.post(
            f"/v1/permits/{world.operator.address}/suspension", "regulator", {"reason_hash": hx(h("audit"))}
        ).status_code
        == 200
    )
    answer = mint(api, world, world.b.address, 1)
    assert answer.json()["code"] == "permit_suspended" and answer.json()["permit_state"] == "suspended"
    assert world.queries.total_supply(world.issuance) == 100  # nothing was minted


def test_mint_refused_when_the_permit_expired(api: Api, world: World) -> None:
    advance(world.w3, YEAR + 1)
    answer = mint(api, world, world.b.address, 1)
    assert answer.status_code == 409 and answer.json()["code"] == "permit_expired"


def test_mint_of_an_issuance_of_another_operator_is_refused(api: Api, world: World) -> None:
    answer = api.post("/v1/issuances/42/mint", "issuer", {"to": world.b.address, "amount": 1})
    assert answer.status_code == 404 and answer.json()["code"] == "issuance_not_found"


def test_bypassing_the_gateway_does_not_bypass_the_rules(api: Api, world: World, accounts: list[LocalAccount]) -> None:
    """The same refusals, sent straight to the chain by the operator's key: through the SDK (which
    simulates first) and as a raw signed transaction with a fixed gas limit (nothing simulated):
    the contract refuses both, and nothing is minted."""
    stranger = accounts[15].address
    assert mint(api, world, stranger, 1).json()["code"] == "recipient_not_registered"
    assert mint(api, world, world.b.address, 401).json()["code"] == "collateral_insufficient"
    world.platform.resync_nonces()
    with pytest.raises(SecuredAssetParticipantNotEligibleError):
        world.operator.mint(world.issuance, stranger, 1)
    with pytest.raises(SecuredAssetCollateralInsufficientError):
        world.operator.mint(world.issuance, world.b.address, 401)
    w3 = world.w3
    operator = accounts[2]
    for to, amount in ((stranger, 1), (world.b.address, 401)):
        data = world.platform.contracts.asset.functions.mint(world.issuance, to, amount)._encode_transaction_data()
        tx = {
            "to": world.platform.deployment.asset,
            "data": data,
            "gas": 500_000,
            "maxFeePerGas": 10**10,
            "maxPriorityFeePerGas": 1,
            "nonce": w3.eth.get_transaction_count(operator.address, "pending"),
            "chainId": w3.eth.chain_id,
            "value": 0,
        }
        tx_hash = w3.eth.send_raw_transaction(operator.sign_transaction(tx).raw_transaction)
        assert w3.eth.wait_for_transaction_receipt(tx_hash)["status"] == 0
    assert world.queries.total_supply(world.issuance) == 100
    assert world.queries.balance_of(stranger, world.issuance) == 0


def test_a_mint_the_state_moved_under_is_refused_by_the_contract(
    api: Api, world: World, accounts: list[LocalAccount], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between the gateway's `checkMint` and its transaction the state may move: the contract
    refuses, and the refusal comes back decoded, its transaction journaled as reverted."""

    class Passes:
        """`checkMint` as it answered a moment earlier: no objection."""

        def __init__(self, codec: Any) -> None:
            self.call = codec.call

        def decode(self, data: bytes) -> tuple[int]:
            return (0,)

    issuances = api.gateway.issuances
    monkeypatch.setattr(issuances, "_check_mint", Passes(issuances._check_mint))
    answer = api.post(
        f"/v1/issuances/{world.issuance}/mint", "issuer", {"to": accounts[15].address, "amount": 1}, key="moved"
    )
    assert answer.status_code == 409, answer.text
    assert answer.json()["code"] == "secured_asset_participant_not_eligible"
    with api.gateway.db.read() as conn:
        assert list(conn.scalars(select(transactions.c.state))) == ["reverted"]
    assert world.queries.balance_of(accounts[15].address, world.issuance) == 0
