"""The risk notice as anyone reads it: a text published elsewhere is fetched by the background
task, never while a public read waits, and shown once it matches the notice's hash; a server that
drips bytes slows nothing but that task."""

from __future__ import annotations

import hashlib
import time

from gateway_support import Api, Documents
from world import World


def publish_elsewhere(world: World, uri: str, text: bytes) -> int:
    world.platform.resync_nonces()
    return world.regulator.publish_risk_notice(hashlib.sha256(text).digest(), uri).id


def test_a_text_published_elsewhere_is_fetched_in_the_background(api: Api, world: World, documents: Documents) -> None:
    text = b"Risk notice, version 2: units may lose their value."
    uri = documents.publish("/notice-v2.txt", text)
    publish_elsewhere(world, uri, text)
    asked = len(documents.requests)
    first = api.get("/v1/risk-notice").json()
    assert first["text"] is None and first["text_verified"] is False
    assert len(documents.requests) == asked  # not fetched while the read waited
    api.gateway.notices.fetch_texts()  # the periodic task
    second = api.get("/v1/risk-notice").json()
    assert second["text"] == text.decode() and second["text_verified"] is True


def test_a_text_that_does_not_match_its_hash_is_not_shown(api: Api, world: World, documents: Documents) -> None:
    uri = documents.publish("/notice-v3.txt", b"not what was anchored")
    publish_elsewhere(world, uri, b"what was anchored")
    api.get("/v1/risk-notice")
    api.gateway.notices.fetch_texts()
    assert api.get("/v1/risk-notice").json()["text"] is None


def test_a_dripping_server_does_not_slow_public_reads(api: Api, world: World) -> None:
    import http.server
    import threading

    class Drip(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            try:
                for _ in range(100):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.5)
            except OSError:
                pass

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Drip)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        publish_elsewhere(world, f"http://127.0.0.1:{server.server_address[1]}/slow.txt", b"slow")
        started = time.monotonic()
        for _ in range(5):
            assert api.get("/v1/risk-notice").status_code == 200
        assert time.monotonic() - started < 2.0
    finally:
        server.shutdown()
        server.server_close()
