"""The sign-in, health and decision-watch schemas (api.schemas.misc): a sign-in is a bounded
EIP-4361 message with a 65-byte signature and nothing else; health answers only `ok`; readiness
and a decision check state every field, null where nothing is known, and a check's status is one
of the three the watch names."""

from __future__ import annotations

import pytest
from gateway_support import refused_at

from api.schemas.misc import DecisionCheck, DecisionReport, Health, Nonce, Readiness, SessionOut, SignIn

OPERATOR = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"
SIGNATURE = "0x" + "1b" * 65


def test_a_sign_in_message_is_kept_exactly_and_bounded_in_length() -> None:
    message = "example.com wants you to sign in with your Ethereum account:\n" + OPERATOR + "\n\n"
    assert SignIn(message=message, signature=SIGNATURE).message == message  # not stripped: it is what was signed
    assert SignIn(message="x" * 4000, signature=SIGNATURE).message == "x" * 4000
    assert refused_at(SignIn, {"message": "x" * 4001, "signature": SIGNATURE}) == {("message",)}
    assert refused_at(SignIn, {"message": "", "signature": SIGNATURE}) == {("message",)}


@pytest.mark.parametrize("signature", [SIGNATURE[:-2], SIGNATURE + "00", SIGNATURE[2:] + "00", "0x" + "zz" * 65])
def test_a_sign_in_signature_is_65_bytes_of_hex(signature: str) -> None:
    assert refused_at(SignIn, {"message": "m", "signature": signature}) == {("signature",)}


def test_a_sign_in_refuses_unknown_fields() -> None:
    assert refused_at(SignIn, {"message": "m", "signature": SIGNATURE, "address": OPERATOR}) == {("address",)}


def test_health_answers_only_ok() -> None:
    assert Health(status="ok").model_dump() == {"status": "ok"}
    assert refused_at(Health, {"status": "degraded"}) == {("status",)}


def test_readiness_states_every_field_null_where_unknown() -> None:
    down = {
        "ready": False,
        "chain_reachable": False,
        "deployment_found": False,
        "signer_unlocked": False,
        "database": True,
        "chain_id": None,
        "block_number": None,
        "operator": OPERATOR.lower(),
        "detail": "the node does not answer",
    }
    answered = Readiness.model_validate(down)
    assert answered.operator == OPERATOR
    assert Readiness.model_validate_json(answered.model_dump_json()) == answered
    # Null is an answer; a missing field is not.
    assert refused_at(Readiness, {k: v for k, v in down.items() if k != "chain_id"}) == {("chain_id",)}


def test_a_decision_check_is_ok_unavailable_or_changed() -> None:
    check = {
        "issuance_id": 1,
        "decision_uri": "https://issuer.example/d.pdf",
        "decision_hash": "0x" + "AA" * 32,
        "found_hash": None,
        "detail": None,
    }
    for status in ("ok", "unavailable", "changed"):
        assert DecisionCheck.model_validate({**check, "status": status}).status == status
    assert refused_at(DecisionCheck, {**check, "status": "stale"}) == {("status",)}
    changed = DecisionCheck.model_validate({**check, "status": "changed", "found_hash": "0x" + "BB" * 32})
    assert (changed.decision_hash, changed.found_hash) == ("0x" + "aa" * 32, "0x" + "bb" * 32)
    never = DecisionReport(checked_at=None, block_number=None, ok=True, issuances=[])
    assert never.model_dump() == {"checked_at": None, "block_number": None, "ok": True, "issuances": []}


def test_a_nonce_has_no_message_unless_one_was_made_and_a_session_names_its_address_checksummed() -> None:
    assert Nonce(nonce="abc", expires_at=1).message is None
    assert SessionOut(token="t", address=OPERATOR.lower(), expires_at=1).address == OPERATOR
