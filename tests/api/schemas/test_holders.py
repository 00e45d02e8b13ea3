"""The holder schemas (api.schemas.holders): a relayed transfer is bounded as the forwarder and the
asset take it (an issuance id from 1, units within an issuance's cap, uint256 gas and nonce, a
48-bit deadline, a 65-byte signature), refuses unknown fields and is immutable; a movement is one of
the kinds and directions the history names."""

from __future__ import annotations

from typing import Any, get_args

import pytest
from gateway_support import refused_at
from pydantic import ValidationError

from api.schemas.holders import Balance, Movement, MovementKind, RelayedTransfer, SigningRequest
from sdap.types import MAX_UNITS

HOLDER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
OTHER = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"
SIGNATURE = "0x" + "1b" * 65


def transfer(**changes: Any) -> dict[str, Any]:
    body = {"to": OTHER, "issuance_id": 1, "amount": 5, "gas": 200_000, "nonce": 0, "deadline": 2**40}
    return {**body, "signature": SIGNATURE, **changes}


def movement(**changes: Any) -> dict[str, Any]:
    body = {"tx_hash": "0x" + "cd" * 32, "block_number": 7, "log_index": 0, "item": 0, "block_time": 1_700_000_000}
    parties = {"from_address": HOLDER, "to_address": OTHER, "operator": HOLDER}
    return {**body, **parties, "issuance_id": 1, "kind": "transfer", "direction": "out", "amount": 5, **changes}


def test_a_transfer_round_trips_with_its_recipient_checksummed() -> None:
    body = RelayedTransfer.model_validate(transfer(to=OTHER.lower()))
    assert body.to == OTHER
    assert RelayedTransfer.model_validate_json(body.model_dump_json()) == body


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
def test_a_number_of_a_transfer_is_taken_at_its_bounds_and_refused_just_past_them(
    field: str, low: int, high: int
) -> None:
    for value in (low, high):
        assert getattr(RelayedTransfer.model_validate(transfer(**{field: value})), field) == value
    for value in (low - 1, high + 1):
        assert refused_at(RelayedTransfer, transfer(**{field: value})) == {(field,)}


@pytest.mark.parametrize("signature", [SIGNATURE[:-1], SIGNATURE + "1", "1b" * 66, "0x" + "zz" * 65, ""])
def test_a_signature_is_65_bytes_of_hex(signature: str) -> None:
    assert RelayedTransfer.model_validate(transfer(signature="0x" + "AB" * 65)).signature == "0x" + "AB" * 65
    assert refused_at(RelayedTransfer, transfer(signature=signature)) == {("signature",)}


@pytest.mark.parametrize("to", [HOLDER[:-1], HOLDER + "0", HOLDER[2:], "0x" + "g" * 40])
def test_a_recipient_is_an_address(to: str) -> None:
    assert refused_at(RelayedTransfer, transfer(to=to)) == {("to",)}


def test_a_transfer_names_every_field_refuses_others_and_cannot_be_changed() -> None:
    body = transfer()
    del body["nonce"]
    assert refused_at(RelayedTransfer, body) == {("nonce",)}
    assert refused_at(RelayedTransfer, transfer(from_address=HOLDER)) == {("from_address",)}
    taken = RelayedTransfer.model_validate(transfer())
    with pytest.raises(ValidationError):
        taken.amount = 6  # type: ignore[misc]


def test_a_movement_is_of_a_named_kind_and_direction() -> None:
    for kind in get_args(MovementKind):
        assert Movement.model_validate(movement(kind=kind)).kind == kind
    assert set(get_args(MovementKind)) == {"mint", "transfer", "burn", "redemption", "redemption_refused"}
    assert refused_at(Movement, movement(kind="refund")) == {("kind",)}
    assert Movement.model_validate(movement(direction="in")).direction == "in"
    assert refused_at(Movement, movement(direction="both")) == {("direction",)}
    # The hash is kept as the index keeps it, in lower case, and the parties checksummed.
    shouted = Movement.model_validate(movement(tx_hash="0x" + "CD" * 32, from_address=HOLDER.lower()))
    assert shouted.tx_hash == "0x" + "cd" * 32 and shouted.from_address == HOLDER


def test_a_balance_states_each_part_of_what_is_held() -> None:
    parts = {"issuance_id": 1, "balance": 10, "available": 4, "encumbered": 3, "frozen": 2, "escrowed": 1}
    assert Balance.model_validate(parts).model_dump() == parts
    for part in ("available", "encumbered", "frozen", "escrowed"):
        assert refused_at(Balance, {k: v for k, v in parts.items() if k != part}) == {(part,)}


def test_a_signing_request_carries_its_typed_data_whole() -> None:
    typed = {"types": {"EIP712Domain": []}, "primaryType": "ForwardRequest", "domain": {}, "message": {"to": OTHER}}
    request = SigningRequest.model_validate({"typed_data": typed, "digest": "0x" + "EF" * 32, "fields": {"gas": "1"}})
    assert request.model_dump()["typed_data"] == typed
    assert request.digest == "0x" + "ef" * 32
    untyped = {k: v for k, v in typed.items() if k != "primaryType"}
    assert refused_at(SigningRequest, {"typed_data": untyped, "digest": "0x" + "ef" * 32, "fields": {}}) == {
        ("typed_data", "primaryType")
    }
