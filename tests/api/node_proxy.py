"""A JSON-RPC proxy in front of anvil that behaves as other nodes or networks do: it can answer a
method as a node without it would, hold back the first transaction it is sent (as a slow
connection would), answer it late (as a node whose wait for inclusion outlasts its client's), or
lose every send of the first transaction while `losing` is set (the connection breaks before it
arrives), or lose the answer to the first send (`lose_first_answer`: anvil takes the transaction,
then the connection breaks before its answer, as a node that fails right after taking it), or
refuse JSON-RPC batches, or answer "not found" the next time it is asked by hash while `unseen`
names the method (as a node asked a moment before a transaction reached it).
It records what it was asked and the nonces of the transactions it passed on, in that order."""

from __future__ import annotations

import contextlib
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
        lose_first_answer: bool = False,
        no_batches: bool = False,
    ) -> None:
        target = urlsplit(upstream)
        host, port = target.hostname or "127.0.0.1", target.port
        self.asked: list[str] = []
        #: Nonces of the transactions passed on to anvil, in that order.
        self.passed_on: list[int] = []
        #: How many transactions each request passing some on carried (a batch carries several).
        self.sends_per_request: list[int] = []
        lock = threading.Lock()
        held = {"first": hold_first_send > 0}
        late = {"first": answer_first_send_late > 0}
        unanswered = {"first": lose_first_answer}
        #: While set, every send of the first transaction sent is lost on its way.
        self.losing = losing
        first_sent: list[str] = []
        #: Methods answered "not found" (null) the next time each is asked.
        self.unseen: set[str] = set()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                request = json.loads(body)
                calls = request if isinstance(request, list) else [request]
                sends = [c["params"][0] for c in calls if c["method"] in SENDS]
                with lock:
                    proxy.asked.extend(c["method"] for c in calls)
                    hold = bool(sends) and held.pop("first", False)
                    answer_late = bool(sends) and late.pop("first", False)
                    no_answer = bool(sends) and unanswered.pop("first", False)
                    if sends and not first_sent:
                        first_sent.append(sends[0])
                    lose = proxy.losing and first_sent and first_sent[0] in sends
                if lose:
                    self.close_connection = True  # no answer, and anvil never saw it
                    return
                if isinstance(request, list) and no_batches:
                    refusal = {"code": -32600, "message": "batch requests are not supported"}
                    return self._answer({"jsonrpc": "2.0", "id": None, "error": refusal})
                refused = {c["id"]: c for c in calls if c["method"] in without}
                with lock:
                    unseen = {c["id"] for c in calls if c["method"] in proxy.unseen}
                    proxy.unseen.difference_update(c["method"] for c in calls)
                passing = [c for c in calls if c["id"] not in refused and c["id"] not in unseen]
                answers = {}
                if passing:
                    if hold:
                        time.sleep(hold_first_send)
                    upstream_body = json.dumps(passing if isinstance(request, list) else passing[0]).encode()
                    conn = http.client.HTTPConnection(host, port, timeout=60)
                    with lock if sends else contextlib.nullcontext():
                        # Recorded and written under one lock: the list is the order of writing.
                        passed = [nonce_of(c["params"][0]) for c in passing if c["method"] in SENDS]
                        proxy.passed_on.extend(passed)
                        if passed:
                            proxy.sends_per_request.append(len(passed))
                        conn.request("POST", "/", upstream_body, {"Content-Type": "application/json"})
                    answer = json.loads(conn.getresponse().read())
                    conn.close()
                    answers = {a["id"]: a for a in (answer if isinstance(answer, list) else [answer])}
                    if answer_late:
                        time.sleep(answer_first_send_late)
                    if no_answer:
                        self.close_connection = True  # anvil has it; its sender never hears so
                        return
                for call_id, call in refused.items():
                    error = {"code": -32601, "message": f"the method {call['method']} does not exist"}
                    answers[call_id] = {"jsonrpc": "2.0", "id": call_id, "error": error}
                for call_id in unseen:
                    answers[call_id] = {"jsonrpc": "2.0", "id": call_id, "result": None}
                ordered = [answers[c["id"]] for c in calls]
                self._answer(ordered if isinstance(request, list) else ordered[0])

            def _answer(self, answer: object) -> None:
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
