"""The fees of a key's next transactions (api.chain.fees): EIP-1559 fees from the pending block's
base fee and the node's tip, asked of the node at most once a `ttl`."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from node_proxy import NodeProxy

from api.chain.fees import Fees
from api.chain.node import Node


def test_fees_follow_the_base_fee_and_are_asked_at_most_once_a_ttl(node_proxy: Callable[..., NodeProxy]) -> None:
    proxy = node_proxy()

    async def three_looks() -> list[dict[str, int]]:
        node = Node(proxy.url)
        fees = Fees(node, ttl=0.2)
        first = await fees.current()
        again = await fees.current()  # within the ttl: not asked
        time.sleep(0.25)
        later = await fees.current()
        base = int((await node.call("eth_getBlockByNumber", ["pending", False]))["baseFeePerGas"], 16)
        tip = int(await node.call("eth_maxPriorityFeePerGas", []), 16)
        await node.aclose()
        return [first, again, later, {"base": base, "tip": tip}]

    first, again, later, node = asyncio.run(three_looks())
    assert first == again
    assert later == {"maxFeePerGas": 2 * node["base"] + node["tip"], "maxPriorityFeePerGas": node["tip"]}
    # Two looks at the node (the first and the one after the ttl), then the test's own.
    assert proxy.asked.count("eth_maxPriorityFeePerGas") == 3
