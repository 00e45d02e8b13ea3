"""`sdap redemption ...`: redemption has two sides (Rules item 2.3). A holder asks (`request`): its
units leave its wallet for the asset's own custody, still counted in the supply. The issuer answers:
`confirm` once it has delivered what the units certify (they are burnt), or `refuse` with a reason
(they go back to the holder's wallet, its new one if it was recovered meanwhile); the regulator may
refuse by order when the issuer cannot answer. `list` and `show` read the requests."""

from __future__ import annotations

from typing import Annotated

import typer

from sdap.cli import _panels as panels
from sdap.cli._args import named, names, text_hash
from sdap.cli._common import DeploymentFile, JsonOutput, RpcUrl, connect, emit, failures, jsonable
from sdap.cli._governed import Propose, write_proposal
from sdap.cli._keys import KeySource, signed
from sdap.cli._output import report
from sdap.cli.app import app
from sdap.cli.relaying import SignOnly
from sdap.errors import InvalidArgument
from sdap.types import RedemptionRequest, RedemptionState

redemption_app = typer.Typer(
    name="redemption",
    no_args_is_help=True,
    help="Redemption, asked by a holder and answered by the issuer: request, confirm, refuse, list, show.",
)
app.add_typer(redemption_app, rich_help_panel=panels.UNITS)

RequestId = Annotated[int, typer.Argument(help="The redemption request's id (`sdap redemption list`).")]
_TEXT = "0x and 64 hex digits as anchored, or any text, anchored by its sha256"
#: The states a request can be listed by (NONE is no request).
_STATES = (RedemptionState.REQUESTED, RedemptionState.CONFIRMED, RedemptionState.REFUSED)


@redemption_app.command("request")
@signed
def request(
    key: KeySource,
    issuance_id: Annotated[int, typer.Argument(help="The issuance whose units are redeemed.")],
    amount: Annotated[int, typer.Option("--amount", help="Number of units to redeem.")],
    ref: Annotated[str, typer.Option("--ref", help=f"Where and how to deliver ({_TEXT}).")],
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    sign_only: SignOnly = False,
    as_json: JsonOutput = False,
) -> None:
    """Asks the issuer to redeem the signing holder's units; prints the request id.

    The units move into the asset's custody until the issuer confirms delivery or refuses.
    Allowed while the issuance is under-collateralised and whatever its operator's permit:
    a holder can always claim what its units certify. A pause, a closed issuance, the holder's
    own ineligibility and encumbered or frozen units stop it.
    With --sign-only, prints the request signed for an operator to send with `sdap relay FILE`."""
    with failures(as_json):
        holder = connect(rpc_url, deployment).holder(key.unlock())
        fulfilment_ref = text_hash("--ref", ref)
        if sign_only:
            emit(holder.sign_redemption_request(issuance_id, amount, fulfilment_ref), as_json=True)
            return
        created = holder.request_redemption(issuance_id, amount, fulfilment_ref)
        summary = (
            f"redemption {created.id} requested: {amount} units of issuance {issuance_id} from {holder.address}, "
            "in the asset's custody until the issuer confirms delivery or refuses"
        )
        report(created.receipt, as_json, summary, request_id=created.id)


@redemption_app.command("confirm")
@signed
def confirm(
    key: KeySource,
    request_id: RequestId,
    delivery: Annotated[str, typer.Option("--delivery", help=f"The record of the delivery made ({_TEXT}).")],
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    as_json: JsonOutput = False,
) -> None:
    """Confirms that the issuer delivered what a request's units certify (the issuance's issuer).

    The units in custody are burnt: the supply falls by the amount redeemed."""
    with failures(as_json):
        issuer = connect(rpc_url, deployment).issuer(key.unlock())
        receipt = issuer.confirm_redemption(request_id, text_hash("--delivery", delivery))
        report(receipt, as_json, f"redemption {request_id} confirmed: its units are burnt", request_id=request_id)


