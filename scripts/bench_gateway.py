#!/usr/bin/env python3
"""Mints per second, latency and the gateway's own CPU per mint, against raw signed mints, in one run.

On a fresh embedded chain (anvil, automine) it sets up one issuance with ample collateral, then for
each concurrency level sends the same number of mints two ways, from the same aiohttp client
(kept-alive connections, as many as the level):

- raw: mint transactions pre-signed by an operator's key and sent straight to anvil with
  `eth_sendRawTransactionSync`, batched as the gateway batches them: whenever the previous batch
  is answered, every mint waiting by then goes in one JSON-RPC batch, in nonce order;
- gateway: `POST /v1/issuances/{id}/mint` with an API key and an Idempotency-Key, to the gateway
  served by uvicorn in its own process exactly as `python -m api` serves it (SQLite by default),
  which authenticates, claims the key, checks the mint with the contract's `checkMint`, signs and
  records the transaction in its journal, sends it and answers once it is included.

The gateway's CPU per mint is read from its process's own counters (user + system time in
/proc/PID/stat) around its rounds. The two routes take turns in rounds, because anvil gets slower
as its chain grows (with automine a block per batch: foundry-rs/foundry#6124): run one after the
other, the second would be measured on a longer chain. The chain height is printed with each
level. Latency is per request, from send to answer. Prints a Markdown table and the machine.

    .venv/bin/python scripts/bench_gateway.py [--requests 400] [--concurrency 1,8,32] [--json]

Targets (issue 12): at most 1.5 ms of gateway CPU per mint; under 5 ms added at p50 one request
at a time (concurrency 1); the ratio to the raw route printed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import aiohttp
import httpx
from eth_account.signers.local import LocalAccount
from eth_utils import keccak
from web3 import Web3

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_machine import machine  # noqa: E402  (beside this script)

from api.auth import create_api_key  # noqa: E402
from api.db import Database  # noqa: E402
from sdap.anvil import Anvil, dev_accounts  # noqa: E402
from sdap.deployment import deploy_platform  # noqa: E402
from sdap.events import EventDecoder  # noqa: E402
from sdap.platform import Platform  # noqa: E402
from sdap.rpc import KeepAliveHTTPProvider  # noqa: E402
from sdap.transactions import Transactor  # noqa: E402
from sdap.types import AssetCategory, IssuanceParams, Role  # noqa: E402

YEAR = 365 * 24 * 3600
MINT_GAS = 300_000


@dataclass(frozen=True)
class Result:
    route: str
    concurrency: int
    requests: int
    seconds: float
    per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    #: Chain height when the level started and ended (anvil's cost per block grows with it).
    blocks: tuple[int, int] = (0, 0)
    #: The gateway process's CPU time per mint (user + system), in ms; 0 for the raw route.
    cpu_ms: float = 0.0


def h(text: str) -> bytes:
    return keccak(text=text)


def set_up(platform: Platform, accounts: list[LocalAccount]) -> tuple[int, int, str]:
    """Roles, permits, issuer, type, notice, one acknowledged holder, and two issuances with
    collateral for every unit the benchmark mints: one posted by the gateway's operator
    (accounts[2]), one by the operator whose raw transactions it is compared with (accounts[7]);
    two keys, so neither disturbs the other's nonces. Returns both issuance ids and the holder."""
    regulator, verifier = platform.regulator(accounts[1]), platform.verifier(accounts[3])
    issuer, holder = accounts[5], platform.holder(accounts[6])
    now = platform.queries.chain_time()
    regulator.grant_role(Role.VERIFIER, verifier.address)
    regulator.register_issuer(issuer.address, "Bench Grain LLP", "000000000000", "KZ", h("issuer"))
    asset_type = regulator.list_asset_type("Warehouse receipt", AssetCategory.GOODS).id
    supply = 10**12
    issuances: list[int] = []
    for account in (accounts[2], accounts[7]):
        operator = platform.operator(account)
        regulator.grant_role(Role.OPERATOR, operator.address)
        regulator.grant_permit(operator.address, 0, now + YEAR, h(f"permit {account.address}"))
        if not issuances:
            regulator.publish_risk_notice(h("notice"), "https://sdap.example/risk/1")
            operator.register_participant(holder.address, h("kyc"), now + YEAR)
            holder.acknowledge_risk_notice()
        params = IssuanceParams(
            issuer.address, asset_type, h("decision"), "https://x.example/d", h("evidence"), "bench", supply
        )
        consent = platform.issuer(issuer).sign_consent(params, operator.address)
        issuance = operator.create_issuance(params, consent).id
        # One collateral backs one issuance: each gets a silo of its own.
        attestation = verifier.attestation(issuance, issuer.address, h(f"silo {issuance}"), 1, supply, now + YEAR)
        verifier.attach(verifier.sign_attestation(attestation))
        issuances.append(issuance)
    return issuances[0], issuances[1], holder.address


