"""Fetching published documents (decisions to issue, risk-notice texts) and hashing them.

A document's hash is the sha256 of its bytes as published: anyone can check it with `sha256sum`.
The gateway fetches only http(s) URLs, follows at most three redirects, stops at a size limit and,
unless told otherwise (tests, a local demo), refuses hosts on loopback, private, link-local or
reserved addresses, so it cannot be used to probe the network it runs in.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from api.errors import DecisionUnavailable, DecisionUriNotAllowed

MAX_REDIRECTS = 3


@dataclass(frozen=True)
class Fetcher:
    timeout: float = 10.0
    max_bytes: int = 20 * 1024 * 1024
    allow_private: bool = False

    def fetch(self, uri: str) -> bytes:
        """The document at `uri`; DecisionUriNotAllowed or DecisionUnavailable say why not."""
        target = uri
        with httpx.Client(timeout=self.timeout, follow_redirects=False, trust_env=False) as client:
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
                except httpx.HTTPError as exc:
                    raise DecisionUnavailable(
                        f"the document cannot be fetched ({type(exc).__name__})", uri=uri
                    ) from None
        raise DecisionUnavailable("too many redirects", uri=uri)

    def _check(self, uri: str) -> None:
        parts = urlsplit(uri)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise DecisionUriNotAllowed("only http(s) URLs are fetched", uri=uri)
        if self.allow_private:
            return
        try:
            infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
        except OSError:
            raise DecisionUnavailable("the host name does not resolve", uri=uri) from None
        for info in infos:
            address = ipaddress.ip_address(info[4][0])
            if not address.is_global:
                raise DecisionUriNotAllowed("the host is on a private or reserved address", uri=uri)
