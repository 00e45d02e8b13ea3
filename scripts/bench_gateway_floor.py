#!/usr/bin/env python3
"""The floor under the gateway's CPU per mint: what its libraries cost doing a mint's steps, with
none of the gateway's own logic.

It serves, with uvicorn as `python -m api` serves the gateway, a FastAPI app whose one route does
the steps a mint does, built from the same libraries and the gateway's own thin interfaces to them
(`api.db.Database` for SQLAlchemy on SQLite, `api.chain.node.Node` for aiohttp's JSON-RPC,
`api.chain.signing.TransactionSigner` for rlp and libsecp256k1), and adds the steps one at a time:

    route    a POST whose JSON body pydantic reads, answered with a pydantic model
    auth     + the API key looked up in the database (one read, in a worker thread)
    claim    + the Idempotency-Key claimed (one write transaction, in a worker thread)
    check    + one `eth_call` to the node
    sign     + one EIP-1559 transaction signed
    journal  + the signed transaction recorded (one write transaction, in a worker thread)
    send     + the transaction sent to the node (`eth_sendRawTransaction`)
    answer   + the answer stored once sent (one write transaction, a background task)

For each it prints the server's CPU per request (user + system, from /proc/PID/stat) at each
concurrency, and once more with every step but the database statements run on the event loop,
which the gateway does not do (issue 12: blocking calls stay off the event loop). Compare with the
gateway's own figure from `scripts/bench_gateway.py` (docs/performance.md).

    .venv/bin/python scripts/bench_gateway_floor.py [--requests 1000] [--concurrency 1,32] [--json]
"""

# No `from __future__ import annotations`: FastAPI reads the route's dependencies, defined inside
# floor_app, from its annotations, which must then be objects, not strings.
import argparse
import asyncio
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Annotated, Any

import aiohttp
import anyio.to_thread
import httpx
import uvicorn
from fastapi import Depends, FastAPI, Header, Request, Security
from fastapi.security import APIKeyHeader
from pydantic import BaseModel
from sqlalchemy import func, insert, select, update
from starlette.background import BackgroundTask
from starlette.responses import Response

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_gateway import Call, cpu_seconds, free_port, load  # noqa: E402  (beside this script)
from bench_machine import machine  # noqa: E402

from api.auth import create_api_key  # noqa: E402
from api.chain.node import Node  # noqa: E402
from api.chain.signing import TransactionSigner  # noqa: E402
from api.db import Database, now  # noqa: E402
from api.db.schema import api_keys, idempotency_records, transactions  # noqa: E402
from sdap.anvil import Anvil, dev_accounts  # noqa: E402

STEPS = ("route", "auth", "claim", "check", "sign", "journal", "send", "answer")
#: The anvil account whose transfers the floor signs and sends (no other part of it uses one).
SENDER = 9
RECIPIENT = "0x000000000000000000000000000000000000dEaD"


class MintRequest(BaseModel):
    to: str
    amount: int


class Minted(BaseModel):
    issuance_id: int
    to: str
    amount: int
    tx_hash: str


