"""The issuance schemas (api.schemas.issuances): an issuance's terms are bounded as the asset keeps
them (a uint32 asset type from 1, units within MAX_UNITS, a described unit, a decision URI the
gateway can fetch) and turn into the SDK's parameters and consent byte for byte; a consent's nonce
key fits its 192 bits; a succession names its issuances one way, each once, at most
SUCCESSION_LIMIT of them; a coverage is the SDK's, field for field."""

from __future__ import annotations

from typing import Any

import pytest
from gateway_support import refused_at
from pydantic import ValidationError

from api.schemas.issuances import (
    SUCCESSION_LIMIT,
    AttestationSubmission,
    ConsentTerms,
    Coverage,
    IssuanceCreation,
    IssuanceSuccession,
    IssuanceTerms,
    MintRequest,
)
from sdap.types import MAX_UNITS, IssuanceParams, IssuerConsent
from sdap.types import Coverage as CoverageValue

ISSUER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
OPERATOR = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"
URI = "https://issuer.example/decisions/2026-001.pdf"
SIGNATURE = "0x" + "1c" * 65


def terms(**changes: Any) -> dict[str, Any]:
    body = {"issuer": ISSUER, "asset_type": 1, "decision_uri": URI, "unit_description": "one tonne of wheat"}
    hashes = {"decision_hash": "0x" + "11" * 32, "evidence_hash": "0x" + "22" * 32}
    return {**body, **hashes, "max_supply": 1_000, **changes}


def creation(**changes: Any) -> dict[str, Any]:
    return {**terms(), "consent": {"nonce": 0, "deadline": 2**40, "signature": SIGNATURE}, **changes}


def succession(**changes: Any) -> dict[str, Any]:
    return {"successor": OPERATOR, "order_hash": "0x" + "33" * 32, **changes}


def test_the_terms_become_the_sdks_parameters_byte_for_byte() -> None:
    body = IssuanceCreation.model_validate(creation(issuer=ISSUER.lower(), decision_hash="0x" + "AA" * 32))
    assert body.params() == IssuanceParams(
        issuer=ISSUER,
        asset_type=1,
        decision_hash=b"\xaa" * 32,
        decision_uri=URI,
        evidence_hash=b"\x22" * 32,
        unit_description="one tonne of wheat",
        max_supply=1_000,
    )
    assert body.issuer_consent() == IssuerConsent(nonce=0, deadline=2**40, signature=b"\x1c" * 65)
    assert IssuanceCreation.model_validate_json(body.model_dump_json()) == body


@pytest.mark.parametrize(("field", "low", "high"), [("asset_type", 1, 2**32 - 1), ("max_supply", 1, MAX_UNITS)])
def test_a_number_of_the_terms_is_taken_at_its_bounds_and_refused_just_past_them(
    field: str, low: int, high: int
) -> None:
    for value in (low, high):
        assert getattr(IssuanceTerms.model_validate(terms(**{field: value})), field) == value
    for value in (low - 1, high + 1):
        assert refused_at(IssuanceTerms, terms(**{field: value})) == {(field,)}


def test_the_unit_description_and_the_decision_uri_are_bounded_in_length() -> None:
    assert IssuanceTerms.model_validate(terms(unit_description="x" * 2000)).unit_description == "x" * 2000
    assert refused_at(IssuanceTerms, terms(unit_description="x" * 2001)) == {("unit_description",)}
    assert refused_at(IssuanceTerms, terms(unit_description="")) == {("unit_description",)}
    longest = "https://issuer.example/" + "d" * (2000 - len("https://issuer.example/"))
    assert IssuanceTerms.model_validate(terms(decision_uri=longest)).decision_uri == longest
    assert refused_at(IssuanceTerms, terms(decision_uri=longest + "d")) == {("decision_uri",)}
    assert IssuanceTerms.model_validate(terms(decision_uri="http://a")).decision_uri == "http://a"  # 8, the least


@pytest.mark.parametrize(
    "uri", ["https://user@issuer.example/d.pdf", "https://issuer.example:443@evil.example/", "ftp://issuer.example/d"]
)
def test_a_decision_uri_names_its_host_plainly(uri: str) -> None:
    # Credentials before the host would let a URI read as one host and be fetched from another.
    assert refused_at(IssuanceTerms, terms(decision_uri=uri)) == {("decision_uri",)}


