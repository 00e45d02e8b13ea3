"""The database layer on SQLite and PostgreSQL: migrations in order, once, to exactly the schema
the queries use."""

from __future__ import annotations

from sqlalchemy import inspect, select

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
