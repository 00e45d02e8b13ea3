"""The gateway's database brought to the schema this code expects, by Alembic.

The revisions are in api/db/alembic/versions, one file each, numbered in order: revision "0004" is
version 4. A revision writes its tables out as they were then, frozen: it never imports
api.db.schema, which describes the tables as they are now. A new one is made with
`alembic revision -m "what it adds" --rev-id 0005` (alembic.ini at the repository's root), and
`--autogenerate` drafts it from the difference between schema.py and a database at head.

Databases made before Alembic kept their versions in a `schema_migrations` table: they are stamped
at the last version it lists, which then goes, and upgraded from there.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text

from api.db.database import Database

SCRIPTS = Path(__file__).with_name("alembic")
#: The version table of the runner that came before Alembic.
LEGACY_VERSIONS = "schema_migrations"


def migrate(db: Database) -> list[int]:
    """Upgrades `db` to the newest revision; returns the versions applied, in order."""
    return upgrade(db, "head")


def upgrade(db: Database, revision: str) -> list[int]:
    """Upgrades `db` to `revision` ("head": the newest) in one transaction; returns the versions
    applied, in order."""
    with db.write() as conn:  # on SQLite, BEGIN IMMEDIATE: a second migrator waits for the first
        if db.dialect == "postgresql":
            # Two gateways starting at once on one database: the second waits, then finds it done.
            conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('sdap-gateway migrations'))"))
        _adopt_legacy(conn)
        before = MigrationContext.configure(conn).get_current_revision()
        command.upgrade(_config(conn), revision)
        after = MigrationContext.configure(conn).get_current_revision()
    return _between(before, after)


def downgrade(db: Database, revision: str) -> None:
    """Takes `db` back to `revision` ("base": before the first), in one transaction."""
    with db.write() as conn:
        command.downgrade(_config(conn), revision)


def scripts() -> ScriptDirectory:
    return ScriptDirectory(str(SCRIPTS))


def _config(conn: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(SCRIPTS))
    config.attributes["connection"] = conn  # env.py migrates on it, inside this transaction
    return config


def _adopt_legacy(conn: Connection) -> None:
    """Stamps a database the earlier runner made at the last version it applied, and drops its
    version table: from then on Alembic's alembic_version is the only record."""
    if not inspect(conn).has_table(LEGACY_VERSIONS):
        return
    last = conn.execute(text(f"SELECT MAX(version) FROM {LEGACY_VERSIONS}")).scalar()  # noqa: S608 - a constant
    if last is not None:
        command.stamp(_config(conn), f"{int(last):04d}")
    conn.execute(text(f"DROP TABLE {LEGACY_VERSIONS}"))


def _between(before: str | None, after: str | None) -> list[int]:
    if after is None or after == before:
        return []
    applied = scripts().iterate_revisions(after, before or "base")
    return sorted(int(script.revision) for script in applied)
