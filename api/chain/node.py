"""JSON-RPC to the node from the event loop: web3's AsyncHTTPProvider over one kept-alive aiohttp
session per event loop, single calls and batches, with the SDK's errors.

web3's own session closes its connection after every request (a TCP handshake each time); the
gateway gives the provider a session that keeps them (`AsyncHTTPProvider.cache_async_session`).
`Node` raises ConnectionFailed when the node cannot be used and NodeError (an RpcError carrying
the error's `data`, where a revert puts its reason) when it answers with a JSON-RPC error.
"""

from __future__ import annotations

import asyncio
from typing import Any, cast
from urllib.parse import urlsplit

from aiohttp import ClientError, ClientSession, ClientTimeout, TCPConnector
from web3.providers.rpc import AsyncHTTPProvider
from web3.types import RPCEndpoint

from sdap.errors import ConnectionFailed, RpcError

#: Connections kept open to the node at most (concurrent requests beyond wait for one).
POOL = 64


class NodeError(RpcError):
    """The node answered a call with a JSON-RPC error; `data` is the error's data, if any."""

    def __init__(self, message: str, code: int | None = None, data: Any = None) -> None:
        super().__init__(message, code)
        self.data = data


class Node:
    """The node's JSON-RPC, from the event loop (any event loop: each gets its own session)."""

    def __init__(self, url: str, *, timeout: float = 30.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("the RPC URL must be http(s)://host[:port][/path]")
        # Never the path or query in what is shown: hosted nodes put their access token there.
        self._shown = f"{parts.scheme}://{parts.hostname}:{parts.port or ''}"
        self.timeout = timeout
        self._provider = AsyncHTTPProvider(
            url,
            request_kwargs={"timeout": ClientTimeout(total=timeout), "headers": {"Content-Type": "application/json"}},
            # A send retried by the transport could reach the node twice: the caller decides.
            exception_retry_configuration=None,
        )
        self._sessions: dict[asyncio.AbstractEventLoop, ClientSession] = {}

    def __repr__(self) -> str:
        return f"Node({self._shown})"

    async def call(self, method: str, params: list[Any]) -> Any:
        """The result of one JSON-RPC call."""
        await self._session()
        try:
            answer: Any = await self._provider.make_request(RPCEndpoint(method), params)
        except Exception as exc:  # noqa: BLE001 - mapped: see _failure
            raise self._failure(method, exc) from None
        if not isinstance(answer, dict):
            raise ConnectionFailed(f"the node answered {method} with no JSON-RPC response")
        return _result(answer)

    async def batch(self, method: str, params: list[list[Any]]) -> list[Any]:
        """`method` called once per entry of `params` in one JSON-RPC batch, which the node takes in
        that order. Each call's result, or its NodeError (returned, not raised); NodeError raised
        when the node refuses batches as such."""
        await self._session()
        try:
            answer: Any = await self._provider.make_batch_request([(RPCEndpoint(method), p) for p in params])
        except Exception as exc:  # noqa: BLE001 - mapped: see _failure
            raise self._failure(method, exc) from None
        if isinstance(answer, dict):
            _result(answer)  # a node without batches answers with one error
            raise NodeError(f"the node answered a batch of {method} with one response")
        if not isinstance(answer, list) or len(answer) != len(params):
            raise ConnectionFailed(f"the node answered a batch of {len(params)} {method} with {len(answer)} responses")
        results: list[Any] = []
        for item in answer:
            try:
                results.append(_result(cast(dict[str, Any], item)))
            except NodeError as exc:
                results.append(exc)
        return results

    async def aclose(self) -> None:
        sessions, self._sessions = self._sessions, {}
        for loop, session in sessions.items():
            if loop is asyncio.get_running_loop():
                await session.close()

    async def _session(self) -> None:
        """This event loop's kept-alive session, handed to the provider the first time."""
        loop = asyncio.get_running_loop()
        session = self._sessions.get(loop)
        if session is None or session.closed:
            for gone in [known for known in self._sessions if known.is_closed()]:
                del self._sessions[gone]  # a test's finished event loop
            session = ClientSession(connector=TCPConnector(limit=POOL), raise_for_status=True)
            self._sessions[loop] = session
            await self._provider.cache_async_session(session)

    def _failure(self, method: str, exc: Exception) -> ConnectionFailed:
        if isinstance(exc, TimeoutError):
            return ConnectionFailed(f"the node did not answer {method} in {self.timeout:g} s")
        if isinstance(exc, ClientError | OSError | ValueError):
            # ValueError: an answer that is not JSON (a proxy's error page).
            return ConnectionFailed(f"RPC transport failed: {type(exc).__name__}")
        raise exc


def _result(answer: dict[str, Any]) -> Any:
    error = answer.get("error")
    if error is not None:
        if not isinstance(error, dict):
            raise NodeError(str(error))
        code = error.get("code")
        raise NodeError(str(error.get("message", "")), code if isinstance(code, int) else None, error.get("data"))
    return answer.get("result")
