"""The wallet recovery schemas (api.schemas.recovery): an order names the replacement wallet, the
new identification and its uint64 expiry, and the reason, all of them and nothing else; the answer
states where the position went and both transactions, the asset's null when nothing was held."""

from __future__ import annotations

from typing import Any

import pytest
from gateway_support import refused_at

from api.schemas.recovery import HoldingsRecovered, WalletRecovered, WalletRecoveryOrder

LOST = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
REPLACEMENT = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"
TX = {"tx_hash": "0x" + "cd" * 32, "block_number": 9}


def order(**changes: Any) -> dict[str, Any]:
    body = {"replacement": REPLACEMENT, "identity_ref": "0x" + "11" * 32, "identity_expiry": 2**40}
    return {**body, "reason_hash": "0x" + "22" * 32, **changes}


def test_an_order_round_trips_normalised() -> None:
    body = WalletRecoveryOrder.model_validate(order(replacement=REPLACEMENT.lower(), identity_ref="0x" + "AB" * 32))
    assert (body.replacement, body.identity_ref) == (REPLACEMENT, "0x" + "ab" * 32)
    assert WalletRecoveryOrder.model_validate_json(body.model_dump_json()) == body


@pytest.mark.parametrize("field", ["replacement", "identity_ref", "identity_expiry", "reason_hash"])
def test_an_order_names_every_field(field: str) -> None:
    assert refused_at(WalletRecoveryOrder, {k: v for k, v in order().items() if k != field}) == {(field,)}


def test_an_orders_expiry_fits_64_bits_and_nothing_else_is_taken() -> None:
    assert WalletRecoveryOrder.model_validate(order(identity_expiry=2**64 - 1)).identity_expiry == 2**64 - 1
    assert refused_at(WalletRecoveryOrder, order(identity_expiry=2**64)) == {("identity_expiry",)}
    assert refused_at(WalletRecoveryOrder, order(identity_expiry=-1)) == {("identity_expiry",)}
    # The lost wallet is the route's, never the body's.
    assert refused_at(WalletRecoveryOrder, order(lost=LOST)) == {("lost",)}
    assert refused_at(WalletRecoveryOrder, order(replacement="0x" + "33" * 19)) == {("replacement",)}


def test_the_answer_states_both_steps_the_assets_null_when_nothing_was_held() -> None:
    moved = {
        "lost": LOST.lower(),
        "replacement": REPLACEMENT,
        "holdings": [{"issuance_id": 1, "amount": 100, "frozen": 10}],
        "encumbrance_ids": [3],
        "holdings_tx": TX,
    }
    answer = WalletRecovered.model_validate({**moved, "registry_tx": TX})
    assert answer.lost == LOST and answer.holdings[0].frozen == 10
    assert WalletRecovered.model_validate_json(answer.model_dump_json()) == answer
    empty = HoldingsRecovered.model_validate({**moved, "holdings": [], "encumbrance_ids": [], "holdings_tx": None})
    assert empty.holdings_tx is None
    # Null says nothing was held; an answer that leaves the field out says nothing at all.
    assert refused_at(HoldingsRecovered, {k: v for k, v in moved.items() if k != "holdings_tx"}) == {("holdings_tx",)}
    assert refused_at(WalletRecovered, moved) == {("registry_tx",)}
