"""The registry schemas (api.schemas.registry): what the regulator and operators send is bounded as
the registry keeps it (uint64 times, 32-byte hashes, legal details within their lengths, a notice
within 200,000 characters, a uint32 notice version from 1) and refuses unknown fields; the SDK's
values are shown field for field, bytes as 0x-hex and enums by name, with an operator's details
null until recorded, a participant's operator null while unset, and a public wallet listing that
never says who the person is."""

from __future__ import annotations

from typing import Any

import pytest
from gateway_support import refused_at

from api.schemas.registry import (
    Acknowledgement,
    AssetType,
    AssetTypeListing,
    Issuer,
    IssuerRegistration,
    Operator,
    OperatorDetailsRecord,
    Participant,
    ParticipantRegistration,
    Permit,
    PermitGrant,
    RegisteredWallet,
    RiskNotice,
    RiskNoticePublication,
)
from sdap.types import AssetCategory, IssuerStatus, ParticipantStatus, PermitState, PermitStatus
from sdap.types import AssetType as AssetTypeValue
from sdap.types import Issuer as IssuerValue
from sdap.types import Operator as OperatorValue
from sdap.types import OperatorDetails as OperatorDetailsValue
from sdap.types import Participant as ParticipantValue
from sdap.types import Permit as PermitValue
from sdap.types import RiskNotice as RiskNoticeValue

WALLET = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
OPERATOR = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"
ZERO = "0x" + "00" * 20
HASH = "0x" + "ab" * 32
SIGNATURE = "0x" + "1b" * 65


def details(**changes: Any) -> dict[str, Any]:
    body = {"legal_name": "Qazaq Grain LLP", "business_id": "210240012345", "jurisdiction": "KZ"}
    return {**body, "details_hash": HASH, "wallet": WALLET, **changes}


def test_a_permit_grant_is_bounded_by_uint64_times_and_round_trips() -> None:
    grant = {"operator": OPERATOR.lower(), "valid_from": 0, "valid_until": 2**64 - 1, "document_hash": HASH}
    body = PermitGrant.model_validate(grant)
    assert body.operator == OPERATOR
    assert PermitGrant.model_validate_json(body.model_dump_json()) == body
    assert refused_at(PermitGrant, {**grant, "valid_until": 2**64}) == {("valid_until",)}
    assert refused_at(PermitGrant, {**grant, "valid_from": -1}) == {("valid_from",)}
    assert refused_at(PermitGrant, {**grant, "document_hash": "0x" + "ab" * 31}) == {("document_hash",)}
    assert refused_at(PermitGrant, {**grant, "status": "granted"}) == {("status",)}


@pytest.mark.parametrize(
    ("field", "low", "high"), [("legal_name", 1, 500), ("business_id", 1, 100), ("jurisdiction", 2, 100)]
)
def test_legal_details_are_taken_at_their_lengths_and_refused_just_past_them(field: str, low: int, high: int) -> None:
    for model in (IssuerRegistration, OperatorDetailsRecord):
        body = details() if model is IssuerRegistration else {k: v for k, v in details().items() if k != "wallet"}
        for length in (low, high):
            assert getattr(model.model_validate({**body, field: "x" * length}), field) == "x" * length
        for length in (low - 1, high + 1):
            assert refused_at(model, {**body, field: "x" * length}) == {(field,)}


def test_an_issuer_is_registered_to_a_wallet() -> None:
    assert IssuerRegistration.model_validate(details(wallet=WALLET.lower())).wallet == WALLET
    assert refused_at(IssuerRegistration, {k: v for k, v in details().items() if k != "wallet"}) == {("wallet",)}
    # The operator's record names no wallet: it is the route's.
    assert refused_at(OperatorDetailsRecord, details()) == {("wallet",)}


def test_the_sdks_permit_and_issuer_are_shown_by_name_and_hex() -> None:
    permit = PermitValue(OPERATOR, PermitStatus.SUSPENDED, 10, 20, b"\x01" * 32)
    assert Permit.of(permit, PermitState.SUSPENDED).model_dump() == {
        "operator": OPERATOR,
        "status": "suspended",
        "state": "suspended",
        "valid_from": 10,
        "valid_until": 20,
        "document_hash": "0x" + "01" * 32,
    }
    issuer = IssuerValue(WALLET, IssuerStatus.ACTIVE, "Qazaq Grain LLP", "210240012345", "KZ", b"\xfe" * 32)
    shown = Issuer.of(issuer)
    assert (shown.status, shown.details_hash, shown.legal_name) == ("active", "0x" + "fe" * 32, "Qazaq Grain LLP")


