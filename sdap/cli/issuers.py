"""`sdap issuer ...`: the state register of issuers (Law art. 4.1.10), kept by the regulator."""

from __future__ import annotations

from typing import Annotated

import typer

from sdap.cli import _panels as panels
from sdap.cli._args import Details, DetailsFile, Limit, Reason, ReasonFile, Start, document_hash, named, names
from sdap.cli._common import DeploymentFile, JsonOutput, RpcUrl, connect, emit, failures
from sdap.cli._governed import Propose, regulator_act
from sdap.cli._keys import KeySource, signed
from sdap.cli._output import report
from sdap.cli.app import app
from sdap.types import Issuer, IssuerStatus

issuer_app = typer.Typer(name="issuer", help="The state register of issuers: register, update, status, show, list.",
                         no_args_is_help=True)  # fmt: skip
app.add_typer(issuer_app, rich_help_panel=panels.SETUP)

Wallet = Annotated[str, typer.Argument(help="The issuer's wallet address.")]
Name = Annotated[str, typer.Option("--name", help="Legal name.")]
BusinessId = Annotated[str, typer.Option("--business-id", help="Business identification number (BIN).")]
Jurisdiction = Annotated[str, typer.Option("--jurisdiction", help="Country of registration, e.g. KZ.")]


@issuer_app.command("register")
@signed
def register(
    key: KeySource,
    wallet: Wallet,
    name: Name,
    business_id: BusinessId,
    jurisdiction: Jurisdiction,
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    details: Details = None,
    details_file: DetailsFile = None,
    propose: Propose = None,
    as_json: JsonOutput = False,
) -> None:
    """Enters an issuer into the state register, active at once."""
    with failures(as_json):
        platform = connect(rpc_url, deployment)
        anchored = document_hash("details", details, details_file)
        done = f"issuer {wallet} ({name}) registered"
        act = lambda calls: calls.register_issuer(wallet, name, business_id, jurisdiction, anchored)  # noqa: E731
        receipt = regulator_act(platform, key, propose, as_json, done, act)
        if receipt is not None:
            report(receipt, as_json, done)


@issuer_app.command("update")
@signed
def update(
    key: KeySource,
    wallet: Wallet,
    name: Name,
    business_id: BusinessId,
    jurisdiction: Jurisdiction,
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    details: Details = None,
    details_file: DetailsFile = None,
    propose: Propose = None,
    as_json: JsonOutput = False,
) -> None:
    """Updates a registered issuer's details."""
    with failures(as_json):
        platform = connect(rpc_url, deployment)
        anchored = document_hash("details", details, details_file)
        done = f"issuer {wallet} updated"
        act = lambda calls: calls.update_issuer(wallet, name, business_id, jurisdiction, anchored)  # noqa: E731
        receipt = regulator_act(platform, key, propose, as_json, done, act)
        if receipt is not None:
            report(receipt, as_json, done)


#: What the regulator may set an issuer's entry to.
SETTABLE = (IssuerStatus.ACTIVE, IssuerStatus.SUSPENDED, IssuerStatus.REMOVED)


@issuer_app.command("status")
@signed
def status(
    key: KeySource,
    wallet: Wallet,
    new_status: Annotated[
        IssuerStatus,
        typer.Argument(metavar="STATUS", parser=named(*SETTABLE), show_choices=False, help=names(*SETTABLE) + "."),
    ],
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    reason: Reason = None,
    reason_file: ReasonFile = None,
    propose: Propose = None,
    as_json: JsonOutput = False,
) -> None:
    """Suspends, reactivates or removes a registered issuer (a removed one is not brought back)."""
    with failures(as_json):
        platform = connect(rpc_url, deployment)
        why = document_hash("reason", reason, reason_file)
        done = f"issuer {wallet} is now {new_status.name.lower()}"
        act = lambda calls: calls.set_issuer_status(wallet, new_status, why)  # noqa: E731
        receipt = regulator_act(platform, key, propose, as_json, done, act)
        if receipt is not None:
            report(receipt, as_json, done)


@issuer_app.command("show")
def show(wallet: Wallet, rpc_url: RpcUrl, deployment: DeploymentFile, as_json: JsonOutput = False) -> None:
    """Shows an issuer's entry in the register."""
    with failures(as_json):
        entry = connect(rpc_url, deployment).queries.issuer(wallet)
        emit(entry, as_json)
        if entry.status is IssuerStatus.NONE and not as_json:
            typer.echo("(not in the register)")


@issuer_app.command("list")
def list_(
    rpc_url: RpcUrl, deployment: DeploymentFile, start: Start = 0, limit: Limit = 100, as_json: JsonOutput = False
) -> None:
    """Lists the state register of issuers in order of registration, whatever each one's status
    (suspended and removed issuers stay on it), a page at a time."""
    with failures(as_json):
        queries = connect(rpc_url, deployment).queries
        page = queries.issuers(start, limit)
        emit(page, as_json, lambda _: _page(page, start, queries.issuer_count()))


def _page(page: list[Issuer], start: int, total: int) -> str:
    lines = [f"{i.wallet}  {i.status.name:<9}  {i.legal_name} (BIN {i.business_id}, {i.jurisdiction})" for i in page]
    if not page:
        return f"no issuer from position {start} ({total} in the register)"
    return "\n".join([*lines, f"issuers {start + 1}-{start + len(page)} of {total}"])
