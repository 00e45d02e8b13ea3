"""The event loop's JSON-RPC client (one kept-alive aiohttp session per event loop): against anvil,
and against small HTTP servers that answer the way other nodes and proxies do (chunked bodies,
closed connections, silence)."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from api.chain.node import Node
from sdap.anvil import Anvil
from sdap.errors import ConnectionFailed, RpcError

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


def run(coro: Awaitable[Any]) -> Any:
    async def main() -> Any:
        return await coro

    return asyncio.run(main())


async def serve(handler: Handler, body: Callable[[str], Awaitable[Any]]) -> Any:
    """Runs `body` with the URL of a local server answering with `handler`."""
    server = await asyncio.start_server(handler, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        return await body(f"http://127.0.0.1:{port}")
    finally:
        server.close()


async def read_request(reader: asyncio.StreamReader) -> Any:
    head = await reader.readuntil(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")
    )
    return json.loads(await reader.readexactly(length))


async def using(node: Node, call: Callable[[Node], Awaitable[Any]]) -> Any:
    """`call` on `node`, its session closed after."""
    try:
        return await call(node)
    finally:
        await node.aclose()


def test_calls_anvil(anvil: Anvil) -> None:
    async def body() -> tuple[Any, Any]:
        node = Node(anvil.url)
        chain_id = await node.call("eth_chainId", [])
        block = await node.call("eth_blockNumber", [])
        await node.aclose()
        return chain_id, block

    chain_id, block = run(body())
    assert int(chain_id, 16) == 31337 and int(block, 16) >= 0


def test_calls_go_over_one_kept_alive_connection() -> None:
    connections = 0

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        while True:
            try:
                request = await read_request(reader)
            except asyncio.IncompleteReadError:
                return
            payload = json.dumps({"jsonrpc": "2.0", "id": request["id"], "result": "0x1"}).encode()
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(payload) + payload)
            await writer.drain()

    async def body(url: str) -> list[Any]:
        node = Node(url)
        answers = [await node.call("eth_blockNumber", []) for _ in range(3)]
        await node.aclose()
        return answers

    assert run(serve(handler, body)) == ["0x1"] * 3
    assert connections == 1


def test_a_json_rpc_error_is_an_rpc_error_with_its_code(anvil: Anvil) -> None:
    with pytest.raises(RpcError) as caught:
        run(using(Node(anvil.url), lambda node: node.call("eth_noSuchMethod", [])))
    assert caught.value.code == -32601


def test_nothing_listening_is_a_connection_failure() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound, never listening: connections are refused
        with pytest.raises(ConnectionFailed, match="RPC transport failed"):
            run(using(Node(f"http://127.0.0.1:{port}"), lambda node: node.call("eth_chainId", [])))


def test_a_chunked_answer_is_read_whole() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        request = await read_request(reader)
        payload = json.dumps({"jsonrpc": "2.0", "id": request["id"], "result": "0x" + "ab" * 5000}).encode()
        chunks = [payload[i : i + 777] for i in range(0, len(payload), 777)]
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
        for chunk in chunks:
            writer.write(f"{len(chunk):x};ext=1\r\n".encode() + chunk + b"\r\n")
        writer.write(b"0\r\nX-Trailer: yes\r\n\r\n")
        await writer.drain()

    async def body(url: str) -> Any:
        return await using(Node(url), lambda node: node.call("eth_getCode", []))

    assert run(serve(handler, body)) == "0x" + "ab" * 5000


def test_a_connection_the_server_closed_is_replaced() -> None:
    """A proxy that closes kept-alive connections between requests, without saying so."""
    served = 0

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal served
        request = await read_request(reader)
        served += 1
        payload = json.dumps({"jsonrpc": "2.0", "id": request["id"], "result": served}).encode()
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(payload) + payload)
        await writer.drain()
        writer.close()

    async def body(url: str) -> list[Any]:
        node = Node(url)
        first = await node.call("eth_blockNumber", [])
        await asyncio.sleep(0.05)  # the server has closed the connection by now
        return [first, await node.call("eth_blockNumber", [])]

    assert run(serve(handler, body)) == [1, 2]


def test_a_node_that_does_not_answer_times_out() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        await asyncio.sleep(5)

    async def body(url: str) -> Any:
        return await using(Node(url, timeout=0.2), lambda node: node.call("eth_blockNumber", []))

    with pytest.raises(ConnectionFailed, match=r"did not answer eth_blockNumber in 0\.2 s"):
        run(serve(handler, body))


@pytest.mark.parametrize(
    "answer",
    [
        b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 11\r\n\r\nbad gateway",
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n[]",
        b"SMTP ready\r\n\r\n",
    ],
    ids=["proxy error page", "not a JSON-RPC object", "not HTTP"],
)
def test_an_answer_that_is_not_json_rpc_is_a_connection_failure(answer: bytes) -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(answer)
        await writer.drain()
        writer.close()

    async def body(url: str) -> Any:
        return await using(Node(url), lambda node: node.call("eth_blockNumber", []))

    with pytest.raises(ConnectionFailed):
        run(serve(handler, body))


def test_the_url_must_be_http() -> None:
    with pytest.raises(ValueError, match="http"):
        Node("ws://127.0.0.1:8545")


def test_repr_never_shows_the_path_where_hosted_nodes_keep_their_token() -> None:
    node = Node("https://node.example:8443/v3/secret-token?key=also-secret")
    assert "secret" not in repr(node) and "node.example:8443" in repr(node)


def test_a_batch_answers_call_by_call_in_the_order_asked(anvil: Anvil) -> None:
    holder = "0x" + "11" * 20
    params = [[holder, "latest"], ["not an address", "latest"], [holder, "0x0"]]
    answers = run(using(Node(anvil.url), lambda node: node.batch("eth_getBalance", params)))
    assert answers[0] == answers[2] == "0x0"
    assert isinstance(answers[1], RpcError)  # the one bad call's error, returned in its place


def test_a_batch_answered_in_another_order_is_matched_by_id() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        calls = await read_request(reader)
        answers = [{"jsonrpc": "2.0", "id": c["id"], "result": c["params"][0]} for c in reversed(calls)]
        payload = json.dumps(answers).encode()
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(payload) + payload)
        await writer.drain()

    async def body(url: str) -> Any:
        return await using(Node(url), lambda node: node.batch("echo", [["a"], ["b"], ["c"]]))

    assert run(serve(handler, body)) == ["a", "b", "c"]


def test_a_node_without_batches_refuses_the_whole_batch() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        refusal = {"jsonrpc": "2.0", "id": None, "error": {"code": -32600, "message": "batches not supported"}}
        payload = json.dumps(refusal).encode()
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(payload) + payload)
        await writer.drain()

    async def body(url: str) -> Any:
        return await using(Node(url), lambda node: node.batch("eth_blockNumber", [[], []]))

    with pytest.raises(RpcError, match="batches not supported"):
        run(serve(handler, body))
