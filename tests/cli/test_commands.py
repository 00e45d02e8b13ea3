"""Every command beyond the complete issuance of test_flow.py, run in-process (Typer's CliRunner:
no interpreter start-up per call) on the SDK tests' prepared world: onboarded roles and holders, an
issuance with 500 units covered and 100 minted to holder a (tests/sdk/world.py).

Keys come from `--key-env` here; test_flow.py covers keystores. Outputs are checked for secrets.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cli_support import PASSWORD, clean_env
from eth_account.signers.local import LocalAccount
from typer.testing import CliRunner
from world import World, build

from sdap.anvil import Anvil
from sdap.cli import app
from sdap.documents import file_hash
from sdap.platform import Platform
from sdap.types import IssuerStatus, ParticipantStatus, PermitState, Role

ROLES = {"deployer": 0, "regulator": 1, "operator": 2, "verifier": 3, "compliance": 4, "issuer": 5, "a": 6, "b": 7}


@dataclass
class Run:
    """`sdap ARGS` in-process, with the world's deployment and every role's key in the environment
    (`--as regulator` reads REGULATOR_KEY)."""

    env: dict[str, str]
    secrets: list[str]
    cwd: Path

    def __call__(
        self,
        *args: object,
        code: int = 0,
        as_: str | None = None,
        env: dict[str, str] | None = None,
        input: str | None = None,
    ) -> Any:
        argv = [str(a) for a in args] + (["--key-env", f"{as_.upper()}_KEY"] if as_ else [])
        result = CliRunner().invoke(app, argv, env={**self.env, **(env or {})}, input=input)
        output = (result.stdout + result.stderr).lower()
        assert not any(s in output for s in self.secrets), f"a secret was printed by sdap {' '.join(argv)}"
        assert result.exit_code == code, f"sdap {' '.join(argv)} exited {result.exit_code}:\n{result.output}"
        return result

    def json(self, *args: object, **options: Any) -> Any:
        """`sdap ARGS --json`, its output parsed; `options` as for a call."""
        return json.loads(self(*args, "--json", **options).stdout)


@pytest.fixture
def world(platform: Platform, accounts: list[LocalAccount]) -> World:
    return build(platform, accounts)


@pytest.fixture
def run(world: World, accounts: list[LocalAccount], anvil: Anvil, tmp_path: Path) -> Iterator[Run]:
    deployment = world.platform.deployment.save(tmp_path / "deployment.json")
    env = clean_env(tmp_path) | {"SDAP_RPC_URL": anvil.url, "SDAP_DEPLOYMENT": str(deployment)}
    env |= {f"{role.upper()}_KEY": accounts[i].key.hex() for role, i in ROLES.items()}
    yield Run(env, [a.key.hex() for a in accounts] + [PASSWORD], tmp_path)


def test_regulator_commands(run: Run, world: World) -> None:
    q, operator, issuer = world.queries, world.operator.address, world.issuer.address
    shown = run.json("permit", "show", operator)
    assert shown["state"] == "ACTIVE" and shown["status"] == "GRANTED"
    assert "in force     ACTIVE (status GRANTED)" in run("permit", "show", operator).stdout
    run("permit", "renew", operator, "--until", "2040-01-01", "--document", "0x" + "11" * 32, as_="regulator")
    assert q.permit(operator).valid_until == 2208988800
    for verb, state in (("suspend", PermitState.SUSPENDED), ("reinstate", PermitState.ACTIVE),
                        ("revoke", PermitState.REVOKED)):  # fmt: skip
        done = run("permit", verb, operator, "--reason", "0x" + "22" * 32, as_="regulator")
        assert done.stdout.startswith(f"permit of {operator} {verb}")
        assert q.permit_state(operator) is state

    run("issuer", "update", issuer, "--name", "Astana Grain JSC", "--business-id", "123456789012",
        "--jurisdiction", "KZ", "--details", "0x" + "33" * 32, as_="regulator")  # fmt: skip
    run("issuer", "status", issuer, "suspended", "--reason", "0x" + "44" * 32, as_="regulator")
    entry = run.json("issuer", "show", issuer)
    assert entry["legal_name"] == "Astana Grain JSC" and entry["status"] == "SUSPENDED"
    assert q.issuer(issuer).status is IssuerStatus.SUSPENDED

    added = run.json("type", "add", "Patent licence", "--category", "intellectual-property", as_="regulator")
    assert added["type_id"] == 2 and [e["name"] for e in added["events"]] == ["AssetTypeListed"]
    run("type", "delist", 2, as_="regulator")
    assert "DELISTED  Patent licence" in run("type", "list").stdout
    run("type", "relist", 2, as_="regulator")
    assert run.json("type", "show", 2) == {"type_id": 2, "category": "INTELLECTUAL_PROPERTY", "listed": True,
                                           "name": "Patent licence"}  # fmt: skip

    assert run.json("role", "show", operator)["roles"] == ["operator"]
    run("role", "revoke", "operator", operator, as_="regulator")
    assert not q.has_role(Role.OPERATOR, operator)
    assert run("role", "show", operator).stdout.strip() == f"{operator}: no role"


def test_operator_and_compliance_commands(run: Run, world: World) -> None:
    q, a, b, iid = world.queries, world.a.address, world.b.address, world.issuance
    shown = run.json("participant", "show", a)
    assert shown["status"] == "ELIGIBLE" and shown["operator"] == world.operator.address
    assert f"identified by        {world.operator.address}" in run("participant", "show", a).stdout
    run("participant", "update", a, "--identity-file", __file__, "--identity-expiry", "2031-01-01", as_="operator")
    assert q.participant(a).identity_ref == file_hash(Path(__file__))
    run("participant", "freeze", a, "--reason", "0x" + "55" * 32, as_="compliance")
    assert "status               FROZEN" in run("participant", "show", a).stdout
    run("participant", "unfreeze", a, "--reason", "0x" + "56" * 32, as_="compliance")

    # A new risk notice, the regulator's alone: b acknowledges by a signature the operator relays.
    refused = run.json("notice", "publish", "--content", "0x" + "77" * 32, "--uri", "https://x/2", as_="operator",
                       code=1)  # fmt: skip
    assert refused["error"]["type"] == "AccessControlUnauthorizedAccountError"
    published = run.json("notice", "publish", "--content", "0x" + "77" * 32, "--uri", "https://x/2", as_="regulator")
    assert published["version"] == 2 and run.json("notice", "show")["uri"] == "https://x/2"
    assert q.participant_status(b) is ParticipantStatus.NOTICE_NOT_ACKNOWLEDGED
    (run.cwd / "ack.json").write_text(run("notice", "acknowledge", "--sign-only", as_="b").stdout)
    run("notice", "relay", run.cwd / "ack.json", as_="operator")
    assert q.participant(b).acknowledged_notice == 2
    run("notice", "acknowledge", "--version", 2, as_="a")

    rows = run.json("issuance", "list")
    assert [(r["id"], r["state"], r["total_supply"]) for r in rows] == [(iid, "open", 100)]
    run("issuance", "pause", iid, as_="operator")
    paused = run.json("check", "transfer", iid, "--from", a, "--to", b, "--amount", 1, code=1)
    assert paused["refusal"] == "ISSUANCE_PAUSED"
    assert "state           paused by its operator" in run("issuance", "show", iid).stdout
    run("issuance", "pause", iid, as_="regulator")  # the regulator takes the pause over
    assert run.json("issuance", "show", iid)["paused_by"] == "regulator"
    assert "state           paused by the regulator" in run("issuance", "show", iid).stdout
    kept = run("issuance", "unpause", iid, as_="operator", code=1)
    assert kept.stderr == f"error: SecuredAsset_PausedByRegulator(id={iid})\n"
    run("issuance", "unpause", iid, as_="regulator")
    assert run.json("issuance", "show", iid)["paused_by"] is None
    assert run("check", "mint", iid, "--to", b, "--amount", 400).stdout == "would pass\n"
    assert run("check", "mint", iid, "--to", b, "--amount", 401, code=1).stdout == (
        "would be refused: COLLATERAL_INSUFFICIENT\n"
    )

    run("freeze-units", iid, "--holder", a, "--amount", 30, "--reason", "0x" + "66" * 32, as_="compliance")
    assert run.json("balances", a)["holdings"] == [
        {"issuance_id": iid, "balance": 100, "encumbered": 0, "frozen": 30, "available": 70}
    ]
    run("unfreeze-units", iid, "--holder", a, "--amount", 10, "--reason", "0x" + "67" * 32, as_="compliance")
    forced = run.json("forced-transfer", iid, "--from", a, "--to", b, "--amount", 90, "--order", "0x" + "88" * 32,
                      as_="regulator")  # fmt: skip
    assert forced["events"][0]["name"] == "ForcedTransfer" and forced["events"][0]["args"]["unfrozen"] == 10
    assert q.balance_of(b, iid) == 90


def test_collateral_commands(run: Run, world: World) -> None:
    q, iid, pledge = world.queries, world.issuance, "0x" + world.attestation.hex()
    signed = run("attest", iid, "--units", 200, "--value", 9, "--valid-until", "+30d", "--collateral-file", __file__,
                 "--sign-only", as_="verifier")  # fmt: skip
    body = json.loads(signed.stdout)
    assert body["attestation"]["owner"] == world.issuer.address  # the issuance's issuer by default
    assert body["attestation"]["collateral_ref"] == "0x" + file_hash(Path(__file__)).hex()
    assert q.covered_units(iid) == 500  # signing sent nothing
    (run.cwd / "attestation.json").write_text(signed.stdout)
    attached = run.json("attach", run.cwd / "attestation.json", as_="operator")
    assert attached["attestation_id"] == body["digest"] and q.covered_units(iid) == 700
    again = run.json("attach", run.cwd / "attestation.json", as_="operator", code=1)
    assert again["error"]["type"] == "CollateralNonceUsedError"  # a signature counts once

    shown = run.json("attestation", "show", body["digest"])
    assert (shown["units"], shown["accreditation"], shown["superseded_by"]) == (200, 1, None)
    assert run.json("collateral", "status", body["digest"]) == {"attestation_id": body["digest"], "status": "LIVE"}
    # The same receipt pledged again without renewing: refused, naming the live pledge.
    twice = run.json("attest", iid, "--units", 10, "--value", 9, "--valid-until", "+30d", "--collateral-file",
                     __file__, as_="verifier", code=1)["error"]  # fmt: skip
    assert twice["type"] == "CollateralAlreadyPledgedError"
    assert twice["arguments"]["live_attestation_id"] == body["digest"]

    # A renewal: the collateral and owner come from the attestation it supersedes.
    renewed = run("attest", iid, "--units", 300, "--value", 9, "--valid-until", "+60d", "--supersedes",
                  body["digest"], as_="verifier")  # fmt: skip
    assert f"300 units of issuance {iid} covered, renewing {body['digest']}" in renewed.stdout
    assert q.covered_units(iid) == 800  # 500 + 300: the superseded 200 no longer count
    status = run("collateral", "status", body["digest"]).stdout
    assert status.startswith(f"{body['digest']}  SUPERSEDED: renewed by 0x")
    renewal = status.strip().rsplit(" ", 1)[1]
    assert q.pledge_of(world.issuer.address, file_hash(Path(__file__))) == bytes.fromhex(renewal[2:])
    assert run.json("collateral", "coverage", iid)["covered"] == 800
    assert (
        f"issuance {iid}: live collateral covers 800 of the 100 units in circulation until"
        in run("collateral", "coverage", iid).stdout
    )

    for attestation in (renewal, pledge):
        run("attestation", "revoke", attestation, "--reason", "0x" + "99" * 32, as_="verifier")
    assert q.covered_units(iid) == 0 and q.coverage(iid).undercollateralised
    assert run.json("collateral", "coverage", iid) == {
        "covered": 0, "supply": 100, "covered_until": 0, "undercollateralised": True,
    }  # fmt: skip
    assert (
        "UNDER-COLLATERALISED: live collateral covers 0 of the 100 units" in run("collateral", "coverage", iid).stdout
    )
    assert "collateral      UNDER-COLLATERALISED" in run("issuance", "show", iid).stdout
    assert run("issuance", "list").stdout.rstrip().endswith("UNDER-COLLATERALISED")
    moved = run.json("transfer", iid, "--to", world.b.address, "--amount", 1, as_="a", code=1)["error"]
    assert moved["message"] == f"SecuredAsset_Undercollateralised(id={iid}, covered=0, supply=100)"
    assert "REVOKED: revoked by its verifier or the regulator" in run("collateral", "status", pledge).stdout
    unknown = "0x" + "ab" * 32
    assert run("collateral", "status", unknown).stdout == f"{unknown}  UNKNOWN: no such attestation is attached\n"


def test_a_withdrawn_accreditation_is_counted_by_sync(run: Run, world: World) -> None:
    q, iid, pledge = world.queries, world.issuance, "0x" + world.attestation.hex()
    run("role", "revoke", "verifier", world.verifier.address, as_="regulator")
    assert "VERIFIER_WITHDRAWN: the accreditation of its verifier" in run("collateral", "status", pledge).stdout
    assert q.issuance(iid).coverage_revision == 0  # recorded before the withdrawal
    synced = run.json("collateral", "sync", iid, as_="b")  # anyone may
    assert synced == {"covered": 0, "supply": 100, "covered_until": 0, "undercollateralised": True}
    assert q.issuance(iid).coverage_revision == 1 and q.issuance(iid).covered_until == 0
    assert run("collateral", "sync", iid, as_="b").stdout.startswith(f"issuance {iid} counted: UNDER-COLLATERALISED")


def test_holder_commands(run: Run, world: World) -> None:
    q, a, b, c, iid = world.queries, world.a.address, world.b.address, world.c.address, world.issuance
    run("approve", b, as_="a")
    moved = run("transfer", iid, "--from", a, "--to", c, "--amount", 10, as_="b")
    assert moved.stdout.startswith(f"transferred 10 units of issuance {iid} from {a} to {c}")
    run("approve", b, "--revoke", as_="a")
    assert not q.is_approved_for_all(a, b)

    pledge = run.json("encumber", iid, "--amount", 20, "--beneficiary", b, "--reference", "0x" + "aa" * 32,
                      "--expiry", "2035-06-30", as_="a")["encumbrance_id"]  # fmt: skip
    shown = run("encumbrance", pledge).stdout
    assert f"encumbrance {pledge}: 20 units of issuance {iid} (active)" in shown and "2035-06-30" in shown
    assert "      20" in run("balances", a).stdout

    # Acting for a holder, the issuer must be an eligible participant itself.
    world.operator.register_participant(world.issuer.address, b"\x01" * 32, world.queries.chain_time() + 86_400)
    run("notice", "acknowledge", as_="issuer")
    run("approve", world.issuer.address, as_="a")
    redeemed = run("redeem", iid, "--amount", 70, "--holder", a, "--fulfilment", "0x" + "bb" * 32, as_="issuer")
    assert redeemed.stdout.startswith(f"redeemed 70 units of issuance {iid} held by {a}")
    assert q.balance_of(a, iid) == 20

    events = run.json("history", "--address", c)
    assert [e["name"] for e in events] == ["ParticipantRegistered", "RiskNoticeAcknowledged", "TransferSingle"]
    assert "TransferSingle" in run("history", "--issuance", iid, "--from-block", events[-1]["block_number"]).stdout


def test_gasless_transfer_and_encumbrance_relayed_by_the_operator(run: Run, world: World) -> None:
    q, a, b, iid = world.queries, world.a.address, world.b.address, world.issuance
    gas_money = world.w3.eth.get_balance(a)
    (run.cwd / "transfer.json").write_text(
        run("transfer", iid, "--to", b, "--amount", 15, "--sign-only", as_="a").stdout
    )
    assert q.balance_of(b, iid) == 0  # signing sent nothing
    relayed = run.json("relay", run.cwd / "transfer.json", as_="operator")
    assert [e["name"] for e in relayed["events"]] == ["TransferSingle", "ExecutedForwardRequest"]
    assert relayed["events"][0]["args"]["from"] == a and relayed["events"][0]["args"]["operator"] == a
    assert q.balance_of(b, iid) == 15
    again = run.json("relay", run.cwd / "transfer.json", as_="operator", code=1)
    # A signature counts once: the holder's nonce spent, the forwarder no longer finds the holder the signer.
    assert again["error"]["type"] == "ERC2771ForwarderInvalidSignerError"

    pledge = run("encumber", iid, "--amount", 20, "--beneficiary", b, "--reference", "0x" + "aa" * 32, "--sign-only",
                 as_="a").stdout  # fmt: skip
    relayed = run.json("relay", "-", as_="operator", input=pledge)
    assert q.encumbrance(relayed["encumbrance_id"]).holder == a and q.encumbered_units(iid, a) == 20
    assert world.w3.eth.get_balance(a) == gas_money  # the holder paid for neither

    refused = run("transfer", iid, "--to", b, "--amount", 1, "--from", b, "--sign-only", as_="a", code=2)
    assert "drop --from" in refused.output


def test_failures_exit_non_zero_with_a_reason_and_no_secret(run: Run, world: World, tmp_path: Path) -> None:
    operator, iid = world.operator.address, world.issuance
    grant = ("permit", "renew", operator, "--until", "+1d")
    doc = ("--document", "0x" + "11" * 32)
    cases: list[tuple[tuple[object, ...], dict[str, str], str]] = [
        ((*grant, *doc), {}, "give exactly one of --keystore FILE, --account ADDRESS"),
        ((*grant, *doc, "--key-env", "NOPE"), {}, "the environment variable NOPE is not set"),
        ((*grant, *doc, "--key-env", "BAD"), {"BAD": "0x1234"}, "does not hold a private key"),
        ((*grant, "--document", "0x12", "--key-env", "REGULATOR_KEY"), {}, "--document must be 32 bytes"),
        ((*grant, "--key-env", "REGULATOR_KEY"), {}, "give --document HASH or --document-file PATH"),
        ((*grant, "--document-file", tmp_path / "none.pdf", "--key-env", "REGULATOR_KEY"), {}, "cannot read"),
        (("permit", "renew", operator, "--until", "soon", *doc, "--key-env", "REGULATOR_KEY"), {},
         "--until: 'soon' is not a time"),
        (("mint", iid, "--to", world.a.address, "--amount", 1, "--keystore", tmp_path / "none"), {},
         "cannot read keystore"),
    ]  # fmt: skip
    for args, env, message in cases:
        failed = run(*args, code=2, env=env)
        assert failed.stdout == "" and message in failed.stderr, failed.stderr

    # A refusal by the contract: exit 1, the decoded error, in words or as JSON.
    refused = run("mint", iid, "--to", world.a.address, "--amount", 401, as_="operator", code=1)
    assert refused.stderr == f"error: SecuredAsset_CollateralInsufficient(id={iid}, covered=500, supply_after=501)\n"
    body = run.json("permit", "suspend", operator, "--reason", "0x" + "11" * 32, as_="operator", code=1)
    assert body["error"]["type"] == "AccessControlUnauthorizedAccountError"
    assert body["error"]["arguments"]["account"] == operator


def test_a_keystore_with_a_wrong_password_is_refused(run: Run, world: World, tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    password = tmp_path / "password"
    password.write_text(PASSWORD)
    imported = run.json("wallet", "import", "--key-env", "REGULATOR_KEY", "--keystore-dir", keys,
                        "--password-file", password, "--kdf", "pbkdf2", "--iterations", 1000)  # fmt: skip
    assert imported["address"] == world.regulator.address
    run("wallet", "import", "--key-env", "REGULATOR_KEY", "--keystore-dir", keys, "--password-file", password,
        code=2)  # fmt: skip
    wrong = tmp_path / "wrong"
    wrong.write_text("not the password")
    denied = run("type", "add", "Anything", "--category", "goods", "--account", world.regulator.address,
                 "--keystore-dir", keys, "--password-file", wrong, code=2)  # fmt: skip
    assert denied.stderr.startswith("error: wrong password for keystore")
    listed = run("type", "add", "Anything", "--category", "goods", "--keystore", imported["path"],
                 env={"SDAP_KEYSTORE_PASSWORD": PASSWORD})  # fmt: skip
    assert listed.stdout.startswith("asset type 2 listed: Anything")


def test_deploy_refuses_to_overwrite_a_deployment(run: Run, world: World, tmp_path: Path) -> None:
    out = tmp_path / "d" / "platform.json"
    deployed = run.json("deploy", "--regulator", world.regulator.address, "--out", out, as_="deployer")
    assert json.loads(out.read_text())["registry"] == deployed["PlatformRegistry"]
    again = run("deploy", "--regulator", world.regulator.address, "--out", out, as_="deployer", code=2)
    assert "exists: pass --force to overwrite it" in again.stderr
    run("deploy", "--regulator", world.regulator.address, "--out", out, "--force", as_="deployer")
    assert json.loads(out.read_text())["registry"] != deployed["PlatformRegistry"]
