"""The escrow schemas (api.schemas.escrows): a seller's terms, and its relayed request to open an
escrow, are bounded as the exchange keeps them (units within an issuance's cap, a positive uint256
price, an ISO 4217 code in capitals, a uint64 deadline), unknown fields are refused, and an escrow's
state is one of the SDK's names, never `none` (no escrow is answered 404)."""

from __future__ import annotations

from typing import Any

import pytest
from gateway_support import refused_at

from api.schemas.escrows import (
    EscrowOrder,
    EscrowTerms,
    EscrowView,
    PaymentConfirmation,
    RelayedEscrow,
)
from sdap.types import MAX_UNITS, EscrowState

BUYER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
AGENT = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"
HASH = "0x" + "ab" * 32
SIGNATURE = "0x" + "11" * 65


def terms(**changes: Any) -> dict[str, Any]:
    body = {"issuance_id": 1, "amount": 10, "buyer": BUYER, "agent": AGENT, "price": 5_000, "payment_deadline": 2**40}
    return {**body, **changes}


def relayed(**changes: Any) -> dict[str, Any]:
    return {**terms(currency="KZT"), "gas": 300_000, "nonce": 0, "deadline": 2**40, "signature": SIGNATURE, **changes}


def test_terms_round_trip_with_the_parties_checksummed_and_kzt_by_default() -> None:
    body = EscrowTerms.model_validate(terms(buyer=BUYER.lower(), agent=AGENT.upper().replace("0X", "0x")))
    assert (body.buyer, body.agent, body.currency) == (BUYER, AGENT, "KZT")
    assert EscrowTerms.model_validate_json(body.model_dump_json()) == body


@pytest.mark.parametrize(
    ("field", "low", "high"),
    [
        ("issuance_id", 1, 2**256 - 1),
        ("amount", 1, MAX_UNITS),
        ("price", 1, 2**256 - 1),
        ("payment_deadline", 0, 2**64 - 1),
    ],
)
def test_a_number_of_the_terms_is_taken_at_its_bounds_and_refused_just_past_them(
    field: str, low: int, high: int
) -> None:
    for value in (low, high):
        assert getattr(EscrowTerms.model_validate(terms(**{field: value})), field) == value
    for value in (low - 1, high + 1):
        assert refused_at(EscrowTerms, terms(**{field: value})) == {(field,)}


@pytest.mark.parametrize("currency", ["kzt", "KZ", "KZTX", "K1T", "", " KZT"])
def test_a_currency_is_three_capital_letters(currency: str) -> None:
    assert EscrowTerms.model_validate(terms(currency="USD")).currency == "USD"
    assert refused_at(EscrowTerms, terms(currency=currency)) == {("currency",)}


def test_a_relayed_request_names_its_currency_and_its_forward_deadline_fits_48_bits() -> None:
    assert RelayedEscrow.model_validate(relayed(deadline=2**48 - 1)).deadline == 2**48 - 1
    assert refused_at(RelayedEscrow, relayed(deadline=2**48)) == {("deadline",)}
    # The signed request's fields are what the seller signed: no currency is assumed for it.
    body = relayed()
    del body["currency"]
    assert refused_at(RelayedEscrow, body) == {("currency",)}
    assert refused_at(RelayedEscrow, relayed(signature=SIGNATURE[:-2])) == {("signature",)}


def test_an_unknown_field_is_refused_not_ignored() -> None:
    assert refused_at(EscrowTerms, terms(discount=1)) == {("discount",)}
    assert refused_at(RelayedEscrow, relayed(fee=1)) == {("fee",)}
    assert refused_at(PaymentConfirmation, {"payment_ref": HASH, "paid": True}) == {("paid",)}
    assert refused_at(EscrowOrder, {"order_hash": HASH, "note": "x"}) == {("note",)}


def test_a_reference_is_a_32_byte_hash_kept_in_lower_case() -> None:
    assert PaymentConfirmation(payment_ref="0x" + "AB" * 32).payment_ref == HASH
    assert refused_at(PaymentConfirmation, {"payment_ref": HASH[:-2]}) == {("payment_ref",)}
    assert refused_at(EscrowOrder, {}) == {("order_hash",)}


def test_an_escrow_is_in_one_of_the_states_the_exchange_names_but_none() -> None:
    view = {
        "escrow_id": 1,
        "issuance_id": 1,
        "seller": AGENT,
        "buyer": BUYER,
        "agent": AGENT,
        "amount": 10,
        "price": 5_000,
        "currency": "KZT",
        "deadline": 2**40,
        "expired": False,
    }
    names = [s.name.lower() for s in EscrowState if s is not EscrowState.NONE]
    assert EscrowView.model_json_schema()["properties"]["state"]["enum"] == names
    for name in names:
        assert EscrowView.model_validate({**view, "state": name}).state == name
    assert refused_at(EscrowView, {**view, "state": "none"}) == {("state",)}
    assert refused_at(EscrowView, {**view, "state": "OPEN"}) == {("state",)}
