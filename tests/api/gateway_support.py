"""What the gateway's tests share besides fixtures: the app-with-credentials wrapper, sign-in, the
settings of a test gateway, and a local web server standing in for issuers' websites. A module of
its own (not conftest) so test modules import it by a name no other test directory uses."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eth_account.messages import encode_defunct, encode_typed_data
from eth_account.signers.local import LocalAccount
from fastapi.testclient import TestClient
from node_proxy import NodeProxy
from pydantic import BaseModel, ValidationError
from world import World, chain_time, h

from api.app import create_app
from api.auth import create_api_key
from api.gateway import Gateway
from api.settings import Settings
from sdap.anvil import Anvil
from sdap.signing import consent_message, sign_consent
from sdap.types import IssuanceParams

SESSION_SECRET = "test-session-secret-0123456789abcdef0123456789"
ROLES = {
    "regulator": 1,
    "operator": 2,
    "verifier": 3,
    "compliance": 4,
    "issuer": 5,
    "auditor": 0,
    "supervisor": 19,
    "settlement_agent": 18,
}
#: The accounts whose keys a test gateway holds: the regulator, the operator (its own), the
#: verifier, the compliance officer, the issuer, the supervisor and the settlement agent.
SIGNERS = (1, 2, 3, 4, 5, 19, 18)


@dataclass
class Api:
    """A running gateway app and the credentials of every role."""

    client: TestClient
    gateway: Gateway
    accounts: list[LocalAccount]
    keys: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    def key(self, role: str) -> dict[str, str]:
        return {"X-API-Key": self.keys[role]}

    def holder(self, account: LocalAccount) -> dict[str, str]:
        """Signs `account` in (once) and returns its bearer header."""
        if account.address not in self.tokens:
            self.tokens[account.address] = sign_in(self.client, account)
        return {"Authorization": f"Bearer {self.tokens[account.address]}"}

    def as_(self, who: str | LocalAccount) -> dict[str, str]:
        return self.holder(who) if isinstance(who, LocalAccount) else self.key(who)

    def post(self, path: str, who: str | LocalAccount, json: Any = None, key: str | None = None, **kw: Any) -> Any:
        headers = dict(self.as_(who))
        if key is not None:
            headers["Idempotency-Key"] = key
        return self.client.post(path, json=json, headers=headers, **kw)

    def get(self, path: str, who: str | LocalAccount | None = None, **kw: Any) -> Any:
        return self.client.get(path, headers=self.as_(who) if who is not None else {}, **kw)


def open_api(settings: Settings, accounts: list[LocalAccount], signers: tuple[int, ...] = SIGNERS) -> Api:
    """A gateway app started (its lifespan entered: close it with `api.client.__exit__`) holding the
    keys of `signers` (account indices), with an API key for every role of ROLES."""
    client = TestClient(
        create_app(settings, signers=[accounts[i] for i in signers], background=False), raise_server_exceptions=False
    )
    client.__enter__()
    gateway: Gateway = client.app.state.gateway  # type: ignore[attr-defined]
    api = Api(client, gateway, accounts)
    for role, index in ROLES.items():
        api.keys[role] = create_api_key(gateway.db, role, accounts[index].address, f"test {role}").token
    return api


#: `gateway_behind(settings={...}, **proxy options)`: a gateway whose node is a NodeProxy.
Behind = Callable[..., tuple[NodeProxy, Api]]


def walk(api: Api, path: str, who: Any = None, limit: int = 1, **params: Any) -> tuple[list[Any], int]:
    """Every item of the list at `path`, page by page; and how many pages it took."""
    items: list[Any] = []
    pages = 0
    cursor = None
    while True:
        query = {**params, "limit": limit, **({"cursor": cursor} if cursor else {})}
        answer = api.get(path, who, params=query)
        assert answer.status_code == 200, answer.text
        page = answer.json()
        assert len(page) <= limit
        items += page
        pages += 1
        cursor = answer.headers.get("next-cursor")
        if cursor is None:
            assert "link" not in answer.headers
            return items, pages
        assert answer.headers["link"].endswith('; rel="next"') and f"cursor={cursor}" in answer.headers["link"]


def at_once(calls: list[Callable[[], Any]]) -> list[Any]:
    """Each call's answer, the calls made at the same time from threads of their own."""
    answers: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        answers[i] = calls[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers


def sign_in(client: TestClient, account: LocalAccount) -> str:
    answer = client.get("/v1/auth/nonce", params={"address": account.address})
    assert answer.status_code == 200, answer.text
    message = answer.json()["message"]
    signature = account.sign_message(encode_defunct(text=message)).signature
    session = client.post("/v1/auth/sign-in", json={"message": message, "signature": "0x" + bytes(signature).hex()})
    assert session.status_code == 201, session.text
    return str(session.json()["token"])


def settings_for(anvil: Anvil, deployment: Path, database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "environment": "test",
        "rpc_url": anvil.url,
        "deployment": deployment,
        "operator_address": "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
        "session_secret": SESSION_SECRET,
        "public_url": "http://testserver",
        "database_url": database_url,
        "decision_allow_private": True,
        "decision_watch_interval": 0,
        "coverage_watch_interval": 0,
        "index_interval": 0,
        "idempotency_wait": 20,
        # Tests send bursts no client would; tests/api/test_rate_limits.py sets the limits it checks.
        "rate_limit_api_key": "",
        "rate_limit_wallet": "",
        "rate_limit_sign_in": "",
        "tx_timeout": 30,
    }
    values.update(overrides)
    return Settings(**values)


class Documents:
    """A local web server publishing documents (decisions, notice texts) that tests can change."""

    def __init__(self) -> None:
        import http.server
        import threading

        self.files: dict[str, bytes] = {}
        #: (Host header, path) of every request, in order.
        self.requests: list[tuple[str, str]] = []
        files, requests = self.files, self.requests

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                requests.append((self.headers.get("Host", ""), self.path))
                body = files.get(self.path)
                if body is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def publish(self, path: str, content: bytes) -> str:
        self.files[path] = content
        return self.base + path

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


# --- issuances and their issuer's consent ------------------------------------------------------


def hx(value: bytes) -> str:
    return "0x" + value.hex()


def sign_typed(account: LocalAccount, typed_data: dict[str, Any]) -> str:
    """`account`'s signature of typed data as the gateway gives it, as a wallet would sign it."""
    return hx(bytes(account.sign_message(encode_typed_data(full_message=typed_data)).signature))


def issuance_body(
    world: World,
    documents: Documents,
    content: bytes = b"Decision to issue No. 7",
    *,
    consent: dict[str, Any] | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """A creation body for `content` published on `documents`, with `overrides`, and the consent of
    its issuer (one of the world's accounts) to exactly those terms (or `consent`)."""
    uri = documents.publish(f"/decision-{hashlib.sha1(content).hexdigest()}.pdf", content)  # noqa: S324 - a file name
    body = {
        "issuer": world.issuer.address,
        "asset_type": world.asset_type,
        "decision_uri": uri,
        "decision_hash": hx(hashlib.sha256(content).digest()),
        "evidence_hash": hx(h("evidence")),
        "unit_description": "1 tonne of wheat, class 3",
        "max_supply": 1000,
    }
    body.update(overrides)
    body["consent"] = consent if consent is not None else consent_of(world, body)
    return body


def terms_of(body: dict[str, Any]) -> IssuanceParams:
    return IssuanceParams(
        issuer=body["issuer"],
        asset_type=body["asset_type"],
        decision_hash=body["decision_hash"],
        decision_uri=body["decision_uri"],
        evidence_hash=body["evidence_hash"],
        unit_description=body["unit_description"],
        max_supply=body["max_supply"],
    )


def consent_of(
    world: World,
    body: dict[str, Any],
    *,
    signer: LocalAccount | None = None,
    operator: str | None = None,
    nonce: int | None = None,
    deadline: int | None = None,
) -> dict[str, Any]:
    """The consent of `body`'s issuer (or, forged, `signer`'s signature over the same message) to
    its terms run by `operator` (the world's, which is the gateway's): its next nonce, a day."""
    params = terms_of(body)
    nonce = world.queries.consent_nonce(params.issuer) if nonce is None else nonce
    deadline = chain_time(world.w3) + 86_400 if deadline is None else deadline
    operator = operator or world.operator.address
    d = world.platform.deployment
    if signer is None:
        issuer = next(a for a in world.accounts if a.address == params.issuer)
        signature = sign_consent(issuer, params, operator, nonce, deadline, chain_id=d.chain_id, asset=d.asset)
        raw = signature.consent.signature
    else:
        message = consent_message(params, operator, nonce, deadline, chain_id=d.chain_id, asset=d.asset)
        raw = bytes(signer.sign_message(encode_typed_data(full_message=message)).signature)
    return {"nonce": nonce, "deadline": deadline, "signature": hx(raw)}


def refused_at(model: type[BaseModel], body: dict[str, Any]) -> set[tuple[str | int, ...]]:
    """Where `model` refuses `body`: the locations of its errors (none if it is taken)."""
    try:
        model.model_validate(body)
    except ValidationError as exc:
        return {tuple(e["loc"]) for e in exc.errors()}
    return set()