@redemption_app.command("refuse")
@signed
def refuse(
    key: KeySource,
    request_id: RequestId,
    reason: Annotated[str, typer.Option("--reason", help=f"The reasoned refusal or order ({_TEXT}).")],
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    propose: Propose = None,
    as_json: JsonOutput = False,
) -> None:
    """Refuses a pending request (the issuance's issuer, or the regulator by order).

    The units go back to the holder's wallet at once, or to its new wallet if it was recovered."""
    with failures(as_json):
        platform = connect(rpc_url, deployment)
        if propose is not None:  # the governed regulator's order
            act = lambda c: c.refuse_redemption(request_id, text_hash("--reason", reason))  # noqa: E731
            write_proposal(platform, propose, as_json, f"refuse redemption {request_id} by order", act)
            return
        # The issuer's and the regulator's refusal are the same call; the contract checks who.
        receipt = platform.issuer(key.unlock()).refuse_redemption(request_id, text_hash("--reason", reason))
        returned = receipt.event("RedemptionRefused")["returnedTo"]
        report(receipt, as_json, f"redemption {request_id} refused: its units went back to {returned}",
               request_id=request_id, returned_to=returned)  # fmt: skip


@redemption_app.command("list")
def list_(
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    issuance: Annotated[int | None, typer.Option("--issuance", help="Only the requests of this issuance.")] = None,
    state: Annotated[
        RedemptionState | None,
        typer.Option(
            "--state",
            parser=named(*_STATES),
            metavar="STATE",
            show_choices=False,
            help=f"Only the requests {names(*_STATES)}.",
        ),
    ] = None,
    holder: Annotated[str | None, typer.Option("--holder", help="Only the requests of this holder.")] = None,
    after: Annotated[int, typer.Option("--after", help="Only ids above this one (the last of the previous page).")] = 0,
    limit: Annotated[int, typer.Option("--limit", help="At most this many requests.")] = 100,
    as_json: JsonOutput = False,
) -> None:
    """Lists redemption requests in id order: an issuer's queue is `--issuance ID --state requested`."""
    with failures(as_json):
        queries = connect(rpc_url, deployment).queries
        page = queries.redemption_requests(issuance_id=issuance, holder=holder, state=state, after=after, limit=limit)
        more = f"\n(the page is full: the next one starts with --after {page[-1].id})" if len(page) == limit else ""
        emit(page, as_json, lambda _: "\n".join(_row(r) for r in page) + more if page else "no redemption request")


@redemption_app.command("show")
def show(request_id: RequestId, rpc_url: RpcUrl, deployment: DeploymentFile, as_json: JsonOutput = False) -> None:
    """Shows a redemption request: its issuance, holder, units and where it stands."""
    with failures(as_json):
        found = connect(rpc_url, deployment).queries.redemption_request(request_id)
        if found.state is RedemptionState.NONE:
            raise InvalidArgument(f"there is no redemption request {request_id}")
        emit(found, as_json, _details)


_WHERE = {
    RedemptionState.REQUESTED: "waiting for the issuer; the units are in the asset's custody",
    RedemptionState.CONFIRMED: "delivered; the units are burnt",
    RedemptionState.REFUSED: "refused; the units went back to the holder",
}


def _row(r: RedemptionRequest) -> str:
    return (
        f"{r.id:>5}  {r.state.name.lower():<9}  issuance {r.issuance_id}  {r.amount} units  holder {r.holder}  "
        f"ref {jsonable(r.fulfilment_ref)}"
    )


def _details(r: RedemptionRequest) -> str:
    return "\n".join([
        f"redemption {r.id}: {r.amount} units of issuance {r.issuance_id}",
        f"  state      {r.state.name.lower()} ({_WHERE[r.state]})",
        f"  holder     {r.holder}",
        f"  ref        {jsonable(r.fulfilment_ref)}",
    ])  # fmt: skip
