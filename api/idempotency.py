"""Idempotency-Key on every writing POST (draft-ietf-httpapi-idempotency-key-header).

The first request with a key claims it: its fingerprint (method, path, canonical body) is stored,
it runs, and its answer (success or refusal) is stored. The same key and body then get that answer
again, marked `Idempotent-Replayed: true`, without a second transaction; the same key with another
request is refused (422); a duplicate arriving while the first still runs waits for its answer (or
gets 409 after `idempotency_wait`). Keys are scoped by caller. A request is taken over by a retry
only once interrupted (it failed without an answer, or a crash left it running and the next process
marked it so), never while an attempt of it runs.

The claimed key travels to whatever sends as an Operation (api.chain.operation): its transactions
are numbered in the journal (api.chain.journal), so a request interrupted after sending (a crash, a
timeout) and retried with the same key waits for the transaction it already sent instead of
sending another. Records older than the retention period are pruned (`IdempotencyStore.prune`):
after it, the same key is a new request.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import anyio
import anyio.to_thread
from pydantic import BaseModel
from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.exc import IntegrityError
from starlette.background import BackgroundTask
from starlette.responses import Response

from api.auth.principal import Principal
from api.chain.journal import Mark, write_marks
from api.chain.operation import Operation
from api.db import Database, is_unique_violation, now
from api.db.schema import idempotency_records, transactions
from api.errors import (
    ApiError,
    IdempotencyInProgress,
    IdempotencyKeyReused,
    InvalidIdempotencyKey,
    problem_response,
)

RUNNING, DONE, INTERRUPTED = "running", "done", "interrupted"
HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"

Marks = Sequence[Mark]
T = TypeVar("T")

#: Answers not kept: they say nothing about the request (the caller may retry as is).
_NOT_STORED = {401, 403, 409, 429}


# The statements of every idempotent request, built once: constructing and cache-keying a
# SQLAlchemy statement costs more than running it on SQLite.
_CLAIM = idempotency_records.insert().values(
    principal=bindparam("p_principal"),
    key=bindparam("p_key"),
    fingerprint=bindparam("p_fingerprint"),
    state=RUNNING,
    created_at=bindparam("p_created_at"),
    lease_until=bindparam("p_lease_until"),
)
_COMPLETE = (
    update(idempotency_records)
    .where(idempotency_records.c.id == bindparam("p_id"))
    .values(state=DONE, status_code=bindparam("p_status"), response=bindparam("p_body"))
)


@dataclass(frozen=True)
class Stored:
    status: int
    body: str


@dataclass(frozen=True)
class Claim:
    record_id: int
    stored: Stored | None
    resumed: bool = False


class IdempotencyStore:
    def __init__(self, db: Database, *, lease: float, wait: float) -> None:
        # `lease`: how long an attempt is expected to run at most, recorded with it (lease_until) for
        # whoever reads the table; no longer a reason to take a running request over.
        self._db = db
        self._lease = lease
        self._wait = wait

    @property
    def wait(self) -> float:
        """How long a duplicate waits for the first request's answer before 409."""
        return self._wait

    def claim(self, scope: str, key: str, fingerprint: str) -> Claim | None:
        """One look: the key claimed for this request, its stored answer, an interrupted request
        taken over, or None while an attempt of the request still runs (the caller waits, off any
        worker thread, and looks again). A running request is never taken over: one process serves
        a database, so a record running is served now, and one a crash left running is marked
        interrupted when the next process starts (`interrupt_all`)."""
        while True:
            try:
                with self._db.write() as conn:
                    result = conn.execute(
                        _CLAIM,
                        {
                            "p_principal": scope,
                            "p_key": key,
                            "p_fingerprint": fingerprint,
                            "p_created_at": now(),
                            "p_lease_until": time.time() + self._lease,
                        },
                    )
                    return Claim(int(result.inserted_primary_key[0]), None)  # type: ignore[index]
            except IntegrityError as exc:
                if not is_unique_violation(exc):
                    raise
            with self._db.read() as conn:
                row = conn.execute(
                    select(idempotency_records).where(
                        idempotency_records.c.principal == scope, idempotency_records.c.key == key
                    )
                ).first()
            if row is None:
                continue  # pruned meanwhile: claim it anew
            if row.fingerprint != fingerprint:
                raise IdempotencyKeyReused("this Idempotency-Key was used for a different request")
            if row.state == DONE:
                return Claim(row.id, Stored(int(row.status_code), row.response))
            if row.state != INTERRUPTED:
                return None
            # The first attempt stopped before answering: take over; its transactions are found
            # in the journal rather than sent again.
            with self._db.write() as conn:
                taken = conn.execute(
                    update(idempotency_records)
                    .where(idempotency_records.c.id == row.id, idempotency_records.c.state == INTERRUPTED)
                    .values(state=RUNNING, lease_until=time.time() + self._lease)
                )
            if taken.rowcount:
                return Claim(row.id, None, resumed=True)

    def complete(self, record_id: int, status: int, body: str, marks: Marks = ()) -> None:
        """Stores the answer, with the final states of the request's transactions (one database
        transaction for both: see `Journal.settle`)."""
        with self._db.write() as conn:
            write_marks(conn, marks)
            conn.execute(_COMPLETE, {"p_id": record_id, "p_status": status, "p_body": body})

    def interrupt(self, record_id: int, marks: Marks = ()) -> None:
        with self._db.write() as conn:
            write_marks(conn, marks)
            conn.execute(
                update(idempotency_records)
                .where(idempotency_records.c.id == record_id, idempotency_records.c.state == RUNNING)
                .values(state=INTERRUPTED)
            )

    def prune(self, retention: float) -> int:
        """Forgets the requests older than `retention` seconds that are not running (their keys
        may then be used again as new requests); returns how many. Their transactions stay in the
        journal, no longer numbered in a request."""
        cutoff = now() - retention
        # Answered, or interrupted and never retried (a refusal that is no answer, a failure): a
        # request still running is kept.
        old = select(idempotency_records.c.id).where(
            idempotency_records.c.state.in_((DONE, INTERRUPTED)), idempotency_records.c.created_at < cutoff
        )
        with self._db.write() as conn:
            conn.execute(
                update(transactions)
                .where(transactions.c.idempotency_id.in_(old.scalar_subquery()))
                .values(idempotency_id=None, seq=None)
            )
            result = conn.execute(
                delete(idempotency_records).where(idempotency_records.c.id.in_(old.scalar_subquery()))
            )
        return int(result.rowcount)

    def interrupt_all(self) -> int:
        """At startup: nothing is running any more (one gateway process serves a database)."""
        with self._db.write() as conn:
            result = conn.execute(
                update(idempotency_records).where(idempotency_records.c.state == RUNNING).values(state=INTERRUPTED)
            )
        return int(result.rowcount)


