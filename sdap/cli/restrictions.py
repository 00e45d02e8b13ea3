"""Units locked (Rules item 4, Law art. 6.3): `sdap encumber`, `release`, `enforce` (a pledge or
lien and its end), `freeze-units`, `unfreeze-units` (a compliance officer's partial freeze), and
`sdap encumbrance ID` to show one."""

from __future__ import annotations

from typing import Annotated

import typer

from sdap.cli import _panels as panels
from sdap.cli._args import Reason, ReasonFile, Reference, ReferenceFile, document_hash, parse_time, show_time
from sdap.cli._common import DeploymentFile, JsonOutput, RpcUrl, connect, emit, failures
from sdap.cli._keys import KeySource, signed
from sdap.cli._output import report
from sdap.cli.app import app
from sdap.cli.relaying import SignOnly

IssuanceId = Annotated[int, typer.Argument(help="The issuance id.")]
EncumbranceId = Annotated[int, typer.Argument(help="The encumbrance id (printed by `sdap encumber`).")]
Amount = Annotated[int, typer.Option("--amount", help="Number of units.")]
Holder = Annotated[str, typer.Option("--holder", help="The holder's address.")]


@app.command("encumber", rich_help_panel=panels.UNITS)
@signed
def encumber(
    key: KeySource,
    issuance_id: IssuanceId,
    amount: Amount,
    beneficiary: Annotated[str, typer.Option("--beneficiary", help="Who the units are pledged to.")],
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    reference: Reference = None,
    reference_file: ReferenceFile = None,
    expiry: Annotated[
        str | None,
        typer.Option("--expiry", help="When the holder may release it alone: 2030-01-31, +90d \\[default: never]."),
    ] = None,
    sign_only: SignOnly = False,
    as_json: JsonOutput = False,
) -> None:
    """Locks units of the signing holder for a beneficiary (a pledge or lien); prints its id.

    With --sign-only, prints the encumbrance signed for an operator to send with `sdap relay FILE`
    (the holder needs no gas)."""
    with failures(as_json):
        platform = connect(rpc_url, deployment)
        until = 0 if expiry is None else parse_time(expiry, "--expiry", platform.queries.chain_time)
        agreement = document_hash("reference", reference, reference_file)
        holder = platform.holder(key.unlock())
        if sign_only:
            emit(holder.sign_encumber_request(issuance_id, amount, beneficiary, agreement, until), as_json=True)
            return
        created = holder.encumber(issuance_id, amount, beneficiary, agreement, until)
        report(created.receipt, as_json, f"encumbrance {created.id}: {amount} units of issuance {issuance_id} "
               f"locked for {beneficiary}", encumbrance_id=created.id)  # fmt: skip


@app.command("release", rich_help_panel=panels.UNITS)
@signed
def release(
    key: KeySource, encumbrance_id: EncumbranceId, rpc_url: RpcUrl, deployment: DeploymentFile,
    as_json: JsonOutput = False,
) -> None:  # fmt: skip
    """Releases an encumbrance: its beneficiary, or its holder once it has expired.

    A beneficiary whose wallet was recovered releases from its new wallet; the lost one is refused."""
    with failures(as_json):
        receipt = connect(rpc_url, deployment).holder(key.unlock()).release(encumbrance_id)
        report(receipt, as_json, f"encumbrance {encumbrance_id} released")


@app.command("enforce", rich_help_panel=panels.UNITS)
@signed
def enforce(
    key: KeySource,
    encumbrance_id: EncumbranceId,
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    reference: Reference = None,
    reference_file: ReferenceFile = None,
    as_json: JsonOutput = False,
) -> None:
    """Moves the locked units of an encumbrance to its beneficiary (operator).

    The issuance's operator enforces, under the decision that allows it (--reference). The units go
    to the beneficiary's new wallet if its wallet was recovered."""
    with failures(as_json):
        platform = connect(rpc_url, deployment)
        decision = document_hash("reference", reference, reference_file)
        receipt = platform.operator(key.unlock()).enforce(encumbrance_id, decision)
        report(receipt, as_json, f"encumbrance {encumbrance_id} enforced")


@app.command("encumbrance", rich_help_panel=panels.UNITS)
def show_encumbrance(
    encumbrance_id: EncumbranceId, rpc_url: RpcUrl, deployment: DeploymentFile, as_json: JsonOutput = False
) -> None:
    """Shows an encumbrance."""
    with failures(as_json):
        e = connect(rpc_url, deployment).queries.encumbrance(encumbrance_id)
        emit(e, as_json, lambda _: "\n".join([
            f"encumbrance {e.id}: {e.amount} units of issuance {e.issuance_id} ({'active' if e.active else 'ended'})",
            f"  holder       {e.holder}",
            f"  beneficiary  {e.beneficiary}",
            f"  expiry       {show_time(e.expiry)}",
            f"  reference    0x{e.reference_hash.hex()}",
        ]))  # fmt: skip


def _freeze(verb: str, help_text: str) -> None:
    @app.command(verb, help=help_text, rich_help_panel=panels.UNITS)
    @signed
    def command(
        key: KeySource,
        issuance_id: IssuanceId,
        holder: Holder,
        amount: Amount,
        rpc_url: RpcUrl,
        deployment: DeploymentFile,
        reason: Reason = None,
        reason_file: ReasonFile = None,
        as_json: JsonOutput = False,
    ) -> None:
        with failures(as_json):
            platform = connect(rpc_url, deployment)
            why = document_hash("reason", reason, reason_file)
            officer = platform.compliance(key.unlock())
            act = officer.freeze_units if verb == "freeze-units" else officer.unfreeze_units
            done = "frozen" if verb == "freeze-units" else "unfrozen"
            report(act(issuance_id, holder, amount, why), as_json,
                   f"{amount} units of issuance {issuance_id} held by {holder} {done}")  # fmt: skip


_freeze("freeze-units", "Freezes part of a holder's units of one issuance (compliance officer).")
_freeze("unfreeze-units", "Unfreezes units frozen by `sdap freeze-units` (compliance officer).")
