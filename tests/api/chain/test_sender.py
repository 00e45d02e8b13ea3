"""The mint's sender on a node without `eth_sendRawTransactionSync` (Hyperledger Besu, geth): the
transaction is sent with `eth_sendRawTransaction` and its receipt polled, once the node has said
it does not know the synchronous method."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from gateway_support import Api
from node_proxy import NodeProxy
from sqlalchemy import select
from world import World

from api.db.schema import transactions
from sdap.anvil import Anvil


@pytest.fixture
def old_node(anvil: Anvil) -> Iterator[NodeProxy]:
    node = NodeProxy(anvil.url, without=("eth_sendRawTransactionSync",))
    try:
        yield node
    finally:
        node.close()


def test_mints_through_a_node_without_the_synchronous_send(
    world: World, make_api: Callable[..., Api], old_node: NodeProxy
) -> None:
    world.platform.resync_nonces()
    api = make_api(rpc_url=old_node.url)
    path = f"/v1/issuances/{world.issuance}/mint"
    for n, amount in enumerate((3, 4)):
        answer = api.post(path, "issuer", {"to": world.b.address, "amount": amount}, key=f"old-node-{n}")
        assert answer.status_code == 201, answer.text
    assert world.queries.balance_of(world.b.address, world.issuance) == 7
    # Asked once, then remembered; each transaction sent the classic way and its receipt polled.
    assert old_node.asked.count("eth_sendRawTransactionSync") == 1
    assert old_node.asked.count("eth_sendRawTransaction") == 2
    assert old_node.asked.count("eth_getTransactionReceipt") >= 2
    with api.gateway.db.read() as conn:
        states = list(conn.scalars(select(transactions.c.state)))
    assert states == ["mined", "mined"]
