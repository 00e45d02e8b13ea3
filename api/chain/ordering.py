"""One key's transactions reach the node in nonce order, however many requests send them at once.

Concurrent requests take consecutive nonces under one lock, but their transactions then travel to
the node on separate connections (and, for the worker-thread path, from separate threads), so
nonce k+1 can arrive before nonce k. A node is allowed to hold the early one back until the gap
is filled, and anvil's automine is known to leave such a transaction in its pool unmined until
something else arrives (foundry-rs/foundry#10122): the last transactions of a burst then wait for
the node's own timeout. Other nodes put a bound on such "future" transactions per sender.

So a transaction is handed to the node only once the one before it (same key, nonce - 1) is
known to the node: in its pool or already in a block. The request sending the earlier one clears
it once the node has answered; the later one meanwhile asks the node by hash, with short pauses,
from the moment the earlier one is handed over. A request alone (no earlier transaction
outstanding) goes at once: the usual case costs nothing. Under load, the mints whose turn has come
go to the node together, in one batch (api.chain.courier): handed over one after the other, anvil's
automine would mine each in a block of its own.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Awaitable, Callable, Generator
from dataclasses import dataclass

log = logging.getLogger("sdap.gateway.ordering")

#: Between two questions to the node about a handed-over transaction it does not show yet.
_FIRST_PAUSE = 0.0002
_LONGEST_PAUSE = 0.002


@dataclass(frozen=True)
class _Outstanding:
    tx_hash: str
    handed: bool = False


@dataclass(frozen=True)
class _Ask:
    """Ask the node whether it knows the transaction before."""

    tx_hash: str


@dataclass(frozen=True)
class _Wait:
    """Wait until the transaction before changes from `earlier`, at most `seconds`."""

    earlier: _Outstanding
    seconds: float


class SendOrder:
    """The transactions of one key signed but not yet known to the node, by nonce. Safe to use
    from the event loop and from worker threads at once (no I/O under its lock); a transaction
    waiting for the one before it is woken as soon as that one is handed over or taken."""

    def __init__(self, *, patience: float = 30.0) -> None:
        #: How long a transaction waits for the one before it at most, then goes anyway (the
        #: earlier one's request is stuck; holding this one back would not help it).
        self.patience = patience
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._outstanding: dict[int, _Outstanding] = {}
        self._watchers: dict[int, list[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]]] = {}

    def __len__(self) -> int:
        with self._lock:
            return len(self._outstanding)

    def signed(self, nonce: int, tx_hash: str) -> None:
        """A transaction was signed with `nonce` (a re-signed nonce replaces the earlier bytes)."""
        with self._lock:
            self._outstanding[nonce] = _Outstanding(tx_hash)
            self._notify(nonce)

    def handing(self, nonce: int, tx_hash: str) -> None:
        """Its request to the node is being made: from now on the node may know it."""
        with self._lock:
            if self._outstanding.get(nonce) == _Outstanding(tx_hash):
                self._outstanding[nonce] = _Outstanding(tx_hash, handed=True)
                self._notify(nonce)

    def taken(self, nonce: int, tx_hash: str) -> None:
        """The node has taken it, or refused it, or its request is over: it holds nothing back."""
        with self._lock:
            slot = self._outstanding.get(nonce)
            if slot is not None and slot.tx_hash == tx_hash:
                del self._outstanding[nonce]
                self._notify(nonce)

    async def turn(self, nonce: int, known: Callable[[str], Awaitable[bool]]) -> None:
        """Returns once the transaction before `nonce` is known to the node (event loop)."""
        steps = self._turn(nonce)
        step = _next(steps, None)
        while step is not None:
            if isinstance(step, _Ask):
                step = _next(steps, await known(step.tx_hash))
            else:
                await self._until_changed(nonce - 1, step.earlier, step.seconds)
                step = _next(steps, None)

    def turn_blocking(self, nonce: int, known: Callable[[str], bool]) -> None:
        """`turn` for a worker thread."""
        steps = self._turn(nonce)
        step = _next(steps, None)
        while step is not None:
            if isinstance(step, _Ask):
                step = _next(steps, known(step.tx_hash))
            else:
                with self._lock:
                    if self._outstanding.get(nonce - 1) is step.earlier:
                        self._changed.wait(max(step.seconds, 0.0))
                step = _next(steps, None)

    def _turn(self, nonce: int) -> Generator[_Ask | _Wait, bool | None, None]:
        """Waiting for the turn of `nonce`, without the waiting: the one rule both `turn` and
        `turn_blocking` follow, each doing the asking and the pausing its own way. Yields `_Ask`
        (sent back: whether the node knows that transaction) or `_Wait`."""
        pause, deadline = _FIRST_PAUSE, time.monotonic() + self.patience
        while True:
            earlier = self._earlier(nonce)
            if earlier is None:
                return
            if earlier.handed:
                if (yield _Ask(earlier.tx_hash)):
                    self.taken(nonce - 1, earlier.tx_hash)
                    return
                wait, pause = pause, min(pause * 2, _LONGEST_PAUSE)
            else:
                wait = deadline - time.monotonic()  # nothing to ask the node before it is handed
            if self._impatient(nonce, deadline):
                return
            yield _Wait(earlier, wait)

    def _earlier(self, nonce: int) -> _Outstanding | None:
        with self._lock:
            return self._outstanding.get(nonce - 1)

    def _notify(self, nonce: int) -> None:
        """Under the lock: wakes whoever waits on `nonce` (a slot is replaced, never changed, so
        a waiter tells a change by identity)."""
        self._changed.notify_all()
        watchers = self._watchers.pop(nonce, None)
        if not watchers:
            return
        try:
            running: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        for loop, waiter in watchers:
            if loop is running:
                _wake(waiter)
            else:
                loop.call_soon_threadsafe(_wake, waiter)

    async def _until_changed(self, nonce: int, seen: _Outstanding, wait: float) -> None:
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[None] = loop.create_future()
        with self._lock:
            if self._outstanding.get(nonce) is not seen:
                return  # it changed while the node was being asked
            self._watchers.setdefault(nonce, []).append((loop, waiter))
        try:
            async with asyncio.timeout(max(wait, 0.0)):
                await waiter
        except TimeoutError:
            pass
        finally:
            with self._lock:
                watchers = self._watchers.get(nonce)
                if watchers is not None and (loop, waiter) in watchers:
                    watchers.remove((loop, waiter))
                    if not watchers:
                        del self._watchers[nonce]

    @staticmethod
    def _impatient(nonce: int, deadline: float) -> bool:
        if time.monotonic() < deadline:
            return False
        log.warning("nonce %s sent before nonce %s is known to the node", nonce, nonce - 1)
        return True


def _wake(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


def _next(steps: Generator[_Ask | _Wait, bool | None, None], answer: bool | None) -> _Ask | _Wait | None:
    """The next step, given the answer to the last one; None once the turn has come."""
    try:
        return steps.send(answer)
    except StopIteration:
        return None
