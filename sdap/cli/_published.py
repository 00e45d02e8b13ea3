"""A published document fetched and checked against the hash the chain anchors.

Used before the issuer points its decision to issue to a new URI (`sdap issuance decision-uri`):
the anchored decision hash never changes, so the document at the new address must be the same
decision, byte for byte (sdap.documents: its sha256). The chain cannot fetch anything, so the one
sending the transaction checks; the gateway does the same with its own fetcher. Only http(s),
at most three redirects, a size limit and a timeout: the CLI runs on the issuer's own machine, so
it needs no guard against private addresses (the gateway, a server, has one).
"""

from __future__ import annotations

import httpx

from sdap.documents import document_hash
from sdap.errors import InvalidArgument

MAX_REDIRECTS = 3
MAX_BYTES = 20 * 1024 * 1024
TIMEOUT = 10.0


def fetch(uri: str, *, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes published at `uri`; InvalidArgument says why they cannot be had."""
    if not uri.startswith(("http://", "https://")):
        raise InvalidArgument(f"{uri!r}: only http(s) addresses are fetched")
    try:
        with (
            httpx.Client(timeout=timeout, follow_redirects=True, max_redirects=MAX_REDIRECTS) as client,
            client.stream("GET", uri, headers={"Accept": "*/*"}) as response,
        ):
            if response.status_code != 200:
                raise InvalidArgument(f"{uri}: the server answered HTTP {response.status_code}")
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > max_bytes:
                    raise InvalidArgument(f"{uri}: the document is larger than {max_bytes} bytes")
            return bytes(body)
    except InvalidArgument:
        raise
    except httpx.TimeoutException:
        raise InvalidArgument(f"{uri}: the document did not arrive within {timeout:g} s") from None
    except (httpx.HTTPError, httpx.InvalidURL, UnicodeError, ValueError) as exc:
        raise InvalidArgument(f"{uri}: the document cannot be fetched ({type(exc).__name__})") from None


def check_published(uri: str, anchored: bytes, what: str, *, timeout: float = TIMEOUT) -> bytes:
    """Fetches `uri` and returns its sha256 if it is `anchored`; InvalidArgument otherwise."""
    found = document_hash(fetch(uri, timeout=timeout))
    if found != anchored:
        raise InvalidArgument(
            f"the document at {uri} has sha256 0x{found.hex()}, not the anchored {what} hash 0x{anchored.hex()}: "
            "it is not the same document"
        )
    return found
