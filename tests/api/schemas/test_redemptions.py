"""The redemption schemas (api.schemas.redemptions): a relayed request is bounded as the forwarder
and the asset take it (an issuance id from 1, units within an issuance's cap, uint256 gas and
nonce, a 48-bit deadline, a 32-byte fulfilment reference, a 65-byte signature) and refuses unknown
fields; a request is numbered from 1 and is in one of the SDK's states, never `none`."""

from __future__ import annotations

from typing import Any

import pytest
from gateway_support import refused_at
from pydantic import TypeAdapter, ValidationError

from api.schemas.redemptions import (
    DeliveryConfirmation,
    Redemption,
    RedemptionRefused,
    RelayedRedemption,
    RequestId,
)
from sdap.types import MAX_UNITS, RedemptionState

HOLDER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
REF = "0x" + "ab" * 32


def request(**changes: Any) -> dict[str, Any]:
    body = {"issuance_id": 1, "amount": 5, "fulfilment_ref": REF, "gas": 300_000, "nonce": 0, "deadline": 2**40}
    return {**body, "signature": "0x" + "1b" * 65, **changes}


def test_a_request_round_trips_with_its_reference_in_lower_case() -> None:
    body = RelayedRedemption.model_validate(request(fulfilment_ref=REF.upper().replace("0X", "0x")))
    assert body.fulfilment_ref == REF
    assert RelayedRedemption.model_validate_json(body.model_dump_json()) == body


@pytest.mark.parametrize(
    ("field", "low", "high"),
    [
        ("issuance_id", 1, 2**256 - 1),
        ("amount", 1, MAX_UNITS),
        ("gas", 0, 2**256 - 1),
        ("nonce", 0, 2**256 - 1),
        ("deadline", 0, 2**48 - 1),
    ],
)
def test_a_number_of_a_request_is_taken_at_its_bounds_and_refused_just_past_them(
    field: str, low: int, high: int
) -> None:
    for value in (low, high):
        assert getattr(RelayedRedemption.model_validate(request(**{field: value})), field) == value
    for value in (low - 1, high + 1):
        assert refused_at(RelayedRedemption, request(**{field: value})) == {(field,)}


def test_a_request_refuses_a_malformed_reference_or_signature_and_unknown_fields() -> None:
    assert refused_at(RelayedRedemption, request(fulfilment_ref=REF[:-2])) == {("fulfilment_ref",)}
    assert refused_at(RelayedRedemption, request(signature="0x" + "1b" * 64)) == {("signature",)}
    assert refused_at(RelayedRedemption, request(holder=HOLDER)) == {("holder",)}
    assert refused_at(DeliveryConfirmation, {"delivery_ref": REF, "delivered": True}) == {("delivered",)}
    assert DeliveryConfirmation(delivery_ref="0x" + "CD" * 32).delivery_ref == "0x" + "cd" * 32


def test_a_request_is_numbered_from_one() -> None:
    numbers = TypeAdapter(RequestId)
    assert numbers.validate_python(1) == 1 and numbers.validate_python(2**256 - 1) == 2**256 - 1
    for past in (0, 2**256):
        with pytest.raises(ValidationError):
            numbers.validate_python(past)


def test_a_request_is_in_one_of_the_sdks_states_but_none() -> None:
    stored = {"id": 1, "issuance_id": 1, "holder": HOLDER.lower(), "amount": 5, "fulfilment_ref": REF}
    names = [s.name.lower() for s in RedemptionState if s is not RedemptionState.NONE]
    assert Redemption.model_json_schema()["properties"]["state"]["enum"] == names
    for name in names:
        assert Redemption.model_validate({**stored, "state": name}).holder == HOLDER
    assert refused_at(Redemption, {**stored, "state": "none"}) == {("state",)}


def test_a_refusal_states_where_the_units_went_back() -> None:
    refused = {
        "request_id": 1,
        "issuance_id": 1,
        "returned_to": HOLDER.lower(),
        "reason_hash": REF,
        "by": HOLDER,
        "tx_hash": "0x" + "ef" * 32,
        "block_number": 3,
    }
    assert RedemptionRefused.model_validate(refused).returned_to == HOLDER
    assert refused_at(RedemptionRefused, {k: v for k, v in refused.items() if k != "returned_to"}) == {("returned_to",)}
