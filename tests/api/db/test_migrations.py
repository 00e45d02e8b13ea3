"""The database layer on SQLite and PostgreSQL: migrations in order, once, to exactly the schema
the queries use."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, inspect, select

from api.db import Database
from api.db.migrations import MIGRATIONS, schema_migrations
from api.db.schema import metadata


def test_migrations_apply_once_in_order(database_url: str) -> None:
    db = Database(database_url)
    try:
        assert db.migrate() == [m.version for m in MIGRATIONS]
        assert db.migrate() == []
        with db.read() as conn:
            assert list(conn.scalars(select(schema_migrations.c.version).order_by(schema_migrations.c.version))) == [
                m.version for m in MIGRATIONS
            ]
    finally:
        db.dispose()


def test_migrated_schema_is_the_schema_the_queries_use(database_url: str) -> None:
    db = Database(database_url)
    try:
        db.migrate()
        inspector = inspect(db.engine)
        for table in metadata.sorted_tables:
            columns = {c["name"] for c in inspector.get_columns(table.name)}
            assert columns == {c.name for c in table.columns}, table.name
            unique = {tuple(u["column_names"]) for u in inspector.get_unique_constraints(table.name)}
            for constraint in table.constraints:
                if constraint.__class__.__name__ == "UniqueConstraint":
                    assert tuple(c.name for c in constraint.columns) in unique, (table.name, constraint.name)
    finally:
        db.dispose()


def test_the_url_is_never_shown(tmp_path: object) -> None:
    db = Database("postgresql://gateway:hunter2@db.example/sdap")
    assert "hunter2" not in repr(db)


def test_the_collateral_index_reads_the_chain_again(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Migration 4 adds the collateral and registry events to the index: an index that had read
    past some of them starts again from the deployment block."""
    from api.db import migrations
    from api.db.schema import index_cursor, movements

    db = Database(database_url)
    try:
        with monkeypatch.context() as patched:
            patched.setattr(migrations, "MIGRATIONS", MIGRATIONS[:3])
            db.migrate()
        with db.write() as conn:
            conn.execute(insert(index_cursor).values(id=1, block_number=40, block_hash="0x" + "ab" * 32))
            row = {"tx_hash": "0x" + "cd" * 32, "log_index": 0, "item": 0, "block_number": 39, "block_time": 1}
            addresses = {"operator": "0x" + "11" * 20, "from_address": "0x" + "00" * 20, "to_address": "0x" + "22" * 20}
            conn.execute(insert(movements).values(**row, **addresses, issuance_id=1, amount="5"))
        assert db.migrate() == [4]
        with db.read() as conn:
            assert conn.execute(select(index_cursor)).first() is None
            assert conn.execute(select(movements)).first() is None
    finally:
        db.dispose()
