"""`sdap deploy --council`, a regulator command's `--propose FILE` and `sdap proposal ...`: the
governed regulator from the command line, on a platform deployed in each test beside the world's
(a council of accounts 16-18 agreeing two, a timelock of an hour; account 19 sends for anyone)."""

from __future__ import annotations

import json
from pathlib import Path

from cli_support import Run
from eth_account.signers.local import LocalAccount
from world import World, advance

DELAY = 3600
SIGNERS = (16, 17, 18)
ZERO_HASH = "0x" + "ab" * 32


def governed(run: Run, accounts: list[LocalAccount], tmp_path: Path) -> dict[str, str]:
    """Deploys a governed platform with the CLI; the environment that drives it."""
    out = tmp_path / "governed.json"
    council = ",".join(accounts[i].address for i in SIGNERS)
    deployed = run.json(
        "deploy", "--council", council, "--threshold", 2, "--delay", DELAY, "--out", out, as_="deployer"
    )
    assert deployed["governed"] and deployed["regulator"] == deployed["RegulatorTimelock"]
    assert deployed["RegulatorCouncil"] != deployed["RegulatorTimelock"]
    env = {f"SIGNER{n}_KEY": accounts[i].key.hex() for n, i in enumerate(SIGNERS, start=1)}
    return env | {"ANYONE_KEY": accounts[19].key.hex(), "SDAP_DEPLOYMENT": str(out)}


def test_a_role_and_a_permit_are_proposed_signed_scheduled_and_executed(
    run: Run, world: World, accounts: list[LocalAccount], tmp_path: Path
) -> None:
    env, operator = governed(run, accounts, tmp_path), world.operator.address
    role, permit = tmp_path / "role.json", tmp_path / "permit.json"
    written = run("role", "grant", "operator", operator, "--propose", role, env=env)  # no key needed
    assert written.stdout.startswith(f"proposal written to {role}: operator role granted to {operator}")

    assert "1 of 2 signatures (1 more needed)" in run("proposal", "sign", role, as_="signer1", env=env).stdout
    one = run("proposal", "schedule", role, as_="anyone", env=env, code=1)
    assert one.stderr.startswith("error: Council_NotAgreed(")
    assert "2 of 2 signatures" in run("proposal", "sign", role, as_="signer3", env=env).stdout
    scheduled = run("proposal", "schedule", role, as_="anyone", env=env)
    assert scheduled.stdout.startswith(f"scheduled: operator role granted to {operator}; ready at ")
    shown = run("proposal", "show", role, env=env).stdout
    assert "state     WAITING, ready at " in shown
    assert f"registry.grantRole(role=OPERATOR_ROLE, account={operator})" in shown
    assert f"to sign   {accounts[SIGNERS[1]].address}" in shown
    early = run("proposal", "execute", role, as_="anyone", env=env, code=1)
    assert early.stderr.startswith("error: TimelockUnexpectedOperationState(")

    # The permit is proposed while the role waits: the council's next batch is the permit's.
    run("permit", "grant", operator, "--until", "+365d", "--document", ZERO_HASH, "--propose", permit, env=env)
    run("proposal", "sign", permit, as_="signer2", env=env)
    run("proposal", "sign", permit, as_="signer1", env=env)
    run("proposal", "schedule", permit, as_="anyone", env=env)

    advance(world.w3, DELAY)
    assert "READY: anyone may execute it" in run("proposal", "show", role, env=env).stdout
    executed = run.json("proposal", "execute", role, as_="anyone", env=env)
    granted = next(e for e in executed["events"] if e["name"] == "RoleGranted")
    assert granted["args"]["sender"] == env_timelock(run, env)
    assert run.json("role", "show", operator, env=env)["roles"] == ["operator"]
    run("proposal", "execute", permit, as_="anyone", env=env)
    assert run.json("permit", "show", operator, env=env)["state"] == "ACTIVE"
    assert "DONE: executed" in run("proposal", "show", permit, env=env).stdout


def env_timelock(run: Run, env: dict[str, str]) -> str:
    return str(json.loads(Path(env["SDAP_DEPLOYMENT"]).read_text())["timelock"])


