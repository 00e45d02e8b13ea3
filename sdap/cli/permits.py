"""`sdap permit ...`: the regulator's permits for operators (Law art. 6.1-6.2), and the register of
operators: every address ever granted a permit or given details, with its legal details."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer
from web3.contract.contract import ContractFunction

from sdap.cli import _panels as panels
from sdap.cli._args import (
    Document,
    DocumentFile,
    Limit,
    OperatorDetails,
    OperatorDetailsFile,
    Reason,
    ReasonFile,
    Start,
    document_hash,
    parse_time,
    show_time,
)
from sdap.cli._common import DeploymentFile, JsonOutput, RpcUrl, connect, emit, failures
from sdap.cli._governed import Propose, regulator_act
from sdap.cli._keys import KeySource, signed
from sdap.cli._output import report
from sdap.cli.app import app
from sdap.clients import RegulatorCalls
from sdap.types import Operator as RegisteredOperator
from sdap.types import Permit, PermitState

permit_app = typer.Typer(
    name="permit",
    help="Operators' permits and the register of operators: grant, renew, suspend, reinstate, revoke, details, "
    "show, list.",
    no_args_is_help=True,
)
app.add_typer(permit_app, rich_help_panel=panels.SETUP)

Operator = Annotated[str, typer.Argument(help="The operator's address.")]
Until = Annotated[
    str, typer.Option("--until", help="End of validity (excluded): unix seconds, 2030-01-31, or +365d from now.")
]


@permit_app.command("grant")
@signed
def grant(
    key: KeySource,
    operator: Operator,
    until: Until,
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    valid_from: Annotated[
        str, typer.Option("--from", help="Start of validity \\[default: at once].", show_default=False)
    ] = "0",
    document: Document = None,
    document_file: DocumentFile = None,
    propose: Propose = None,
    as_json: JsonOutput = False,
) -> None:
    """Grants OPERATOR a permit for issuance and circulation, in force from --from until --until."""
    with failures(as_json):
        platform = connect(rpc_url, deployment)
        now = platform.queries.chain_time
        start, end = parse_time(valid_from, "--from", now), parse_time(until, "--until", now)
        doc = document_hash("document", document, document_file)
        done = f"permit granted to {operator} until {show_time(end)}"
        act = lambda calls: calls.grant_permit(operator, start, end, doc)  # noqa: E731
        receipt = regulator_act(platform, key, propose, as_json, done, act)
        if receipt is not None:
            report(receipt, as_json, done)


@permit_app.command("renew")
@signed
def renew(
    key: KeySource,
    operator: Operator,
    until: Until,
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    document: Document = None,
    document_file: DocumentFile = None,
    propose: Propose = None,
    as_json: JsonOutput = False,
) -> None:
    """Moves the end of OPERATOR's permit to --until, under a new permit document."""
    with failures(as_json):
        platform = connect(rpc_url, deployment)
        end = parse_time(until, "--until", platform.queries.chain_time)
        doc = document_hash("document", document, document_file)
        done = f"permit of {operator} renewed until {show_time(end)}"
        act = lambda calls: calls.renew_permit(operator, end, doc)  # noqa: E731
        receipt = regulator_act(platform, key, propose, as_json, done, act)
        if receipt is not None:
            report(receipt, as_json, done)


def _act(verb: str, done: str, help_text: str, build: Callable[[RegulatorCalls, str, bytes], ContractFunction]) -> None:
    """Registers `sdap permit VERB`: one regulator act on a permit, with the reason behind it."""

    @permit_app.command(verb, help=help_text)
    @signed
    def command(
        key: KeySource,
        operator: Operator,
        rpc_url: RpcUrl,
        deployment: DeploymentFile,
        reason: Reason = None,
        reason_file: ReasonFile = None,
        propose: Propose = None,
        as_json: JsonOutput = False,
    ) -> None:
        with failures(as_json):
            platform = connect(rpc_url, deployment)
            why = document_hash("reason", reason, reason_file)
            summary = f"permit of {operator} {done}"
            receipt = regulator_act(platform, key, propose, as_json, summary, lambda c: build(c, operator, why))
            if receipt is not None:
                report(receipt, as_json, summary)