def floor_app(steps: set[str], on_loop: bool, node_url: str, database_url: str) -> FastAPI:
    """The route `POST /v1/issuances/{issuance_id}/mint`, doing `steps` and nothing else."""
    db = Database(database_url)
    node = Node(node_url)
    account = dev_accounts(SENDER + 1)[SENDER]
    signer = TransactionSigner(account)
    state: dict[str, int] = {}
    app = FastAPI()

    async def blocking(work: Any, *args: Any) -> Any:
        return work(*args) if on_loop else await anyio.to_thread.run_sync(work, *args)

    def key_role(token: str) -> str | None:
        with db.read() as conn:
            secret = hashlib.sha256(token.encode()).hexdigest()
            return conn.execute(select(api_keys.c.role).where(api_keys.c.secret_hash == secret)).scalar()

    def claim(key: str, fingerprint: str) -> int:
        row = {"principal": "floor", "key": key, "fingerprint": fingerprint, "state": "running"}
        with db.write() as conn:
            result = conn.execute(insert(idempotency_records).values(**row, created_at=now(), lease_until=time.time()))
            return int(result.inserted_primary_key[0])  # type: ignore[index]

    def record(tx_hash: str, nonce: int, raw: str, claimed: int) -> None:
        row = {"tx_hash": tx_hash, "sender": account.address, "nonce": nonce, "raw": raw, "purpose": "floor", "seq": 1}
        with db.write() as conn:
            conn.execute(
                insert(transactions).values(
                    **row, idempotency_id=claimed, state="pending", created_at=now(), updated_at=now()
                )
            )

    def store_answer(claimed: int, body: str, tx_hash: str) -> None:
        with db.write() as conn:
            conn.execute(update(transactions).where(transactions.c.tx_hash == tx_hash).values(state="mined"))
            done = {"state": "done", "status_code": 201, "response": body}
            conn.execute(update(idempotency_records).where(idempotency_records.c.id == claimed).values(**done))

    async def caller(token: Annotated[str | None, Security(APIKeyHeader(name="X-API-Key"))]) -> str | None:
        return await blocking(key_role, token) if "auth" in steps else token

    async def idempotency(request: Request, key: Annotated[str, Header(alias="Idempotency-Key")]) -> tuple[str, str]:
        canonical = json.dumps(json.loads(await request.body()), sort_keys=True, separators=(",", ":"))
        return key, hashlib.sha256(canonical.encode()).hexdigest()

    @app.post("/v1/issuances/{issuance_id}/mint", response_model=Minted, status_code=201)
    async def mint(
        issuance_id: int,
        body: MintRequest,
        role: Annotated[str | None, Depends(caller)],
        idem: Annotated[tuple[str, str], Depends(idempotency)],
    ) -> Response:
        if role is None:  # an unknown key: refused, and counted as a failure by the client
            return Response(status_code=401)
        claimed = await blocking(claim, *idem) if "claim" in steps else 0
        if "check" in steps:
            await node.call("eth_call", [{"to": RECIPIENT, "data": "0x" + "00" * 100}, "latest"])
        tx_hash, raw, nonce = "0x" + os.urandom(32).hex(), "", 0
        if "sign" in steps:
            nonce = state["nonce"]
            state["nonce"] += 1
            tx = {"to": RECIPIENT, "data": b"", "value": 0, "gas": 21_000, "nonce": nonce, "chainId": state["chain"]}
            signed, digest = signer.sign({**tx, "maxFeePerGas": state["fee"], "maxPriorityFeePerGas": 10**9})
            tx_hash, raw = "0x" + digest.hex(), "0x" + signed.hex()
        if "journal" in steps:
            await blocking(record, tx_hash, nonce, raw, claimed)
        if "send" in steps:
            await node.call("eth_sendRawTransaction", [raw])
        answer = Minted(issuance_id=issuance_id, to=body.to, amount=body.amount, tx_hash=tx_hash)
        response = Response(answer.model_dump_json(), status_code=201, media_type="application/json")
        if "answer" in steps:
            stored = (claimed, bytes(response.body).decode(), tx_hash)
            if on_loop:

                async def on_the_loop() -> None:
                    store_answer(*stored)

                response.background = BackgroundTask(on_the_loop)
            else:
                response.background = BackgroundTask(store_answer, *stored)
        return response

    @app.get("/ready")
    async def ready() -> dict[str, bool]:
        if not state:
            state["nonce"] = int(await node.call("eth_getTransactionCount", [account.address, "pending"]), 16)
            state["chain"] = int(await node.call("eth_chainId", []), 16)
            state["fee"] = 2 * int(await node.call("eth_gasPrice", []), 16) + 10**9
        return {"ready": True}

    return app


@dataclass(frozen=True)
class Level:
    steps: str
    on_loop: bool
    concurrency: int
    requests: int
    errors: int
    cpu_ms: float
    #: What the server wrote and sent over the level: proof that each step ran once per request.
    claims: int
    transactions: int
    sent: int
    answers: int


def mint_calls(key: str, count: int, tag: str) -> list[Call]:
    body = json.dumps({"to": RECIPIENT, "amount": 1}).encode()

    def call(n: int) -> Call:
        headers = {"X-API-Key": key, "Idempotency-Key": f"{tag}-{n}", "Content-Type": "application/json"}

        async def send(client: aiohttp.ClientSession) -> bool:
            async with client.post("/v1/issuances/1/mint", data=body, headers=headers) as response:
                await response.read()
                return response.status == 201

        return send

    return [call(n) for n in range(count)]


