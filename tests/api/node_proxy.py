"""A JSON-RPC proxy in front of anvil that behaves as other nodes or networks do: it can answer a
method as a node without it would, hold back the first transaction it is sent (as a slow
connection would), answer it late (as a node whose wait for inclusion outlasts its client's), or
lose every send of the first transaction while `losing` is set (the connection breaks before it
arrives).
It records what it was asked and the nonces of the transactions it passed on, in that order."""

from __future__ import annotations

import http.client
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import rlp  # type: ignore[import-untyped]

SENDS = ("eth_sendRawTransaction", "eth_sendRawTransactionSync")


def nonce_of(raw: str) -> int:
    """The nonce of a signed EIP-1559 transaction (0x02 || rlp([chainId, nonce, ...]))."""
    data = bytes.fromhex(raw.removeprefix("0x"))
    assert data[0] == 2, "an EIP-1559 transaction"
    return int.from_bytes(rlp.decode(data[1:])[1], "big")


class NodeProxy:
    def __init__(
        self,
        upstream: str,
        *,
        without: tuple[str, ...] = (),
        hold_first_send: float = 0.0,
        answer_first_send_late: float = 0.0,
        losing: bool = False,
    ) -> None:
        target = urlsplit(upstream)
        host, port = target.hostname or "127.0.0.1", target.port
        self.asked: list[str] = []
        #: Nonces of the transactions passed on to anvil, in that order.
        self.passed_on: list[int] = []
        lock = threading.Lock()
        held = {"first": hold_first_send > 0}
        late = {"first": answer_first_send_late > 0}
        #: While set, every send of the first transaction sent is lost on its way.
        self.losing = losing
        first_sent: list[str] = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                request = json.loads(body)
                method = request["method"]
                with lock:
                    proxy.asked.append(method)
                    hold = method in SENDS and held.pop("first", False)
                    answer_late = method in SENDS and late.pop("first", False)
                    if method in SENDS and not first_sent:
                        first_sent.append(request["params"][0])
                    lose = proxy.losing and method in SENDS and request["params"][0] == first_sent[0]
                if lose:
                    self.close_connection = True  # no answer, and anvil never saw it
                    return
                if method in without:
                    error = {"code": -32601, "message": f"the method {method} does not exist"}
                    answer = json.dumps({"jsonrpc": "2.0", "id": request["id"], "error": error}).encode()
                else:
                    if hold:
                        time.sleep(hold_first_send)
                    conn = http.client.HTTPConnection(host, port, timeout=60)
                    if method in SENDS:
                        with lock:
                            # Recorded and written under one lock: the list is the order of writing.
                            proxy.passed_on.append(nonce_of(request["params"][0]))
                            conn.request("POST", "/", body, {"Content-Type": "application/json"})
                    else:
                        conn.request("POST", "/", body, {"Content-Type": "application/json"})
                    answer = conn.getresponse().read()
                    conn.close()
                    if answer_late:
                        time.sleep(answer_first_send_late)
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
