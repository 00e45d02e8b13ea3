"""Idempotency-Key on every writing POST (draft-ietf-httpapi-idempotency-key-header).

The first request with a key claims it: its fingerprint (method, path, canonical body) is stored,
it runs, and its answer (success or refusal) is stored. The same key and body then get that answer
again, marked `Idempotent-Replayed: true`, without a second transaction; the same key with another
request is refused (422); a duplicate arriving while the first still runs waits for its answer (or
gets 409 after `idempotency_wait`). Keys are scoped by caller.

Transactions sent while serving a claimed key are numbered in the journal (api.chain.journal), so a
request interrupted after sending (a crash, a timeout) and retried with the same key waits for the
transaction it already sent instead of sending another.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from pydantic import BaseModel
from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from api.auth.principal import Principal
from api.chain.journal import Operation, operation, write_marks
from api.db import Database, is_unique_violation, now
from api.db.schema import idempotency_records
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

Marks = Sequence[tuple[str, str, int | None]]

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
_CLAIM_RETURNING = _CLAIM.returning(idempotency_records.c.id)
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
        self._db = db
        self._lease = lease
        self._wait = wait

    def claim(self, scope: str, key: str, fingerprint: str) -> Claim:
        deadline = time.monotonic() + self._wait
        pause = 0.005
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
                continue
            if row.fingerprint != fingerprint:
                raise IdempotencyKeyReused("this Idempotency-Key was used for a different request")
            if row.state == DONE:
                return Claim(row.id, Stored(int(row.status_code), row.response))
            if row.state == INTERRUPTED or row.lease_until < time.time():
                # The first attempt stopped before answering: take over; its transactions are
                # found in the journal rather than sent again.
                with self._db.write() as conn:
                    taken = conn.execute(
                        update(idempotency_records)
                        .where(idempotency_records.c.id == row.id, idempotency_records.c.state != DONE)
                        .where(
                            (idempotency_records.c.state == INTERRUPTED)
                            | (idempotency_records.c.lease_until < time.time())
                        )
                        .values(state=RUNNING, lease_until=time.time() + self._lease)
                    )
                if taken.rowcount:
                    return Claim(row.id, None, resumed=True)
                continue
            if time.monotonic() >= deadline:
                raise IdempotencyInProgress("retry once the first request with this key has been answered")
            time.sleep(pause)
            pause = min(pause * 2, 0.1)

    def claim_direct(self, scope: str, key: str, fingerprint: str) -> int | None:
        """`claim` from the event loop, for a key not seen before: the new record's id, or None when
        the key is known (then `claim`, in a worker thread, replays, waits or takes over)."""
        values = {
            "p_principal": scope,
            "p_key": key,
            "p_fingerprint": fingerprint,
            "p_created_at": now(),
            "p_lease_until": time.time() + self._lease,
        }
        try:
            with self._db.direct.transaction(write=True) as cursor:
                row = cursor.execute(_CLAIM_RETURNING, values).first()
        except Exception as exc:
            if is_unique_violation(exc):
                return None
            raise
        assert row is not None
        return int(row[0])

    def complete_direct(self, record_id: int, status: int, body: str, marks: Marks = ()) -> None:
        """`complete` from the event loop."""
        with self._db.direct.transaction(write=True) as cursor:
            write_marks(cursor, marks)
            cursor.execute(_COMPLETE, {"p_id": record_id, "p_status": status, "p_body": body})

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


@dataclass(frozen=True)
class Idempotency:
    """One writing request's key and fingerprint; `respond` runs it at most once per key."""

    store: IdempotencyStore
    key: str | None
    fingerprint: str
    path: str

    def respond(self, caller: Principal, status: int, action: Callable[[], BaseModel | None]) -> Response:
        if self.key is None:
            return _render(status, action())
        claim = self.store.claim(caller.scope, self.key, self.fingerprint)
        if claim.stored is not None:
            return _replay(claim.stored)
        marks: Marks = []
        try:
            with operation(claim.record_id, resumed=claim.resumed) as op:
                marks = op.marks
                result = action()
        except BaseException as exc:  # noqa: BLE001 - raised again unless it is a refusal
            return self._failed(claim.record_id, exc, marks, self.store.complete)
        response = _render(status, result)
        self.store.complete(claim.record_id, status, bytes(response.body).decode(), marks)
        return response

    async def respond_async(
        self,
        caller: Principal,
        status: int,
        action: Callable[[Operation | None], Awaitable[BaseModel]],
        fallback: Callable[[], BaseModel | None],
    ) -> Response:
        """`respond` for an action that runs on the event loop (the mint). A key seen before (a
        replay, a duplicate still running, a retry after a crash) takes `respond` with `fallback`,
        the same action in a worker thread."""
        if self.key is None:
            return _render(status, await action(None))
        record_id = self.store.claim_direct(caller.scope, self.key, self.fingerprint)
        if record_id is None:
            return await run_in_threadpool(self.respond, caller, status, fallback)
        op = Operation(record_id)
        try:
            result = await action(op)
        except BaseException as exc:  # noqa: BLE001 - raised again unless it is a refusal
            return self._failed(record_id, exc, op.marks, self.store.complete_direct)
        response = _render(status, result)
        body = bytes(response.body).decode()

        async def complete() -> None:
            self.store.complete_direct(record_id, status, body, op.marks)

        # Stored once the answer is on its way: the transaction is already in the journal, so a
        # crash before this only leaves the record running, and a retry with the key finds the
        # transaction by its hash (`claim` takes the request over) and answers the same.
        response.background = BackgroundTask(complete)
        return response

    def _failed(self, record_id: int, exc: BaseException, marks: Marks, complete: Callable[..., None]) -> Response:
        """A refusal is the request's answer, stored for replays; anything else (a failure of the
        node or of the gateway, an interruption) leaves the request to be retried: raised again."""
        if isinstance(exc, ApiError) and exc.status < 500 and exc.status not in _NOT_STORED:
            refusal = problem_response(exc, self.path)
            complete(record_id, exc.status, bytes(refusal.body).decode(), marks)
            return refusal
        self.store.interrupt(record_id, marks)
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