def presigned_mints(platform: Platform, operator: LocalAccount, issuance: int, to: str, count: int) -> list[str]:
    w3 = platform.w3
    nonce = w3.eth.get_transaction_count(operator.address, "pending")
    block = w3.eth.get_block("latest")
    fee = 4 * int(block.get("baseFeePerGas", 10**9)) + 10**9
    data = platform.contracts.asset.functions.mint(issuance, to, 1)._encode_transaction_data()
    signed = []
    for i in range(count):
        tx = {
            "to": platform.deployment.asset,
            "data": data,
            "gas": MINT_GAS,
            "maxFeePerGas": fee,
            "maxPriorityFeePerGas": 10**9,
            "nonce": nonce + i,
            "chainId": platform.deployment.chain_id,
            "value": 0,
        }
        signed.append("0x" + bytes(operator.sign_transaction(tx).raw_transaction).hex())
    return signed


Call = Callable[[aiohttp.ClientSession], Awaitable[bool]]


async def load(
    url: str, concurrency: int, calls: list[Call] | Callable[[aiohttp.ClientSession], list[Call]]
) -> tuple[float, list[float], int]:
    """Runs `calls` with `concurrency` in flight; returns the wall time, latencies and failures."""
    latencies: list[float] = []
    failures = 0
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(url, connector=connector, timeout=aiohttp.ClientTimeout(total=120)) as client:
        queue = list(reversed(calls if isinstance(calls, list) else calls(client)))

        async def worker() -> None:
            nonlocal failures
            while queue:
                call = queue.pop()
                start = time.perf_counter()
                try:
                    ok = await call(client)
                except (OSError, TimeoutError, ValueError, aiohttp.ClientError):
                    ok = False
                latencies.append(time.perf_counter() - start)
                failures += 0 if ok else 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return elapsed, latencies, failures


