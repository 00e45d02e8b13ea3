"""Idempotency-Key on writing POSTs, on SQLite and PostgreSQL: replays without a second
transaction, refusal of a reused key, concurrent duplicates, concurrent distinct writes with
correct nonces, and a restart after a crash between sending and recording."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import anyio
import pytest
from gateway_support import Api, Behind
from sqlalchemy import func, select, update
from world import World

from api.chain.journal import Journal
from api.chain.writer import KeyWriter
from api.db.schema import idempotency_records, transactions

pytestmark = pytest.mark.usefixtures("world")


def mint_path(world: World) -> str:
    return f"/v1/issuances/{world.issuance}/mint"


def journal_count(api: Api) -> int:
    with api.gateway.db.read() as conn:
        return int(conn.scalar(select(func.count()).select_from(transactions)) or 0)


@pytest.fixture
def db_api(world: World, make_api: Callable[..., Api], database_url: str) -> Api:
    world.platform.resync_nonces()
    return make_api(database_url)


def test_same_key_and_body_get_the_first_answer(db_api: Api, world: World) -> None:
    body = {"to": world.b.address, "amount": 5}
    first = db_api.post(mint_path(world), "issuer", body, key="mint-1")
    again = db_api.post(mint_path(world), "issuer", body, key="mint-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first.headers
    assert world.queries.balance_of(world.b.address, world.issuance) == 5
    assert journal_count(db_api) == 1


def test_same_key_with_another_body_is_refused(db_api: Api, world: World) -> None:
    assert db_api.post(mint_path(world), "issuer", {"to": world.b.address, "amount": 5}, key="k").status_code == 201
    other = db_api.post(mint_path(world), "issuer", {"to": world.b.address, "amount": 6}, key="k")
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    elsewhere = db_api.post("/v1/participants", "operator", {"wallet": world.b.address}, key="k")
    assert elsewhere.status_code == 422  # keys are per caller: this one is the operator's first use


def test_refusals_are_replayed_too(db_api: Api, world: World) -> None:
    first = db_api.post(mint_path(world), "issuer", {"to": world.b.address, "amount": 10_000}, key="big")
    again = db_api.post(mint_path(world), "issuer", {"to": world.b.address, "amount": 10_000}, key="big")
    assert first.status_code == again.status_code == 409 and again.json() == first.json()
    assert again.headers["content-type"] == "application/problem+json"


def test_concurrent_duplicates_send_one_transaction(db_api: Api, world: World) -> None:
    body = {"to": world.b.address, "amount": 3}
    answers: list[Any] = []

    def call() -> None:
        answers.append(db_api.post(mint_path(world), "issuer", body, key="same"))

    threads = [threading.Thread(target=call) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert {a.status_code for a in answers} == {201}
    assert len({a.json()["tx_hash"] for a in answers}) == 1
    assert world.queries.balance_of(world.b.address, world.issuance) == 3
    assert journal_count(db_api) == 1


def test_concurrent_writes_keep_nonces_right(db_api: Api, world: World) -> None:
    answers: list[Any] = []

    def call(n: int) -> None:
        answers.append(db_api.post(mint_path(world), "issuer", {"to": world.b.address, "amount": 1}, key=f"n{n}"))

    threads = [threading.Thread(target=call, args=(n,)) for n in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [a.status_code for a in answers] == [201] * 16
    assert world.queries.balance_of(world.b.address, world.issuance) == 16
    assert len({a.json()["tx_hash"] for a in answers}) == 16


def _as_if_crashed(api: Api) -> None:
    """What a crash leaves: the request still marked running, its transaction still pending."""
    with api.gateway.db.write() as conn:
        conn.execute(update(idempotency_records).values(state="running"))
        conn.execute(update(transactions).values(state="pending", block_number=None))


def test_restart_after_a_crash_between_sending_and_recording(
    world: World, make_api: Callable[..., Api], database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.platform.resync_nonces()
    api = make_api(database_url)
    body = {"to": world.b.address, "amount": 7}

    def crash(*args: object) -> None:
        raise RuntimeError("the process died here")

    with monkeypatch.context() as patch:
        # The result of a transaction sent inside a request is recorded with the request's answer
        # (`Journal.settle`, `write_marks`); outside one, by `Journal.mark`. Either way, crash there.
        patch.setattr(Journal, "mark", crash)
        patch.setattr("api.idempotency.write_marks", crash)
        first = api.post(mint_path(world), "issuer", body, key="crash-1")
    # An answer leaves before it is stored (api.idempotency.respond): the client has it,
    # and the crash leaves the request's record running, its transaction pending in the journal.
    assert first.status_code == 201 and "died" not in first.text
    assert world.queries.balance_of(world.b.address, world.issuance) == 7  # it was sent and included
    _as_if_crashed(api)
    api.client.__exit__(None, None, None)

    restarted = make_api(database_url)
    assert restarted.gateway.recovery.mined == 1  # resolved by its hash at startup
    retry = restarted.post(mint_path(world), "issuer", body, key="crash-1")
    assert retry.status_code == 201, retry.text
    assert retry.json() == first.json()  # the same transaction, found by its hash
    assert world.queries.balance_of(world.b.address, world.issuance) == 7  # not sent again
    assert journal_count(restarted) == 1


def test_restart_after_a_crash_before_the_broadcast(
    world: World, make_api: Callable[..., Api], database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Recorded but never sent: at startup the very same signed bytes are broadcast (the nonce is
    still free), and the retried request returns that transaction."""
    world.platform.resync_nonces()
    api = make_api(database_url)
    body = {"to": world.b.address, "amount": 2}

    async def lost(self: KeyWriter, batch: list[Any]) -> None:
        for job in batch:
            job.answer.set_exception(RuntimeError("the process died before sending"))

    with monkeypatch.context() as patch:
        # Signed and recorded, then the key's writer hands the batch to the node (api.chain.writer).
        patch.setattr(KeyWriter, "_hand_over", lost)
        assert api.post(mint_path(world), "issuer", body, key="lost").status_code == 500
    assert world.queries.balance_of(world.b.address, world.issuance) == 0
    _as_if_crashed(api)
    api.client.__exit__(None, None, None)

    restarted = make_api(database_url)
    assert restarted.gateway.recovery.rebroadcast == 1
    retry = restarted.post(mint_path(world), "issuer", body, key="lost")
    assert retry.status_code == 201, retry.text
    assert world.queries.balance_of(world.b.address, world.issuance) == 2
    assert journal_count(restarted) == 1


