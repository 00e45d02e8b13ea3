"""The database layer (api.db.database): SQLite under many concurrent writers and readers never
answers "database is locked" (write transactions begin IMMEDIATE and queue on the busy timeout),
and a URL is never echoed in an error."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from api.db import Database
from api.db.schema import idempotency_records, transactions
from sdap.errors import ConfigurationError

WRITERS, ROUNDS = 12, 40


def test_sqlite_under_concurrent_writers_never_reports_a_locked_database(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'busy.db'}")
    db.migrate()
    failures: list[BaseException] = []
    start = threading.Barrier(WRITERS)

    def work(worker: int) -> None:
        start.wait()
        try:
            for n in range(ROUNDS):
                # A read first, then a write in the same transaction: the upgrade a deferred
                # transaction would fail with SQLITE_BUSY at once.
                with db.write() as conn:
                    conn.execute(select(func.count()).select_from(transactions)).scalar()
                    conn.execute(
                        insert(transactions).values(
                            tx_hash=f"0x{worker:032x}{n:032x}",
                            sender="0x" + "11" * 20,
                            nonce=n,
                            raw="0x02",
                            purpose="test",
                            state="pending",
                            created_at=0,
                            updated_at=0,
                        )
                    )
                with db.read() as conn:
                    conn.execute(select(idempotency_records.c.id).limit(1)).all()
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == [], failures[:3]
    with db.read() as conn:
        assert conn.execute(select(func.count()).select_from(transactions)).scalar() == WRITERS * ROUNDS
    db.dispose()


def test_an_unsupported_database_is_refused_without_its_password() -> None:
    with pytest.raises(ConfigurationError) as refused:
        Database("mysql://user:hunter2@host/db")
    assert "hunter2" not in str(refused.value)
