"""Fetching published documents (decisions to issue, risk-notice texts) and hashing them.

A document's hash is the sha256 of its bytes as published: anyone can check it with `sha256sum`.
The gateway fetches only http(s) URLs, follows at most three redirects, stops at a size limit and
at an overall deadline (each read waits at most what is left of it, so a server dripping bytes
holds a fetch no longer than the deadline), and, unless told otherwise (tests, a local demo),
refuses hosts on loopback, private, link-local or reserved addresses, so it cannot be used to probe
the network it runs in. That includes IPv6 addresses that embed an IPv4 one (IPv4-mapped and
-compatible, SIIT, NAT64 and 6to4, Teredo): the embedded address is what is checked. The addresses
are checked where the connection is made, on the very addresses it is made to: a name that resolves
to a public address when asked first and to a private one when connected to (DNS rebinding) is
refused too.

A failed fetch can be remembered (`remember_failure=True`, for the periodic tasks): the same URI
then fails at once, with the same problem, until `failure_ttl` seconds have passed.
"""

from __future__ import annotations

import functools
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from api.errors import ApiError, DecisionUnavailable, DecisionUriNotAllowed

MAX_REDIRECTS = 3


class _PrivateAddress(Exception):
    """Raised inside the connection: the host resolved to an address the gateway may not reach."""


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    embedded = _embedded_ipv4(ip) if isinstance(ip, ipaddress.IPv6Address) else ()
    if embedded:
        return all(v4.is_global for v4 in embedded)
    return ip.is_global


_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")  # RFC 6052 well-known prefix
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")  # RFC 8215 local-use prefix
_SIIT = ipaddress.IPv6Network("::ffff:0:0:0/96")  # RFC 2765 IPv4-translated
_COMPATIBLE = ipaddress.IPv6Network("::/96")  # RFC 4291 IPv4-compatible (deprecated)


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> tuple[ipaddress.IPv4Address, ...]:
    """The IPv4 addresses an IPv6 address stands for, if it is one of the forms that embed one
    (traffic to it reaches the IPv4 address through a translator or a tunnel)."""
    value = int(ip)
    last32 = ipaddress.IPv4Address(value & 0xFFFFFFFF)
    if ip.ipv4_mapped is not None:
        return (ip.ipv4_mapped,)
    if ip in _SIIT or ip in _NAT64 or ip in _COMPATIBLE:
        return (last32,)
    if ip in _NAT64_LOCAL:
        # A /48 prefix: the IPv4 address is split around the reserved octet (bits 64-71).
        return (ipaddress.IPv4Address(((value >> 64) & 0xFFFF) << 16 | (value >> 40) & 0xFFFF),)
    if ip.sixtofour is not None:
        return (ip.sixtofour,)
    if ip.teredo is not None:
        return ip.teredo
    return ()


class _CheckedConnections(httpcore.NetworkBackend):
    """Resolves the host itself, checks every address and connects to those it checked."""

    def __init__(self, allow_private: bool, deadline: float) -> None:
        self._allow_private = allow_private
        self._deadline = deadline
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
        except (OSError, UnicodeError) as exc:  # UnicodeError: a name IDNA cannot encode
            raise httpcore.ConnectError(f"the host name does not resolve ({type(exc).__name__})") from None
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        if not self._allow_private and not all(_public(a) for a in addresses):
            raise _PrivateAddress
        failure: httpcore.ConnectError | None = None
        for address in addresses:
            try:
                stream = self._inner.connect_tcp(
                    address, port, _within(timeout, self._deadline), local_address, socket_options
                )
                return _DeadlineStream(stream, self._deadline)
            except httpcore.ConnectError as exc:
                failure = exc
        raise failure or httpcore.ConnectError("the host has no address")

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("documents are fetched over TCP only")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def _within(timeout: float | None, deadline: float) -> float:
    """The time an operation may wait: its own timeout, cut to what is left before the deadline."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise httpcore.ReadTimeout("the document's deadline passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write waits at most what is left before the deadline."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: float) -> None:
        self._inner = inner
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _within(timeout, self._deadline))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _within(timeout, self._deadline))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        tls = self._inner.start_tls(ssl_context, server_hostname, _within(timeout, self._deadline))
        return _DeadlineStream(tls, self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


@functools.cache
def _tls() -> ssl.SSLContext:
    """The system's trusted certificates, loaded once (about 25 ms each time)."""
    return httpx.create_ssl_context(trust_env=False)


