"""The tests' PostgreSQL helper (tests/api/postgres.py) removes only what killed runs left behind:
an old data directory with no server on it, never a young one or one whose server still runs."""

from __future__ import annotations

import os
import time
from pathlib import Path

from postgres import PREFIX, STALE_AFTER, remove_stale


def data_directory(parent: Path, name: str, *, age: float, pid: int | None) -> Path:
    directory = parent / (PREFIX + name)
    (directory / "data").mkdir(parents=True)
    if pid is not None:
        (directory / "data" / "postmaster.pid").write_text(f"{pid}\n/some/data\n")
    then = time.time() - age
    os.utime(directory, (then, then))
    return directory


def test_only_old_directories_without_a_server_are_removed(tmp_path: Path) -> None:
    gone = 2**22 + 12345  # above the kernel's pid limit here: no such process
    left_behind = data_directory(tmp_path, "killed", age=2 * STALE_AFTER, pid=gone)
    never_started = data_directory(tmp_path, "unstarted", age=2 * STALE_AFTER, pid=None)
    running = data_directory(tmp_path, "running", age=2 * STALE_AFTER, pid=os.getpid())
    starting = data_directory(tmp_path, "starting", age=60, pid=None)
    other = tmp_path / "something-else"
    other.mkdir()
    assert sorted(remove_stale(tmp_path)) == sorted([left_behind, never_started])
    assert {p.name for p in tmp_path.iterdir()} == {running.name, starting.name, other.name}
