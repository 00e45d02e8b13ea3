"""The tables (api.db.schema) as a migrated database keeps them, on SQLite and PostgreSQL: the
unique keys the gateway's correctness rests on refuse a second row, as api.db.is_unique_violation
recognises (one idempotency record per caller and key, one transaction per hash and per step of a
request, one session per sign-in nonce, one API key per secret, one published offer per hash, one
row per indexed event), while rows outside a request's steps are many; and the widest values the
gateway writes fit their columns. (tests/api/db/test_migrations.py checks that the migrated
database is exactly these tables.)"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Table, func, insert, select
from sqlalchemy.exc import DataError, IntegrityError

from api.auth.principal import Principal, Role
from api.db import Database, is_unique_violation
from api.db.schema import (
    api_keys,
    encumbrances,
    holdings,
    idempotency_records,
    movements,
    offers,
    risk_notice_texts,
    sessions,
    transactions,
)

ALICE, BOB = "0x" + "a1" * 20, "0x" + "b2" * 20
UINT256 = str(2**256 - 1)  # 78 digits: the widest amount


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    database.migrate()
    yield database
    database.dispose()


def refused_as_taken(db: Database, table: Table, **row: Any) -> bool:
    """Inserts `row`: False if it is taken, True if it is refused as a unique or primary key
    violation (as the gateway tells it); any other failure is raised."""
    try:
        with db.write() as conn:
            conn.execute(insert(table).values(**row))
    except IntegrityError as exc:
        if is_unique_violation(exc):
            return True
        raise
    return False


def count(db: Database, table: Table) -> int:
    with db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def record(principal: str, key: str) -> dict[str, Any]:
    return {"principal": principal, "key": key, "fingerprint": "f" * 64, "state": "running", "created_at": 1}


def tx(n: int, idempotency_id: int | None = None, seq: int | None = None) -> dict[str, Any]:
    return {
        "tx_hash": f"0x{n:064x}",
        "sender": ALICE,
        "nonce": n,
        "raw": "0x02",
        "purpose": "mint",
        "idempotency_id": idempotency_id,
        "seq": seq,
        "state": "pending",
        "created_at": 1,
        "updated_at": 1,
    }


def offer(offer_hash: str, **changes: Any) -> dict[str, Any]:
    terms = {k: "1" for k in ("give_id", "give_amount", "want_id", "want_amount", "nonce")}
    parties = {k: ALICE for k in ("maker", "taker", "give_token", "want_token")}
    return {"offer_hash": offer_hash, **terms, **parties, "expiry": 9, "signature": "0x", "published_at": 1, **changes}


def movement(tx_hash: str, log_index: int, item: int) -> dict[str, Any]:
    where = {"tx_hash": tx_hash, "log_index": log_index, "item": item, "block_number": 1, "block_time": 1}
    return {**where, "issuance_id": 1, "operator": ALICE, "from_address": ALICE, "to_address": BOB, "amount": "5"}


def test_one_idempotency_record_per_caller_and_key(db: Database) -> None:
    assert not refused_as_taken(db, idempotency_records, **record("issuer:" + ALICE, "k"), lease_until=0.0)
    # A retry's claim finds the first: two records would run the request twice.
    assert refused_as_taken(db, idempotency_records, **record("issuer:" + ALICE, "k"), lease_until=0.0)
    assert not refused_as_taken(db, idempotency_records, **record("issuer:" + BOB, "k"), lease_until=0.0)
    assert not refused_as_taken(db, idempotency_records, **record("issuer:" + ALICE, "k2"), lease_until=0.0)
    assert count(db, idempotency_records) == 3


def test_one_transaction_per_hash_and_per_step_of_a_request(db: Database) -> None:
    assert not refused_as_taken(db, transactions, **tx(1, idempotency_id=7, seq=1))
    assert refused_as_taken(db, transactions, **tx(1))  # a hash is recorded once
    assert refused_as_taken(db, transactions, **tx(2, idempotency_id=7, seq=1))  # a step is sent once
    assert not refused_as_taken(db, transactions, **tx(3, idempotency_id=7, seq=2))
    assert not refused_as_taken(db, transactions, **tx(4, idempotency_id=8, seq=1))
    # Outside a request, and the attempts a step replaced (their seq cleared), are as many as sent.
    for n in (5, 6):
        assert not refused_as_taken(db, transactions, **tx(n))
    for n in (9, 10):
        assert not refused_as_taken(db, transactions, **tx(n, idempotency_id=7, seq=None))
    assert count(db, transactions) == 7


def test_a_sign_in_nonce_opens_one_session_and_a_key_secret_is_kept_once(db: Database) -> None:
    session = {"address": ALICE, "nonce": "n" * 58, "created_at": 1, "expires_at": 2}
    assert not refused_as_taken(db, sessions, token_hash="a" * 64, **session)
    assert refused_as_taken(db, sessions, token_hash="b" * 64, **session)  # the same signed message again
    assert not refused_as_taken(db, sessions, token_hash="b" * 64, **{**session, "nonce": "m" * 58})
    assert refused_as_taken(db, sessions, token_hash="b" * 64, **{**session, "nonce": "o" * 58})
    key = {"secret_hash": "c" * 64, "role": "issuer", "identity": ALICE, "label": "", "created_at": 1}
    assert not refused_as_taken(db, api_keys, id="k1", **key)
    assert refused_as_taken(db, api_keys, id="k2", **key)


def test_an_offer_is_published_once_and_open_until_the_index_says_otherwise(db: Database) -> None:
    assert not refused_as_taken(db, offers, **offer("0x" + "ef" * 32))
    assert refused_as_taken(db, offers, **offer("0x" + "ef" * 32, published_at=2))
    assert not refused_as_taken(db, offers, **offer("0x" + "ee" * 32))
    with db.read() as conn:
        rows = conn.execute(select(offers.c.id, offers.c.status, offers.c.taking_until).order_by(offers.c.id)).all()
    assert [tuple(r)[1:] for r in rows] == [("open", None), ("open", None)]
    assert rows[0].id < rows[1].id  # the order of publication


def test_an_indexed_event_and_a_notice_text_are_one_row_by_their_key(db: Database) -> None:
    # A range read again finds its events by these keys (api.services.index_batch inserts the new ones).
    assert not refused_as_taken(db, movements, **movement("0x" + "cd" * 32, 0, 0))
    assert refused_as_taken(db, movements, **movement("0x" + "cd" * 32, 0, 0))
    assert not refused_as_taken(db, movements, **movement("0x" + "cd" * 32, 0, 1))  # the next item of a batch
    assert not refused_as_taken(db, movements, **movement("0x" + "cd" * 32, 1, 0))
    assert not refused_as_taken(db, holdings, issuance_id=1, holder=ALICE, balance="5")
    assert refused_as_taken(db, holdings, issuance_id=1, holder=ALICE, balance="6")
    assert not refused_as_taken(db, holdings, issuance_id=2, holder=ALICE, balance="6")
    text = {"content_hash": "0x" + "ab" * 32, "text": "Risks.", "created_at": 1}
    assert not refused_as_taken(db, risk_notice_texts, **text)
    assert refused_as_taken(db, risk_notice_texts, **text)


def test_the_widest_values_the_gateway_writes_fit_their_columns(db: Database) -> None:
    scope = max((Principal(role, ALICE).scope for role in Role), key=len)
    widest = {
        idempotency_records: {**record(scope, "k" * 255), "lease_until": 1.5},
        movements: {**movement("0x" + "cd" * 32, 0, 0), "amount": UINT256},
        holdings: {"issuance_id": 2**63 - 1, "holder": ALICE, "balance": UINT256},
        offers: offer("0x" + "ef" * 32, give_amount=UINT256, nonce=UINT256, signature="0x" + "1b" * 65),
        # An expiry past signed 64 bits is kept as 2^63 - 1 (as good as never): the column's largest.
        encumbrances: {
            "encumbrance_id": 1,
            "issuance_id": 1,
            "holder": ALICE,
            "beneficiary": BOB,
            "amount": UINT256,
            "expiry": 2**63 - 1,
            "reference_hash": "0x" + "ab" * 32,
            "state": "active",
        },
    }
    for table, row in widest.items():
        assert not refused_as_taken(db, table, **row)
        with db.read() as conn:
            stored = conn.execute(select(*(table.c[name] for name in row))).one()
        assert tuple(stored) == tuple(row.values()), table.name
    if db.dialect == "postgresql":
        # The bounds are real there: one digit more than a uint256 is refused, not cut.
        with pytest.raises(DataError), db.write() as conn:
            conn.execute(insert(movements).values({**movement("0x" + "dd" * 32, 0, 0), "amount": UINT256 + "0"}))