class _CheckedTransport(httpx.HTTPTransport):
    def __init__(self, allow_private: bool, deadline: float) -> None:
        super().__init__(verify=_tls(), trust_env=False)
        # httpx takes no network backend of its own: its connection pool (the one thing the
        # transport holds) is made again around ours, as httpx makes it (httpx is pinned).
        self._pool = httpcore.ConnectionPool(
            ssl_context=_tls(), network_backend=_CheckedConnections(allow_private, deadline)
        )


class Fetcher:
    def __init__(
        self,
        timeout: float = 10.0,
        max_bytes: int = 20 * 1024 * 1024,
        allow_private: bool = False,
        *,
        deadline: float | None = None,
        failure_ttl: float = 60.0,
        mirrors: Mapping[str, str] | None = None,
    ) -> None:
        """`timeout` bounds each connection and read, `deadline` (default: `timeout`) the whole
        fetch, redirects included. `mirrors` maps URI prefixes to where they are fetched from
        instead (a local demo whose document server moved); the hash checks stay the same."""
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.allow_private = allow_private
        self.deadline = timeout if deadline is None else deadline
        self.failure_ttl = failure_ttl
        self.mirrors = dict(mirrors or {})
        self._failures: dict[str, tuple[float, ApiError]] = {}
        self._lock = threading.Lock()

    def fetch(self, uri: str, *, remember_failure: bool = False) -> bytes:
        """The document at `uri`; DecisionUriNotAllowed or DecisionUnavailable say why not."""
        if remember_failure:
            with self._lock:
                until, failure = self._failures.get(uri, (0.0, None))
            if failure is not None and time.monotonic() < until:
                raise type(failure)(failure.detail, **failure.extensions)
        try:
            content = self._fetch(uri)
        except ApiError as exc:
            if remember_failure:
                with self._lock:
                    self._failures[uri] = (time.monotonic() + self.failure_ttl, exc)
            raise
        # Published since it failed (a decision's new URI checked before it moves): not
        # reported unavailable any longer.
        with self._lock:
            self._failures.pop(uri, None)
        return content

    def _fetch(self, uri: str) -> bytes:
        target = self._mirrored(uri)
        deadline = time.monotonic() + self.deadline
        transport = _CheckedTransport(self.allow_private, deadline)
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
                except httpx.TimeoutException:
                    raise DecisionUnavailable(
                        f"the document did not arrive within {self.deadline:g} s", uri=uri
                    ) from None
                except (httpx.HTTPError, httpx.InvalidURL, UnicodeError, ValueError) as exc:
                    raise DecisionUnavailable(
                        f"the document cannot be fetched ({type(exc).__name__})", uri=uri
                    ) from None
        raise DecisionUnavailable("too many redirects", uri=uri)

    def _mirrored(self, uri: str) -> str:
        for prefix, mirror in self.mirrors.items():
            if uri.startswith(prefix):
                return mirror + uri[len(prefix) :]
        return uri

    def _check(self, uri: str) -> None:
        """Refuses early what can never be fetched, with the clearer error (the connection checks
        the addresses again, on what it connects to)."""
        try:
            parts = urlsplit(uri)
            hostname, _ = parts.hostname, parts.port  # a malformed host or port raises here
        except ValueError:
            raise DecisionUriNotAllowed("the URL cannot be read", uri=uri) from None
        if parts.scheme not in ("http", "https") or not hostname:
            raise DecisionUriNotAllowed("only http(s) URLs are fetched", uri=uri)
        if self.allow_private:
            return
        try:
            infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
        except (OSError, UnicodeError, ValueError):  # a name IDNA cannot encode, a port out of range
            raise DecisionUnavailable("the host name does not resolve", uri=uri) from None
        if not all(_public(str(info[4][0])) for info in infos):
            raise DecisionUriNotAllowed("the host is on a private or reserved address", uri=uri)