def fingerprint(method: str, path: str, body: bytes) -> str:
    """What makes two requests the same: method, path and the JSON body up to formatting."""
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")) if body.strip() else ""
    except ValueError:
        canonical = body.decode("utf-8", "replace")
    return hashlib.sha256(f"{method} {path}\n{canonical}".encode()).hexdigest()


def check_key(key: str | None) -> str | None:
    if key is None:
        return None
    if not 1 <= len(key) <= 255 or not key.isascii() or not key.isprintable():
        raise InvalidIdempotencyKey("an Idempotency-Key is 1 to 255 printable ASCII characters")
    return key


def blocking(action: Callable[[Operation | None], T]) -> Callable[[Operation | None], Awaitable[T]]:
    """An action that blocks (the SDK's calls), run in a worker thread: for `Idempotency.respond`."""
    return lambda op: anyio.to_thread.run_sync(action, op)


@dataclass(frozen=True)
class Idempotency:
    """One writing request's key and fingerprint; `respond` runs it at most once per key."""

    store: IdempotencyStore
    key: str | None
    fingerprint: str
    path: str

    async def respond(
        self, caller: Principal, status: int, action: Callable[[Operation | None], Awaitable[BaseModel | None]]
    ) -> Response:
        """Runs `action` for the claimed key (its Operation: None without a key) and answers with
        its result; the same key and body get that answer again. The database is used from worker
        threads, never from the event loop."""
        if self.key is None:
            return _render(status, await action(None))
        claim = await self._claimed(caller.scope, self.key)
        if claim.stored is not None:
            return _replay(claim.stored)
        op = Operation(claim.record_id, resumed=claim.resumed)
        try:
            result = await action(op)
        except BaseException as exc:  # noqa: BLE001 - raised again unless it is a refusal
            with anyio.CancelScope(shield=True):  # the request's record is settled even if cancelled
                return await self._failed(claim.record_id, exc, op.marks)
        response = _render(status, result)
        # Stored once the answer is on its way: its transactions are already in the journal, so a
        # crash before this only leaves the record running, and a retry with the key finds them by
        # their hash (`claim` takes the request over) and answers the same.
        response.background = BackgroundTask(
            self.store.complete, claim.record_id, status, bytes(response.body).decode(), op.marks
        )
        return response

    async def _claimed(self, scope: str, key: str) -> Claim:
        """The claim, once any other attempt of the request has answered; a duplicate waits on the
        event loop, each look in a worker thread, so duplicates never hold the threads every
        request needs (the first request's own answer among them)."""
        deadline = anyio.current_time() + self.store.wait
        pause = 0.005
        while True:
            claim = await anyio.to_thread.run_sync(self.store.claim, scope, key, self.fingerprint)
            if claim is not None:
                return claim
            if anyio.current_time() >= deadline:
                raise IdempotencyInProgress("retry once the first request with this key has been answered")
            await anyio.sleep(pause)
            pause = min(pause * 2, 0.1)

    async def _failed(self, record_id: int, exc: BaseException, marks: Marks) -> Response:
        """A refusal is the request's answer, stored for replays; anything else (a failure of the
        node or of the gateway, an interruption) leaves the request to be retried: raised again."""
        if isinstance(exc, ApiError) and exc.status < 500 and exc.status not in _NOT_STORED:
            refusal = problem_response(exc, self.path)
            body = bytes(refusal.body).decode()
            await anyio.to_thread.run_sync(self.store.complete, record_id, exc.status, body, marks)
            return refusal
        await anyio.to_thread.run_sync(self.store.interrupt, record_id, marks)
        raise exc


def _render(status: int, result: BaseModel | None) -> Response:
    if result is None:
        return Response(status_code=status)
    # pydantic's own serialiser: the JSON FastAPI would give, at a fraction of jsonable_encoder's cost.
    return Response(result.model_dump_json(), status_code=status, media_type="application/json")


def _replay(stored: Stored) -> Response:
    media = "application/problem+json" if stored.status >= 400 else "application/json"
    if not stored.body:
        return Response(status_code=stored.status, headers={REPLAYED: "true"})
    return Response(stored.body, status_code=stored.status, media_type=media, headers={REPLAYED: "true"})
