"""One gateway process per database: the lock that makes a second one refuse to start.

At startup a gateway marks every request left running as interrupted and resolves what its
journal holds pending, and while it serves it hands out its keys' nonces from memory. A second
process on the same database would interrupt the first one's requests in flight, so that their
retries sign again (a request twice), and both would take the same nonces. So the first holds a
lock for as long as it runs: a PostgreSQL advisory lock on a connection of its own, or an `flock`
on a file beside the SQLite database. Either ends with the process, however it ends, so a crash
never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os

from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url

from api.db.database import Database
from sdap.errors import ConfigurationError

#: The advisory lock's key: any 64-bit number no other application on the database uses.
_ADVISORY_KEY = int.from_bytes(b"sdap-gw!", "big") >> 1


class GatewayAlreadyRunning(ConfigurationError):
    """Another gateway process is serving this database."""


class InstanceLock:
    """Held from `acquire` to `release` (or the end of the process)."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._file: int | None = None
        self._connection: Connection | None = None

    def acquire(self) -> None:
        if self._db.dialect == "sqlite":
            self._lock_file()
        else:
            self._lock_advisory()

    def hold(self) -> None:
        """Checks the lock is still this process's. An advisory lock ends with its connection:
        should the connection drop (a database restart, a network cut), the lock is taken again
        on a new one, or GatewayAlreadyRunning is raised if another process took it meanwhile."""
        if self._db.dialect == "sqlite":
            return  # a file lock lasts as long as its descriptor, which this process keeps
        if self._connection is not None:
            try:
                self._connection.execute(text("SELECT 1")).scalar()
                self._connection.commit()
                return
            except Exception:  # noqa: BLE001 - whatever broke the connection, it ended the lock
                self._connection.invalidate()
                self._connection = None
        self._lock_advisory()

    def release(self) -> None:
        if self._file is not None:
            os.close(self._file)  # closing the descriptor drops the flock
            self._file = None
        if self._connection is not None:
            try:
                self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _ADVISORY_KEY})
            finally:
                self._connection.close()
                self._connection = None

    def _lock_file(self) -> None:
        path = make_url(self._db.engine.url).database
        if not path or path == ":memory:":
            return  # a database no other process can open
        descriptor = os.open(f"{path}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            raise _refusal() from None
        self._file = descriptor

    def _lock_advisory(self) -> None:
        connection = self._db.engine.connect()
        locked = connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": _ADVISORY_KEY}).scalar()
        connection.commit()  # the lock is the session's, not the transaction's
        if not locked:
            connection.close()
            raise _refusal()
        self._connection = connection


def _refusal() -> GatewayAlreadyRunning:
    return GatewayAlreadyRunning(
        "another gateway process is serving this database: run one process per database (and key)"
    )
