"""The demo platform behind `scripts/up`: the embedded chain, the contracts, a seeded issuance and
the gateway, in one process tree that Ctrl-C stops cleanly.

Everything lives under var/ (ignored by git; `--var DIR` puts it elsewhere): the chain's state
(anvil --state), the deployment file, the gateway's SQLite database, the documents the demo issuer
"publishes" and the demo keys.
Starting again reuses all of it, so every asset minted survives a restart; `--fresh` starts over.

The demo keys are anvil's well-known development keys: public, for this local chain only.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from eth_account.signers.local import LocalAccount
from web3 import Web3

from sdap.anvil import Anvil, dev_accounts
from sdap.artifacts import load_artifact
from sdap.documents import document_hash as sha256
from sdap.errors import ConfigurationError
from sdap.platform import Platform
from sdap.rpc import KeepAliveHTTPProvider
from sdap.types import AssetCategory, IssuanceParams, IssuerStatus, ParticipantStatus, PermitState, Role

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
YEAR = 365 * 24 * 3600

NOTICE_TEXT = """RISK NOTICE (version 1)

Secured digital assets certify rights to goods, services or intellectual property. Their value
depends on the issuer meeting its obligations and on the collateral behind them. They are not money
and not securities, carry no profit share and are not covered by deposit insurance. Units can be
frozen by the compliance officer, encumbered in favour of third parties and moved by a regulator's
order. Read the issuer's decision to issue before acquiring units.
"""

DECISION_TEXT = """DECISION TO ISSUE No. 2026-001

Qazaq Grain LLP (BIN 210240012345) decides to issue up to 100,000 secured digital assets, each
certifying the right to receive one tonne of wheat, class 3, stored at the Kostanay elevator under
warehouse receipts 7701-7710, on demand of the holder until 31 December 2027.
"""


def shown(path: Path) -> str:
    """`path` as the person who ran the demo from the repository would type it."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


@dataclass(frozen=True)
class Cast:
    """Who plays which role on the demo chain (anvil's development accounts)."""

    deployer: LocalAccount
    regulator: LocalAccount
    operator: LocalAccount
    verifier: LocalAccount
    compliance: LocalAccount
    issuer: LocalAccount
    holder_a: LocalAccount
    holder_b: LocalAccount

    @classmethod
    def of(cls, accounts: list[LocalAccount]) -> Cast:
        return cls(*accounts[:8])


def publish_documents(public: Path) -> None:
    """What the issuer and the regulator put on their websites: the decision and the risk notice."""
    public.mkdir(parents=True, exist_ok=True)
    (public / "decision-2026-001.txt").write_text(DECISION_TEXT)
    (public / "risk-notice-v1.txt").write_text(NOTICE_TEXT)


def serve_documents(public: Path, port: int) -> ThreadingHTTPServer:
    handler = partial(_QuietHandler, directory=str(public))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def port_free(port: int) -> bool:
    with socket.socket() as probe:
        # As the servers do: a port a closed connection still waits on (TIME_WAIT) is free for them.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def document_mirrors(platform: Platform, docs_url: str) -> dict[str, str]:
    """Where the gateway fetches the documents the chain names. The seeded issuance and notice name
    the documents' server of the first run; when they are served on another port since, the
    gateway fetches the old URLs from the new server (the hashes on the chain still have to match)."""
    if platform.queries.issuance_count() == 0:
        return {}
    parts = urlsplit(platform.queries.issuance(1).decision_uri)
    seeded = f"{parts.scheme}://{parts.netloc}"
    if seeded == docs_url:
        return {}
    print(f"documents served at {docs_url}; the chain names {seeded}: the gateway fetches them from here")
    return {seeded + "/": docs_url + "/"}


