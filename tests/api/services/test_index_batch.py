"""What one catch-up read adds to the event index (api/services/index_batch.py), on each database:
holdings counted once however often a range is written, a balance back at zero removed, and the
lists' rows following the events that change them (an encumbrance recovered, enforced; a request
answered; an issuance handed to a successor; a payment token listed again)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from api.db import Database
from api.db.schema import encumbrances, holdings, issuances, payment_tokens, redemptions
from api.services.index_batch import ZERO, Batch, write
from sdap.deployment import Deployment
from sdap.events import Event

ASSET, EXCHANGE = "0x" + "a5" * 20, "0x" + "e8" * 20
ALICE, BOB, CAROL = "0x" + "11" * 20, "0x" + "22" * 20, "0x" + "33" * 20


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    database.migrate()
    yield database
    database.dispose()


@pytest.fixture
def deployment() -> Any:
    """The two addresses the batch tells events apart by."""

    class Addresses:
        asset, exchange, collateral, registry = ASSET, EXCHANGE, "0x" + "c0" * 20, "0x" + "7e" * 20

    return Addresses()


def event(name: str, n: int, address: str = ASSET, **args: Any) -> Event:
    return Event(name, "SecuredAsset", address, block_number=10 + n, tx_hash="0x" + f"{n:064x}", log_index=0, args=args)


def transfer(n: int, source: str, to: str, amount: int, issuance: int = 1) -> Event:
    return event("TransferSingle", n, operator=ALICE, **{"from": source, "to": to, "id": issuance, "value": amount})


def encumbered(n: int, encumbrance_id: int, amount: int, expiry: int) -> Event:
    """Alice's units of issuance 7 pledged to Bob."""
    return event(
        "Encumbered",
        n,
        encumbranceId=encumbrance_id,
        id=7,
        holder=ALICE,
        beneficiary=BOB,
        amount=amount,
        expiry=expiry,
        referenceHash=b"\x01" * 32,
    )


def written(db: Database, deployment: Deployment, *events: Event) -> None:
    batch = Batch()
    for e in events:
        batch.add(e, deployment, lambda _: 1_800_000_000)
    with db.write() as conn:
        write(conn, batch)


def table(db: Database, which: Any) -> list[dict[str, Any]]:
    with db.read() as conn:
        return sorted((dict(r._mapping) for r in conn.execute(select(which))), key=repr)


def test_holdings_count_each_movement_once_and_drop_a_balance_at_zero(db: Database, deployment: Deployment) -> None:
    range_ = [transfer(1, ZERO, ALICE, 2**64 - 1), transfer(2, ALICE, BOB, 5), transfer(3, BOB, CAROL, 5)]
    written(db, deployment, *range_)
    expected = [
        {"issuance_id": 1, "holder": ALICE, "balance": str(2**64 - 6)},
        {"issuance_id": 1, "holder": CAROL, "balance": "5"},
    ]
    assert table(db, holdings) == expected  # Bob's 5 came and went: no row at zero
    written(db, deployment, *range_)  # the same range read again (a cursor put back)
    assert table(db, holdings) == expected
    written(db, deployment, transfer(2, ALICE, BOB, 5), transfer(4, CAROL, ZERO, 5))  # one old, one new
    assert table(db, holdings) == expected[:1]


def test_the_lists_follow_the_events_that_change_them(db: Database, deployment: Deployment) -> None:
    ref = b"\x01" * 32
    written(
        db,
        deployment,
        event("IssuanceCreated", 1, id=7, issuer=ALICE, operator=BOB),
        encumbered(2, 1, amount=3, expiry=0),
        encumbered(3, 2, amount=4, expiry=2**64 - 1),
        event("RedemptionRequested", 4, requestId=1, id=7, holder=ALICE, amount=2, fulfilmentRef=ref, by=ALICE),
        event("PaymentTokenListed", 5, EXCHANGE, token=CAROL, currency=b"KZT", decimals=2, by=ALICE),
    )
    written(
        db,
        deployment,
        event("IssuanceSucceeded", 6, id=7, predecessor=BOB, successor=CAROL, orderHash=ref, by=ALICE),
        event("EncumbranceRecovered", 7, encumbranceId=1, lost=ALICE, replacement=CAROL),
        event("EncumbranceEnforced", 8, encumbranceId=2, referenceHash=ref, by=BOB),
        event("RedemptionRefused", 9, requestId=1, id=7, returnedTo=ALICE, reasonHash=ref, by=ALICE),
        event("PaymentTokenListed", 10, EXCHANGE, token=CAROL, currency=b"KZT", decimals=2, by=ALICE),
    )
    assert table(db, issuances) == [{"issuance_id": 7, "issuer": ALICE, "operator": CAROL}]
    assert [(e["encumbrance_id"], e["holder"], e["state"], e["expiry"]) for e in table(db, encumbrances)] == [
        (1, CAROL, "active", 0),
        (2, ALICE, "enforced", 2**63 - 1),  # past what a signed 64-bit column holds: never
    ]
    assert [(r["request_id"], r["state"], r["amount"]) for r in table(db, redemptions)] == [(1, "refused", "2")]
    assert table(db, payment_tokens) == [{"token": CAROL, "block_number": 15, "log_index": 0}]  # first listing


def test_events_of_other_contracts_add_nothing(db: Database, deployment: Deployment) -> None:
    stranger = "0x" + "99" * 20
    written(db, deployment, event("IssuanceCreated", 1, stranger, id=7, issuer=ALICE, operator=BOB))
    assert table(db, issuances) == []