def test_invalid_key_is_refused(db_api: Api, world: World) -> None:
    answer = db_api.post(mint_path(world), "issuer", {"to": world.b.address, "amount": 1}, key="x" * 300)
    assert answer.status_code == 400 and answer.json()["code"] == "invalid_idempotency_key"


def test_answered_keys_past_the_retention_are_pruned(db_api: Api, world: World) -> None:
    body = {"to": world.b.address, "amount": 2}
    assert db_api.post(mint_path(world), "issuer", body, key="old").status_code == 201
    assert db_api.post(mint_path(world), "issuer", body, key="recent").status_code == 201
    with db_api.gateway.db.write() as conn:  # the first answered long ago, and one still running
        conn.execute(update(idempotency_records).where(idempotency_records.c.key == "old").values(created_at=1))
        conn.execute(
            idempotency_records.insert().values(
                principal="x", key="running", fingerprint="f", state="running", created_at=1, lease_until=0
            )
        )
    assert db_api.gateway.prune() == 1  # the default retention: days
    with db_api.gateway.db.read() as conn:
        keys = set(conn.scalars(select(idempotency_records.c.key)))
        links = list(conn.execute(select(transactions.c.idempotency_id, transactions.c.state)))
    assert keys == {"recent", "running"}
    # The pruned request's transaction stays in the journal, no longer numbered in a request.
    assert sorted((i is None, s) for i, s in links) == [(False, "mined"), (True, "mined")]
    again = db_api.post(mint_path(world), "issuer", body, key="old")
    assert again.status_code == 201 and "Idempotent-Replayed" not in again.headers  # a new request now
    assert world.queries.balance_of(world.b.address, world.issuance) == 6


