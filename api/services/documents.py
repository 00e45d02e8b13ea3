"""Fetching published documents (decisions to issue, risk-notice texts) and hashing them.

A document's hash is the sha256 of its bytes as published: anyone can check it with `sha256sum`.
The gateway fetches only http(s) URLs, follows at most three redirects, stops at a size limit and,
unless told otherwise (tests, a local demo), refuses hosts on loopback, private, link-local or
reserved addresses, so it cannot be used to probe the network it runs in. The addresses are
checked where the connection is made, on the very addresses it is made to: a name that resolves
to a public address when asked first and to a private one when connected to (DNS rebinding) is
refused too.
"""

from __future__ import annotations

import functools
import ipaddress
import socket
import ssl
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from api.errors import DecisionUnavailable, DecisionUriNotAllowed

MAX_REDIRECTS = 3


class _PrivateAddress(Exception):
    """Raised inside the connection: the host resolved to an address the gateway may not reach."""


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is loopback
    return ip.is_global


class _CheckedConnections(httpcore.NetworkBackend):
    """Resolves the host itself, checks every address and connects to those it checked."""

    def __init__(self, allow_private: bool) -> None:
        self._allow_private = allow_private
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise httpcore.ConnectError(f"the host name does not resolve ({type(exc).__name__})") from None
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        if not self._allow_private and not all(_public(a) for a in addresses):
            raise _PrivateAddress
        failure: httpcore.ConnectError | None = None
        for address in addresses:
            try:
                return self._inner.connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:
                failure = exc
        raise failure or httpcore.ConnectError("the host has no address")

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("documents are fetched over TCP only")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


@functools.cache
def _tls() -> ssl.SSLContext:
    """The system's trusted certificates, loaded once (about 25 ms each time)."""
    return httpx.create_ssl_context(trust_env=False)


class _CheckedTransport(httpx.HTTPTransport):
    def __init__(self, allow_private: bool) -> None:
        super().__init__(verify=_tls(), trust_env=False)
        # httpx takes no network backend of its own: its connection pool (the one thing the
        # transport holds) is made again around ours, as httpx makes it (httpx is pinned).
        self._pool = httpcore.ConnectionPool(ssl_context=_tls(), network_backend=_CheckedConnections(allow_private))


@dataclass(frozen=True)
class Fetcher:
    timeout: float = 10.0
    max_bytes: int = 20 * 1024 * 1024
    allow_private: bool = False

    def fetch(self, uri: str) -> bytes:
        """The document at `uri`; DecisionUriNotAllowed or DecisionUnavailable say why not."""
        target = uri
        transport = _CheckedTransport(self.allow_private)
        with httpx.Client(transport=transport, timeout=self.timeout, follow_redirects=False) as client:
            for _ in range(MAX_REDIRECTS + 1):
                self._check(target)
                try:
                    with client.stream("GET", target, headers={"Accept": "*/*"}) as response:
                        if response.is_redirect and "location" in response.headers:
                            target = urljoin(target, response.headers["location"])
                            continue
                        if response.status_code != 200:
                            raise DecisionUnavailable(f"the server answered HTTP {response.status_code}", uri=uri)
                        body = bytearray()
                        for chunk in response.iter_bytes():
                            body += chunk
                            if len(body) > self.max_bytes:
                                raise DecisionUnavailable(
                                    f"the document is larger than {self.max_bytes} bytes", uri=uri
                                )
                        return bytes(body)
                except _PrivateAddress:
                    raise DecisionUriNotAllowed("the host is on a private or reserved address", uri=uri) from None
                except httpx.HTTPError as exc:
                    raise DecisionUnavailable(
                        f"the document cannot be fetched ({type(exc).__name__})", uri=uri
                    ) from None
        raise DecisionUnavailable("too many redirects", uri=uri)

    def _check(self, uri: str) -> None:
        """Refuses early what can never be fetched, with the clearer error (the connection checks
        the addresses again, on what it connects to)."""
        parts = urlsplit(uri)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise DecisionUriNotAllowed("only http(s) URLs are fetched", uri=uri)
        if self.allow_private:
            return
        try:
            infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
        except OSError:
            raise DecisionUnavailable("the host name does not resolve", uri=uri) from None
        if not all(_public(str(info[4][0])) for info in infos):
            raise DecisionUriNotAllowed("the host is on a private or reserved address", uri=uri)
