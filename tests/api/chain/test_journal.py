"""The transaction journal's table (api.chain.journal), on SQLite and PostgreSQL: what is recorded
before a send, how a step of a request is found again, and final states."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from api.chain.journal import DROPPED, MINED, PENDING, Journal, JournalEntry, Recorded, write_marks
from api.db import Database
from api.db.schema import transactions

ALICE, BOB = "0x" + "a1" * 20, "0x" + "b2" * 20


@pytest.fixture
def journal(database_url: str) -> Iterator[Journal]:
    db = Database(database_url)
    db.migrate()
    yield Journal(db)
    db.dispose()


def entry(n: int, sender: str = ALICE) -> JournalEntry:
    return JournalEntry(f"0x{n:064x}", sender, n, "0x02" + f"{n:04x}", PENDING)


def test_a_batch_is_recorded_pending_and_found_by_hash_sender_and_step(journal: Journal) -> None:
    journal.record(
        [Recorded(entry(2), "mint", idempotency_id=7, seq=1), Recorded(entry(1), "mint"), Recorded(entry(3, BOB), "x")]
    )
    assert [e.nonce for e in journal.pending()] == [1, 2, 3]  # by nonce
    assert [e.nonce for e in journal.pending(ALICE)] == [1, 2]
    found = journal.get(entry(2).tx_hash)
    assert found is not None and found.state == PENDING and found.raw == entry(2).raw and found.created_at > 0
    step = journal.step(7, 1)
    assert step is not None and step.tx_hash == entry(2).tx_hash
    assert journal.step(7, 2) is None and journal.get("0x" + "00" * 32) is None


def test_a_batch_is_recorded_whole_or_not_at_all(journal: Journal) -> None:
    journal.record([Recorded(entry(1), "mint")])
    with pytest.raises(IntegrityError):
        journal.record([Recorded(entry(2), "mint"), Recorded(entry(1), "mint")])  # the same hash again
    assert [e.nonce for e in journal.pending()] == [1]


def test_a_new_attempt_of_a_step_takes_its_place(journal: Journal) -> None:
    journal.record([Recorded(entry(1), "mint", idempotency_id=7, seq=1)])
    journal.mark(entry(1).tx_hash, DROPPED)
    # Without `replaces` the step is taken: a request never sends its step twice unknowingly.
    with pytest.raises(IntegrityError):
        journal.record([Recorded(entry(2), "mint", idempotency_id=7, seq=1)])
    journal.record([Recorded(entry(2), "mint", idempotency_id=7, seq=1, replaces=True)])
    step = journal.step(7, 1)
    assert step is not None and step.tx_hash == entry(2).tx_hash
    earlier = journal.get(entry(1).tx_hash)
    assert earlier is not None and earlier.state == DROPPED  # kept, no longer a step of the request


def test_final_states_are_recorded_with_their_block(journal: Journal) -> None:
    journal.record([Recorded(entry(1), "mint"), Recorded(entry(2), "mint")])
    journal.mark(entry(1).tx_hash, MINED, 42)
    with journal.db.write() as conn:
        write_marks(conn, [(entry(2).tx_hash, DROPPED, None)])
    with journal.db.read() as conn:
        rows = conn.execute(select(transactions.c.state, transactions.c.block_number).order_by(transactions.c.nonce))
        assert [tuple(r) for r in rows] == [(MINED, 42), (DROPPED, None)]
    assert journal.pending() == []
