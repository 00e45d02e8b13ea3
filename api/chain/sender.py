"""Sending a checked transaction from the event loop: the mint's hot path.

The same steps as `JournaledTransactor.submit` and `send` in a worker thread (api.chain.journal),
with the same nonce lock and journal: the nonce is taken, the transaction signed and recorded
before it is sent, and its final state is written with the request's answer. What differs is
where the waiting happens: the node is asked over api.chain.node, so a request waiting for its
transaction holds no thread; and how the transaction travels: with the others ready at the same
time, in one batch (api.chain.courier). A reverted transaction is decoded by the transactor's own
code, in a worker thread.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool

from api.chain.courier import Courier
from api.chain.journal import DROPPED, MINED, REVERTED, JournaledTransactor, Operation
from api.chain.node import AsyncNode
from sdap.errors import ConnectionFailed, RpcError, TransactionTimeout

_POLL = 0.05


@dataclass(frozen=True)
class Included:
    tx_hash: str
    block_number: int


class LoopSender:
    """Sends one key's transactions (its JournaledTransactor) from the event loop."""

    def __init__(self, transactor: JournaledTransactor, node: AsyncNode, *, timeout: float) -> None:
        self._tx = transactor
        self._node = node
        self._timeout = timeout
        self._courier = Courier(transactor, node, self._known)

    async def send(self, op: Operation | None, to: str, data: bytes, gas: int, purpose: str) -> Included:
        """Sends a call the contract's own check view has just passed, with `gas` (no simulation:
        should the state move in between, the contract still refuses, and the refusal is decoded)."""
        seq = op.next_seq() if op is not None else None
        if self._tx.fees_stale():
            # Fresh fees (and, the first time, the chain id) are asked of the node with web3's
            # blocking calls: not on the event loop, where a slow node would stall every request.
            tx = await run_in_threadpool(self._tx.transaction, to, "0x" + data.hex(), gas)
        else:
            tx = self._tx.transaction(to, "0x" + data.hex(), gas)
        for attempt in (1, 2):
            entry = self._tx.sign_and_record(tx, purpose, op, seq, replace=attempt == 2, direct=attempt == 1)
            try:
                receipt = await self._courier.deliver(entry)
                if receipt is None:  # a node without the synchronous send: it has it, now it is waited for
                    receipt = await self._receipt(entry.tx_hash)
                break
            except ConnectionFailed:
                # No answer (the node's wait for inclusion outlasted ours, a connection lost):
                # the transaction may well be in; if so, it is waited for by hash. If not, the
                # journal's resolver sends it again as soon as the node answers.
                self._tx.journal.lost(entry.tx_hash)
                if not await self._known(entry.tx_hash):
                    raise
                receipt = await self._receipt(entry.tx_hash)
                break
            except RpcError as exc:
                if await self._known(entry.tx_hash):
                    receipt = await self._receipt(entry.tx_hash)
                    break
                await run_in_threadpool(self._tx.resync)  # asks the node its nonce: off the loop
                self._tx.journal.mark_direct(entry.tx_hash, DROPPED)
                # A nonce taken by another sender of the same key is worth one more try.
                if attempt == 2 or "nonce" not in str(exc).lower():
                    raise
        else:  # pragma: no cover - the loop breaks or raises
            raise AssertionError("unreachable")
        block = int(receipt["blockNumber"], 16)
        if int(receipt["status"], 16) != 1:
            self._settle(op, entry.tx_hash, REVERTED, block)
            # The transactor raises the decoded ContractError (its data only comes from replaying the call).
            await run_in_threadpool(self._tx.wait, entry.tx_hash)
            raise AssertionError("a reverted transaction decoded as a success")  # pragma: no cover
        self._settle(op, entry.tx_hash, MINED, block)
        return Included(entry.tx_hash, block)

    async def _receipt(self, tx_hash: str) -> dict[str, Any]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._timeout
        while True:
            receipt = await self._node.call("eth_getTransactionReceipt", [tx_hash])
            if receipt is not None:
                return dict(receipt)
            if loop.time() >= deadline:
                raise TransactionTimeout(tx_hash, self._timeout)
            await asyncio.sleep(_POLL)

    async def _known(self, tx_hash: str) -> bool:
        return await self._node.call("eth_getTransactionByHash", [tx_hash]) is not None

    def _settle(self, op: Operation | None, tx_hash: str, state: str, block: int) -> None:
        if op is None:
            self._tx.journal.mark_direct(tx_hash, state, block)
        else:
            op.marks.append((tx_hash, state, block))
