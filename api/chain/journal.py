"""The transaction journal: the `transactions` table, where every transaction the gateway signs is
recorded, signed bytes and hash, before it is sent.

Whatever happens between sending and recording the result (a crash, a lost connection, a timeout),
the transaction is found again by its hash and never signed a second time (api.chain.recovery).
A transaction sent while serving an idempotent request is numbered in it (`idempotency_id`, `seq`),
so a retry of the request finds what its interrupted attempt sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, RowMapping, insert, select, update

from api.db import Database, now
from api.db.schema import transactions

PENDING, MINED, REVERTED, DROPPED = "pending", "mined", "reverted", "dropped"

#: A final state to record: (tx hash, state, block number).
Mark = tuple[str, str, int | None]


@dataclass(frozen=True)
class JournalEntry:
    tx_hash: str
    sender: str
    nonce: int
    raw: str
    state: str
    created_at: int = 0


@dataclass(frozen=True)
class Recorded:
    """A signed transaction to record: its entry, what it is for, and the step of the idempotent
    request sending it (None outside one). `replaces`: an earlier attempt of the same step (a retried
    request, a send retried with a fresh nonce) gives its place to this one."""

    entry: JournalEntry
    purpose: str
    idempotency_id: int | None = None
    seq: int | None = None
    replaces: bool = False


class Journal:
    """The `transactions` table."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def record(self, records: Sequence[Recorded]) -> None:
        """Records signed transactions, all in one database transaction: only once this returns
        may they be sent."""
        stamp = now()
        with self.db.write() as conn:
            for item in records:
                if item.replaces and item.idempotency_id is not None:
                    conn.execute(
                        update(transactions)
                        .where(transactions.c.idempotency_id == item.idempotency_id, transactions.c.seq == item.seq)
                        .values(seq=None)
                    )
            conn.execute(
                insert(transactions),
                [
                    {
                        "tx_hash": item.entry.tx_hash,
                        "sender": item.entry.sender,
                        "nonce": item.entry.nonce,
                        "raw": item.entry.raw,
                        "purpose": item.purpose[:80],
                        "idempotency_id": item.idempotency_id,
                        "seq": item.seq if item.idempotency_id is not None else None,
                        "state": PENDING,
                        "created_at": stamp,
                        "updated_at": stamp,
                    }
                    for item in records
                ],
            )

    def mark(self, tx_hash: str, state: str, block_number: int | None = None) -> None:
        with self.db.write() as conn:
            write_marks(conn, [(tx_hash, state, block_number)])

    def step(self, idempotency_id: int, seq: int) -> JournalEntry | None:
        """The transaction an idempotent request sent as its `seq`-th, if any."""
        with self.db.read() as conn:
            row = conn.execute(
                select(transactions).where(transactions.c.idempotency_id == idempotency_id, transactions.c.seq == seq)
            ).first()
        return None if row is None else _entry(row._mapping)

    def pending(self, sender: str | None = None) -> list[JournalEntry]:
        query = select(transactions).where(transactions.c.state == PENDING).order_by(transactions.c.nonce)
        if sender is not None:
            query = query.where(transactions.c.sender == sender)
        with self.db.read() as conn:
            return [_entry(row._mapping) for row in conn.execute(query)]

    def get(self, tx_hash: str) -> JournalEntry | None:
        with self.db.read() as conn:
            row = conn.execute(select(transactions).where(transactions.c.tx_hash == tx_hash)).first()
        return None if row is None else _entry(row._mapping)


def write_marks(conn: Connection, marks: Sequence[Mark]) -> None:
    """Records final states inside `conn`'s transaction (an idempotent request writes its
    transactions' with its answer: api.idempotency)."""
    if not marks:
        return
    stamp = now()
    for tx_hash, state, block_number in marks:
        conn.execute(
            update(transactions)
            .where(transactions.c.tx_hash == tx_hash)
            .values(state=state, block_number=block_number, updated_at=stamp)
        )


def _entry(row: RowMapping) -> JournalEntry:
    return JournalEntry(
        row["tx_hash"], row["sender"], int(row["nonce"]), row["raw"], row["state"], int(row["created_at"])
    )
