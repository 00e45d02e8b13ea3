"""Handing one key's signed transactions to the node from the event loop: in nonce order, and
those that are ready together in one JSON-RPC batch.

Order (api.chain.ordering) alone would make a burst of mints reach the node one after the other,
each sent once the node knows the one before. A node that builds a block as soon as something
arrives (anvil's automine) then mines each in its own block, and the burst is as slow as
one-at-a-time. So every transaction of the burst that is ready when its turn comes goes in the
same request, a batch the node takes in the order given: still strictly in nonce order, and the
node sees them together, as it sees a client's concurrent requests. A transaction with nothing
before it outstanding goes at once, alone, as a single call.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from api.chain.journal import METHOD_NOT_FOUND, JournaledTransactor, JournalEntry
from api.chain.node import AsyncNode
from sdap.errors import ConnectionFailed, RpcError

log = logging.getLogger("sdap.gateway.courier")

#: The most transactions in one request (nodes bound batches: Besu at 1,024 by default).
MAX_BATCH = 64

SYNC_SEND = "eth_sendRawTransactionSync"
PLAIN_SEND = "eth_sendRawTransaction"


@dataclass(frozen=True)
class _Parcel:
    entry: JournalEntry
    answer: asyncio.Future[dict[str, Any] | None]


class Courier:
    """Hands the transactions of one key (its JournaledTransactor) to the node for the requests
    on one event loop."""

    def __init__(
        self, transactor: JournaledTransactor, node: AsyncNode, known: Callable[[str], Awaitable[bool]]
    ) -> None:
        self._tx = transactor
        self._node = node
        self._known = known
        self._waiting: dict[int, _Parcel] = {}
        self._runner: asyncio.Task[None] | None = None
        self._handing: set[asyncio.Task[None]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        #: Whether the node takes JSON-RPC batches: until it refuses one.
        self._batches = True

    async def deliver(self, entry: JournalEntry) -> dict[str, Any] | None:
        """Hands `entry` over once the node knows the transaction before it. Its receipt where the
        node answers with one (`eth_sendRawTransactionSync`), None once the node has taken it
        otherwise; RpcError if the node refused it, ConnectionFailed without an answer. It is
        handed over even if the caller stops waiting: its nonce is taken."""
        loop = asyncio.get_running_loop()
        if self._loop is not loop:  # a new event loop (tests): nothing of the old one is usable
            self._waiting, self._runner, self._handing, self._loop = {}, None, set(), loop
        answer: asyncio.Future[dict[str, Any] | None] = loop.create_future()
        self._waiting[entry.nonce] = _Parcel(entry, answer)
        if self._runner is None or self._runner.done():
            self._runner = loop.create_task(self._run())
        return await answer

    async def _run(self) -> None:
        try:
            while self._waiting:
                first = min(self._waiting)
                await self._tx.order.turn(first, self._known)
                if min(self._waiting) != first:
                    continue  # an earlier one came meanwhile: its turn first
                batch: list[_Parcel] = []
                while first in self._waiting and len(batch) < MAX_BATCH:
                    batch.append(self._waiting.pop(first))
                    first += 1
                for parcel in batch:
                    self._tx.order.handing(parcel.entry.nonce, parcel.entry.tx_hash)
                # Not awaited: the next batch goes as soon as the node knows this one.
                task = asyncio.get_running_loop().create_task(self._hand_over(batch))
                self._handing.add(task)  # the loop keeps only a weak reference to a task
                task.add_done_callback(self._handing.discard)
        except BaseException as exc:
            # Nothing may wait forever: whoever still waits learns its transaction was not sent.
            log.error("transactions of %s not sent: %s", self._tx.address, type(exc).__name__)
            waiting, self._waiting = self._waiting, {}
            for parcel in waiting.values():
                self._tx.order.taken(parcel.entry.nonce, parcel.entry.tx_hash)
                _answer(parcel, ConnectionFailed(f"the transaction was not sent ({type(exc).__name__})"))
            if isinstance(exc, asyncio.CancelledError):
                raise

    async def _hand_over(self, batch: list[_Parcel]) -> None:
        raws = [[parcel.entry.raw] for parcel in batch]
        try:
            method = SYNC_SEND if self._tx.sync_send is not False else PLAIN_SEND
            answers = await self._send(method, raws)
            if method == SYNC_SEND:
                if all(isinstance(a, RpcError) and a.code == METHOD_NOT_FOUND for a in answers):
                    if self._tx.sync_send is not True:
                        # A node without the synchronous send took none of them: plain sends from now on.
                        self._tx.sync_send = False
                        answers = await self._send(PLAIN_SEND, raws)
                        method = PLAIN_SEND
                elif any(isinstance(a, dict) for a in answers):
                    self._tx.sync_send = True
            for parcel, answer in zip(batch, answers, strict=True):
                _answer(parcel, answer if method == SYNC_SEND or isinstance(answer, RpcError) else None)
        except Exception as exc:  # noqa: BLE001 - every waiter learns what happened to its send
            for parcel in batch:
                _answer(parcel, exc)
        finally:
            # Here, not in the requests: one that stopped waiting must not let the next go early.
            for parcel in batch:
                self._tx.order.taken(parcel.entry.nonce, parcel.entry.tx_hash)

    async def _send(self, method: str, raws: list[list[Any]]) -> list[Any]:
        if len(raws) > 1 and self._batches:
            try:
                return await self._node.batch(method, raws)
            except RpcError as exc:
                # Refused as a batch, so none of it was taken: one by one, in order, from now on.
                log.warning("the node refuses JSON-RPC batches (%s): transactions go one by one", exc)
                self._batches = False
        answers: list[Any] = []
        for params in raws:
            try:
                answers.append(await self._node.call(method, params))
            except RpcError as exc:
                answers.append(exc)
        return answers


def _answer(parcel: _Parcel, answer: Any) -> None:
    if parcel.answer.done():
        return  # its request is gone (cancelled): the transaction was handed over all the same
    if isinstance(answer, BaseException):
        parcel.answer.set_exception(answer)
    else:
        parcel.answer.set_result(answer)
