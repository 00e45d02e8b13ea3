"""JSON-RPC to the node from the event loop, over kept-alive HTTP/1.1 connections.

The mint's hot path (api.chain.sender) talks to the node from the event loop: a worker thread per
request and a general-purpose HTTP client cost more than the node's own work on a small machine
(httpx: about 2 ms a call here; this: under 0.1 ms). `KeepAliveHttp` speaks just what JSON-RPC
over HTTP needs: POST with a JSON body, answers framed by Content-Length or chunked, keep-alive,
TLS for https URLs. `AsyncNode` raises the SDK's errors: ConnectionFailed when the node cannot be
used, RpcError when it answers with a JSON-RPC error.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import ssl
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from sdap.errors import ConnectionFailed, RpcError

_MAX_HEADER = 64 * 1024
_MAX_BODY = 64 * 1024 * 1024


class _Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    def close(self) -> None:
        self.writer.close()


class KeepAliveHttp:
    """POSTs to one HTTP/1.1 origin over a pool of kept-alive connections, bound to the event
    loop that first uses it (a new loop, as in tests, gets fresh connections)."""

    def __init__(self, url: str, *, timeout: float = 30.0, max_idle: int = 64) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("the URL must be http(s)://host[:port][/path]")
        self._tls = ssl.create_default_context() if parts.scheme == "https" else None
        self._host = parts.hostname
        self._port = parts.port or (443 if self._tls else 80)
        self._path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self._authority = self._host if parts.port is None else f"{self._host}:{parts.port}"
        self.timeout = timeout
        self._max_idle = max_idle
        self._idle: list[_Connection] = []
        self._loop: asyncio.AbstractEventLoop | None = None

    def __repr__(self) -> str:
        # Never the path or query: hosted nodes put their access token there.
        return f"{type(self).__name__}({'https' if self._tls else 'http'}://{self._host}:{self._port})"

    async def post(
        self, body: bytes, *, path: str | None = None, headers: Mapping[str, str] | None = None
    ) -> tuple[int, bytes]:
        """POSTs a JSON `body`; returns the status and body of the answer. OSError, TimeoutError
        or ValueError (an answer that is not HTTP) when there is none."""
        head = f"POST {path or self._path} HTTP/1.1\r\nHost: {self._authority}\r\nContent-Type: application/json\r\n"
        for name, value in (headers or {}).items():
            head += f"{name}: {value}\r\n"
        request = (head + f"Content-Length: {len(body)}\r\n\r\n").encode() + body
        async with asyncio.timeout(self.timeout):
            return await self._exchange_pooled(request)

    async def aclose(self) -> None:
        idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()

    async def _exchange_pooled(self, request: bytes) -> tuple[int, bytes]:
        conn, reused = await self._take()
        try:
            try:
                status, data, keep = await self._exchange(conn, request)
            except (ConnectionError, asyncio.IncompleteReadError):
                conn.close()
                if not reused:
                    raise
                # A kept-alive connection the node had closed: once more on a new one.
                conn, _ = await self._open()
                status, data, keep = await self._exchange(conn, request)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            conn.close()
            raise ValueError("the answer is not HTTP/1.1") from None
        except BaseException:
            conn.close()  # cancelled or timed out mid-answer: the connection's state is unknown
            raise
        if keep and len(self._idle) < self._max_idle:
            self._idle.append(conn)
        else:
            conn.close()
        return status, data

    async def _take(self) -> tuple[_Connection, bool]:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            self._idle, self._loop = [], loop
        while self._idle:
            conn = self._idle.pop()
            if not conn.writer.is_closing():
                return conn, True
        return await self._open()

    async def _open(self) -> tuple[_Connection, bool]:
        reader, writer = await asyncio.open_connection(self._host, self._port, ssl=self._tls, limit=_MAX_HEADER)
        return _Connection(reader, writer), False

    @staticmethod
    async def _exchange(conn: _Connection, request: bytes) -> tuple[int, bytes, bool]:
        """Sends one request and reads its answer; returns the status, the body and whether the
        connection may be used again."""
        conn.writer.write(request)
        head = await conn.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        version, _, rest = lines[0].partition(" ")
        status = int(rest[:3])
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, sep, value = line.partition(":")
            if sep:
                headers[name.strip().lower()] = value.strip()
        keep = version == "HTTP/1.1" and headers.get("connection", "").lower() != "close"
        if "chunked" in headers.get("transfer-encoding", "").lower():
            body = await _read_chunked(conn.reader)
        elif "content-length" in headers:
            length = int(headers["content-length"])
            if not 0 <= length <= _MAX_BODY:
                raise ValueError("answer too large")
            body = await conn.reader.readexactly(length)
        else:
            body, keep = await conn.reader.read(-1), False  # until the server closes
            if len(body) > _MAX_BODY:
                raise ValueError("answer too large")
        return status, body, keep


class AsyncNode:
    """The node's JSON-RPC, from the event loop."""

    def __init__(self, url: str, *, timeout: float = 30.0) -> None:
        self._http = KeepAliveHttp(url, timeout=timeout)
        self._ids = itertools.count(1)

    def __repr__(self) -> str:
        return repr(self._http).replace("KeepAliveHttp", "AsyncNode")

    async def call(self, method: str, params: list[Any]) -> Any:
        """The result of one JSON-RPC call; RpcError when the node answers with an error."""
        call = {"jsonrpc": "2.0", "id": next(self._ids), "method": method, "params": params}
        answer = await self._exchange(call, method)
        if not isinstance(answer, dict):
            raise ConnectionFailed(f"the node answered {method} with no JSON-RPC response")
        return _result(answer)

    async def batch(self, method: str, params: list[list[Any]]) -> list[Any]:
        """`method` called once per entry of `params` in one JSON-RPC batch, which the node takes
        in that order. Each call's result, or its RpcError (returned, not raised); RpcError
        raised when the node refuses batches as such."""
        first = next(self._ids)
        ids = range(first, first + len(params))
        for _ in params[1:]:
            next(self._ids)
        calls = [{"jsonrpc": "2.0", "id": i, "method": method, "params": p} for i, p in zip(ids, params, strict=True)]
        answer = await self._exchange(calls, method)
        if isinstance(answer, dict):
            _result(answer)  # a node without batches answers with one error
            raise RpcError(f"the node answered a batch of {method} with one response")
        by_id = {item.get("id"): item for item in answer if isinstance(item, dict)}
        results: list[Any] = []
        for i in ids:
            item = by_id.get(i)
            if item is None:
                results.append(RpcError(f"the node's batch answer has no response to {method} #{i - first}"))
                continue
            try:
                results.append(_result(item))
            except RpcError as exc:
                results.append(exc)
        return results

    async def _exchange(self, request: dict[str, Any] | list[dict[str, Any]], method: str) -> Any:
        try:
            status, data = await self._http.post(json.dumps(request).encode())
        except TimeoutError:
            raise ConnectionFailed(f"the node did not answer {method} in {self._http.timeout:g} s") from None
        except (OSError, ValueError) as exc:
            raise ConnectionFailed(f"RPC transport failed: {type(exc).__name__}") from None
        try:
            answer = json.loads(data)
        except ValueError:
            answer = None
        if not isinstance(answer, dict | list):
            raise ConnectionFailed(f"the node answered {method} with HTTP {status} and no JSON-RPC response")
        return answer

    async def aclose(self) -> None:
        await self._http.aclose()


def _result(answer: dict[str, Any]) -> Any:
    error = answer.get("error")
    if error is not None:
        if not isinstance(error, dict):
            raise RpcError(str(error))
        code = error.get("code")
        raise RpcError(str(error.get("message", "")), code if isinstance(code, int) else None)
    return answer.get("result")


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    parts: list[bytes] = []
    total = 0
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";", 1)[0].strip(), 16)
        if size == 0:
            while (await reader.readuntil(b"\r\n")) != b"\r\n":  # trailers, then the blank line
                pass
            return b"".join(parts)
        total += size
        if total > _MAX_BODY:
            raise ValueError("answer too large")
        parts.append(await reader.readexactly(size))
        await reader.readexactly(2)
