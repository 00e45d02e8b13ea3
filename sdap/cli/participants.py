"""`sdap participant ...`: identified participants (Law art. 6.3), onboarded by an operator (which
alone, with the regulator, re-identifies them) and frozen by a compliance officer."""

from __future__ import annotations

from typing import Annotated

import typer

from sdap.cli import _panels as panels
from sdap.cli._args import (
    Identity,
    IdentityFile,
    Limit,
    Reason,
    ReasonFile,
    Start,
    document_hash,
    parse_time,
    show_time,
)
from sdap.cli._common import DeploymentFile, JsonOutput, RpcUrl, connect, emit, failures
from sdap.cli._governed import Propose, write_proposal
from sdap.cli._keys import KeySource, signed
from sdap.cli._output import report
from sdap.cli.app import app
from sdap.types import Participant, ParticipantStatus

participant_app = typer.Typer(
    name="participant",
    no_args_is_help=True,
    help="Identified participants: register, update, recover a lost wallet, freeze, unfreeze, show, list.",
)
app.add_typer(participant_app, rich_help_panel=panels.SETUP)

Wallet = Annotated[str, typer.Argument(help="The participant's wallet address.")]
Expiry = Annotated[
    str,
    typer.Option("--identity-expiry", help="When the identification must be renewed: unix seconds, 2030-01-31, +1y."),
]


@participant_app.command("register")
@signed
def register(
    key: KeySource,
    wallet: Wallet,
    identity_expiry: Expiry,
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    identity: Identity = None,
    identity_file: IdentityFile = None,
    as_json: JsonOutput = False,
) -> None:
    """Onboards an identified participant (operator with a permit in force).

    The identification record stays off-chain; the chain keeps its hash and the signer as the
    participant's operator."""
    with failures(as_json):
        platform = connect(rpc_url, deployment)
        expiry = parse_time(identity_expiry, "--identity-expiry", platform.queries.chain_time)
        ref = document_hash("identity", identity, identity_file)
        receipt = platform.operator(key.unlock()).register_participant(wallet, ref, expiry)
        report(receipt, as_json, f"participant {wallet} registered, identified until {show_time(expiry)}")


@participant_app.command("update")
@signed
def update(
    key: KeySource,
    wallet: Wallet,
    identity_expiry: Expiry,
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    identity: Identity = None,
    identity_file: IdentityFile = None,
    propose: Propose = None,
    as_json: JsonOutput = False,
) -> None:
    """Records a renewed identification of a participant (its operator, or the regulator)."""
    with failures(as_json):
        platform = connect(rpc_url, deployment)
        expiry = parse_time(identity_expiry, "--identity-expiry", platform.queries.chain_time)
        ref = document_hash("identity", identity, identity_file)
        if propose is not None:  # the governed regulator's re-identification
            act = lambda c: c.update_identity(wallet, ref, expiry)  # noqa: E731
            write_proposal(platform, propose, as_json, f"identify {wallet} until {show_time(expiry)}", act)
            return
        # The operator's and the regulator's update are the same call; the contract checks who.
        receipt = platform.operator(key.unlock()).update_identity(wallet, ref, expiry)
        report(receipt, as_json, f"participant {wallet} identified until {show_time(expiry)}")


def _freeze(verb: str, help_text: str) -> None:
    @participant_app.command(verb, help=help_text)
    @signed
    def command(
        key: KeySource,
        wallet: Wallet,
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
            act = officer.freeze_participant if verb == "freeze" else officer.unfreeze_participant
            done = "frozen" if verb == "freeze" else "unfrozen"
            report(act(wallet, why), as_json, f"participant {wallet} {done}")


_freeze("freeze", "Freezes a whole account: it can neither send nor receive units (compliance officer).")
_freeze("unfreeze", "Unfreezes an account (compliance officer).")


@participant_app.command("show")
def show(wallet: Wallet, rpc_url: RpcUrl, deployment: DeploymentFile, as_json: JsonOutput = False) -> None:
    """Shows a participant and whether it may take part in circulation now; for a lost wallet, the
    wallet its participant went on under."""
    with failures(as_json):
        queries = connect(rpc_url, deployment).queries
        found, status = queries.participant(wallet), queries.participant_status(wallet)
        moved = queries.recovered_to(wallet)
        body = {**_plain(found), "status": status.name, "recovered_to": moved}
        emit(body, as_json, lambda _: _human(found, status, moved))


@participant_app.command("list")
def list_(
    operator: Annotated[str, typer.Option("--operator", help="The operator whose participants to list.")],
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    start: Start = 0,
    limit: Limit = 100,
    as_json: JsonOutput = False,
) -> None:
    """Lists the participants --operator identified, in order of registration, each with whether it
    may take part in circulation now; a lost wallet stays listed, with where its participant went."""
    with failures(as_json):
        queries = connect(rpc_url, deployment).queries
        page = [
            # Only a recovery deregisters a wallet of this list, so only those are asked where they went.
            (p, queries.participant_status(p.wallet), None if p.registered else queries.recovered_to(p.wallet))
            for p in queries.participants_of(operator, start, limit)
        ]
        rows = [{**_plain(p), "status": status.name, "recovered_to": moved} for p, status, moved in page]
        emit(rows, as_json, lambda _: _page(page, operator, start, queries.participant_count_of(operator)))


def _page(page: list[tuple[Participant, ParticipantStatus, str | None]], operator: str, start: int, total: int) -> str:
    if not page:
        return f"no participant of {operator} from position {start} ({total} identified)"
    lines = [
        f"{p.wallet}  {status.name:<24} "
        + (f"lost: recovered to {moved}" if moved else f"identified until {show_time(p.identity_expiry)}")
        for p, status, moved in page
    ]
    return "\n".join([*lines, f"participants {start + 1}-{start + len(page)} of {total} identified by {operator}"])


def _plain(p: Participant) -> dict[str, object]:
    return {
        "wallet": p.wallet,
        "registered": p.registered,
        "frozen": p.frozen,
        "identity_expiry": p.identity_expiry,
        "acknowledged_notice": p.acknowledged_notice,
        "identity_ref": "0x" + p.identity_ref.hex(),
        "operator": p.operator,
    }


def _human(p: Participant, status: ParticipantStatus, recovered_to: str | None) -> str:
    lost = [f"recovered to         {recovered_to} (this wallet is lost: it never deals again)"] if recovered_to else []
    return "\n".join(
        [
            f"wallet               {p.wallet}",
            *lost,
            f"status               {status.name}",
            f"registered           {p.registered}",
            f"frozen               {p.frozen}",
            f"identified until     {show_time(p.identity_expiry)}",
            f"acknowledged notice  {p.acknowledged_notice or 'none'}",
            f"identity record      0x{p.identity_ref.hex()}",
            f"identified by        {p.operator if p.registered else 'nobody'}",
        ]
    )
