"""The Gateway object (api/gateway.py): opening it fails with one line of SdapError on a bad
deployment, key or database, and leaves the database to the next process; it interrupts the
requests an earlier process left running, and postpones the journal's recovery to the resolver
while the node is down; `prune` forgets answered keys and closed offers past the retention; a
periodic task that fails runs again; the resolver resolves a lost send at once, a pending one by
its age, and keeps a lost send while the node is away; `close` stops every thread it started.
(One process per database: tests/api/db/test_instance.py; recovery at startup and `prune` of
idempotency records through requests: tests/api/test_idempotency.py.)"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from eth_account.signers.local import LocalAccount
from gateway_support import Api, settings_for
from sqlalchemy import insert, select, update
from web3 import Web3

from api.chain.journal import MINED, PENDING, JournalEntry, Recorded
from api.db import Database, now
from api.db.schema import idempotency_records, offers, transactions
from api.gateway import RESOLVE_EVERY, STALE_AFTER, Gateway
from api.settings import Settings
from sdap.anvil import Anvil
from sdap.errors import SdapError

#: A port nothing listens on: a node, or a database, that cannot be reached.
NOWHERE = "127.0.0.1:9"


@pytest.fixture
def settings(anvil: Anvil, deployment_file: Path, tmp_path: Path) -> Callable[..., Settings]:
    """A test gateway's settings on a SQLite database of the test's own, with `overrides`."""

    def make(**overrides: Any) -> Settings:
        overrides.setdefault("database_url", f"sqlite:///{tmp_path / 'gateway.db'}")
        return settings_for(anvil, overrides.pop("deployment", deployment_file), **overrides)

    return make


@pytest.fixture
def opened(accounts: list[LocalAccount]) -> Iterator[Callable[[Settings], Gateway]]:
    """Opens gateways holding the operator's key; those still open are closed after the test."""
    gateways: list[Gateway] = []

    def open_(settings: Settings) -> Gateway:
        gateways.append(Gateway.open(settings, [accounts[2]]))
        return gateways[-1]

    yield open_
    for gateway in gateways:
        if not gateway._stop.is_set():
            gateway.close()


def signed(w3: Web3, key: LocalAccount, nonce: int) -> JournalEntry:
    """A transfer of 1 wei signed by `key`, as the journal records it before a send."""
    tx = {"to": "0x" + "11" * 20, "value": 1, "gas": 21_000, "nonce": nonce, "chainId": w3.eth.chain_id}
    tx.update({"maxFeePerGas": 10 * 10**9, "maxPriorityFeePerGas": 10**9})
    done = key.sign_transaction(tx)
    return JournalEntry(
        "0x" + bytes(done.hash).hex(), key.address, nonce, "0x" + bytes(done.raw_transaction).hex(), PENDING
    )


def sent(gateway: Gateway, key: LocalAccount, count: int) -> list[str]:
    """`count` transactions recorded pending in the gateway's journal and included on-chain, as a
    process that stopped before recording their receipts leaves them."""
    w3 = gateway.chain.w3
    first = w3.eth.get_transaction_count(key.address)
    entries = [signed(w3, key, first + n) for n in range(count)]
    gateway.chain.journal.record([Recorded(e, "test") for e in entries])
    for entry in entries:
        w3.eth.send_raw_transaction(entry.raw)
    return [e.tx_hash for e in entries]


def state(gateway: Gateway, tx_hash: str) -> str:
    found = gateway.chain.journal.get(tx_hash)
    assert found is not None
    return found.state


BAD = {
    "deployment": ({"deployment": Path("/nowhere/deployment.json")}, "no deployment file"),
    "key": ({"private_keys": "0x1234"}, "not a private key"),
    "no key": ({"private_keys": None, "keystore_dir": None}, "SDAP_KEYSTORE_DIR"),
    "database kind": ({"database_url": "mysql://sdap:db-password@db.example/sdap"}, "unsupported database"),
    "database url": ({"database_url": "postgresql://sdap:db-password@[::1/sdap"}, "not a valid database URL"),
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        *(pytest.param(*case, id=name) for name, case in BAD.items()),
        pytest.param(
            {"database_url": f"postgresql://sdap:db-password@{NOWHERE}/sdap"},
            "cannot be used: connection",
            id="database down",
        ),
        pytest.param(
            {"database_url": "sqlite:////nowhere/gateway.db"},
            "cannot be used: No such file or directory",
            id="database directory missing",
        ),
    ],
)
def test_a_bad_deployment_key_or_database_fails_with_one_line(
    settings: Callable[..., Settings], accounts: list[LocalAccount], change: dict[str, Any], message: str
) -> None:
    keys_named = "private_keys" in change  # else the operator's key is given, as tests do
    with pytest.raises(SdapError) as refused:
        Gateway.open(settings(**change), signers=None if keys_named else [accounts[2]])
    text = str(refused.value)
    assert message in text and "\n" not in text
    assert "db-password" not in text and "0x1234" not in text


