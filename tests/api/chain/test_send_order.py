"""One key's transactions reach the node in nonce order (api.chain.ordering): through a node whose
first transaction is held back, as a slow connection would, concurrent requests still hand theirs
over one after the other, from the event loop (mints) and from worker threads (other writes)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

from gateway_support import Behind, at_once
from world import YEAR, World, chain_time, h

from api.chain.ordering import SendOrder


def test_concurrent_mints_reach_the_node_in_nonce_order(world: World, gateway_behind: Behind) -> None:
    slow_start, api = gateway_behind(hold_first_send=0.3)
    path = f"/v1/issuances/{world.issuance}/mint"
    answers = at_once(
        [lambda n=n: api.post(path, "issuer", {"to": world.b.address, "amount": 1}, key=f"order-{n}") for n in range(8)]
    )
    assert [a.status_code for a in answers] == [201] * 8, [a.text for a in answers]
    first = slow_start.passed_on[0]
    assert slow_start.passed_on == list(range(first, first + 8))  # each once, in nonce order
    assert world.queries.balance_of(world.b.address, world.issuance) == 8


def test_writes_from_threads_and_mints_share_one_order(world: World, gateway_behind: Behind) -> None:
    slow_start, api = gateway_behind(hold_first_send=0.3)
    expiry = chain_time(world.w3) + YEAR
    mint = f"/v1/issuances/{world.issuance}/mint"
    calls: list[Callable[[], Any]] = []
    for n in range(3):
        wallet = world.accounts[12 + n].address
        body = {"wallet": wallet, "identity_ref": "0x" + h(f"kyc {n}").hex(), "identity_expiry": expiry}
        calls.append(lambda body=body, n=n: api.post("/v1/participants", "operator", body, key=f"onboard-{n}"))
        calls.append(lambda n=n: api.post(mint, "issuer", {"to": world.b.address, "amount": 1}, key=f"mixed-{n}"))
    answers = at_once(calls)
    assert [a.status_code for a in answers] == [201] * 6, [a.text for a in answers]
    first = slow_start.passed_on[0]
    assert slow_start.passed_on == list(range(first, first + 6))


class _Node:
    """What the node knows, for the order alone."""

    def __init__(self) -> None:
        self.known: set[str] = set()
        self.asked: list[str] = []

    async def knows(self, tx_hash: str) -> bool:
        self.asked.append(tx_hash)
        return tx_hash in self.known


def test_a_transaction_with_nothing_outstanding_before_it_goesat_once() -> None:
    order, node = SendOrder(), _Node()
    order.signed(7, "0xa")
    asyncio.run(order.turn(7, node.knows))
    assert node.asked == []


def test_a_transaction_waits_for_the_one_before_it_to_be_handed_and_known() -> None:
    order, node = SendOrder(), _Node()
    order.signed(7, "0xa")
    order.signed(8, "0xb")

    async def scenario() -> list[str]:
        waiting = asyncio.create_task(order.turn(8, node.knows))
        await asyncio.sleep(0.02)
        assert not waiting.done() and node.asked == []  # not handed yet: the node is not asked
        order.handing(7, "0xa")
        await asyncio.sleep(0.02)
        assert not waiting.done() and node.asked  # handed, not known yet
        node.known.add("0xa")
        await asyncio.wait_for(waiting, 1)
        return node.asked

    assert set(asyncio.run(scenario())) == {"0xa"}
    assert len(order) == 1  # nonce 7 cleared by its successor; 8 is still outstanding


def test_the_transaction_taken_clears_only_its_own_bytes() -> None:
    order = SendOrder()
    order.signed(7, "0xa")
    order.signed(7, "0xc")  # re-signed after a resync
    order.taken(7, "0xa")
    assert len(order) == 1
    order.taken(7, "0xc")
    assert len(order) == 0


def test_a_transaction_stuck_behind_another_goes_after_the_patience() -> None:
    order, node = SendOrder(patience=0.05), _Node()
    order.signed(7, "0xa")
    order.handing(7, "0xa")
    asyncio.run(asyncio.wait_for(order.turn(8, node.knows), 1))
    assert node.asked and set(node.asked) == {"0xa"}


def test_a_worker_thread_waits_its_turn_too() -> None:
    order = SendOrder()
    order.signed(7, "0xa")
    order.handing(7, "0xa")
    known: set[str] = set()
    done = threading.Event()

    def send() -> None:
        order.turn_blocking(8, lambda tx_hash: tx_hash in known)
        done.set()

    thread = threading.Thread(target=send)
    thread.start()
    assert not done.wait(0.05)
    known.add("0xa")
    assert done.wait(1)
    thread.join()