def test_an_operators_details_are_null_until_recorded() -> None:
    permit = PermitValue(OPERATOR, PermitStatus.GRANTED, 0, 2**40, b"\x00" * 32)
    none = OperatorDetailsValue("", "", "", b"\x00" * 32)
    unrecorded = Operator.of(OperatorValue(OPERATOR, permit, PermitState.ACTIVE, none))
    assert unrecorded.details is None and unrecorded.permit.state == "active"
    recorded = OperatorDetailsValue("Operator JSC", "123", "KZ", b"\x02" * 32)
    shown = Operator.of(OperatorValue(OPERATOR, permit, PermitState.NOT_YET_VALID, recorded))
    assert shown.details is not None and shown.details.details_hash == "0x" + "02" * 32
    assert shown.permit.state == "not_yet_valid"


def test_a_participants_operator_is_null_while_unset_and_a_public_listing_says_nothing_of_its_identity() -> None:
    value = ParticipantValue(WALLET, True, False, 2**40, 1, b"\x03" * 32, ZERO)
    shown = Participant.of(value, ParticipantStatus.ELIGIBLE, None)
    assert (shown.operator, shown.identity_ref, shown.status) == (None, "0x" + "03" * 32, "eligible")
    identified = ParticipantValue(WALLET, True, True, 2**40, 1, b"\x03" * 32, OPERATOR)
    assert Participant.of(identified, ParticipantStatus.FROZEN, OPERATOR).operator == OPERATOR
    listed = RegisteredWallet.of(identified, ParticipantStatus.FROZEN)
    assert listed.model_dump() == {"wallet": WALLET, "registered": True, "frozen": True, "status": "frozen"}


def test_a_participants_registration_and_an_asset_type_listing_are_bounded() -> None:
    registration = {"wallet": WALLET, "identity_ref": HASH, "identity_expiry": 2**64 - 1}
    assert ParticipantRegistration.model_validate(registration).identity_expiry == 2**64 - 1
    assert refused_at(ParticipantRegistration, {**registration, "identity_expiry": 2**64}) == {("identity_expiry",)}
    assert AssetTypeListing(name="x" * 200, category="goods").name == "x" * 200
    assert refused_at(AssetTypeListing, {"name": "x" * 201, "category": "goods"}) == {("name",)}
    assert refused_at(AssetTypeListing, {"name": "", "category": "goods"}) == {("name",)}
    shown = AssetType.of(AssetTypeValue(4, AssetCategory.INTELLECTUAL_PROPERTY, False, "Patents"))
    assert shown.model_dump() == {"type_id": 4, "name": "Patents", "category": "intellectual_property", "listed": False}


def test_a_notice_is_bounded_and_shown_verified_only_with_its_text() -> None:
    assert len(RiskNoticePublication(text="x" * 200_000).text) == 200_000
    assert refused_at(RiskNoticePublication, {"text": "x" * 200_001}) == {("text",)}
    assert refused_at(RiskNoticePublication, {"text": ""}) == {("text",)}
    notice = RiskNoticeValue(2, b"\x04" * 32, 1_700_000_000, "https://gateway.example/v1/notices/2")
    assert RiskNotice.of(notice, "Risks.").text_verified is True
    unfetched = RiskNotice.of(notice, None)
    assert (unfetched.text, unfetched.text_verified, unfetched.content_hash) == (None, False, "0x" + "04" * 32)


def test_an_acknowledgement_names_a_uint32_version_from_one() -> None:
    signed = {"version": 1, "deadline": 2**64 - 1, "signature": SIGNATURE}
    assert Acknowledgement.model_validate(signed).deadline == 2**64 - 1
    assert Acknowledgement.model_validate({**signed, "version": 2**32 - 1}).version == 2**32 - 1
    for version in (0, 2**32):
        assert refused_at(Acknowledgement, {**signed, "version": version}) == {("version",)}
    assert refused_at(Acknowledgement, {**signed, "deadline": 2**64}) == {("deadline",)}
    assert refused_at(Acknowledgement, {**signed, "signature": SIGNATURE + "1b"}) == {("signature",)}
    assert refused_at(Acknowledgement, {**signed, "wallet": WALLET}) == {("wallet",)}