def test_a_consent_is_bounded_and_refuses_unknown_fields_inside_the_creation() -> None:
    top = {"nonce": 2**256 - 1, "deadline": 2**64 - 1, "signature": SIGNATURE}
    assert IssuanceCreation.model_validate(creation(consent=top)).issuer_consent().nonce == 2**256 - 1
    assert refused_at(IssuanceCreation, creation(consent={**top, "nonce": 2**256})) == {("consent", "nonce")}
    assert refused_at(IssuanceCreation, creation(consent={**top, "deadline": 2**64})) == {("consent", "deadline")}
    assert refused_at(IssuanceCreation, creation(consent={**top, "operator": OPERATOR})) == {("consent", "operator")}
    body = creation()
    del body["consent"]
    assert refused_at(IssuanceCreation, body) == {("consent",)}


def test_a_consents_nonce_key_fits_192_bits_and_its_deadline_may_be_left_to_the_gateway() -> None:
    asked = ConsentTerms.model_validate(terms())
    assert (asked.key, asked.deadline) == (0, None)
    assert ConsentTerms.model_validate(terms(key=2**192 - 1)).key == 2**192 - 1
    assert refused_at(ConsentTerms, terms(key=2**192)) == {("key",)}
    assert refused_at(ConsentTerms, terms(key=-1)) == {("key",)}


def test_a_succession_names_its_issuances_by_ids_or_by_operator_each_once() -> None:
    assert IssuanceSuccession.model_validate(succession(ids=[1, 2])).ids == [1, 2]
    assert IssuanceSuccession.model_validate(succession(all_of=ISSUER.lower())).all_of == ISSUER
    with pytest.raises(ValidationError, match="not both"):
        IssuanceSuccession.model_validate(succession())
    with pytest.raises(ValidationError, match="not both"):
        IssuanceSuccession.model_validate(succession(ids=[1], all_of=ISSUER))
    with pytest.raises(ValidationError, match="named twice"):
        IssuanceSuccession.model_validate(succession(ids=[1, 2, 1]))
    assert refused_at(IssuanceSuccession, succession(ids=[0])) == {("ids", 0)}


def test_a_succession_names_at_most_its_limit_of_issuances() -> None:
    at_limit = list(range(1, SUCCESSION_LIMIT + 1))
    assert len(IssuanceSuccession.model_validate(succession(ids=at_limit)).ids or []) == SUCCESSION_LIMIT
    assert refused_at(IssuanceSuccession, succession(ids=[*at_limit, SUCCESSION_LIMIT + 1])) == {("ids",)}
    assert refused_at(IssuanceSuccession, succession(ids=[])) == {("ids",)}


def test_an_attestation_renews_nothing_unless_it_names_what_it_supersedes() -> None:
    signed = {
        "owner": ISSUER,
        "collateral_ref": "0x" + "44" * 32,
        "value": 10**24,
        "units": 500,
        "valid_until": 2**64 - 1,
        "nonce": 1,
        "signature": SIGNATURE,
    }
    assert AttestationSubmission.model_validate(signed).supersedes is None
    renewal = AttestationSubmission.model_validate({**signed, "supersedes": "0x" + "55" * 32})
    assert renewal.supersedes == "0x" + "55" * 32
    assert refused_at(AttestationSubmission, {**signed, "valid_until": 2**64}) == {("valid_until",)}
    assert refused_at(AttestationSubmission, {**signed, "supersedes": "0x55"}) == {("supersedes",)}


def test_a_mint_is_of_at_least_one_unit_to_an_address() -> None:
    assert MintRequest(to=ISSUER.lower(), amount=MAX_UNITS).to == ISSUER
    assert refused_at(MintRequest, {"to": ISSUER, "amount": 0}) == {("amount",)}
    assert refused_at(MintRequest, {"to": ISSUER, "amount": MAX_UNITS + 1}) == {("amount",)}


def test_a_coverage_is_the_sdks_field_for_field() -> None:
    counted = Coverage.of(3, CoverageValue(covered=400, supply=500, covered_until=0, undercollateralised=True))
    assert counted.model_dump() == {
        "issuance_id": 3,
        "covered": 400,
        "supply": 500,
        "covered_until": 0,
        "undercollateralised": True,
    }
