"""JSON-RPC to the node from the event loop: one kept-alive aiohttp session per event loop, single
calls and batches, with the SDK's errors.

JSON-RPC over HTTP is one POST of a JSON body, so the gateway posts it with aiohttp itself rather
than through web3's AsyncHTTPProvider, whose request pipeline (caching hooks, a session cache
under a lock) was a measurable share of the mint path (docs/performance.md, "Gateway"). Nothing of
the protocol is written here: aiohttp speaks HTTP, the json module the body.
`Node` raises ConnectionFailed when the node cannot be used and NodeError (an RpcError carrying
the error's `data`, where a revert puts its reason) when it answers with a JSON-RPC error.
"""

from __future__ import annotations

import asyncio
import itertools
from typing import Any, cast
from urllib.parse import urlsplit

from aiohttp import ClientError, ClientSession, ClientTimeout, TCPConnector

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
        self._url = url
        self._ids = itertools.count(1)
        self._sessions: dict[asyncio.AbstractEventLoop, ClientSession] = {}

    def __repr__(self) -> str:
        return f"Node({self._shown})"

    async def call(self, method: str, params: list[Any]) -> Any:
        """The result of one JSON-RPC call."""
        request = {"jsonrpc": "2.0", "id": next(self._ids), "method": method, "params": params}
        try:
            answer = await self._post(request)
        except Exception as exc:  # noqa: BLE001 - mapped: see _failure
            raise self._failure(method, exc) from None
        if not isinstance(answer, dict):
            raise ConnectionFailed(f"the node answered {method} with no JSON-RPC response")
        return _result(answer)

    async def batch(self, method: str, params: list[list[Any]]) -> list[Any]:
        """`method` called once per entry of `params` in one JSON-RPC batch, which the node takes in
        that order. Each call's result, or its NodeError (returned, not raised); NodeError raised
        when the node refuses batches as such."""
        ids = [next(self._ids) for _ in params]
        requests = [
            {"jsonrpc": "2.0", "id": i, "method": method, "params": p} for i, p in zip(ids, params, strict=True)
        ]
        try:
            answer = await self._post(requests)
        except Exception as exc:  # noqa: BLE001 - mapped: see _failure
            raise self._failure(method, exc) from None
        if isinstance(answer, dict):
            _result(answer)  # a node without batches answers with one error
            raise NodeError(f"the node answered a batch of {method} with one response")
        if not isinstance(answer, list) or len(answer) != len(params):
            raise ConnectionFailed(f"the node answered a batch of {len(params)} {method} with {len(answer)} responses")
        # Answers may come in any order (JSON-RPC 2.0): each is matched to its call by id.
        by_id = {item.get("id"): item for item in answer if isinstance(item, dict)}
        if len(by_id) != len(params):
            raise ConnectionFailed(f"the node answered a batch of {len(params)} {method} with unmatched responses")
        results: list[Any] = []
        for item in (by_id.get(i, {}) for i in ids):
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

    async def _post(self, body: Any) -> Any:
        """The node's decoded answer to one POST of `body`. Never retried here: a send retried by the
        transport could reach the node twice, so the caller decides."""
        async with self._session().post(self._url, json=body) as response:
            return await response.json(content_type=None)

    def _session(self) -> ClientSession:
        """This event loop's kept-alive session."""
        loop = asyncio.get_running_loop()
        session = self._sessions.get(loop)
        if session is None or session.closed:
            for gone in [known for known in self._sessions if known.is_closed()]:
                del self._sessions[gone]  # a test's finished event loop
            session = ClientSession(
                connector=TCPConnector(limit=POOL), raise_for_status=True, timeout=ClientTimeout(total=self.timeout)
            )
            self._sessions[loop] = session
        return session

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
