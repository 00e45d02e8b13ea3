"""Transactions ready together reach the node together (api.chain.courier): in one JSON-RPC batch,
in nonce order, so a node that mines on arrival can put them in one block; one by one where the
node refuses batches; with plain sends where it has no synchronous one. Through the gateway
(a burst of mints behind a first transaction the proxy holds back) and at the courier itself
(a refusal inside a batch, a request that stops waiting)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from gateway_support import Api, Behind, at_once
from world import World

from api.chain.courier import Courier
from api.chain.journal import JournaledTransactor, JournalEntry
from api.chain.node import AsyncNode
from sdap.errors import RpcError


def _burst(world: World, api: Api, count: int, tag: str) -> list[Any]:
    path = f"/v1/issuances/{world.issuance}/mint"
    body = {"to": world.b.address, "amount": 1}
    return at_once([lambda n=n: api.post(path, "issuer", body, key=f"{tag}-{n}") for n in range(count)])


def test_a_burst_of_mints_reaches_the_node_in_batches_in_nonce_order(world: World, gateway_behind: Behind) -> None:
    slow_start, api = gateway_behind(hold_first_send=0.3)
    answers = _burst(world, api, 8, "batched")
    assert [a.status_code for a in answers] == [201] * 8, [a.text for a in answers]
    first = slow_start.passed_on[0]
    assert slow_start.passed_on == list(range(first, first + 8))  # each once, in nonce order
    # Those that came while the first was held back went together.
    assert len(slow_start.sends_per_request) < 8
    assert world.queries.balance_of(world.b.address, world.issuance) == 8


@pytest.mark.parametrize(
    "node",
    [{"no_batches": True}, {"without": ("eth_sendRawTransactionSync",)}],
    ids=["node without batches", "node without the synchronous send"],
)
def test_a_burst_reaches_other_nodes_in_nonce_order(world: World, gateway_behind: Behind, node: dict[str, Any]) -> None:
    proxy, api = gateway_behind(hold_first_send=0.3, **node)
    answers = _burst(world, api, 6, "other-node")
    assert [a.status_code for a in answers] == [201] * 6, [a.text for a in answers]
    first = proxy.passed_on[0]
    assert proxy.passed_on == list(range(first, first + 6))
    if node.get("no_batches"):
        assert proxy.sends_per_request == [1] * 6  # refused once as a batch, then one by one
    else:
        assert proxy.asked.count("eth_sendRawTransactionSync") < 6  # refused at first, then not asked
        assert proxy.asked.count("eth_sendRawTransaction") == 6
    assert world.queries.balance_of(world.b.address, world.issuance) == 6


def _transfers(transactor: JournaledTransactor, to: str, gases: list[int]) -> list[JournalEntry]:
    """Signed and journaled plain transfers with the given gas limits, in nonce order."""
    return [transactor.sign_and_record(transactor.transaction(to, "0x", gas), "test", None, None) for gas in gases]


def test_a_refusal_inside_a_batch_reaches_only_its_own_request(world: World, gateway_behind: Behind) -> None:
    proxy, api = gateway_behind()
    transactor = _operator(api)
    # The last one's gas is below a transfer's intrinsic 21,000: the node refuses it.
    entries = _transfers(transactor, world.b.address, [21_000, 21_000, 1_000])

    async def deliver_all() -> list[Any]:
        node = AsyncNode(proxy.url)
        courier = Courier(transactor, node, lambda h: _known(node, h))
        # All three are waiting before the courier first runs: one batch.
        return await asyncio.gather(*(courier.deliver(e) for e in entries), return_exceptions=True)

    answers = asyncio.run(deliver_all())
    transactor.resync()
    assert [int(a["status"], 16) for a in answers[:2]] == [1, 1]
    assert isinstance(answers[2], RpcError) and "gas" in str(answers[2]).lower()
    assert proxy.sends_per_request == [3]


def test_a_request_that_stops_waiting_leaves_no_gap_in_the_nonces(world: World, gateway_behind: Behind) -> None:
    slow_start, api = gateway_behind(hold_first_send=0.3)
    transactor = _operator(api)
    entries = _transfers(transactor, world.b.address, [21_000, 21_000, 21_000])

    async def deliver_without_the_second() -> tuple[Any, Any]:
        node = AsyncNode(slow_start.url)
        courier = Courier(transactor, node, lambda h: _known(node, h))
        first = asyncio.ensure_future(courier.deliver(entries[0]))
        await asyncio.sleep(0.05)  # the first is handed over, and held back
        second = asyncio.ensure_future(courier.deliver(entries[1]))
        await asyncio.sleep(0.05)
        second.cancel()  # its client went away while it waited for its turn
        third = await asyncio.wait_for(courier.deliver(entries[2]), 10)
        return await first, third

    first, third = asyncio.run(deliver_without_the_second())
    # The second went all the same: without it the third would wait behind a gap.
    assert int(first["status"], 16) == 1 and int(third["status"], 16) == 1
    assert slow_start.passed_on == [e.nonce for e in entries]
    assert slow_start.sends_per_request == [1, 2]


def _operator(api: Api) -> JournaledTransactor:
    chain = api.gateway.chain
    transactor = chain.platform.transactor(chain.signer(chain.operator_address))
    assert isinstance(transactor, JournaledTransactor)
    return transactor


async def _known(node: AsyncNode, tx_hash: str) -> bool:
    return await node.call("eth_getTransactionByHash", [tx_hash]) is not None
