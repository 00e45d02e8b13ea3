"""One database layer for SQLite and PostgreSQL (SQLAlchemy Core).

SQLite runs in WAL mode, and write transactions start with `BEGIN IMMEDIATE`, so two writers
queue on the busy timeout instead of failing when a read lock cannot be upgraded. PostgreSQL goes
through psycopg 3. Everything else (queries, migrations) is the same on both.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from sdap.errors import ConfigurationError

#: SQLite connections kept open: anyio's worker threads (40 by default) and a margin.
POOL = 48


def now() -> int:
    """Seconds since the epoch, as stored in every timestamp column."""
    return int(time.time())


def _engine_url(url: str) -> str:
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "postgresql" and parsed.drivername in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    if backend not in ("sqlite", "postgresql"):
        raise ConfigurationError(f"unsupported database {backend!r}: use sqlite:/// or postgresql://")
    return url


class Database:
    """An engine and the two kinds of transaction the gateway uses."""

    def __init__(self, url: str, *, pool_size: int = 10) -> None:
        try:
            target = _engine_url(url)
        except ConfigurationError:
            raise
        except Exception:  # noqa: BLE001 - any parse failure: never echo the URL (it may hold a password)
            raise ConfigurationError("SDAP_DATABASE_URL is not a valid database URL") from None
        self.dialect = make_url(target).get_backend_name()
        if self.dialect == "sqlite":
            self.engine = self._sqlite(target)
        else:
            self.engine = create_engine(
                target, pool_size=pool_size, max_overflow=2 * pool_size, pool_pre_ping=True, pool_recycle=1800
            )
        self._writer = self.engine.execution_options(sdap_write=True)

    def __repr__(self) -> str:
        return f"Database({self.engine.url.render_as_string(hide_password=True)})"

    @staticmethod
    def _sqlite(url: str) -> Engine:
        # As many connections kept as worker threads may use at once: one opened past the pool is
        # closed again on return, and opening one (its pragmas) costs more than most statements.
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, pool_size=POOL, max_overflow=POOL
        )

        @event.listens_for(engine, "connect")
        def _connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("sdap_write") else "BEGIN")

        return engine

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A transaction that writes: committed on exit, rolled back on an exception."""
        with self._writer.begin() as conn:
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.begin() as conn:
            yield conn

    def ping(self) -> None:
        with self.read() as conn:
            conn.exec_driver_sql("SELECT 1")

    def migrate(self) -> list[int]:
        """Applies the migrations not yet applied; returns their versions."""
        from api.db.migrations import migrate

        return migrate(self)

    def dispose(self) -> None:
        self.engine.dispose()


def is_unique_violation(exc: Exception) -> bool:
    """Whether `exc` (SQLAlchemy's IntegrityError or the driver's own) is a unique or primary-key
    violation, on either database."""
    orig = exc.orig if isinstance(exc, IntegrityError) else exc
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate is not None:
        return bool(sqlstate == "23505")
    return "UNIQUE constraint failed" in str(orig)