def test_the_council_cancels_a_waiting_act(
    run: Run, world: World, accounts: list[LocalAccount], tmp_path: Path
) -> None:
    env, proposal = governed(run, accounts, tmp_path), tmp_path / "type.json"
    run("type", "add", "Warehouse receipt", "--category", "goods", "--propose", proposal, env=env)
    for signer in ("signer1", "signer2"):
        run("proposal", "sign", proposal, as_=signer, env=env)
    run("proposal", "schedule", proposal, as_="anyone", env=env)
    written = run("proposal", "cancel", proposal, env=env)
    cancellation = tmp_path / "type.cancel.json"
    assert written.stdout.startswith(f"cancellation written to {cancellation}")
    for signer in ("signer2", "signer3"):
        run("proposal", "sign", cancellation, as_=signer, env=env)
    assert "cancelled" in run("proposal", "schedule", cancellation, as_="anyone", env=env).stdout
    assert "not scheduled (or cancelled)" in run("proposal", "show", proposal, env=env).stdout
    advance(world.w3, DELAY)
    refused = run("proposal", "execute", proposal, as_="anyone", env=env, code=1)
    assert refused.stderr.startswith("error: TimelockUnexpectedOperationState(")


def test_an_act_the_timelock_would_be_refused_is_not_written(
    run: Run, world: World, accounts: list[LocalAccount], tmp_path: Path
) -> None:
    env, proposal = governed(run, accounts, tmp_path), tmp_path / "p.json"
    refused = run(
        "permit", "revoke", world.operator.address, "--reason", ZERO_HASH, "--propose", proposal, env=env, code=1
    )
    assert refused.stderr.startswith("error: Registry_PermitNotGranted(")
    assert not proposal.exists()


def test_a_governed_regulator_acts_only_by_proposal(
    run: Run, world: World, accounts: list[LocalAccount], tmp_path: Path
) -> None:
    env = governed(run, accounts, tmp_path)
    refused = run("role", "grant", "operator", world.operator.address, as_="regulator", env=env, code=2)
    assert "the regulator of this deployment is the council's timelock" in refused.stderr
    assert "--propose FILE" in refused.stderr


def test_propose_is_refused_on_a_single_key_deployment(run: Run, world: World, tmp_path: Path) -> None:
    proposal = tmp_path / "p.json"
    refused = run("role", "grant", "operator", world.a.address, "--propose", proposal, code=2)
    assert "error: this deployment's regulator is a single key" in refused.stderr
    assert not proposal.exists()
    shown = run("proposal", "show", proposal, code=2)
    assert "single key" in shown.stderr


#: Every command by which the regulator acts; each may be proposed instead of sent.
REGULATOR_COMMANDS = (
    "role grant", "role revoke", "permit grant", "permit renew", "permit suspend", "permit reinstate",
    "permit revoke", "permit details", "issuer register", "issuer update", "issuer status", "type add",
    "type delist", "type relist", "notice publish", "forced-transfer", "issuance succeed", "issuance pause",
    "issuance unpause", "attestation revoke", "participant update", "participant recover", "redemption refuse",
    "payment-token list", "payment-token delist", "dvp cancel",
)  # fmt: skip


def test_every_regulator_command_takes_propose() -> None:
    from tests.cli.test_app import ALL

    by_path = {" ".join(path): command for path, command in ALL}
    for name in REGULATOR_COMMANDS:
        options = {opt for param in by_path[name].params for opt in param.opts}  # type: ignore[attr-defined]
        assert "--propose" in options, name


def test_deploy_takes_a_regulator_or_a_whole_council(run: Run, world: World, tmp_path: Path) -> None:
    out = tmp_path / "d.json"
    both = run("deploy", "--regulator", world.regulator.address, "--council", world.a.address, "--out", out,
               as_="deployer", code=2)  # fmt: skip
    assert "give --regulator ADDRESS (one key) or --council" in both.stderr
    half = run("deploy", "--council", world.a.address, "--threshold", 1, "--out", out, as_="deployer", code=2)
    assert "--council needs --threshold" in half.stderr
    unreachable = run("deploy", "--council", world.a.address, "--threshold", 2, "--delay", 60, "--out", out,
                      as_="deployer", code=2)  # fmt: skip
    assert "threshold must be between 1 and the 1 signers" in unreachable.stderr
    assert not out.exists()
