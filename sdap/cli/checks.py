"""`sdap check transfer|mint|redemption|offer`: whether a movement would pass now and, if not, the
first reason (the contract's own `checkTransfer`/`checkMint`/`checkRedemption` verdict, or the
exchange's `checkOffer`, which adds the asset's reason when a leg in units is refused). Exits 0 if
it would pass, 1 if not."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from sdap.cli import _panels as panels
from sdap.cli._common import EXIT_REFUSED, DeploymentFile, JsonOutput, RpcUrl, connect, emit, failures
from sdap.cli.app import app
from sdap.cli.offers import OfferFile, read_offer
from sdap.types import OfferRefusal, Refusal

check_app = typer.Typer(
    name="check",
    help="Would a transfer, a mint, a redemption request or taking an offer pass now? If not, why.",
    no_args_is_help=True,
)
app.add_typer(check_app, rich_help_panel=panels.READING)

IssuanceId = Annotated[int, typer.Argument(help="The issuance id.")]
To = Annotated[str, typer.Option("--to", help="The recipient's address.")]
Amount = Annotated[int, typer.Option("--amount", help="Number of units.")]


@check_app.command("transfer")
def transfer(
    issuance_id: IssuanceId,
    from_: Annotated[str, typer.Option("--from", help="The sender's address.")],
    to: To,
    amount: Amount,
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    as_json: JsonOutput = False,
) -> None:
    """Would a transfer of AMOUNT units from --from to --to pass now?"""
    with failures(as_json):
        refusal = connect(rpc_url, deployment).queries.check_transfer(from_, to, issuance_id, amount)
    _verdict(refusal, as_json)


@check_app.command("mint")
def mint(
    issuance_id: IssuanceId,
    to: To,
    amount: Amount,
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    as_json: JsonOutput = False,
) -> None:
    """Would a mint of AMOUNT units to --to pass now?"""
    with failures(as_json):
        refusal = connect(rpc_url, deployment).queries.check_mint(issuance_id, to, amount)
    _verdict(refusal, as_json)


@check_app.command("redemption")
def redemption(
    issuance_id: IssuanceId,
    holder: Annotated[str, typer.Option("--holder", help="The holder asking to redeem.")],
    amount: Amount,
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    as_json: JsonOutput = False,
) -> None:
    """Could --holder ask now to redeem AMOUNT units? (The permit and the coverage do not matter.)"""
    with failures(as_json):
        refusal = connect(rpc_url, deployment).queries.check_redemption(issuance_id, holder, amount)
    _verdict(refusal, as_json)


@check_app.command("offer")
def offer(
    file: OfferFile,
    taker: Annotated[str, typer.Option("--taker", help="Who would take it.")],
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    as_json: JsonOutput = False,
) -> None:
    """Could --taker take the signed offer in FILE now?

    A refused leg in units comes with the asset's own reason (as `sdap check transfer` gives it)."""
    with failures(as_json):
        platform = connect(rpc_url, deployment)
        refusal, leg = platform.queries.check_offer(read_offer(platform, file), taker)
    passes = refusal is OfferRefusal.NONE
    because = f" ({leg.name})" if leg is not Refusal.NONE else ""
    emit(
        {
            "passes": passes,
            "refusal": refusal.name,
            "code": int(refusal),
            "leg_refusal": leg.name,
            "leg_code": int(leg),
        },
        as_json,
        lambda _: "would pass" if passes else f"would be refused: {refusal.name}{because}",
    )
    if not passes:
        sys.exit(EXIT_REFUSED)


def _verdict(refusal: Refusal, as_json: bool) -> None:
    passes = refusal is Refusal.NONE
    emit(
        {"passes": passes, "refusal": refusal.name, "code": int(refusal)},
        as_json,
        lambda _: "would pass" if passes else f"would be refused: {refusal.name}",
    )
    if not passes:
        sys.exit(EXIT_REFUSED)
