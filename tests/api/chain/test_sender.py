"""The mint's sender on a node without `eth_sendRawTransactionSync` (Hyperledger Besu, geth): the
transaction is sent with `eth_sendRawTransaction` and its receipt polled, once the node has said
it does not know the synchronous method."""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from gateway_support import Api
from sqlalchemy import select
from world import World

from api.db.schema import transactions
from sdap.anvil import Anvil


class NodeWithoutSyncSend:
    """A JSON-RPC proxy to anvil that answers `eth_sendRawTransactionSync` as older nodes do."""

    def __init__(self, upstream: str) -> None:
        target = urlsplit(upstream)
        host, port = target.hostname or "127.0.0.1", target.port
        asked: list[str] = []
        self.asked = asked

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                request = json.loads(body)
                asked.append(request["method"])
                if request["method"] == "eth_sendRawTransactionSync":
                    error = {"code": -32601, "message": "the method eth_sendRawTransactionSync does not exist"}
                    answer = json.dumps({"jsonrpc": "2.0", "id": request["id"], "error": error}).encode()
                else:
                    conn = http.client.HTTPConnection(host, port, timeout=30)
                    conn.request("POST", "/", body, {"Content-Type": "application/json"})
                    answer = conn.getresponse().read()
                    conn.close()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)


@pytest.fixture
def old_node(anvil: Anvil) -> Iterator[NodeWithoutSyncSend]:
    node = NodeWithoutSyncSend(anvil.url)
    node.thread.start()
    try:
        yield node
    finally:
        node.server.shutdown()
        node.server.server_close()


def test_mints_through_a_node_without_the_synchronous_send(
    world: World, make_api: Callable[..., Api], old_node: NodeWithoutSyncSend
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