def test_a_body_differing_only_in_formatting_and_key_order_is_replayed(db_api: Api, world: World) -> None:
    path = mint_path(world)
    headers = {**db_api.key("issuer"), "Idempotency-Key": "fmt", "content-type": "application/json"}
    first = db_api.client.post(path, content=f'{{"to":"{world.b.address}","amount":4}}', headers=headers)
    again = db_api.client.post(path, content=f'{{\n  "amount": 4,\n  "to": "{world.b.address}"\n}}', headers=headers)
    assert first.status_code == again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json() and journal_count(db_api) == 1
    other = db_api.client.post(path, content=f'{{"to":"{world.b.address}","amount":4.0}}', headers=headers)
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"  # another number


def test_a_retry_while_the_first_attempt_runs_waits_for_it_however_long_it_takes(
    world: World, make_api: Callable[..., Api], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A running request is never taken over (it once was, past a lease, and both attempts minted):
    the retry waits for the first attempt's answer and gets it again, one transaction in all."""
    world.platform.resync_nonces()
    api = make_api()
    sign = KeyWriter._sign
    calls: list[int] = []

    async def slow(self: KeyWriter, batch: list[Any]) -> Any:
        calls.append(len(batch))
        if len(calls) == 1:
            await anyio.sleep(2)  # the first attempt: a node slow to give the fees
        return await sign(self, batch)

    monkeypatch.setattr(KeyWriter, "_sign", slow)
    path, body = mint_path(world), {"to": world.b.address, "amount": 1}
    answers: list[Any] = []
    first = threading.Thread(target=lambda: answers.append(api.post(path, "issuer", body, key="once")))
    first.start()
    time.sleep(1)  # the client's retry, while the first attempt still runs
    answers.append(api.post(path, "issuer", body, key="once"))
    first.join()
    assert [a.status_code for a in answers] == [201, 201] and answers[1].headers["Idempotent-Replayed"] == "true"
    assert world.queries.balance_of(world.b.address, world.issuance) == 1 and journal_count(api) == 1


def test_duplicates_waiting_for_a_running_request_do_not_stall_other_callers(
    world: World, gateway_behind: Behind
) -> None:
    """Duplicates wait on the event loop, not in the worker threads every request needs: 45 of them
    once held every thread, and an unrelated read waited as long as they did."""
    _, api = gateway_behind(settings={"idempotency_wait": 8}, hold_first_send=2.0)  # the first mint held 2 s
    path, body = mint_path(world), {"to": world.b.address, "amount": 1}
    api.key("regulator")
    answers: list[Any] = []

    def mint() -> None:
        answers.append(api.post(path, "issuer", body, key="same"))

    first = threading.Thread(target=mint)
    first.start()
    time.sleep(0.5)
    duplicates = [threading.Thread(target=mint) for _ in range(45)]
    for thread in duplicates:
        thread.start()
    time.sleep(0.5)
    started = time.monotonic()
    other = api.get("/v1/decisions/watch", "regulator")  # another caller, another route
    took = time.monotonic() - started
    for thread in [first, *duplicates]:
        thread.join()
    assert other.status_code == 200
    assert took < 4, f"an unrelated read waited {took:.1f} s behind the duplicates"  # half their wait
    assert {a.status_code for a in answers} == {201}, sorted(a.status_code for a in answers)
    assert journal_count(api) == 1


def test_refused_requests_past_the_retention_are_pruned_too(world: World, make_api: Callable[..., Api]) -> None:
    """A refusal that is no answer (409, 429, 5xx) leaves its request interrupted, for a retry to
    take over: past the retention it goes like an answered one, so fresh keys cannot grow the table."""
    world.platform.resync_nonces()
    api = make_api()
    for n in range(3):  # past the issuance's cap: the contract refuses, 409
        answer = api.post(mint_path(world), "issuer", {"to": world.b.address, "amount": 10_000}, key=f"refused-{n}")
        assert answer.status_code == 409
    with api.gateway.db.write() as conn:  # all of them long ago
        conn.execute(update(idempotency_records).values(created_at=1))
    assert api.gateway.prune() == 3
    with api.gateway.db.read() as conn:
        assert conn.scalar(select(func.count()).select_from(idempotency_records)) == 0
