"""The fees of the next transactions, asked of the node at most once a `ttl`."""

from __future__ import annotations

import time

from api.chain.node import Node


class Fees:
    def __init__(self, node: Node, *, ttl: float = 1.0) -> None:
        self._node = node
        self._ttl = ttl
        self._cached: tuple[float, dict[str, int]] | None = None

    async def current(self) -> dict[str, int]:
        """EIP-1559 fees (twice the pending block's base fee plus the node's tip), or a legacy
        gas price on a network without a base fee (or a zero-gas permissioned one)."""
        cached = self._cached
        if cached is not None and time.monotonic() - cached[0] < self._ttl:
            return cached[1]
        block = await self._node.call("eth_getBlockByNumber", ["pending", False])
        base = block.get("baseFeePerGas") if isinstance(block, dict) else None
        if base is None:
            fees = {"gasPrice": int(await self._node.call("eth_gasPrice", []), 16)}
        else:
            tip = int(await self._node.call("eth_maxPriorityFeePerGas", []), 16)
            fees = {"maxFeePerGas": 2 * int(base, 16) + tip, "maxPriorityFeePerGas": tip}
        self._cached = (time.monotonic(), fees)
        return fees
