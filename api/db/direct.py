"""Short statements run straight on a driver connection: the hot path of a mint on the event loop.

A SQLAlchemy Connection costs about 0.6 ms of Python per transaction on a small machine (pool
checkout, events, result wrapping), more than SQLite takes to commit. The few statements every
mint runs (authenticate, claim the Idempotency-Key, record the transaction, store the answer) are
written once as SQLAlchemy statements, compiled once per database into the driver's own SQL, and
run here on one driver connection per thread, in transactions of their own. They never wait for
anything but the database, so they run on the event loop without a worker thread.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, cast

from sqlalchemy import Engine
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler


class DirectStatement:
    """One statement compiled for one database; `params` binds it for the driver."""

    def __init__(self, statement: ClauseElement, engine: Engine) -> None:
        self._compiled = cast(SQLCompiler, statement.compile(dialect=engine.dialect))
        self.sql = str(self._compiled)
        self._positions = self._compiled.positiontup

    def params(self, values: Mapping[str, Any]) -> tuple[Any, ...] | dict[str, Any]:
        bound = dict(self._compiled.construct_params(dict(values)) or {})
        if self._positions is None:
            return bound
        return tuple(bound[name] for name in self._positions)


class DirectCursor:
    def __init__(
        self, cursor: Any, statements: dict[int, tuple[ClauseElement, DirectStatement]], engine: Engine
    ) -> None:
        self._cursor = cursor
        self._statements = statements
        self._engine = engine

    def execute(self, statement: ClauseElement, values: Mapping[str, Any] | None = None) -> DirectCursor:
        known = self._statements.get(id(statement))
        if known is None:
            # Keyed by identity (statements are built once, as module constants); the statement is
            # kept with its compiled form, so its id cannot be reused by another object.
            known = self._statements[id(statement)] = (statement, DirectStatement(statement, self._engine))
        compiled = known[1]
        self._cursor.execute(compiled.sql, compiled.params(values or {}))
        return self

    def first(self) -> tuple[Any, ...] | None:
        row = self._cursor.fetchone()
        return None if row is None else tuple(row)

    @property
    def rowcount(self) -> int:
        return int(self._cursor.rowcount)


class DirectConnections:
    """One driver connection per thread that asks (in practice the event loop's), from the
    engine's pool so it is set up as every other connection (SQLite's pragmas)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._sqlite = engine.dialect.name == "sqlite"
        self._dbapi = engine.dialect.loaded_dbapi
        self._local = threading.local()
        self._all: list[Any] = []
        self._lock = threading.Lock()
        self._statements: dict[int, tuple[ClauseElement, DirectStatement]] = {}

    @contextmanager
    def transaction(self, *, write: bool) -> Iterator[DirectCursor]:
        """A transaction of its own: committed on exit, rolled back on an exception. A connection
        that failed as a connection is dropped, and the next transaction opens a new one."""
        raw = self._connection()
        cursor = None
        try:
            cursor = raw.cursor()
            if self._sqlite:
                cursor.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            yield DirectCursor(cursor, self._statements, self._engine)
            if self._sqlite:
                cursor.execute("COMMIT")
            else:
                raw.commit()
        except BaseException as exc:
            broken = isinstance(exc, self._dbapi.OperationalError | self._dbapi.InterfaceError)
            try:
                raw.rollback()
            except Exception:  # noqa: BLE001 - the connection is gone: dropped below
                broken = True
            if broken:
                self._drop(raw)
            raise
        finally:
            if cursor is not None:
                with contextlib.suppress(Exception):
                    cursor.close()

    def close(self) -> None:
        with self._lock:
            connections, self._all = self._all, []
        for raw in connections:
            raw.invalidate()  # not back to the pool: the engine is being disposed
        self._local = threading.local()

    def _connection(self) -> Any:
        raw = getattr(self._local, "raw", None)
        if raw is None:
            raw = self._engine.raw_connection()
            self._local.raw = raw
            with self._lock:
                self._all.append(raw)
        return raw

    def _drop(self, raw: Any) -> None:
        self._local.raw = None
        with self._lock:
            if raw in self._all:
                self._all.remove(raw)
        raw.invalidate()