_act("suspend", "suspended", "Suspends OPERATOR's permit: every issuance of the operator stops at once.",
     RegulatorCalls.suspend_permit)  # fmt: skip
_act("reinstate", "reinstated", "Reinstates OPERATOR's suspended permit.", RegulatorCalls.reinstate_permit)
_act("revoke", "revoked", "Revokes OPERATOR's permit for good.", RegulatorCalls.revoke_permit)


@permit_app.command("details")
@signed
def details(
    key: KeySource,
    operator: Operator,
    name: Annotated[str, typer.Option("--name", help="The operator's legal name.")],
    business_id: Annotated[str, typer.Option("--business-id", help="Business identification number (BIN).")],
    jurisdiction: Annotated[str, typer.Option("--jurisdiction", help="Country of registration, e.g. KZ.")],
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    details: OperatorDetails = None,
    details_file: OperatorDetailsFile = None,
    propose: Propose = None,
    as_json: JsonOutput = False,
) -> None:
    """Records OPERATOR's legal details in the register of operators (the regulator), before or after
    its permit; given again, corrects them. All are needed."""
    with failures(as_json):
        platform = connect(rpc_url, deployment)
        anchored = document_hash("details", details, details_file)
        done = f"details of operator {operator} ({name}) recorded"
        act = lambda calls: calls.record_operator_details(operator, name, business_id, jurisdiction, anchored)  # noqa: E731
        receipt = regulator_act(platform, key, propose, as_json, done, act)
        if receipt is not None:
            report(receipt, as_json, done)


@permit_app.command("list")
def list_(
    rpc_url: RpcUrl, deployment: DeploymentFile, start: Start = 0, limit: Limit = 100, as_json: JsonOutput = False
) -> None:
    """Lists the register of operators: every address ever granted a permit or given details, in the
    order it first was, with its permit, whether that permit is in force now, and its legal details."""
    with failures(as_json):
        queries = connect(rpc_url, deployment).queries
        page = queries.operators(start, limit)
        rows = [_entry(o) for o in page]
        emit(rows, as_json, lambda _: _page(page, start, queries.operator_count()))


@permit_app.command("show")
def show(operator: Operator, rpc_url: RpcUrl, deployment: DeploymentFile, as_json: JsonOutput = False) -> None:
    """Shows OPERATOR's permit and whether it is in force now."""
    with failures(as_json):
        queries = connect(rpc_url, deployment).queries
        permit, state = queries.permit(operator), queries.permit_state(operator)
        emit({**_permit(permit), "state": state.name}, as_json, lambda _: _human(permit, state))


def _permit(p: Permit) -> dict[str, object]:
    return {
        "operator": p.operator,
        "status": p.status.name,
        "valid_from": p.valid_from,
        "valid_until": p.valid_until,
        "document_hash": "0x" + p.document_hash.hex(),
    }


def _human(p: Permit, state: PermitState) -> str:
    return "\n".join(
        [
            f"operator     {p.operator}",
            f"in force     {state.name} (status {p.status.name})",
            f"valid from   {show_time(p.valid_from, zero='the start')}",
            f"valid until  {show_time(p.valid_until)}",
            f"document     0x{p.document_hash.hex()}",
        ]
    )


def _entry(o: RegisteredOperator) -> dict[str, object]:
    return {
        **_permit(o.permit),
        "state": o.permit_state.name,
        "legal_name": o.details.legal_name,
        "business_id": o.details.business_id,
        "jurisdiction": o.details.jurisdiction,
        "details_hash": "0x" + o.details.details_hash.hex(),
    }


def _page(page: list[RegisteredOperator], start: int, total: int) -> str:
    if not page:
        return f"no operator from position {start} ({total} in the register)"
    lines = [
        f"{o.address}  {o.permit_state.name:<13} {_term(o):<40} "
        + (f"{o.details.legal_name} (BIN {o.details.business_id}, {o.details.jurisdiction})"
           if o.details.recorded else "(no details recorded)")
        for o in page
    ]  # fmt: skip
    return "\n".join([*lines, f"operators {start + 1}-{start + len(page)} of {total}"])


def _term(o: RegisteredOperator) -> str:
    # An address given details before any permit has no term: "until none" read as a permit without end.
    return "no permit granted" if o.permit_state is PermitState.NONE else f"until {show_time(o.permit.valid_until)}"