def test_a_gateway_that_failed_to_open_leaves_the_database_to_the_next(
    settings: Callable[..., Settings], opened: Callable[[Settings], Gateway], database_url: str
) -> None:
    with pytest.raises(SdapError, match="no deployment file"):
        opened(settings(database_url=database_url, deployment=Path("/nowhere/deployment.json")))
    # The lock taken before the deployment was read is released: held, the next one would be refused.
    gateway = opened(settings(database_url=database_url))
    assert gateway.chain.deployment.chain_id == 31337


def test_opening_interrupts_the_requests_an_earlier_process_left_running(
    settings: Callable[..., Settings], opened: Callable[[Settings], Gateway]
) -> None:
    config = settings()
    db = Database(config.database_url)
    db.migrate()
    with db.write() as conn:
        for key, record_state in (("running", "running"), ("done", "done")):
            row = {"principal": "issuer:x", "key": key, "fingerprint": "f", "state": record_state}
            conn.execute(insert(idempotency_records).values(**row, created_at=now(), lease_until=time.time() + 600))
    db.dispose()
    gateway = opened(config)
    with gateway.db.read() as conn:
        rows = conn.execute(select(idempotency_records.c.key, idempotency_records.c.state))
        states = {key: value for key, value in rows}
    # Its lease has not run out, yet nobody serves it any more: a retry takes it over at once.
    assert states == {"running": "interrupted", "done": "done"}


def test_a_node_down_at_startup_leaves_the_journal_to_the_resolver(
    settings: Callable[..., Settings],
    opened: Callable[[Settings], Gateway],
    accounts: list[LocalAccount],
    caplog: pytest.LogCaptureFixture,
) -> None:
    first = opened(settings())
    [tx_hash] = sent(first, accounts[9], 1)
    first.close()
    with caplog.at_level(logging.WARNING, logger="sdap.gateway"):
        down = opened(settings(rpc_url=f"http://{NOWHERE}"))  # serving reads of its records meanwhile
    assert "journal recovery postponed" in caplog.text
    assert state(down, tx_hash) == PENDING
    assert down.chain.lost.take() == {tx_hash}  # the resolver looks it up as soon as the node answers
    down.close()
    up = opened(settings())
    assert up.recovery.mined == 1 and state(up, tx_hash) == MINED


def test_prune_forgets_answered_keys_and_closed_offers_past_the_retention(make_api: Callable[..., Api]) -> None:
    gateway = make_api(idempotency_retention=3600).gateway
    old, recent = now() - 7200, now() - 600
    with gateway.db.write() as conn:
        for key, record_state, created in (
            ("old", "done", old),
            ("recent", "done", recent),
            ("running", "running", old),
        ):
            row = {"principal": "issuer:x", "key": key, "fingerprint": "f", "state": record_state}
            conn.execute(insert(idempotency_records).values(**row, created_at=created, lease_until=0))
        for n, (status, closed_at, expiry) in enumerate(
            [
                ("cancelled", old, 2**40),  # closed long ago: forgotten
                ("taken", recent, 2**40),  # closed within the retention: kept
                ("open", None, old),  # expired long ago: forgotten
                ("open", None, 2**40),  # open: kept
            ]
        ):
            conn.execute(insert(offers).values(**offer_row(n), status=status, closed_at=closed_at, expiry=expiry))
    assert gateway.prune() == 3  # one key, two offers
    with gateway.db.read() as conn:
        keys = set(conn.scalars(select(idempotency_records.c.key)))
        left = [tuple(row) for row in conn.execute(select(offers.c.status, offers.c.closed_at).order_by(offers.c.id))]
    assert keys == {"recent", "running"}
    assert left == [("taken", recent), ("open", None)]
    assert gateway.prune() == 0


def offer_row(n: int) -> dict[str, Any]:
    token, party = "0x" + "22" * 20, "0x" + "33" * 20
    return {
        "offer_hash": f"0x{n:064x}",
        "maker": party,
        "taker": "0x" + "00" * 20,
        "give_token": token,
        "give_id": "1",
        "give_amount": "1",
        "want_token": token,
        "want_id": "2",
        "want_amount": "1",
        "nonce": str(n),
        "signature": "0x" + "00" * 65,
        "published_at": now() - 9000,
    }


