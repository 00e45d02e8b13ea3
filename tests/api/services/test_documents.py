"""api.services.documents, beside tests/api/test_documents.py (address checks where the connection
is made, deadlines, remembered failures, mirrors, malformed URLs): only http(s) is fetched, at every
hop; redirects are followed, relative ones too, three at most; any answer but 200 and any document
past the size limit is unavailable; a literal private address is refused before anything is asked;
and which addresses count as public, Teredo and the NAT64 local-use prefix included."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest
from gateway_support import Documents

from api.errors import DecisionUnavailable, DecisionUriNotAllowed
from api.services.documents import MAX_REDIRECTS, Fetcher, _public


class Site:
    """A local web server answering `routes[path] = (status, headers, body)`; 404 otherwise."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
        self.asked: list[str] = []
        routes, asked = self.routes, self.asked

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                asked.append(self.path)
                status, headers, body = routes.get(self.path, (404, {}, b""))
                self.send_response(status)
                for name, value in {**headers, "Content-Length": str(len(body))}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        self.routes[path] = (status, {"Location": location}, b"")
        return self.base + path

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    """One server for the module (each stops in half a second): tests use paths of their own."""
    server = Site()
    yield server
    server.close()


def local(**options: int) -> Fetcher:
    return Fetcher(timeout=2, allow_private=True, **options)


@pytest.mark.parametrize("uri", ["ftp://issuer.example/d.pdf", "file:///etc/passwd", "mailto:board@issuer.example"])
def test_only_http_urls_are_fetched(uri: str) -> None:
    with pytest.raises(DecisionUriNotAllowed, match=r"only http\(s\) URLs"):
        local().fetch(uri)


def test_redirects_are_followed_relative_ones_too_three_at_most(site: Site) -> None:
    site.routes["/final/decision.pdf"] = (200, {}, b"the decision")
    site.redirect("/final/moved", "decision.pdf", 308)  # relative to its own directory
    site.redirect("/a", site.base + "/final/moved", 301)
    site.asked.clear()
    assert local().fetch(site.redirect("/start", "/a", 303)) == b"the decision"
    assert site.asked == ["/start", "/a", "/final/moved", "/final/decision.pdf"]
    # One more redirect than MAX_REDIRECTS: refused without asking for the document at the end.
    assert MAX_REDIRECTS == 3
    site.asked.clear()
    with pytest.raises(DecisionUnavailable, match="too many redirects"):
        local().fetch(site.redirect("/further", "/start"))
    assert site.asked == ["/further", "/start", "/a", "/final/moved"]


def test_every_hop_is_checked_a_redirect_to_another_scheme_is_refused(site: Site) -> None:
    with pytest.raises(DecisionUriNotAllowed, match=r"only http\(s\)"):
        local().fetch(site.redirect("/to-file", "file:///etc/passwd"))


@pytest.mark.parametrize("status", [204, 301, 403, 500])
def test_any_answer_but_200_is_unavailable(site: Site, status: int) -> None:
    # A 301 without a Location header leads nowhere: not a redirect to follow.
    site.routes["/odd"] = (status, {}, b"")
    with pytest.raises(DecisionUnavailable, match=f"answered HTTP {status}") as unavailable:
        local().fetch(site.base + "/odd")
    assert unavailable.value.extensions == {"uri": site.base + "/odd"}


def test_a_document_past_the_size_limit_is_unavailable(documents: Documents) -> None:
    uri = documents.publish("/size/decision.pdf", b"x" * 1000)
    assert local(max_bytes=1000).fetch(uri) == b"x" * 1000  # the limit itself is allowed
    with pytest.raises(DecisionUnavailable, match="larger than 999 bytes"):
        local(max_bytes=999).fetch(uri)


@pytest.mark.parametrize("host", ["127.0.0.1", "[::1]", "10.1.2.3", "169.254.169.254", "localhost"])
def test_a_private_host_is_refused_before_anything_is_asked(documents: Documents, host: str) -> None:
    port = documents.base.rsplit(":", 1)[1]
    documents.publish("/private/decision.pdf", b"internal")
    before = len(documents.requests)
    with pytest.raises(DecisionUriNotAllowed, match="private or reserved"):
        Fetcher(timeout=2).fetch(f"http://{host}:{port}/private/decision.pdf")
    assert len(documents.requests) == before


def test_which_addresses_are_public() -> None:
    assert _public("93.184.215.14") and _public("2606:4700:4700::1111")
    for private in ("127.0.0.1", "10.0.0.1", "100.64.0.1", "fc00::1", "fe80::1", "::", "0.0.0.0"):  # noqa: S104 - an address checked, not bound
        assert not _public(private), private
    # Teredo (2001::/32): the server and the (bit-flipped) client address are both checked.
    assert _public("2001:0:4136:e378:8000:63bf:f7f7:f7f7")  # server 65.54.227.120, client 8.8.8.8
    assert not _public("2001:0:4136:e378:8000:63bf:3fff:fdd2")  # client 192.0.2.45: TEST-NET-1
    assert not _public("2001:0:a00:1:8000:63bf:f7f7:f7f7")  # server 10.0.0.1
    # NAT64 local-use (/48): the IPv4 address sits around the reserved octet (bits 64-71).
    assert _public("64:ff9b:1:808:8:800::")  # 8.8.8.8
    assert not _public("64:ff9b:1:a00:0:700::")  # 10.0.0.7