def deploy_or_reuse(anvil: Anvil, cast: Cast, path: Path, metadata_uri: str) -> Platform:
    if path.exists():
        try:
            platform = Platform.connect(anvil.url, path)
            print(f"reusing the deployment in {shown(path)}")
            shipped = {name: load_artifact(name).sha256 for name in platform.deployment.addresses}
            if platform.deployment.artifacts != shipped:
                print("warning: the contracts changed since this chain was deployed; `scripts/up --fresh` redeploys")
            return platform
        except ConfigurationError as exc:
            print(f"not reusing {shown(path)}: {exc}")
    # uri(id) names the gateway's metadata, so wallets show the units (ERC-1155 {id} substitution).
    w3 = Web3(KeepAliveHTTPProvider(anvil.url))
    platform = Platform.deploy(w3, cast.deployer, cast.regulator.address, metadata_uri)
    platform.deployment.save(path)
    print(f"deployed the platform: {shown(path)}")
    return platform


def seed(platform: Platform, cast: Cast, docs_url: str) -> None:
    """The demo's story: a permitted operator, a registered issuer, a listed type, the regulator's
    risk notice, two identified holders who acknowledged it, one issuance the issuer consented to,
    with verified collateral (pledged once: its warehouse receipts back this issuance only), units
    minted to one holder and part of them transferred to the other. Each step looks first, so a
    seed that stopped half-way resumes where it stopped."""
    q = platform.queries
    if q.issuance_count() > 0:
        print("the demo issuance is already there")
        return
    now = q.chain_time()
    regulator = platform.regulator(cast.regulator)
    staff = ((Role.OPERATOR, cast.operator), (Role.VERIFIER, cast.verifier), (Role.COMPLIANCE, cast.compliance))
    for role, account in staff:
        if not q.has_role(role, account.address):
            regulator.grant_role(role, account.address)
    if q.permit_state(cast.operator.address) != PermitState.ACTIVE:
        regulator.grant_permit(cast.operator.address, now - 60, now + YEAR, sha256(b"Permit No. 001 of the AFSA"))
    if q.issuer(cast.issuer.address).status == IssuerStatus.NONE:
        regulator.register_issuer(
            cast.issuer.address, "Qazaq Grain LLP", "210240012345", "KZ", sha256(b"Qazaq Grain LLP registration file")
        )
    grain = q.asset_type_count() or regulator.list_asset_type("Grain warehouse receipt", AssetCategory.GOODS).id
    # One risk notice for the whole platform, the regulator's (Law art. 6.4).
    if q.notice_in_force() == 0:
        regulator.publish_risk_notice(sha256(NOTICE_TEXT.encode()), f"{docs_url}/risk-notice-v1.txt")

    operator = platform.operator(cast.operator)
    for holder in (cast.holder_a, cast.holder_b):
        if not q.participant(holder.address).registered:
            operator.register_participant(holder.address, sha256(f"KYC file of {holder.address}".encode()), now + YEAR)
    # One holder acknowledges by its own transaction, the other by a signature the operator relays.
    if q.participant_status(cast.holder_a.address) != ParticipantStatus.ELIGIBLE:
        platform.holder(cast.holder_a).acknowledge_risk_notice()
    if q.participant_status(cast.holder_b.address) != ParticipantStatus.ELIGIBLE:
        signed = platform.holder(cast.holder_b).sign_acknowledgement()
        ack = signed.acknowledgement
        operator.relay_acknowledgement(cast.holder_b.address, ack.version, ack.deadline, signed.signature)

    terms = IssuanceParams(
        issuer=cast.issuer.address,
        asset_type=grain,
        decision_hash=sha256(DECISION_TEXT.encode()),
        decision_uri=f"{docs_url}/decision-2026-001.txt",
        evidence_hash=sha256(b"warehouse receipts 7701-7710"),
        unit_description="1 tonne of wheat, class 3, Kostanay elevator",
        max_supply=100_000,
    )
    # The issuer consents to the terms and to this operator (Law art. 6.5), signing only; the
    # operator submits the consent with the issuance.
    consent = platform.issuer(cast.issuer).sign_consent(terms, cast.operator.address)
    issuance = operator.create_issuance(terms, consent).id
    verifier = platform.verifier(cast.verifier)
    verifier.attach(
        verifier.sign_attestation(
            verifier.attestation(
                issuance_id=issuance,
                owner=cast.issuer.address,
                collateral_ref=sha256(b"warehouse receipts 7701-7710"),
                value=1_500_000_000,
                units=10_000,
                valid_until=now + YEAR,
            )
        )
    )
    operator.mint(issuance, cast.holder_a.address, 1_000)
    platform.holder(cast.holder_a).transfer(cast.holder_b.address, issuance, 250)
    print(f"seeded issuance {issuance}: 1,000 units minted, 250 transferred")


