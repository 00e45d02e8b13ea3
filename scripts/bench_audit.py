"""Benchmark of the auditor: full replay with every check against the plain log download.

    .venv/bin/python scripts/bench_audit.py                 # 100,000 events (a few minutes)
    .venv/bin/python scripts/bench_audit.py --events 20000  # quicker
    .venv/bin/python scripts/bench_audit.py --governed      # the regulator a timelock and a council

Builds a chain on a fresh anvil with the real contracts: a set-up through the SDK, then bulk
history sent as transactions anvil signs itself (--auto-impersonate, interval mining switched off,
JSON-RPC batches): BenchWallet contracts (tests/contracts/utils) spray ordinary transfers, hundreds
per transaction, each passing SecuredAsset's full checks; holders also transfer among themselves,
and the issuer's collateral is renewed every round (superseded, counted again).
Then, in a fresh process per measurement so memory is its own, it measures:
  raw     chunked eth_getLogs of the whole history, JSON parsed, nothing decoded;
  replay  the same download decoded, applied to the state, every rule checked, AML monitored;
at half the history and at all of it, so the peak RSS shows whether memory grows with history.
Targets (issue 5): replay >= 0.5 x raw and >= 10,000 events/s.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from eth_utils import keccak, to_checksum_address
from web3 import Web3
from web3.types import RPCEndpoint

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sdap.anvil import Anvil, dev_accounts  # noqa: E402
from sdap.audit._logs import RawLogFetcher  # noqa: E402
from sdap.audit.aml import AmlSettings  # noqa: E402
from sdap.audit.replay import Replay  # noqa: E402
from sdap.deployment import Deployment, GovernanceSetup, deploy_platform  # noqa: E402
from sdap.events import EventDecoder  # noqa: E402
from sdap.foundry import foundry_binary  # noqa: E402
from sdap.platform import Platform  # noqa: E402
from sdap.signing import sign_attestation, sign_consent  # noqa: E402
from sdap.transactions import Transactor  # noqa: E402
from sdap.types import NO_ATTESTATION, CollateralAttestation, IssuanceParams  # noqa: E402

WALLET_SOURCE = ROOT / "tests" / "contracts" / "utils" / "BenchWallet.sol"
WALLET_ARTIFACT = ROOT / "out" / "BenchWallet.sol" / "BenchWallet.json"
YEAR = 365 * 24 * 3600
#: The bench's own AML thresholds: its synthetic traffic repeats pairs far more than real traffic
#: would, so bursts are set high; every check still runs on every movement.
BENCH_AML = AmlSettings(large_amount=10**9, burst_count=10_000, burst_blocks=100)


def h(text: str) -> bytes:
    return keccak(text=text)


class Bulk:
    """Sends many transactions as JSON-RPC batches of eth_sendTransaction and mines them."""

    def __init__(self, w3: Web3) -> None:
        self.w3 = w3
        self.provider: Any = w3.provider
        self.pending: list[dict[str, Any]] = []
        self.nonces: dict[str, int] = {}
        self.sent = 0

    def call(self, method: str, params: list[Any]) -> Any:
        response = self.provider.make_request(RPCEndpoint(method), params)
        if "error" in response:
            raise RuntimeError(f"{method}: {response['error']}")
        return response["result"]

    def tx(self, sender: str, to: str, data: str, gas: int = 500_000) -> None:
        nonce = self.nonces.get(sender)
        if nonce is None:
            nonce = int(self.call("eth_getTransactionCount", [sender, "pending"]), 16)
        self.nonces[sender] = nonce + 1
        self.pending.append({"from": sender, "to": to, "data": data, "gas": hex(gas), "nonce": hex(nonce)})

    def mine(self) -> None:
        """Sends what is pending, mines it, and fails loudly if any transaction reverted."""
        for start in range(0, len(self.pending), 500):
            part = self.pending[start : start + 500]
            answers = self.provider.make_batch_request([(RPCEndpoint("eth_sendTransaction"), [tx]) for tx in part])
            errors = [a["error"] for a in answers if "error" in a]
            if errors:
                raise RuntimeError(f"eth_sendTransaction: {errors[0]}")
        self.sent += len(self.pending)
        self.pending = []
        while True:
            before = int(self.call("eth_blockNumber", []), 16)
            self.call("evm_mine", [])
            receipts = self.call("eth_getBlockReceipts", [hex(before + 1)])
            failed = [r["transactionHash"] for r in receipts if r["status"] != "0x1"]
            if failed:
                raise RuntimeError(f"{len(failed)} bench transactions reverted, e.g. {failed[0]}")
            status = self.call("txpool_status", [])
            if int(status["pending"], 16) == 0:
                return


def wallet_artifact() -> dict[str, Any]:
    if not WALLET_ARTIFACT.exists() or WALLET_ARTIFACT.stat().st_mtime < WALLET_SOURCE.stat().st_mtime:
        build = [foundry_binary("forge"), "build", str(WALLET_SOURCE)]
        subprocess.run(build, cwd=ROOT, check=True, capture_output=True)
    return dict(json.loads(WALLET_ARTIFACT.read_text()))


def build_chain(
    platform: Platform, target: int, recipients: int, per_tx: int, governed: bool = False
) -> tuple[int, int]:
    """Writes at least `target` events of platform history; returns how many logs there are and
    the block by which half of them were written. `governed`: the regulator's acts run as timelock
    operations its council (the regulator's key alone, a second's delay) schedules, so the replay
    follows the council and the timelock and attributes every act."""
    w3 = platform.w3
    accounts = dev_accounts(10)
    regulator, operator, verifier = accounts[1], accounts[2], accounts[3]
    registry, asset, collateral = platform.contracts.registry, platform.contracts.asset, platform.contracts.collateral
    r = registry.functions
    send_key = lambda account, fn: platform.transactor(account).send(fn)  # noqa: E731

    def send(account: Any, fn: Any) -> Any:
        if not governed or account is not regulator:
            return send_key(account, fn)
        council = platform.governance()
        proposal = council.sign(council.propose(fn), regulator)
        council.schedule(proposal, regulator)
        w3.provider.make_request(RPCEndpoint("evm_increaseTime"), [1])
        w3.provider.make_request(RPCEndpoint("evm_mine"), [])  # the execution is simulated at the head
        return council.execute(proposal, regulator)

    now = int(w3.eth.get_block("latest")["timestamp"])
    for role, account in ((r.OPERATOR_ROLE().call(), operator), (r.VERIFIER_ROLE().call(), verifier)):
        send(regulator, r.grantRole(role, account.address))
    send(regulator, r.grantPermit(operator.address, 0, now + YEAR, h("permit")))
    send(regulator, r.registerIssuer(accounts[5].address, "Bench Issuer LLP", "000000000001", "KZ", h("issuer")))
    send(regulator, r.listAssetType("Bench commodity", 1))
    send(regulator, r.publishRiskNotice(h("notice"), "https://sdap.example/notice/1"))
    issuances: list[int] = []
    pledges: list[bytes] = []

    def pledge(n: int, nonce: int, supersedes: bytes = NO_ATTESTATION) -> tuple[CollateralAttestation, bytes]:
        """Lot `n` pledged to issuance `n`, or renewed; returns it with its signature."""
        attestation = CollateralAttestation(
            asset=asset.address,
            issuance_id=issuances[n],
            owner=accounts[5].address,
            collateral_ref=h(f"lot {n}"),
            value=10**15,
            units=10**15,
            valid_until=now + YEAR,
            nonce=nonce,
            supersedes=supersedes,
        )
        signed = sign_attestation(verifier, attestation, chain_id=w3.eth.chain_id, collateral=collateral.address)
        if len(pledges) > n:
            pledges[n] = signed.digest
        else:
            pledges.append(signed.digest)
        return attestation, signed.signature

    for n in range(2):
        issuer = accounts[5].address
        terms = IssuanceParams(issuer, 1, h("decision"), "https://x.example/d", h("evidence"), "unit", 10**15)
        # The issuer consents to these terms run by this operator (its nonces 0 and 1 of key 0).
        consent = sign_consent(
            accounts[5], terms, operator.address, n, now + YEAR, chain_id=w3.eth.chain_id, asset=asset.address
        )
        issuances.append(platform.operator(operator).create_issuance(terms, consent).id)
        attestation, signature = pledge(n, n + 1)
        send(operator, collateral.functions.attach(attestation.as_tuple(), signature))

    artifact = wallet_artifact()
    deployer = platform.transactor(accounts[0])
    wallets = []
    for _ in range(4):
        receipt = deployer.send_raw(None, bytes.fromhex(artifact["bytecode"]["object"][2:]))
        address = w3.eth.get_transaction_receipt(receipt.tx_hash)["contractAddress"]  # type: ignore[arg-type]
        wallets.append(w3.eth.contract(address=address, abi=artifact["abi"]))

    bulk = Bulk(w3)
    bulk.call("evm_setAutomine", [False])
    people = [to_checksum_address(keccak(f"bench holder {i}".encode())[12:]) for i in range(recipients)]
    for wallet in wallets:
        bulk.tx(
            operator.address,
            registry.address,
            registry.encode_abi("registerParticipant", [wallet.address, h("w"), now + YEAR]),
        )
    for person in people:
        bulk.tx(
            operator.address,
            registry.address,
            registry.encode_abi("registerParticipant", [person, h(person), now + YEAR]),
        )
        bulk.call("anvil_setBalance", [person, hex(10**20)])
    bulk.mine()
    for wallet in wallets:
        bulk.tx(operator.address, wallet.address, wallet.encode_abi("acknowledge", [registry.address, 1]))
        for iid in issuances:
            bulk.tx(operator.address, asset.address, asset.encode_abi("mint", [iid, wallet.address, 10**12]))
    for person in people:
        bulk.tx(person, registry.address, registry.encode_abi("acknowledgeRiskNotice", [1]))
    bulk.mine()

    def events() -> int:
        addresses = list(platform.deployment.addresses.values())
        return sum(len(logs) for logs in RawLogFetcher(w3, addresses).chunks(0, w3.eth.block_number))

    written, round_, half = events(), 0, 0
    while written < target:
        if not half and written >= target // 2:
            half = int(bulk.call("eth_blockNumber", []), 16)
        for n, wallet in enumerate(wallets):
            start = (round_ * len(wallets) + n) * per_tx % recipients
            batch = (people * 2)[start : start + per_tx]
            iid = issuances[(round_ + n) % 2]
            if (round_ + n) % 10 == 9:  # one in ten: TransferBatch of both issuances
                half_batch = batch[: per_tx // 2]
                data = wallet.encode_abi("sprayBatch", [asset.address, issuances, half_batch, 1])
                bulk.tx(operator.address, wallet.address, data, gas=200_000 * per_tx)
                written += len(half_batch)
            else:
                bulk.tx(
                    operator.address,
                    wallet.address,
                    wallet.encode_abi("spray", [asset.address, iid, batch, 1]),
                    gas=120_000 * per_tx,
                )
                written += len(batch)  # fewer than per_tx where there are fewer recipients
        # The collateral of one issuance is renewed (superseded, its coverage counted again).
        n = round_ % 2
        attestation, signature = pledge(n, 100 + round_, supersedes=pledges[n])
        bulk.tx(
            operator.address, collateral.address, collateral.encode_abi("attach", [attestation.as_tuple(), signature])
        )
        written += 3  # AttestationSuperseded, AttestationAttached, CoverageSynced
        # Holders move units among themselves too.
        for k in range(per_tx // 10):
            sender = people[(round_ * 37 + k) % recipients]
            to = people[(round_ * 37 + k + 1) % recipients]
            bulk.tx(sender, asset.address, asset.encode_abi("safeTransferFrom", [sender, to, issuances[0], 1, b""]))
            written += 1
        bulk.mine()
        round_ += 1
    bulk.call("evm_setAutomine", [True])
    # A history the set-up alone makes long enough has no half of its own: measured whole twice.
    return events(), half or int(bulk.call("eth_blockNumber", []), 16)


def peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM, not getrusage: ru_maxrss survives exec and
    would report the parent's peak at fork."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def measure(rpc_url: str, deployment_path: Path, to_block: int, chunk: int, max_logs: int) -> dict[str, Any]:
    """One measurement, in this process: raw download, then full replay, of blocks up to `to_block`."""
    platform = Platform.connect(rpc_url, Deployment.load(deployment_path))
    rss_start = peak_rss_mb()
    addresses = list(platform.deployment.addresses.values())
    started = time.perf_counter()
    raw = 0
    for logs in RawLogFetcher(platform.w3, addresses, chunk=chunk, max_logs=max_logs).chunks(
        platform.deployment.deployment_block, to_block
    ):
        raw += len(logs)
    raw_seconds = time.perf_counter() - started
    rss_raw = peak_rss_mb()
    replay = Replay(platform, aml=BENCH_AML, chunk=chunk, max_logs=max_logs)
    started = time.perf_counter()
    replay.run(to_block)
    replay_seconds = time.perf_counter() - started
    rss_replay = peak_rss_mb()
    return {
        "to_block": to_block,
        "events": replay.events_applied,
        "logs": raw,
        "raw_seconds": round(raw_seconds, 3),
        "raw_events_per_s": round(raw / raw_seconds),
        "replay_seconds": round(replay_seconds, 3),
        "replay_events_per_s": round(replay.events_applied / replay_seconds),
        "ratio": round((replay.events_applied / replay_seconds) / (raw / raw_seconds), 3),
        "peak_rss_mb_at_start": rss_start,
        "peak_rss_mb_after_raw": rss_raw,
        "peak_rss_mb_after_replay": rss_replay,
        "breaches": len(replay.breaches),
        "aml_findings": len(replay.aml.findings),
        "digest": replay.state.digest(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000, help="events of history to build (at least)")
    parser.add_argument("--recipients", type=int, default=500, help="holders the history spreads over")
    parser.add_argument("--per-tx", type=int, default=250, help="transfers per bulk transaction")
    parser.add_argument("--chunk", type=int, default=2_000, help="eth_getLogs chunk in blocks (adaptive)")
    parser.add_argument("--max-logs", type=int, default=10_000, help="logs held at once, at most (adaptive)")
    parser.add_argument("--json", type=Path, help="also write the figures here as JSON")
    parser.add_argument("--governed", action="store_true", help="the regulator a timelock its council schedules on")
    parser.add_argument("--measure", nargs=3, metavar=("RPC_URL", "DEPLOYMENT", "TO_BLOCK"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        url, path, block = args.measure
        print(json.dumps(measure(url, Path(path), int(block), args.chunk, args.max_logs)))
        return 0

    with Anvil(accounts=10, extra_args=["--auto-impersonate", "--gas-limit", "10000000000"]) as node:
        w3 = Web3(Web3.HTTPProvider(node.url, request_kwargs={"timeout": 300}))
        accounts = dev_accounts(10)
        deployer = Transactor(w3, accounts[0], EventDecoder())
        if args.governed:
            setup = GovernanceSetup([accounts[1].address], threshold=1, min_delay=1)
            deployment = deploy_platform(w3, deployer, governance=setup)
        else:
            deployment = deploy_platform(w3, deployer, accounts[1].address)
        platform = Platform(w3, deployment)
        started = time.perf_counter()
        logs, half = build_chain(platform, args.events, args.recipients, args.per_tx, args.governed)
        head = w3.eth.block_number
        print(f"built {logs:,} events in {head} blocks in {time.perf_counter() - started:.0f} s", flush=True)
        path = deployment.save(ROOT / "cache" / "bench-deployment.json")
        results = []
        for block in (half, head):
            out = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--chunk",
                    str(args.chunk),
                    "--max-logs",
                    str(args.max_logs),
                    "--measure",
                    node.url,
                    str(path),
                    str(block),
                ],
                check=True,
                stdout=subprocess.PIPE,  # its errors go to the terminal
                text=True,
            ).stdout
            results.append(json.loads(out))
    for r in results:
        print(
            f"to block {r['to_block']:>6}: {r['events']:>7,} events | raw {r['raw_events_per_s']:>7,} ev/s "
            f"({r['raw_seconds']} s) | replay+checks {r['replay_events_per_s']:>7,} ev/s ({r['replay_seconds']} s) "
            f"| ratio {r['ratio']} | peak RSS {r['peak_rss_mb_after_replay']} MB | breaches {r['breaches']}"
        )
    full = results[-1]
    print(
        f"targets: replay >= 0.5 x raw: {'met' if full['ratio'] >= 0.5 else 'NOT met'}; "
        f">= 10,000 events/s: {'met' if full['replay_events_per_s'] >= 10_000 else 'NOT met'}"
    )
    if args.json:
        args.json.write_text(json.dumps({"runs": results}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
