"""`sdap proposal ...`: a governed regulator's acts, each a file the council passes around.

A regulator command with `--propose FILE` writes the proposal; each council signer runs `sign FILE`
with its own key; anyone runs `schedule FILE` once enough signed, and `execute FILE` once the
timelock's delay has passed. `cancel FILE` writes the council's cancellation of a waiting act
(signed the same way and sent with `schedule`). `show FILE` says what it does and where it stands.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sdap.cli import _panels as panels
from sdap.cli._args import show_time
from sdap.cli._common import DeploymentFile, JsonOutput, RpcUrl, connect, emit, failures
from sdap.cli._keys import KeySource, signed
from sdap.cli._output import report
from sdap.cli.app import app
from sdap.governance import Governance, Proposal, ProposalAction, ProposalState

proposal_app = typer.Typer(
    name="proposal",
    help="A governed regulator's acts: sign, schedule, execute, cancel, show a proposal file.",
    no_args_is_help=True,
)
app.add_typer(proposal_app, rich_help_panel=panels.SETUP)

ProposalFile = Annotated[
    Path, typer.Argument(metavar="FILE", help="The proposal file (written by a regulator command's --propose).")
]


@proposal_app.command("sign")
@signed
def sign(
    key: KeySource, file: ProposalFile, rpc_url: RpcUrl, deployment: DeploymentFile, as_json: JsonOutput = False
) -> None:
    """Adds the signing key's signature (a council signer's) to FILE, in place."""
    with failures(as_json):
        governance = connect(rpc_url, deployment).governance()
        proposal = governance.sign(Proposal.load(file), key.unlock())
        proposal.save(file)
        count, needed = len(proposal.signatures), governance.threshold()
        body = {"proposal_file": str(file), "signers": proposal.signers, "threshold": needed}
        more = f"then `sdap proposal schedule {file}`" if count >= needed else f"{needed - count} more needed"
        emit(body, as_json, lambda _: f"signed {file}: {count} of {needed} signatures ({more})")


@proposal_app.command("schedule")
@signed
def schedule(
    key: KeySource, file: ProposalFile, rpc_url: RpcUrl, deployment: DeploymentFile, as_json: JsonOutput = False
) -> None:
    """Submits the council's signed batch (anyone may): schedules FILE's act, or cancels it.

    A proposal file schedules its act on the timelock; a cancellation file (`cancel`) cancels it."""
    with failures(as_json):
        governance = connect(rpc_url, deployment).governance()
        proposal = Proposal.load(file)
        if proposal.action is ProposalAction.CANCEL:
            receipt = governance.cancel(proposal, key.unlock())
            report(receipt, as_json, f"operation 0x{proposal.operation_id.hex()} cancelled")
            return
        receipt = governance.schedule(proposal, key.unlock())
        ready = governance.ready_at(proposal)
        report(receipt, as_json, f"scheduled: {proposal.description}; ready at {show_time(ready)}", ready_at=ready)


@proposal_app.command("execute")
@signed
def execute(
    key: KeySource, file: ProposalFile, rpc_url: RpcUrl, deployment: DeploymentFile, as_json: JsonOutput = False
) -> None:
    """Runs FILE's act once its delay has passed (anyone may): the timelock makes the regulator's call."""
    with failures(as_json):
        governance = connect(rpc_url, deployment).governance()
        proposal = Proposal.load(file)
        receipt = governance.execute(proposal, key.unlock())
        report(receipt, as_json, f"executed: {proposal.description}")


@proposal_app.command("cancel")
def cancel(
    file: ProposalFile,
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    out: Annotated[
        Path | None, typer.Option("--out", help="Where to write the cancellation \\[default: FILE.cancel.json].")
    ] = None,
    as_json: JsonOutput = False,
) -> None:
    """Writes the council's cancellation of FILE's waiting act, to sign and send like any proposal.

    Each signer runs `sdap proposal sign` on the cancellation file, then anyone `sdap proposal schedule` it."""
    with failures(as_json):
        governance = connect(rpc_url, deployment).governance()
        target = out if out is not None else file.with_suffix(".cancel.json")
        cancellation = governance.propose_cancel(Proposal.load(file))
        cancellation.save(target)
        body = {"proposal_file": str(target), "operation_id": "0x" + cancellation.operation_id.hex()}
        emit(
            body,
            as_json,
            lambda _: f"cancellation written to {target}: `sdap proposal sign {target}`, then schedule it",
        )


@proposal_app.command("show")
def show(file: ProposalFile, rpc_url: RpcUrl, deployment: DeploymentFile, as_json: JsonOutput = False) -> None:
    """Shows what FILE does, its state on the timelock, who signed it so far and when it is ready."""
    with failures(as_json):
        governance = connect(rpc_url, deployment).governance()
        proposal = Proposal.load(file)
        body = _state(governance, proposal)
        emit(body, as_json, lambda _: _human(body))


def _state(governance: Governance, proposal: Proposal) -> dict[str, object]:
    state = governance.status(proposal)
    ready = governance.ready_at(proposal)
    members = governance.signers()
    return {
        "action": str(proposal.action),
        "description": proposal.description,
        "call": governance.describe(proposal),
        "operation_id": "0x" + proposal.operation_id.hex(),
        "state": state.name,
        "ready_at": ready if state in (ProposalState.WAITING, ProposalState.READY) else None,
        "delay": proposal.delay,
        "council_nonce": proposal.nonce,
        "council_next_nonce": governance.next_nonce(),
        "signers": proposal.signers,
        "not_signed": [m for m in members if m not in proposal.signatures],
        "threshold": governance.threshold(),
    }


def _human(b: dict[str, object]) -> str:
    signers, missing = b["signers"], b["not_signed"]
    assert isinstance(signers, list) and isinstance(missing, list)
    ready = b["ready_at"]
    when = {
        "UNSET": "not scheduled (or cancelled)",
        "WAITING": f"WAITING, ready at {show_time(int(ready))}" if isinstance(ready, int) else "WAITING",
        "READY": "READY: anyone may execute it",
        "DONE": "DONE: executed",
    }[str(b["state"])]
    lines = [
        f"{'cancels' if b['action'] == 'cancel' else 'does'}   {b['description']}",
        f"call      {b['call']}",
        f"state     {when}",
        f"operation {b['operation_id']} (delay {b['delay']} s)",
        f"signed    {len(signers)} of {b['threshold']} needed: {', '.join(signers) or 'nobody yet'}",
        f"to sign   {', '.join(missing) or 'nobody'}",
    ]
    if b["state"] == "UNSET" and b["council_nonce"] != b["council_next_nonce"]:
        lines.append(
            f"note      the council's batch {b['council_nonce']} was used since: if this never ran, propose again"
        )
    return "\n".join(lines)
