"""One gateway process per database (api.db.instance), on SQLite and PostgreSQL: while one holds
the database a second refuses to start, and once it has closed the next one starts. A PostgreSQL
lock ends with its connection: it is taken again, or the gateway stops if another one took it."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
from eth_account.signers.local import LocalAccount
from gateway_support import Api, settings_for
from postgres import PostgresServer

from api.db import Database
from api.db.instance import GatewayAlreadyRunning, InstanceLock
from api.gateway import Gateway
from sdap.anvil import Anvil


@pytest.mark.usefixtures("world")
def test_the_database_serves_one_gateway_at_a_time(
    make_api: Callable[..., Api],
    database_url: str,
    anvil: Anvil,
    deployment_file: Path,
    accounts: list[LocalAccount],
) -> None:
    settings = settings_for(anvil, deployment_file, database_url)
    signers = [accounts[2]]
    first = make_api(database_url)
    with pytest.raises(GatewayAlreadyRunning, match="another gateway process is serving this database"):
        Gateway.open(settings, signers=signers)
    assert first.get("/v1/ready", None).status_code == 200  # refused before it touched anything

    first.client.__exit__(None, None, None)  # the first one stops: the next one may start
    after = Gateway.open(settings, signers=signers)
    try:
        with pytest.raises(GatewayAlreadyRunning):
            Gateway.open(settings, signers=signers)
    finally:
        after.close()


def _end_other_sessions(url: str) -> None:
    """Ends every other session on the database, as a database restart or a network cut would."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


def test_an_advisory_lock_lost_with_its_connection_is_taken_again(postgres: PostgresServer) -> None:
    url = postgres.new_database()
    db, rival_db = Database(url), Database(url)
    lock = InstanceLock(db)
    lock.acquire()
    try:
        _end_other_sessions(url)
        lock.hold()  # nobody took it meanwhile: held again, on a new connection
        with pytest.raises(GatewayAlreadyRunning):
            InstanceLock(rival_db).acquire()
    finally:
        lock.release()
        db.dispose()
        rival_db.dispose()


@pytest.mark.usefixtures("world")
def test_a_gateway_whose_lock_another_took_stops(
    make_api: Callable[..., Api], postgres: PostgresServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = postgres.new_database()
    api = make_api(url)
    assert api.gateway._hold_database()
    _end_other_sessions(url)
    rival_db = Database(url)
    rival = InstanceLock(rival_db)
    rival.acquire()  # a second process starts while the first one's lock is gone
    signals: list[int] = []
    monkeypatch.setattr(os, "kill", lambda pid, sig: signals.append(sig))
    try:
        assert not api.gateway._hold_database()
        assert signals == [signal.SIGTERM]  # the first one stops: two must never serve at once
    finally:
        rival.release()
        rival_db.dispose()
