"""One key's write path: a single asyncio task owns its nonce, signs, records each transaction in
the journal before it is sent, hands them to the node and follows them until their receipts.

Requests queue their calls (`KeyWriter.send`, from the event loop; `Bridge`, the SDK's Broadcaster,
from worker threads through anyio's thread bridge). Whenever the task is free it takes every call
waiting, gives them consecutive nonces, signs them (api.chain.signing), records them in one database
transaction, and sends them in one JSON-RPC batch, which the node takes in that order: a node that
builds a block as soon as something arrives (anvil's automine) can then put them in one block,
where handed over one by one it would mine a block each.

A batch goes only once the node knows the one before it (in its pool or in a block): nonce k+1
arriving before k is a "future" transaction that a node may hold back until the gap is filled, and
anvil's automine is known to leave it unmined until something else arrives
(foundry-rs/foundry#10122). Where the node offers `eth_sendRawTransactionSync` (EIP-7966) the
receipt comes with the answer; elsewhere receipts are polled, every transaction followed in one
batch. A refusal found by the node's simulation is raised before any nonce is taken.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import anyio.from_thread
import anyio.to_thread
from anyio.lowlevel import EventLoopToken
from eth_account.signers.local import LocalAccount

from api.chain.fees import Fees
from api.chain.journal import DROPPED, MINED, REVERTED, Journal, JournalEntry, Recorded
from api.chain.node import Node, NodeError
from api.chain.operation import Operation
from api.chain.recovery import LostSends
from api.chain.signing import TransactionSigner
from sdap.errors import ConnectionFailed, ContractError, OutOfGas, RpcError, TransactionTimeout
from sdap.events import EventDecoder
from sdap.transactions import GAS_MARGIN, Call, Receipt, revert_error

log = logging.getLogger("sdap.gateway.writer")

#: The most transactions in one request (nodes bound batches: Besu at 1,024 by default).
MAX_BATCH = 64
SYNC_SEND, PLAIN_SEND = "eth_sendRawTransactionSync", "eth_sendRawTransaction"
#: JSON-RPC "method not found" (a node without `eth_sendRawTransactionSync`).
METHOD_NOT_FOUND = -32601
#: Between two questions to the node about a batch it does not show yet; how long a batch waits
#: for the one before it at most (then goes anyway: holding it back would not help the other).
FIRST_PAUSE, LONGEST_PAUSE, PATIENCE = 0.0002, 0.002, 30.0
#: Between two looks for receipts of transactions sent without the synchronous send.
RECEIPT_POLL = 0.05

#: What an interrupted attempt of a request sent as its n-th transaction: the transaction if it can
#: still be included (api.chain.recovery.includable), and whether the step was recorded at all; a
#: blocking call, run in a worker thread.
EarlierStep = Callable[[int, int], tuple[JournalEntry | None, bool]]


@dataclass(eq=False)
class _Job:
    call: Call
    op: Operation | None
    seq: int | None
    answer: asyncio.Future[dict[str, Any]]
    replaces: bool = False
    attempt: int = 1
    entry: JournalEntry | None = None


class KeyWriter:
    """The write path of one key (see the module's docstring)."""

    def __init__(
        self,
        account: LocalAccount,
        node: Node,
        journal: Journal,
        lost: LostSends,
        decoder: EventDecoder,
        earlier_step: EarlierStep,
        *,
        chain_id: int,
        timeout: float,
        fee_ttl: float = 1.0,
    ) -> None:
        self._signer = TransactionSigner(account)
        self.address = str(account.address)
        self._node = node
        self._journal = journal
        self._lost = lost
        self._decoder = decoder
        self._earlier_step = earlier_step
        self._chain_id = chain_id
        self._timeout = timeout
        self._fees = Fees(node, ttl=fee_ttl)
        self._jobs: deque[_Job] = deque()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: asyncio.Task[None] | None = None
        self._watcher: asyncio.Task[None] | None = None
        #: The last batch handed over: its request to the node, and its last transaction.
        self._handing: tuple[asyncio.Task[None], str] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        #: Transactions whose receipt is awaited, by hash: who waits, and until when.
        self._tracked: dict[str, tuple[asyncio.Future[dict[str, Any]], float]] = {}
        self._nonce: int | None = None
        self._resync = False
        #: Whether the node offers `eth_sendRawTransactionSync`: unknown until first tried.
        self.sync_send: bool | None = None
        #: Whether the node takes JSON-RPC batches: until it refuses one.
        self._batches = True

    def __repr__(self) -> str:
        return f"KeyWriter({self.address})"

    def resync(self) -> None:
        """The next transaction's nonce is asked of the node (the key was used elsewhere)."""
        self._resync = True

    async def send(self, call: Call, op: Operation | None = None, *, events: bool = True) -> Receipt:
        """Sends `call` from this key and returns its receipt once included (its platform events
        decoded, unless `events` is False). Inside an idempotent request (`op`), the transaction is
        its next step, and one that an interrupted attempt of the request sent already is waited
        for instead. Raises the decoded ContractError of a call
        the node's simulation refuses (nothing sent) or of a transaction that reverted;
        TransactionTimeout when it is not included in time (it stays pending in the journal);
        ConnectionFailed or RpcError when the node cannot take it."""
        seq = op.next_seq() if op is not None else None
        replaces = False
        if op is not None and op.resumed and seq is not None:
            earlier, recorded = await anyio.to_thread.run_sync(self._earlier_step, op.idempotency_id, seq)
            if earlier is not None:
                log.info("replaying step %s of request %s: %s", seq, op.idempotency_id, earlier.tx_hash)
                return await self._outcome(op, earlier.tx_hash, await self._receipt(earlier.tx_hash), events)
            # Only a step recorded and never to be included gives its place to a new transaction;
            # one not recorded yet may be an attempt still running, which the journal's uniqueness
            # of (request, step) then stops from sending the step twice.
            replaces = recorded
        if call.gas is None:
            call = replace(call, gas=await self._estimate(call))
        loop = self._bind()
        job = _Job(call, op, seq, loop.create_future(), replaces=replaces)
        self._jobs.append(job)
        self._start()
        raw = await job.answer
        assert job.entry is not None
        return await self._outcome(op, job.entry.tx_hash, raw, events)

    def bridge(self, op: Operation | None, token: EventLoopToken | None) -> Bridge:
        """The SDK's Broadcaster sending through this writer, for one request, from worker threads."""
        return Bridge(self, op, token)

    # --- the task ---------------------------------------------------------------------------

    def _bind(self) -> asyncio.AbstractEventLoop:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:  # a new event loop (tests): nothing of the old one is usable
            self._jobs, self._runner, self._watcher, self._handing = deque(), None, None, None
            self._tracked, self._tasks, self._loop = {}, set(), loop
        return loop

    def _start(self) -> None:
        if self._runner is None or self._runner.done():
            self._runner = self._spawn(self._run())

    def _spawn(self, work: Any) -> asyncio.Task[None]:
        task: asyncio.Task[None] = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)  # the loop keeps only a weak reference to a task
        task.add_done_callback(self._tasks.discard)
        return task

    async def _run(self) -> None:
        """Takes whatever waits, signs and records it, and hands it over; until nothing waits."""
        while self._jobs:
            try:
                await self._turn()  # meanwhile, more may come: they go together
            except Exception as exc:  # noqa: BLE001 - the node cannot say: the batch goes all the same
                log.warning("the node did not say whether it has %s's last batch: %s", self.address, exc)
            batch: list[_Job] = []
            while self._jobs and len(batch) < MAX_BATCH:
                job = self._jobs.popleft()
                if not job.answer.done():  # a request that stopped waiting before its turn: nothing used
                    batch.append(job)
            if not batch:
                continue
            try:
                records = await self._sign(batch)
                await anyio.to_thread.run_sync(self._journal.record, records)
            except BaseException as exc:
                # Nothing was sent: whoever waits learns it (the nonces were not used up).
                log.error("transactions of %s not sent: %s", self.address, type(exc).__name__)
                self._resync = True
                failure = exc if isinstance(exc, Exception) else ConnectionFailed("the transaction was not sent")
                for job in batch:
                    _fail(job.answer, failure)
                if not isinstance(exc, Exception):
                    raise
                continue
            self._nonce = records[-1].entry.nonce + 1
            self._handing = (self._spawn(self._hand_over(batch)), records[-1].entry.tx_hash)

    async def _turn(self) -> None:
        """Returns once the node knows the last batch handed over (or its request is over)."""
        if self._handing is None:
            return
        request, last = self._handing
        pause, deadline = FIRST_PAUSE, time.monotonic() + PATIENCE
        while not request.done():
            if await self._known(last):
                return
            if time.monotonic() >= deadline:
                log.warning("transactions of %s sent before %s is known to the node", self.address, last)
                return
            await asyncio.wait({request}, timeout=pause)
            pause = min(pause * 2, LONGEST_PAUSE)

    async def _sign(self, batch: list[_Job]) -> list[Recorded]:
        fees = await self._fees.current()
        if self._nonce is None or self._resync:
            self._resync = False
            self._nonce = int(await self._node.call("eth_getTransactionCount", [self.address, "pending"]), 16)
        records: list[Recorded] = []
        for nonce, job in enumerate(batch, start=self._nonce):
            call = job.call
            tx: dict[str, Any] = {
                "to": call.to,
                "data": call.data,
                "value": 0,
                "gas": call.gas,
                "nonce": nonce,
                "chainId": self._chain_id,
            }
            raw, tx_hash = self._signer.sign({**tx, **fees})
            job.entry = JournalEntry("0x" + tx_hash.hex(), self.address, nonce, "0x" + raw.hex(), "pending")
            op_id = job.op.idempotency_id if job.op is not None else None
            records.append(Recorded(job.entry, call.purpose, op_id, job.seq, job.replaces or job.attempt > 1))
        return records

    async def _hand_over(self, batch: list[_Job]) -> None:
        raws = [[job.entry.raw] for job in batch if job.entry is not None]
        try:
            method = SYNC_SEND if self.sync_send is not False else PLAIN_SEND
            answers = await self._each(method, raws)
            if method == SYNC_SEND:
                if all(isinstance(a, RpcError) and a.code == METHOD_NOT_FOUND for a in answers):
                    if self.sync_send is not True:
                        # A node without the synchronous send took none of them: plain sends from now on.
                        self.sync_send, method = False, PLAIN_SEND
                        answers = await self._each(PLAIN_SEND, raws)
                elif any(isinstance(a, dict) for a in answers):
                    self.sync_send = True
        except ConnectionFailed as exc:
            self._handed()
            # No answer (the node's wait for inclusion outlasted ours, a connection lost): each
            # transaction may well be in; if so, it is waited for by hash. If not, the resolver
            # sends it again as soon as the node answers (api.gateway).
            self._lost.add(*(job.entry.tx_hash for job in batch if job.entry is not None))
            for job in batch:
                await self._unanswered(job, exc)
            return
        except Exception as exc:  # noqa: BLE001 - every waiter learns what happened to its send
            self._handed()
            for job in batch:
                _fail(job.answer, exc)
            return
        self._handed()
        for job, answer in zip(batch, answers, strict=True):
            if isinstance(answer, RpcError):
                await self._refused(job, answer)
            elif method == SYNC_SEND and isinstance(answer, dict):
                _settle(job.answer, answer)
            else:
                self._follow(job)

    def _handed(self) -> None:
        """The node has answered this batch's request (or it failed): the next goes without asking."""
        if self._handing is not None and self._handing[0] is asyncio.current_task():
            self._handing = None

    async def _unanswered(self, job: _Job, exc: ConnectionFailed) -> None:
        assert job.entry is not None
        try:
            if await self._known(job.entry.tx_hash):
                self._follow(job)
                return
        except ConnectionFailed:
            pass
        # Not in the node (a send that never arrived, or one it refused unseen): the resolver sends
        # the same bytes again; if the node refuses them, the transaction is dropped and the key's
        # next transaction asks the node for its nonce (api.chain.platform.Chain.dropped).
        _fail(job.answer, exc)

    async def _refused(self, job: _Job, error: RpcError) -> None:
        """The node refused the bytes. The same bytes sent twice are already known, which is not a
        failure; a nonce another sender of the key took is worth one more try with a fresh one."""
        assert job.entry is not None
        try:
            if await self._known(job.entry.tx_hash):
                self._follow(job)
                return
            self._resync = True
            await anyio.to_thread.run_sync(self._journal.mark, job.entry.tx_hash, DROPPED)
        except Exception as exc:  # noqa: BLE001 - the node or the database failed meanwhile
            _fail(job.answer, exc)
            return
        if job.attempt == 1 and "nonce" in str(error).lower() and not job.answer.done():
            job.attempt, job.entry = 2, None
            self._jobs.appendleft(job)
            self._start()
            return
        _fail(job.answer, error)

    # --- receipts -----------------------------------------------------------------------------

    def _follow(self, job: _Job) -> None:
        assert job.entry is not None
        self._track(job.entry.tx_hash, job.answer)

    def _track(self, tx_hash: str, answer: asyncio.Future[dict[str, Any]]) -> None:
        self._tracked[tx_hash] = (answer, asyncio.get_running_loop().time() + self._timeout)
        if self._watcher is None or self._watcher.done():
            self._watcher = self._spawn(self._watch())

    async def _receipt(self, tx_hash: str) -> dict[str, Any]:
        self._bind()
        answer: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._track(tx_hash, answer)
        return await answer

    async def _watch(self) -> None:
        """Asks for the receipts of every followed transaction at once, until each has come or its
        time is up (TransactionTimeout: it stays pending, to be resolved by hash)."""
        loop = asyncio.get_running_loop()
        while self._tracked:
            hashes = list(self._tracked)
            try:
                receipts = await self._each("eth_getTransactionReceipt", [[h] for h in hashes])
            except ConnectionFailed:
                receipts = [None] * len(hashes)
            now = loop.time()
            for tx_hash, receipt in zip(hashes, receipts, strict=True):
                answer, deadline = self._tracked[tx_hash]
                if isinstance(receipt, dict):
                    del self._tracked[tx_hash]
                    _settle(answer, receipt)
                elif answer.done() or now >= deadline:
                    del self._tracked[tx_hash]
                    _fail(answer, TransactionTimeout(tx_hash, self._timeout))
            if self._tracked:
                await asyncio.sleep(RECEIPT_POLL)

    async def _outcome(self, op: Operation | None, tx_hash: str, raw: dict[str, Any], events: bool) -> Receipt:
        """The typed receipt, its final state recorded (with the request's answer, inside one);
        a reverted transaction raises its decoded error."""
        block = int(raw["blockNumber"], 16)
        if int(raw["status"], 16) != 1:
            await self._settle_state(op, tx_hash, REVERTED, block)
            raise await self._failure(tx_hash, raw)
        await self._settle_state(op, tx_hash, MINED, block)
        logs = [
            {**item, "blockNumber": int(item["blockNumber"], 16), "logIndex": int(item["logIndex"], 16)}
            for item in (raw["logs"] if events else ())
        ]
        decoded = tuple(e for e in (self._decoder.decode(item) for item in logs) if e is not None)
        return Receipt(tx_hash=tx_hash, block_number=block, gas_used=int(raw["gasUsed"], 16), events=decoded)

    async def _settle_state(self, op: Operation | None, tx_hash: str, state: str, block: int) -> None:
        if op is not None:
            op.marks.append((tx_hash, state, block))
        else:
            await anyio.to_thread.run_sync(self._journal.mark, tx_hash, state, block)

    async def _failure(self, tx_hash: str, raw: dict[str, Any]) -> ContractError | OutOfGas:
        """Why a transaction reverted: replayed at the block before its own to get the revert data.
        A revert that an earlier transaction of the same block caused does not happen again there:
        it comes back as an UnknownRevert, which the caller may explain from the state now."""
        tx = await self._node.call("eth_getTransactionByHash", [tx_hash])
        gas = int(tx["gas"], 16)
        if int(raw["gasUsed"], 16) >= gas:
            return OutOfGas(tx_hash, gas)
        replay = {"from": tx["from"], "to": tx["to"], "data": tx["input"], "gas": tx["gas"]}
        try:
            await self._node.call("eth_call", [replay, hex(int(raw["blockNumber"], 16) - 1)])
        except NodeError as exc:
            return revert_error(_revert_data(exc), tx_hash)
        return revert_error(None, tx_hash)

    # --- the node -----------------------------------------------------------------------------

    async def _estimate(self, call: Call) -> int:
        """The node's simulation: a call that would revert raises its decoded error here."""
        request = {"from": self.address, "to": call.to, "data": "0x" + call.data.hex()}
        try:
            estimate = int(await self._node.call("eth_estimateGas", [request]), 16)
        except NodeError as exc:
            if exc.code == 3 or "revert" in str(exc).lower():
                raise revert_error(_revert_data(exc)) from None
            raise
        return int(estimate * GAS_MARGIN)

    async def _known(self, tx_hash: str) -> bool:
        """Whether the node has the transaction, in its pool or in a block."""
        return await self._node.call("eth_getTransactionByHash", [tx_hash]) is not None

    async def _each(self, method: str, params: list[list[Any]]) -> list[Any]:
        """`method` once per entry of `params`: in one batch, or one by one where the node refuses
        batches. Each result, or its RpcError."""
        if len(params) > 1 and self._batches:
            try:
                return await self._node.batch(method, params)
            except NodeError as exc:
                # Refused as a batch, so none of it was taken: one by one, in order, from now on.
                log.warning("the node refuses JSON-RPC batches (%s): calls go one by one", exc)
                self._batches = False
        answers: list[Any] = []
        for item in params:
            try:
                answers.append(await self._node.call(method, item))
            except NodeError as exc:
                answers.append(exc)
        return answers


@dataclass(frozen=True)
class Bridge:
    """The SDK's Broadcaster (sdap.transactions) for one request, from a worker thread: each call
    is sent by the key's writer on the event loop, through anyio's thread bridge."""

    writer: KeyWriter
    op: Operation | None
    token: EventLoopToken | None

    def send(self, call: Call) -> Receipt:
        return anyio.from_thread.run(self.writer.send, call, self.op, token=self.token)


def _settle(answer: asyncio.Future[dict[str, Any]], receipt: dict[str, Any]) -> None:
    if not answer.done():
        answer.set_result(receipt)


def _fail(answer: asyncio.Future[dict[str, Any]], exc: BaseException) -> None:
    if not answer.done():
        answer.set_exception(exc)


def _revert_data(exc: NodeError) -> str | None:
    data = exc.data
    if isinstance(data, dict):  # some nodes nest it
        data = data.get("data")
    return data if isinstance(data, str) and data.startswith("0x") else None