def test_a_periodic_task_that_fails_runs_again_and_stops_on_close(
    settings: Callable[..., Settings], opened: Callable[[Settings], Gateway], caplog: pytest.LogCaptureFixture
) -> None:
    gateway = opened(settings())
    runs: list[float] = []

    def flaky() -> None:
        runs.append(time.monotonic())
        if len(runs) <= 2:
            raise RuntimeError("the node said something with a secret-token in it")

    worker = threading.Thread(target=gateway._every, args=("flaky", 0.02, flaky))
    gateway._threads.append(worker)
    with caplog.at_level(logging.WARNING, logger="sdap.gateway"):
        worker.start()
        deadline = time.monotonic() + 10
        while len(runs) < 5 and time.monotonic() < deadline:
            time.sleep(0.01)
        gateway.close()
    assert len(runs) >= 5  # the two failures did not end it
    assert not worker.is_alive()
    count = len(runs)
    time.sleep(0.1)
    assert len(runs) == count
    # A failure is logged by its class, not its message (it may carry what the node was sent).
    assert caplog.text.count("flaky failed: RuntimeError") == 2 and "secret-token" not in caplog.text


def test_close_stops_every_background_thread_and_frees_the_database(
    settings: Callable[..., Settings], opened: Callable[[Settings], Gateway]
) -> None:
    gateway = opened(settings(index_interval=0.05, notice_fetch_interval=0.05))
    gateway.start_background()
    threads = list(gateway._threads)
    assert sorted(t.name for t in threads) == ["idempotency-prune", "index", "notice-texts", "resolver"]
    assert all(t.is_alive() for t in threads)
    started = time.monotonic()
    gateway.close()
    assert not any(t.is_alive() for t in threads)
    # The resolver sleeps RESOLVE_EVERY (10 s) between rounds: it is woken to stop, not waited for.
    assert time.monotonic() - started < RESOLVE_EVERY / 2
    # Freed: the next one opens on it. Without a retention, it prunes nothing, and runs no pruner.
    after = opened(settings(idempotency_retention=0, notice_fetch_interval=0))
    after.start_background()
    assert [t.name for t in after._threads] == ["resolver"]


def test_the_resolver_resolves_a_lost_send_at_once_and_a_pending_one_once_stale(
    settings: Callable[..., Settings], opened: Callable[[Settings], Gateway], accounts: list[LocalAccount]
) -> None:
    gateway = opened(settings())
    lost, waiting = sent(gateway, accounts[9], 2)
    gateway.resolve_pending()
    # Both young, neither lost: a request may still be waiting for its receipt.
    assert (state(gateway, lost), state(gateway, waiting)) == (PENDING, PENDING)
    gateway.chain.lost.add(lost)
    gateway.resolve_pending()
    assert (state(gateway, lost), state(gateway, waiting)) == (MINED, PENDING)
    assert not gateway.chain.lost.any()
    with gateway.db.write() as conn:
        conn.execute(
            update(transactions)
            .where(transactions.c.tx_hash == waiting)
            .values(created_at=now() - int(STALE_AFTER) - 5)
        )
    gateway.resolve_pending()
    assert state(gateway, waiting) == MINED


def test_a_lost_send_is_kept_while_the_node_is_away_and_resolved_once_it_answers(
    settings: Callable[..., Settings], opened: Callable[[Settings], Gateway], accounts: list[LocalAccount]
) -> None:
    gateway = opened(settings())
    [tx_hash] = sent(gateway, accounts[9], 1)
    w3 = gateway.chain.w3
    provider = w3.provider
    w3.provider = type(provider)(f"http://{NOWHERE}")  # type: ignore[call-arg]
    gateway.chain.lost.add(tx_hash)
    with pytest.raises(SdapError):
        gateway.resolve_pending()
    assert state(gateway, tx_hash) == PENDING
    assert gateway.chain.lost.any()  # not forgotten: the next round looks again
    w3.provider = provider
    gateway.chain.lost.wake.clear()
    gateway.start_background()
    gateway.chain.lost.add()  # what a lost send does: wakes the resolver rather than after RESOLVE_EVERY
    deadline = time.monotonic() + 5
    while state(gateway, tx_hash) == PENDING and time.monotonic() < deadline:
        time.sleep(0.05)
    assert state(gateway, tx_hash) == MINED
