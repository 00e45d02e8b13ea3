"""A JSON-RPC transport over keep-alive `http.client` connections, one per thread.

The SDK's one transport fast path (docs/performance.md, "SDK reads": what it saves, measured by
scripts/bench_sdk_reads.py against web3's HTTPProvider): web3's HTTPProvider goes through
requests, whose per-call Python is most of a read's time against a local node. This provider
sends the same JSON-RPC over the standard library's `http.client`, one kept-alive connection per
thread; web3 still encodes the requests and decodes the answers (JSONBaseProvider). Errors surface
as ConnectionError/TimeoutError, which the SDK maps to ConnectionFailed.

The node's chain id is asked once per thread and remembered through web3's own request cache
(`cache_allowed_requests`): web3's validation asks it before every simulation of a write.
"""

from __future__ import annotations

import http.client
import threading
from typing import Any, cast
from urllib.parse import urlsplit

from web3._utils.batching import sort_batch_response_by_response_ids
from web3._utils.caching.caching_utils import handle_request_caching
from web3.providers import JSONBaseProvider
from web3.types import RPCEndpoint, RPCResponse

_RETRYABLE = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError, http.client.CannotSendRequest)


class KeepAliveHTTPProvider(JSONBaseProvider):
    def __init__(self, url: str, *, timeout: float = 30.0) -> None:
        super().__init__(cache_allowed_requests=True, cacheable_requests={RPCEndpoint("eth_chainId")})
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("the RPC URL must be http(s)://host[:port][/path]")
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port
        self._path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self._timeout = timeout
        self._local = threading.local()

    def __repr__(self) -> str:
        # Never the path or query: hosted nodes put their access token there.
        return f"KeepAliveHTTPProvider({'https' if self._https else 'http'}://{self._host}:{self._port or ''})"

    def _connection(self, fresh: bool = False) -> http.client.HTTPConnection:
        conn: http.client.HTTPConnection | None = getattr(self._local, "conn", None)
        if conn is not None and fresh:
            conn.close()
            conn = None
        if conn is None:
            cls = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
            conn = cls(self._host, self._port, timeout=self._timeout)
            self._local.conn = conn
        return conn

    def _post(self, body: bytes) -> bytes:
        headers = {"Content-Type": "application/json", "Connection": "keep-alive"}
        for attempt in (0, 1):
            # A kept-alive connection the node closed fails on first use: reconnect once.
            conn = self._connection(fresh=attempt == 1)
            try:
                conn.request("POST", self._path, body, headers)
                response = conn.getresponse()
                data = response.read()
            except _RETRYABLE:
                conn.close()
                if attempt == 1:
                    raise
                continue
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                self._local.conn = None
                raise ConnectionError(f"RPC transport failed: {type(exc).__name__}") from None
            if response.status >= 400 and not data.startswith(b"{"):
                raise ConnectionError(f"RPC endpoint answered HTTP {response.status}")
            return data
        raise ConnectionError("unreachable")  # pragma: no cover - the loop returns or raises

    @handle_request_caching
    def make_request(self, method: RPCEndpoint, params: Any) -> RPCResponse:
        return self.decode_rpc_response(self._post(self.encode_rpc_request(method, params)))

    def make_batch_request(self, requests: list[tuple[RPCEndpoint, Any]]) -> list[RPCResponse] | RPCResponse:
        response = self.decode_rpc_response(self._post(self.encode_batch_rpc_request(requests)))
        if not isinstance(response, list):
            return response  # one error object for the whole batch
        return sort_batch_response_by_response_ids(cast(list[RPCResponse], response))

    def is_connected(self, show_traceback: bool = False) -> bool:
        try:
            return "result" in self.make_request(RPCEndpoint("web3_clientVersion"), [])
        except OSError:
            if show_traceback:
                raise
            return False
