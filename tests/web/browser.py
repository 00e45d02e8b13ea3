"""What the browser tests and scripts/screenshots.py share: Debian's Chromium driven by Playwright
(never a downloaded browser), the gateway served over HTTP from a thread, and a wallet injected
into the page: an EIP-1193 provider announced by EIP-6963 whose requests Python answers, signing
with a test key (eth-account) and reading from anvil, so the page itself only talks to the gateway."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn
from eth_account import Account
from eth_account.messages import encode_defunct
from eth_account.signers.local import LocalAccount
from fastapi import FastAPI
from playwright.sync_api import Browser, Page, sync_playwright
from web3 import Web3

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
#: Chromium quiet: no sandbox (containers), and nothing fetched behind the page's back.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-sync",
    "--disable-domain-reliability",
    "--no-first-run",
    "--no-default-browser-check",
    "--metrics-recording-only",
    "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication",
]


def build_app() -> None:
    """web/dist from web/src when it is missing or older than a source (scripts/install builds it too)."""
    dist = ROOT / "web" / "dist" / "app.js"
    sources = [p for p in (ROOT / "web").rglob("*") if p.is_file() and "dist" not in p.parts]
    if not dist.exists() or max(p.stat().st_mtime for p in sources) > dist.stat().st_mtime:
        subprocess.run(["node", str(ROOT / "web" / "build.mjs")], check=True, cwd=ROOT)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(app: FastAPI, port: int) -> Iterator[str]:
    """`app` served by uvicorn on 127.0.0.1:`port` from a thread, until the block ends."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the gateway did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


@contextmanager
def chromium() -> Iterator[Browser]:
    assert CHROMIUM is not None
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


PROVIDER_JS = (Path(__file__).parent / "injected_provider.js").read_text()


class InjectedWallet:
    """A wallet that holds `account`'s key: it signs what the page asks (personal_sign,
    eth_signTypedData_v4), signs and sends its transactions, and forwards reads to the node."""

    def __init__(self, w3: Web3, account: LocalAccount) -> None:
        self.w3, self.account = w3, account
        #: The chain the wallet says it is on (None: the node's); `wallet_switchEthereumChain` sets it.
        self.chain_id: int | None = None
        #: Every method the page asked for, in order.
        self.calls: list[str] = []
        #: Run once, before the wallet answers the method: the world changing between two steps.
        self.before: dict[str, Callable[[], object]] = {}

    def install(self, page: Page) -> None:
        page.expose_function("__sdapWallet", self._answer)
        page.add_init_script(PROVIDER_JS)

    def _answer(self, method: str, params_json: str) -> str:
        self.calls.append(method)
        if method in self.before:
            self.before.pop(method)()
        try:
            result = self._request(method, json.loads(params_json))
        except Exception as exc:  # noqa: BLE001 - the page gets the error as a wallet would give it
            return json.dumps({"error": {"code": -32603, "message": str(exc)}})
        return json.dumps(result if isinstance(result, dict) and ("error" in result) else {"result": result})

    def _request(self, method: str, params: list[Any]) -> Any:
        address = self.account.address
        if method in ("eth_requestAccounts", "eth_accounts"):
            return [address]
        if method == "eth_chainId":
            return hex(self.chain_id or self.w3.eth.chain_id)
        if method == "wallet_switchEthereumChain":
            self.chain_id = int(params[0]["chainId"], 16)
            return None
        if method == "personal_sign":
            signed = self.account.sign_message(encode_defunct(hexstr=params[0]))
            return "0x" + bytes(signed.signature).hex()
        if method == "eth_signTypedData_v4":
            typed = json.loads(params[1]) if isinstance(params[1], str) else params[1]
            signed = Account.sign_typed_data(self.account.key, full_message=typed)
            return "0x" + bytes(signed.signature).hex()
        if method == "eth_sendTransaction":
            return self._send(params[0])
        answer = self.w3.provider.make_request(method, params)  # type: ignore[arg-type]
        if "error" in answer:
            return {"error": answer["error"]}
        return answer["result"]

    def _send(self, tx: dict[str, Any]) -> str:
        fields: dict[str, Any] = {
            "from": self.account.address,
            "to": Web3.to_checksum_address(tx["to"]),
            "data": tx.get("data", "0x"),
            "value": int(tx.get("value", "0x0"), 16),
            "chainId": self.w3.eth.chain_id,
            "nonce": self.w3.eth.get_transaction_count(self.account.address, "pending"),
        }
        fields["gas"] = int(tx["gas"], 16) if "gas" in tx else self.w3.eth.estimate_gas(fields)  # type: ignore[arg-type]
        fields["maxFeePerGas"] = 2 * self.w3.eth.get_block("latest")["baseFeePerGas"] + 10**9
        fields["maxPriorityFeePerGas"] = 10**9
        signed = self.account.sign_transaction(fields)
        return "0x" + self.w3.eth.send_raw_transaction(signed.raw_transaction).hex().removeprefix("0x")
