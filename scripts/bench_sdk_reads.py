#!/usr/bin/env python3
"""SDK reads against a raw eth_call of the same function, over the same connection.

On a fresh embedded chain (anvil, started here) it deploys the platform, sets up one issuance with
collateral and units minted to a holder, then for each query times three ways of asking the same
thing over the same keep-alive provider (the one `Platform.connect` uses):

- sdk: the SDK's typed read (`platform.queries.balance_of(holder, id)`, ...), argument checks,
  encoding, decoding and the typed result included;
- w3.eth.call: web3's `eth.call` of the same calldata (encoded once, beforehand, by web3's
  `contract.encode_abi`), through web3's middleware as any web3 user would send it;
- bare: the same calldata sent by the provider itself (`provider.make_request("eth_call", ...)`),
  one round trip and nothing else: the floor any read over this connection has.

It then times the first query and its bare eth_call over two transports, the SDK's own
(`sdap.rpc.KeepAliveHTTPProvider`) and web3's `HTTPProvider` (requests), to show what the SDK's
transport saves (docs/performance.md).

The three take turns in rounds, so a busy machine slows them alike; each figure is the median of
the rounds' mean time per call. It also counts the JSON-RPC requests one SDK read sends. Prints a
Markdown table and the machine it ran on.

    .venv/bin/python scripts/bench_sdk_reads.py [--calls 500] [--rounds 7] [--json]

Target (issue 12): an SDK read takes at most 1.5 times a raw eth_call of the same function (the
ratio to `bare` is the one that counts: web3's own `eth.call` makes more than one round trip).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from eth_utils import keccak
from web3 import HTTPProvider, Web3
from web3.types import RPCEndpoint

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_machine import machine  # noqa: E402  (beside this script)

from sdap.anvil import Anvil, dev_accounts  # noqa: E402
from sdap.platform import Platform  # noqa: E402
from sdap.rpc import KeepAliveHTTPProvider  # noqa: E402
from sdap.types import AssetCategory, IssuanceParams, Role  # noqa: E402

YEAR = 365 * 24 * 3600


class CountingProvider(KeepAliveHTTPProvider):
    """The SDK's provider, counting the requests it sends."""

    sent = 0

    def make_request(self, method: RPCEndpoint, params: Any) -> Any:
        self.sent += 1
        return super().make_request(method, params)


@dataclass(frozen=True)
class Query:
    name: str
    read: Callable[[], object]
    contract: str
    function: str
    args: tuple[Any, ...]


@dataclass(frozen=True)
class Result:
    query: str
    sdk_ms: float
    eth_call_ms: float
    bare_ms: float
    requests_per_read: int

    @property
    def to_bare(self) -> float:
        return self.sdk_ms / self.bare_ms

    @property
    def to_eth_call(self) -> float:
        return self.sdk_ms / self.eth_call_ms


def set_up(platform: Platform) -> dict[str, Any]:
    """Roles, a permit, an issuer, a listed type, the risk notice, one registered holder and one
    issuance with 500 units covered, 100 minted to the holder."""
    accounts = dev_accounts(7)
    regulator, operator = platform.regulator(accounts[1]), platform.operator(accounts[2])
    verifier, issuer, holder = platform.verifier(accounts[3]), accounts[5], platform.holder(accounts[6])
    now = platform.queries.chain_time()
    regulator.grant_role(Role.OPERATOR, operator.address)
    regulator.grant_role(Role.VERIFIER, verifier.address)
    regulator.grant_permit(operator.address, 0, now + YEAR, keccak(text="permit"))
    regulator.register_issuer(issuer.address, "Astana Grain LLP", "123456789012", "KZ", keccak(text="issuer"))
    asset_type = regulator.list_asset_type("Warehouse receipt for grain", AssetCategory.GOODS).id
    regulator.publish_risk_notice(keccak(text="risk notice"), "https://sdap.example/risk/1")
    operator.register_participant(holder.address, keccak(text="kyc"), now + YEAR)
    holder.acknowledge_risk_notice()
    params = IssuanceParams(
        issuer=issuer.address,
        asset_type=asset_type,
        decision_hash=keccak(text="decision"),
        decision_uri="https://issuer.example/decision.pdf",
        evidence_hash=keccak(text="evidence"),
        unit_description="1 tonne of wheat",
        max_supply=1_000,
    )
    consent = platform.issuer(issuer).sign_consent(params, operator.address)
    issuance = operator.create_issuance(params, consent).id
    attestation = verifier.attestation(issuance, issuer.address, keccak(text="receipt 1"), 5_000_000, 500, now + YEAR)
    verifier.attach(verifier.sign_attestation(attestation))
    operator.mint(issuance, holder.address, 100)
    return {"issuance": issuance, "holder": holder.address, "operator": operator.address, "other": accounts[4].address}


