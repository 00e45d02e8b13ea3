"""A throwaway PostgreSQL server for the tests: Debian's binaries, initdb in a temporary directory,
a free port, a socket in that directory, and one fresh database per test. When the tests run as
root, the server runs as the `postgres` user (PostgreSQL refuses to run as root)."""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg


def find_postgres() -> Path | None:
    """The bin directory of the newest PostgreSQL installed, or None."""
    explicit = os.environ.get("SDAP_PG_BIN")
    if explicit:
        return Path(explicit)
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name))
    for candidate in reversed(candidates):
        if (Path(candidate) / "initdb").exists() and (Path(candidate) / "pg_ctl").exists():
            return Path(candidate)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


PREFIX = "sdap-postgres-"
#: A directory younger than this may belong to a run that is starting its server right now.
STALE_AFTER = 3600.0


def remove_stale(parent: Path, *, now: float | None = None) -> list[Path]:
    """Removes the data directories that killed test runs left behind in `parent`: older than
    STALE_AFTER, with no server running on them (each holds a few hundred megabytes). Returns them."""
    now = time.time() if now is None else now
    removed = []
    for directory in parent.glob(PREFIX + "*"):
        if now - directory.stat().st_mtime < STALE_AFTER or _server_running(directory / "data" / "postmaster.pid"):
            continue
        shutil.rmtree(directory, ignore_errors=True)
        removed.append(directory)
    return removed


def _server_running(pid_file: Path) -> bool:
    try:
        os.kill(int(pid_file.read_text().split()[0]), 0)
    except PermissionError:
        return True  # a process of another user: not ours to judge
    except (OSError, ValueError, IndexError):
        return False  # no pid file, an unreadable one, or no such process: nothing runs there
    return True


class PostgresServer:
    def __init__(self, binaries: Path) -> None:
        self.binaries = binaries
        # Not under pytest's temporary directory: when root runs the tests, that one is closed to
        # the `postgres` user the server runs as.
        remove_stale(Path(tempfile.gettempdir()))
        self.directory = Path(tempfile.mkdtemp(prefix=PREFIX))
        self.data = self.directory / "data"
        self.port = _free_port()
        self._counter = itertools.count(1)
        self._as_postgres = os.geteuid() == 0
        self.user = "postgres" if self._as_postgres else os.environ.get("USER", "postgres")

    def _run(self, *args: str) -> None:
        command = [str(self.binaries / args[0]), *args[1:]]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {done.stderr.strip()[-2000:]}")

    def start(self) -> None:
        if self._as_postgres:
            shutil.chown(self.directory, "postgres")
        self._run("initdb", "-D", str(self.data), "-U", self.user, "-A", "trust", "--no-sync", "-E", "UTF8")
        options = f"-p {self.port} -k {self.directory} -c listen_addresses='' -c fsync=off -c full_page_writes=off"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.directory / "log"), "-w", "start")

    def stop(self) -> None:
        with contextlib.suppress(RuntimeError):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.directory, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgresql://{self.user}@/{database}?host={self.directory}&port={self.port}"

    def new_database(self) -> str:
        name = f"test_{next(self._counter)}"
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)