@dataclass
class Tally:
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    cpu: float = 0.0

    def add(self, outcome: tuple[float, list[float], int]) -> None:
        self.seconds += outcome[0]
        self.latencies += outcome[1]
        self.errors += outcome[2]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process `pid` so far (its own counters, /proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def summarise(route: str, concurrency: int, tally: Tally, blocks: tuple[int, int]) -> Result:
    seconds, latencies, errors = tally.seconds, tally.latencies, tally.errors
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return Result(
        route=route,
        concurrency=concurrency,
        requests=len(latencies),
        seconds=round(seconds, 3),
        per_second=round(len(latencies) / seconds, 1),
        p50_ms=round(statistics.median(ordered) * 1000, 2),
        p99_ms=round(p99 * 1000, 2),
        errors=errors,
        blocks=blocks,
        cpu_ms=round(tally.cpu / len(latencies) * 1000, 3) if tally.cpu else 0.0,
    )


def raw_calls(transactions: list[str]) -> Callable[[aiohttp.ClientSession], list[Call]]:
    """One call per pre-signed mint, all handed to one sender that batches them as the gateway's
    writer does: whenever its last batch is answered, every mint waiting goes in one batch."""

    def calls(client: aiohttp.ClientSession) -> list[Call]:
        waiting: list[tuple[str, asyncio.Future[bool]]] = []
        sending: list[asyncio.Task[None]] = []

        async def send_waiting() -> None:
            while waiting:
                batch = waiting[:64]
                del waiting[:64]
                body = [
                    {"jsonrpc": "2.0", "id": i, "method": "eth_sendRawTransactionSync", "params": [raw]}
                    for i, (raw, _) in enumerate(batch)
                ]
                try:
                    async with client.post("/", json=body if len(body) > 1 else body[0]) as response:
                        answer = await response.json(content_type=None)
                    answers = answer if isinstance(answer, list) else [answer]
                    by_id = {a.get("id"): a for a in answers if isinstance(a, dict)}
                    for i, (_, done) in enumerate(batch):
                        result = by_id.get(i, {}).get("result")
                        done.set_result(isinstance(result, dict) and result.get("status") == "0x1")
                except Exception as exc:  # noqa: BLE001 - each mint of the batch counts as failed
                    print(f"raw batch failed: {type(exc).__name__}: {exc}"[:200], file=sys.stderr)
                    for _, done in batch:
                        if not done.done():
                            done.set_result(False)

        def call(raw: str) -> Call:
            async def send(_client: aiohttp.ClientSession) -> bool:
                done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
                waiting.append((raw, done))
                if not sending or sending[-1].done():
                    sending.append(asyncio.get_running_loop().create_task(send_waiting()))
                return await done

            return send

        return [call(raw) for raw in transactions]

    return calls


def gateway_calls(key: str, issuance: int, to: str, count: int, tag: str) -> list[Call]:
    body = json.dumps({"to": to, "amount": 1}).encode()

    def call(n: int) -> Call:
        headers = {"X-API-Key": key, "Idempotency-Key": f"{tag}-{n}"}

        async def send(client: aiohttp.ClientSession) -> bool:
            headers_ = {**headers, "Content-Type": "application/json"}
            async with client.post(f"/v1/issuances/{issuance}/mint", data=body, headers=headers_) as response:
                await response.read()
                return response.status == 201

        return send

    return [call(n) for n in range(count)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_gateway(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    out = log.open("wb")
    process = subprocess.Popen([sys.executable, "-m", "api"], env=env, stdout=out, stderr=out, cwd=ROOT)
    url = f"http://127.0.0.1:{env['SDAP_PORT']}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/v1/ready", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        if process.poll() is not None:
            raise SystemExit("the gateway exited:\n" + log.read_text())
        time.sleep(0.2)
    process.kill()
    raise SystemExit("the gateway did not become ready:\n" + log.read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=400, help="Mints per route and concurrency level.")
    parser.add_argument("--concurrency", default="1,8,32", help="Comma-separated levels.")
    parser.add_argument("--database-url", default=None, help="The gateway's database (default: SQLite in a temp dir).")
    parser.add_argument("--json", action="store_true", help="Print the results as JSON.")
    args = parser.parse_args()
    levels = [int(c) for c in args.concurrency.split(",")]
    accounts = dev_accounts(10)
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="sdap-bench-") as tmp, Anvil(accounts=10) as node:
        w3 = Web3(KeepAliveHTTPProvider(node.url))
        deployment = deploy_platform(w3, Transactor(w3, accounts[0], EventDecoder()), accounts[1].address)
        platform = Platform(w3, deployment)
        issuance, raw_issuance, holder = set_up(platform, accounts)
        deployment_file = deployment.save(Path(tmp) / "deployment.json")
        database_url = args.database_url or f"sqlite:///{tmp}/gateway.db"
        db = Database(database_url)
        db.migrate()
        key = create_api_key(db, "issuer", accounts[5].address, "bench").token
        db.dispose()
        env = {k: v for k, v in os.environ.items() if not k.startswith("SDAP_")}
        env.update(
            {
                "SDAP_ENVIRONMENT": "test",
                "SDAP_RPC_URL": node.url,
                "SDAP_DEPLOYMENT": str(deployment_file),
                "SDAP_DATABASE_URL": database_url,
                "SDAP_OPERATOR_ADDRESS": accounts[2].address,
                "SDAP_PRIVATE_KEYS": "0x" + bytes(accounts[2].key).hex(),
                "SDAP_SESSION_SECRET": os.urandom(32).hex(),
                "SDAP_PORT": str(free_port()),
                "SDAP_DECISION_WATCH_INTERVAL": "0",
                # The periodic tasks (the event index, the watches) are off: their work grows with
                # the chain, not with the mints measured.
                "SDAP_INDEX_INTERVAL": "0",
                "SDAP_COVERAGE_WATCH_INTERVAL": "0",
                # One API key sends every mint: its rate limit would measure the limit, not the gateway.
                "SDAP_RATE_LIMIT_API_KEY": "",
            }
        )
        gateway = start_gateway(env, Path(tmp) / "gateway.log")
        url = f"http://127.0.0.1:{env['SDAP_PORT']}"
        try:
            # Warm both paths (connections, caches) before measuring.
            asyncio.run(load(url, 4, gateway_calls(key, issuance, holder, 20, "warm")))
            asyncio.run(load(node.url, 4, raw_calls(presigned_mints(platform, accounts[7], raw_issuance, holder, 20))))
            for level in levels:
                raw, gw = Tally(), Tally()
                first = w3.eth.block_number
                size = max(50, 4 * level)
                for turn, start in enumerate(range(0, args.requests, size)):
                    count = min(size, args.requests - start)
                    signed = presigned_mints(platform, accounts[7], raw_issuance, holder, count)
                    rounds = [
                        (raw, node.url, raw_calls(signed)),
                        (gw, url, gateway_calls(key, issuance, holder, count, f"c{level}-{start}")),
                    ]
                    for tally, target, calls in rounds if turn % 2 == 0 else reversed(rounds):
                        before = cpu_seconds(gateway.pid)
                        tally.add(asyncio.run(load(target, level, calls)))
                        if tally is gw:
                            gw.cpu += cpu_seconds(gateway.pid) - before
                blocks = (first, w3.eth.block_number)
                results.append(summarise("raw", level, raw, blocks))
                results.append(summarise("gateway", level, gw, blocks))
        finally:
            gateway.terminate()
            gateway.wait(timeout=30)
    report(results, levels, args.json)


def report(results: list[Result], levels: list[int], as_json: bool) -> None:
    info = machine()
    by = {(r.route, r.concurrency): r for r in results}
    if as_json:
        print(json.dumps({"machine": info, "results": [asdict(r) for r in results]}, indent=2))
        return
    print(f"Machine: {info['cpu']}, {info['cores']} cores, Python {info['python']}, {info['system']}\n")
    print("| concurrency | raw mints/s | gateway mints/s | ratio | raw p50 / p99 ms | gateway p50 / p99 ms", end="")
    print(" | added p50 ms | gateway CPU ms/mint | chain height |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for level in levels:
        raw, gw = by[("raw", level)], by[("gateway", level)]
        print(
            f"| {level} | {raw.per_second} | {gw.per_second} | {gw.per_second / raw.per_second:.2f} | "
            f"{raw.p50_ms} / {raw.p99_ms} | {gw.p50_ms} / {gw.p99_ms} | {gw.p50_ms - raw.p50_ms:.2f} | "
            f"{gw.cpu_ms:.2f} | {gw.blocks[0]}-{gw.blocks[1]} |"
        )
    errors = sum(r.errors for r in results)
    if errors:
        print(f"\n{errors} requests failed")


if __name__ == "__main__":
    main()