def queries(platform: Platform, ids: dict[str, Any]) -> list[Query]:
    q, issuance, holder = platform.queries, ids["issuance"], ids["holder"]
    return [
        Query("balance_of", lambda: q.balance_of(holder, issuance), "asset", "balanceOf", (holder, issuance)),
        Query("issuance", lambda: q.issuance(issuance), "asset", "issuance", (issuance,)),
        Query(
            "check_transfer",
            lambda: q.check_transfer(holder, ids["other"], issuance, 1),
            "asset",
            "checkTransfer",
            (holder, ids["other"], issuance, 1),
        ),
        Query("coverage", lambda: q.coverage(issuance), "asset", "coverage", (issuance,)),
        Query("permit", lambda: q.permit(ids["operator"]), "registry", "permit", (ids["operator"],)),
        Query(
            "participant_status",
            lambda: q.participant_status(holder),
            "registry",
            "participantStatus",
            (holder,),
        ),
    ]


def per_call_ms(fn: Callable[[], object], calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - start) / calls * 1e3


def measure(platform: Platform, provider: CountingProvider, query: Query, calls: int, rounds: int) -> Result:
    contract = getattr(platform.contracts, query.contract)
    data = contract.encode_abi(query.function, args=list(query.args))
    tx = {"to": contract.address, "data": data}
    w3 = platform.w3
    ways: dict[str, Callable[[], object]] = {
        "sdk": query.read,
        "eth_call": lambda: w3.eth.call(tx),  # type: ignore[arg-type]
        "bare": lambda: provider.make_request(RPCEndpoint("eth_call"), [tx, "latest"]),
    }
    for fn in ways.values():
        per_call_ms(fn, 50)  # warm: connections open, first-call layouts made
    before = provider.sent
    query.read()
    requests = provider.sent - before
    times: dict[str, list[float]] = {name: [] for name in ways}
    for _ in range(rounds):
        for name, fn in ways.items():
            times[name].append(per_call_ms(fn, calls))
    median = {name: statistics.median(values) for name, values in times.items()}
    return Result(query.name, median["sdk"], median["eth_call"], median["bare"], requests)


def transports(
    url: str, platform: Platform, ids: dict[str, Any], calls: int, rounds: int
) -> dict[str, dict[str, float]]:
    """The first query and its bare eth_call over the SDK's provider and over web3's HTTPProvider,
    taking turns in rounds: ms per call, the median of the rounds."""
    providers: dict[str, Any] = {
        "KeepAliveHTTPProvider": KeepAliveHTTPProvider(url),
        "web3 HTTPProvider": HTTPProvider(url),
    }
    ways: dict[tuple[str, str], Callable[[], object]] = {}
    for name, provider in providers.items():
        over = Platform(Web3(provider), platform.deployment)
        query = queries(over, ids)[0]
        contract = getattr(over.contracts, query.contract)
        tx = {"to": contract.address, "data": contract.encode_abi(query.function, args=list(query.args))}
        ways[(name, "sdk")] = query.read
        ways[(name, "bare")] = lambda provider=provider, tx=tx: provider.make_request(
            RPCEndpoint("eth_call"), [tx, "latest"]
        )
    for fn in ways.values():
        per_call_ms(fn, 50)
    times: dict[tuple[str, str], list[float]] = {way: [] for way in ways}
    for _ in range(rounds):
        for way, fn in ways.items():
            times[way].append(per_call_ms(fn, calls))
    medians: dict[str, dict[str, float]] = {name: {} for name in providers}
    for (name, kind), values in times.items():
        medians[name][kind] = round(statistics.median(values), 3)
    return medians


def table(results: list[Result]) -> str:
    lines = [
        "| query | SDK ms | w3.eth.call ms | bare eth_call ms | SDK / bare | SDK / w3.eth.call | requests per read |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.query} | {r.sdk_ms:.3f} | {r.eth_call_ms:.3f} | {r.bare_ms:.3f} | {r.to_bare:.2f}x "
            f"| {r.to_eth_call:.2f}x | {r.requests_per_read} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=500, help="Calls per way and round.")
    parser.add_argument("--rounds", type=int, default=7, help="Rounds; each figure is the median of them.")
    parser.add_argument("--json", action="store_true", help="Print the results as JSON.")
    args = parser.parse_args()

    accounts = dev_accounts(7)
    with Anvil(accounts=10) as node:
        deployed = Platform.deploy(Web3(KeepAliveHTTPProvider(node.url)), accounts[0], accounts[1].address)
        provider = CountingProvider(node.url)
        platform = Platform(Web3(provider), deployed.deployment)
        ids = set_up(platform)
        results = [measure(platform, provider, q, args.calls, args.rounds) for q in queries(platform, ids)]
        over = transports(node.url, platform, ids, args.calls, args.rounds)

    if args.json:
        document = {"machine": machine(), "results": [asdict(r) for r in results], "transports": over}
        print(json.dumps(document, indent=2))
        return
    print(table(results))
    print()
    print(f"| transport ({results[0].query}) | SDK read ms | bare eth_call ms |")
    print("|---|---|---|")
    for name, figures in over.items():
        print(f"| {name} | {figures['sdk']:.3f} | {figures['bare']:.3f} |")
    print()
    print("machine: " + ", ".join(f"{k} {v}" for k, v in machine().items()))
    worst = max(results, key=lambda r: r.to_bare)
    verdict = "met" if worst.to_bare <= 1.5 else "NOT met"
    print(f"target (SDK read <= 1.5x a bare eth_call): {verdict}; worst {worst.query} at {worst.to_bare:.2f}x")


if __name__ == "__main__":
    main()