def serve(steps: list[str], on_loop: bool, node_url: str, database_url: str, port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, __file__, "--serve", ",".join(steps), "--node", node_url, "--database", database_url]
    server = subprocess.Popen([*command, "--port", str(port), *(["--on-loop"] if on_loop else [])], cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/ready", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        if server.poll() is not None:
            raise SystemExit(f"the floor app exited with {server.returncode}")
        time.sleep(0.2)
    server.kill()
    raise SystemExit("the floor app did not become ready")


def counts(db: Database, node: Anvil) -> tuple[int, int, int, int]:
    """Claims and transactions in the database, transactions the node has from the sender, and
    answers stored."""
    with db.read() as conn:
        claims = conn.execute(select(func.count()).select_from(idempotency_records)).scalar_one()
        recorded = conn.execute(select(func.count()).select_from(transactions)).scalar_one()
        answered = select(func.count()).select_from(idempotency_records).where(idempotency_records.c.state == "done")
        answers = conn.execute(answered).scalar_one()
    sent = httpx.post(
        node.url,
        json={"jsonrpc": "2.0", "id": 1, "method": "eth_getTransactionCount", "params": [sender(), "pending"]},
    ).json()["result"]
    return claims, recorded, int(sent, 16), answers


def settled(db: Database, node: Anvil, steps: list[str]) -> tuple[int, int, int, int]:
    """`counts` once the answers of every request answered so far are stored: each is stored by a
    background task after its response went out, so the last few may still be on their way."""
    deadline = time.monotonic() + 30
    while True:
        now = counts(db, node)
        claims, answers = now[0], now[3]
        if "answer" not in steps or answers >= claims or time.monotonic() > deadline:
            return now
        time.sleep(0.02)


def sender() -> str:
    return str(dev_accounts(SENDER + 1)[SENDER].address)


def measure(args: argparse.Namespace) -> list[Level]:
    levels = [int(c) for c in args.concurrency.split(",")]
    configurations = [(list(STEPS[: n + 1]), False) for n in range(len(STEPS))] + [(list(STEPS), True)]
    results: list[Level] = []
    with tempfile.TemporaryDirectory(prefix="sdap-floor-") as tmp, Anvil(accounts=SENDER + 1) as node:
        for number, (steps, on_loop) in enumerate(configurations):
            database_url = f"sqlite:///{tmp}/floor-{number}.db"
            db = Database(database_url)
            db.migrate()
            key = create_api_key(db, "issuer", sender(), "floor").token
            port = free_port()
            server = serve(steps, on_loop, node.url, database_url, port)
            url = f"http://127.0.0.1:{port}"
            try:
                asyncio.run(load(url, 4, mint_calls(key, 40, "warm")))
                written = settled(db, node, steps)
                for level in levels:
                    before = cpu_seconds(server.pid)
                    _, _, errors = asyncio.run(load(url, level, mint_calls(key, args.requests, f"c{level}")))
                    after = settled(db, node, steps)
                    cpu = cpu_seconds(server.pid) - before
                    claims, recorded, sent, answers = (b - a for a, b in zip(written, after, strict=True))
                    written = after
                    cpu_ms = round(cpu / args.requests * 1000, 3)
                    step = steps[-1] if not on_loop else "all, database on the event loop"
                    done = (claims, recorded, sent, answers)
                    results.append(Level(step, on_loop, level, args.requests, errors, cpu_ms, *done))
            finally:
                server.terminate()
                server.wait(timeout=30)
                db.dispose()
    return results


def report(results: list[Level], levels: list[int], as_json: bool) -> None:
    info = machine()
    if as_json:
        print(json.dumps({"machine": info, "results": [asdict(r) for r in results]}, indent=2))
        return
    print(f"Machine: {info['cpu']}, {info['cores']} cores, Python {info['python']}, {info['system']}\n")
    print("| steps up to | " + " | ".join(f"CPU ms/request at {c}" for c in levels) + " |")
    print("|---|" + "---:|" * len(levels))
    rows: dict[tuple[str, bool], dict[int, Level]] = {}
    for r in results:
        rows.setdefault((r.steps, r.on_loop), {})[r.concurrency] = r
    for (steps, _), by_level in rows.items():
        print(f"| {steps} | " + " | ".join(f"{by_level[c].cpu_ms:.2f}" for c in levels) + " |")
    errors = sum(r.errors for r in results)
    if errors:
        print(f"\n{errors} requests failed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1000, help="Requests per step and concurrency level.")
    parser.add_argument("--concurrency", default="1,32", help="Comma-separated levels.")
    parser.add_argument("--json", action="store_true", help="Print the results as JSON.")
    parser.add_argument("--serve", metavar="STEPS", help=argparse.SUPPRESS)  # the app, in its own process
    parser.add_argument("--node", help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--on-loop", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        app = floor_app(set(args.serve.split(",")), args.on_loop, args.node, args.database)
        uvicorn.run(app, host="127.0.0.1", port=args.port, log_config=None, access_log=False, server_header=False)
        return
    report(measure(args), [int(c) for c in args.concurrency.split(",")], args.json)


if __name__ == "__main__":
    main()