def create_api_keys(database_url: str, cast: Cast, path: Path) -> dict[str, str]:
    """API keys for the demo's roles, made once; the secrets are shown only at creation, so the
    demo keeps them in var/ for the person trying it out."""
    if path.exists():
        return dict(json.loads(path.read_text())["api_keys"])
    from api.auth.keys import create_api_key
    from api.db import Database

    db = Database(database_url)
    db.migrate()
    identities = {
        "regulator": cast.regulator.address,
        "operator": cast.operator.address,
        "compliance": cast.compliance.address,
        "issuer": cast.issuer.address,
        "verifier": cast.verifier.address,
        "auditor": cast.regulator.address,
    }
    return {
        role: create_api_key(db, role, identity, label=f"demo {role}").token for role, identity in identities.items()
    }


def write_demo_keys(path: Path, cast: Cast, api_keys: dict[str, str]) -> None:
    accounts = {
        name: {"address": acct.address, "private_key": "0x" + bytes(acct.key).hex()}
        for name, acct in vars(cast).items()
    }
    body = {
        "warning": "anvil's public development keys: for this local demo chain only, never elsewhere",
        "accounts": accounts,
        "api_keys": api_keys,
    }
    path.write_text(json.dumps(body, indent=2) + "\n")
    path.chmod(0o600)


def start_gateway(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "api"], cwd=ROOT, env={**os.environ, **env})


def wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the gateway exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/v1/ready", timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"the gateway did not become ready at {url} within {timeout:g} s")


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scripts/up",
        description="Install what is missing, then run the SDAP demo platform: the embedded chain (anvil, its "
        "state kept in var/), the contracts deployed once, a demo issuance seeded, and the gateway serving. "
        "Ctrl-C stops it; running it again resumes with every asset kept.",
    )
    port = "port of %s (default %%(default)s; environment %s)"
    parser.add_argument(
        "--chain-port",
        type=int,
        default=int(os.environ.get("SDAP_CHAIN_PORT", 8545)),
        help=port % ("the chain's JSON-RPC", "SDAP_CHAIN_PORT"),
    )
    parser.add_argument(
        "--gateway-port",
        type=int,
        default=int(os.environ.get("SDAP_GATEWAY_PORT", 8000)),
        help=port % ("the gateway", "SDAP_GATEWAY_PORT"),
    )
    parser.add_argument(
        "--docs-port",
        type=int,
        default=int(os.environ.get("SDAP_DOCS_PORT", 8001)),
        help=port % ("the web server publishing the demo's documents (decision, risk notice)", "SDAP_DOCS_PORT"),
    )
    parser.add_argument(
        "--var",
        type=Path,
        default=VAR,
        metavar="DIR",
        help="where the demo keeps the chain's state, the deployment, the gateway's database and the demo keys "
        "(default var/)",
    )
    parser.add_argument("--fresh", action="store_true", help="forget the previous chain and start over")
    parser.add_argument("--seed-only", action="store_true", help="seed, print and exit without serving")
    return parser


