"""The offer schemas (api.schemas.offers): an offer's uint256 terms travel as decimal strings (a
JavaScript number would round them), in canonical form, never past 2^256 - 1 and never as JSON
numbers; the terms are exactly what the maker signs, nothing more, with a uint64 expiry; a relayed
call to the exchange has a 48-bit deadline; an offer's status and reasons are the names the
exchange and the SDK use."""

from __future__ import annotations

from typing import Any, get_args

import pytest
from gateway_support import refused_at
from pydantic import TypeAdapter, ValidationError

from api.schemas.offers import (
    DecimalUint,
    OfferCheck,
    OfferStatus,
    OfferTerms,
    OfferView,
    RelayedCall,
    SignedOfferBody,
)
from sdap.types import OfferRefusal, Refusal

MAKER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
ASSET = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"
ANYONE = "0x" + "00" * 20
SIGNATURE = "0x" + "1b" * 65
TOP = str(2**256 - 1)


def offer(**changes: Any) -> dict[str, Any]:
    legs = {"give_token": ASSET, "give_id": "1", "give_amount": "10", "want_token": ASSET, "want_id": "2"}
    return {"maker": MAKER, "taker": ANYONE, **legs, "want_amount": "20", "nonce": "7", "expiry": 2**40, **changes}


@pytest.mark.parametrize("value", ["0", "1", "10", TOP, str(2**128 + 1)])
def test_a_decimal_uint_is_taken_as_written(value: str) -> None:
    assert TypeAdapter(DecimalUint).validate_python(value) == value


@pytest.mark.parametrize(
    "value", [str(2**256), "9" * 78, "1" + "0" * 78, "01", "00", "-1", "+1", "1.0", "1e3", " 1", "1 ", "", "0x10"]
)
def test_a_decimal_uint_past_uint256_or_not_canonical_is_refused(value: str) -> None:
    # One spelling per number: the terms are hashed as the maker signed them and found by them.
    with pytest.raises(ValidationError):
        TypeAdapter(DecimalUint).validate_python(value)


def test_an_amount_sent_as_a_json_number_is_refused() -> None:
    written = OfferTerms.model_validate(offer()).model_dump_json()
    assert OfferTerms.model_validate_json(written).give_amount == "10"
    as_number = written.replace('"give_amount":"10"', '"give_amount":10')
    assert as_number != written
    with pytest.raises(ValidationError) as refused:
        OfferTerms.model_validate_json(as_number)
    assert [tuple(e["loc"]) for e in refused.value.errors()] == [("give_amount",)]
    assert refused_at(OfferTerms, offer(nonce=7)) == {("nonce",)}


def test_the_terms_round_trip_with_addresses_checksummed_and_anyone_as_the_zero_address() -> None:
    terms = OfferTerms.model_validate(offer(maker=MAKER.lower(), give_amount=TOP))
    assert (terms.maker, terms.taker, terms.give_amount) == (MAKER, ANYONE, TOP)
    assert OfferTerms.model_validate_json(terms.model_dump_json()) == terms


def test_the_expiry_fits_64_bits() -> None:
    assert OfferTerms.model_validate(offer(expiry=2**64 - 1)).expiry == 2**64 - 1
    assert OfferTerms.model_validate(offer(expiry=0)).expiry == 0
    assert refused_at(OfferTerms, offer(expiry=2**64)) == {("expiry",)}
    assert refused_at(OfferTerms, offer(expiry=-1)) == {("expiry",)}


def test_a_signed_offer_is_the_signed_terms_and_a_signature_only() -> None:
    assert SignedOfferBody.model_validate({"offer": offer(), "signature": SIGNATURE}).offer.nonce == "7"
    extra = {"offer": offer(fee="1"), "signature": SIGNATURE}
    assert refused_at(SignedOfferBody, extra) == {("offer", "fee")}
    assert refused_at(SignedOfferBody, {"offer": offer(), "signature": SIGNATURE, "hash": "0x"}) == {("hash",)}
    assert refused_at(SignedOfferBody, {"offer": offer(), "signature": SIGNATURE[:-2]}) == {("signature",)}
    missing = offer()
    del missing["want_id"]
    assert refused_at(SignedOfferBody, {"offer": missing, "signature": SIGNATURE}) == {("offer", "want_id")}


def test_a_relayed_call_has_a_48_bit_deadline_and_uint256_gas_and_nonce() -> None:
    call = {"gas": 2**256 - 1, "nonce": 2**256 - 1, "deadline": 2**48 - 1, "signature": SIGNATURE}
    assert RelayedCall.model_validate(call).deadline == 2**48 - 1
    assert refused_at(RelayedCall, {**call, "deadline": 2**48}) == {("deadline",)}
    assert refused_at(RelayedCall, {**call, "gas": 2**256}) == {("gas",)}
    assert refused_at(RelayedCall, {**call, "nonce": -1}) == {("nonce",)}


def test_an_offers_status_and_reasons_are_the_names_the_exchange_uses() -> None:
    assert set(get_args(OfferStatus)) == {"open", "taken", "cancelled", "expired"}
    view = {"offer_hash": "0x" + "ab" * 32, "offer": offer(), "signature": SIGNATURE, "published_at": 1}
    assert OfferView.model_validate({**view, "status": "taken"}).status == "taken"
    assert refused_at(OfferView, {**view, "status": "filled"}) == {("status",)}
    properties = OfferCheck.model_json_schema()["properties"]
    assert properties["offer_refusal"]["enum"] == [r.name.lower() for r in OfferRefusal]
    assert properties["refusal"]["enum"] == [r.name.lower() for r in Refusal]
