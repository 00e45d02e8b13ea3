"""The gateway's database migrated by Alembic on SQLite and PostgreSQL: every revision once, in
order, to exactly the tables api.db.schema describes; databases made by the runner that came before
Alembic taken over at the version they had reached."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import BigInteger, Column, Connection, Integer, MetaData, String, Table, insert, inspect, select, text

from api.db import Database
from api.db.migrations import LEGACY_VERSIONS, downgrade, scripts, upgrade
from api.db.schema import (
    api_keys,
    encumbrances,
    holdings,
    index_cursor,
    issuances,
    metadata,
    movements,
    offers,
    payment_tokens,
    redemptions,
)

VERSIONS = [1, 2, 3, 4, 5, 6, 7]
#: The earlier runner's version table, as it made it.
LEGACY = MetaData()
Table(
    LEGACY_VERSIONS,
    LEGACY,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("name", String(200), nullable=False),
    Column("applied_at", BigInteger, nullable=False),
)
KEY = {
    "id": "k1",
    "secret_hash": "ab" * 32,
    "role": "issuer",
    "identity": "0x" + "11" * 20,
    "label": "kept",
    "created_at": 1,
}


@pytest.fixture
def db(database_url: str) -> Database:
    database = Database(database_url)
    yield database  # type: ignore[misc]
    database.dispose()


def revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def as_legacy(db: Database, version: int) -> None:
    """The database as the earlier runner left it at `version`: the same tables (revision N is its
    migration N, frozen as it was) and its own version table instead of Alembic's."""
    upgrade(db, f"{version:04d}")
    with db.write() as conn:
        conn.execute(text("DROP TABLE alembic_version"))
        LEGACY.create_all(conn)
        rows = [{"version": v, "name": f"migration {v}", "applied_at": 1} for v in range(1, version + 1)]
        conn.execute(insert(LEGACY.tables[LEGACY_VERSIONS]), rows)


def index_something(db: Database) -> None:
    with db.write() as conn:
        conn.execute(insert(index_cursor).values(id=1, block_number=40, block_hash="0x" + "ab" * 32))
        row = {"tx_hash": "0x" + "cd" * 32, "log_index": 0, "item": 0, "block_number": 39, "block_time": 1}
        addresses = {"operator": "0x" + "11" * 20, "from_address": "0x" + "00" * 20, "to_address": "0x" + "22" * 20}
        conn.execute(insert(movements).values(**row, **addresses, issuance_id=1, amount="5"))


def test_the_revisions_are_the_versions_in_order() -> None:
    found = [int(s.revision) for s in reversed(list(scripts().walk_revisions()))]
    assert found == VERSIONS
    assert scripts().get_heads() == [f"{VERSIONS[-1]:04d}"]  # one line of history, no branch


def test_every_revision_applies_once_in_order(db: Database) -> None:
    assert db.migrate() == VERSIONS
    assert db.migrate() == []
    with db.read() as conn:
        assert revision(conn) == f"{VERSIONS[-1]:04d}"
        assert not inspect(conn).has_table(LEGACY_VERSIONS)


def test_the_migrated_database_is_the_schema_the_queries_use(db: Database) -> None:
    db.migrate()
    with db.read() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    assert differences == []


def test_a_changed_schema_shows_as_a_difference(db: Database) -> None:
    """The comparison above can fail: a column schema.py has and the database lacks is found."""
    db.migrate()
    changed = MetaData()
    for table in metadata.sorted_tables:
        table.to_metadata(changed)
    Table("api_keys", changed, Column("expires_at", BigInteger), extend_existing=True)
    with db.read() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), changed)
    assert [(d[0], d[3].name) for d in differences] == [("add_column", "expires_at")]


def test_downgrade_to_base_and_up_again(db: Database) -> None:
    db.migrate()
    downgrade(db, "base")
    with db.read() as conn:
        assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
    assert db.migrate() == VERSIONS


def test_the_collateral_index_reads_the_chain_again(db: Database) -> None:
    """Revision 4 adds the collateral and registry events to the index: an index that had read
    past some of them starts again from the deployment block."""
    assert upgrade(db, "0003") == [1, 2, 3]
    index_something(db)
    assert db.migrate() == [4, 5, 6, 7]
    with db.read() as conn:
        assert conn.execute(select(index_cursor)).first() is None
        assert conn.execute(select(movements)).first() is None


def test_published_offers_are_kept_open_and_the_exchange_read_again(db: Database) -> None:
    """Revision 6 keeps each offer's state: those published before it are open until the index,
    read again from the deployment block, sees them taken or cancelled."""
    assert upgrade(db, "0005") == [1, 2, 3, 4, 5]
    index_something(db)
    terms = {k: "1" for k in ("give_id", "give_amount", "want_id", "want_amount", "nonce")}
    parties = {k: "0x" + "11" * 20 for k in ("maker", "taker", "give_token", "want_token")}
    offer = {"offer_hash": "0x" + "ef" * 32, **terms, **parties, "expiry": 9, "signature": "0x", "published_at": 1}
    with db.write() as conn:
        conn.execute(insert(Table("offers", MetaData(), autoload_with=conn)).values(**offer))
    assert upgrade(db, "0006") == [6]
    with db.read() as conn:
        assert conn.execute(select(offers.c.status, offers.c.taking_until)).one() == ("open", None)
        assert conn.execute(select(index_cursor)).first() is None
        assert conn.execute(select(movements)).first() is not None


def test_the_lists_newly_indexed_are_read_again(db: Database) -> None:
    """Revision 7 adds the holdings the movements add up to, and the asset's issuance, encumbrance
    and redemption events and the exchange's payment token listings, to the index: an index that
    had read past some of them starts again from the deployment block, its movements with it."""
    assert upgrade(db, "0006") == [1, 2, 3, 4, 5, 6]
    index_something(db)
    assert db.migrate() == [7]
    with db.read() as conn:
        assert conn.execute(select(index_cursor)).first() is None
        assert conn.execute(select(movements)).first() is None
        assert conn.execute(select(holdings)).first() is None
        assert conn.execute(select(encumbrances)).first() is None
        assert conn.execute(select(payment_tokens)).first() is None
        assert conn.execute(select(redemptions)).first() is None
        assert conn.execute(select(issuances)).first() is None


@pytest.mark.parametrize("version", [3, 4])
def test_a_database_of_the_earlier_runner_is_taken_over_where_it_stood(db: Database, version: int) -> None:
    as_legacy(db, version)
    with db.write() as conn:
        conn.execute(insert(api_keys).values(**KEY))
    index_something(db)

    assert db.migrate() == VERSIONS[version:]  # only what it had not applied
    with db.read() as conn:
        assert revision(conn) == f"{VERSIONS[-1]:04d}"
        assert not inspect(conn).has_table(LEGACY_VERSIONS)
        assert conn.execute(select(api_keys.c.label)).scalar_one() == "kept"
        # Revision 7 has every index read the chain again, movements included (the holdings they
        # add up to are counted as they are read).
        assert conn.execute(select(movements)).first() is None
        assert conn.execute(select(index_cursor)).first() is None
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
    assert db.migrate() == []


def test_the_url_is_never_shown() -> None:
    db = Database("postgresql://gateway:hunter2@db.example/sdap")
    assert "hunter2" not in repr(db)