def main() -> None:
    args = parser().parse_args()
    ports = [("--chain-port", args.chain_port)] + ([] if args.seed_only else [("--gateway-port", args.gateway_port)])
    for name, number in ports:
        if not port_free(number):
            raise SystemExit(f"error: port {number} is in use: free it or choose another with {name}")

    var = args.var.resolve()
    if args.fresh and var.exists():
        shutil.rmtree(var)
    var.mkdir(parents=True, exist_ok=True)
    public = var / "public"
    publish_documents(public)
    try:
        docs = serve_documents(public, args.docs_port)
    except OSError as exc:
        raise SystemExit(
            f"error: cannot serve the documents on port {args.docs_port} ({exc.strerror}): "
            "choose another with --docs-port"
        ) from None
    docs_url = f"http://127.0.0.1:{args.docs_port}"

    cast = Cast.of(dev_accounts(8))
    anvil = Anvil(port=args.chain_port, accounts=10, state_file=var / "chain-state.json")
    gateway: subprocess.Popen[bytes] | None = None
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        metadata_uri = f"http://127.0.0.1:{args.gateway_port}/v1/metadata/{{id}}.json"
        platform = deploy_or_reuse(anvil, cast, var / "deployment.json", metadata_uri)
        seed(platform, cast, docs_url)
        mirrors = document_mirrors(platform, docs_url)
        database_url = f"sqlite:///{var / 'gateway.db'}"
        keys_file = var / "demo-keys.json"
        api_keys = create_api_keys(database_url, cast, keys_file)
        write_demo_keys(keys_file, cast, api_keys)
        if args.seed_only:
            return
        secret_file = var / "session-secret"
        if not secret_file.exists():
            secret_file.write_text(secrets.token_hex(32))
            secret_file.chmod(0o600)
        gateway_url = f"http://127.0.0.1:{args.gateway_port}"
        gateway = start_gateway(
            {
                "SDAP_ENVIRONMENT": "development",
                "SDAP_RPC_URL": anvil.url,
                "SDAP_DEPLOYMENT": str(var / "deployment.json"),
                "SDAP_OPERATOR_ADDRESS": cast.operator.address,
                "SDAP_PRIVATE_KEYS": "0x" + bytes(cast.operator.key).hex(),
                "SDAP_SESSION_SECRET": secret_file.read_text().strip(),
                "SDAP_DATABASE_URL": database_url,
                "SDAP_PORT": str(args.gateway_port),
                "SDAP_PUBLIC_URL": gateway_url,
                "SDAP_DECISION_ALLOW_PRIVATE": "true",
                # the web app shows whether the published decision still matches: checked soon, and often
                "SDAP_DECISION_WATCH_INTERVAL": "30",
                "SDAP_DOCUMENT_MIRRORS": json.dumps(mirrors),
            }
        )
        wait_ready(gateway_url, gateway)
        print(
            "\nSDAP is running.\n"
            f"  gateway        {gateway_url}\n"
            f"  web app        {gateway_url}/app/   (import a holder's key from {shown(keys_file)} into a wallet)\n"
            f"  OpenAPI page   {gateway_url}/v1/docs\n"
            f"  chain (RPC)    {anvil.url}   (anvil, state in {shown(var / 'chain-state.json')})\n"
            f"  documents      {docs_url}/\n"
            f"  deployment     {shown(var / 'deployment.json')}\n"
            f"  demo keys      {shown(keys_file)} (accounts and API keys)\n"
            "Ctrl-C stops everything; `scripts/up` again resumes with every asset kept.\n",
            flush=True,
        )
        while not stop.is_set() and gateway.poll() is None:
            stop.wait(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        # A second Ctrl-C (pressed while waiting) must not cut the shutdown short: anvil would
        # be left running, its last state not written.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        if gateway is not None and gateway.poll() is None:
            gateway.terminate()
            gateway.wait(timeout=15)
        anvil.stop()
        docs.shutdown()


if __name__ == "__main__":
    main()
