"""The hot path's statements on a driver connection, on SQLite and PostgreSQL: the same SQLAlchemy
statements give the same rows, a transaction is all or nothing, a unique violation is recognised,
and a connection that broke is replaced."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import bindparam, func, select

from api.db import Database, is_unique_violation
from api.db.schema import api_keys

_INSERT = api_keys.insert().values(
    id=bindparam("p_id"),
    secret_hash=bindparam("p_hash"),
    role="issuer",
    identity="0x" + "11" * 20,
    label="direct",
    created_at=bindparam("p_at"),
)
_BY_ID = select(api_keys.c.id, api_keys.c.role, api_keys.c.created_at).where(api_keys.c.id == bindparam("p_id"))
_COUNT = select(func.count()).select_from(api_keys)


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    database.migrate()
    try:
        yield database
    finally:
        database.dispose()


def count(db: Database) -> int:
    with db.read() as conn:
        return int(conn.scalar(_COUNT) or 0)


def test_a_write_is_committed_and_read_back_by_either_layer(db: Database) -> None:
    with db.direct.transaction(write=True) as cursor:
        assert cursor.execute(_INSERT, {"p_id": "k1", "p_hash": "h1", "p_at": 7}).rowcount == 1
    with db.direct.transaction(write=False) as cursor:
        assert cursor.execute(_BY_ID, {"p_id": "k1"}).first() == ("k1", "issuer", 7)
        assert cursor.execute(_BY_ID, {"p_id": "nobody"}).first() is None
    assert count(db) == 1  # seen through SQLAlchemy's own connections too


def test_a_failed_transaction_writes_nothing(db: Database) -> None:
    with pytest.raises(RuntimeError), db.direct.transaction(write=True) as cursor:
        cursor.execute(_INSERT, {"p_id": "k1", "p_hash": "h1", "p_at": 1})
        raise RuntimeError("stopped half way")
    assert count(db) == 0
    with db.direct.transaction(write=True) as cursor:  # the connection is usable again
        cursor.execute(_INSERT, {"p_id": "k2", "p_hash": "h2", "p_at": 1})
    assert count(db) == 1


def test_a_unique_violation_is_recognised_and_rolled_back(db: Database) -> None:
    with db.direct.transaction(write=True) as cursor:
        cursor.execute(_INSERT, {"p_id": "k1", "p_hash": "h1", "p_at": 1})
    with pytest.raises(db.engine.dialect.loaded_dbapi.Error) as caught, db.direct.transaction(write=True) as cursor:
        cursor.execute(_INSERT, {"p_id": "k2", "p_hash": "h2", "p_at": 1})
        cursor.execute(_INSERT, {"p_id": "k3", "p_hash": "h1", "p_at": 1})  # the same secret hash
    assert is_unique_violation(caught.value)
    assert count(db) == 1  # k2 went with the failed transaction


def test_a_broken_connection_is_replaced(db: Database) -> None:
    with db.direct.transaction(write=False) as cursor:
        cursor.execute(_COUNT)
    broken = db.direct._connection()
    broken.dbapi_connection.close()  # the server went away, or the file handle did
    with pytest.raises(db.engine.dialect.loaded_dbapi.Error), db.direct.transaction(write=False) as cursor:
        cursor.execute(_COUNT)
    assert db.direct._connection() is not broken
    with db.direct.transaction(write=False) as cursor:
        assert cursor.execute(_COUNT).first() == (0,)
