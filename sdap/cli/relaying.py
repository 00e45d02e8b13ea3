"""Gasless movements (ERC-2771, the HolderForwarder): a holder signs a transfer, an encumbrance, a
redemption request, a take or cancellation of an offer, or an escrow with `--sign-only` (`sdap
transfer`, `sdap encumber`, `sdap redemption request`, `sdap offer take|cancel`, `sdap dvp open`)
and an operator sends it with `sdap relay FILE`, paying its gas. The asset (or the exchange)
records the holder as the one who acted, and checks it exactly as if the holder had sent the
transaction itself."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sdap.cli import _panels as panels
from sdap.cli._args import read_signed
from sdap.cli._common import DeploymentFile, JsonOutput, RpcUrl, connect, failures
from sdap.cli._keys import KeySource, signed
from sdap.cli._output import report
from sdap.cli.app import app
from sdap.types import ForwardRequest

SignOnly = Annotated[
    bool,
    typer.Option("--sign-only", help="Print the signed request as JSON for an operator to relay; send nothing."),
]

#: The fields of a signed request file, as `--sign-only` writes them (sdap.types.ForwardRequest).
_REQUEST_FIELDS = ("from_", "to", "value", "gas", "nonce", "deadline", "data")


@app.command("relay", rich_help_panel=panels.UNITS)
@signed
def relay(
    key: KeySource,
    file: Annotated[
        Path,
        typer.Argument(help="A request a holder signed (`--sign-only` of a movement, offer or escrow); - stdin."),
    ],
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    as_json: JsonOutput = False,
) -> None:
    """Sends a holder's signed request (a movement, an offer, an escrow), paying its gas (operator)."""
    with failures(as_json):
        platform = connect(rpc_url, deployment)
        fields, signature = read_signed(file, "request", _REQUEST_FIELDS)
        forward = ForwardRequest(**fields)
        receipt = platform.operator(key.unlock()).relay(forward, signature)
        # What the request created, by the id `sdap encumber` and `sdap redemption request` print.
        encumbered = receipt.events_named("Encumbered")
        requested = receipt.events_named("RedemptionRequested")
        created = {"encumbrance_id": encumbered[0].args["encumbranceId"]} if encumbered else {}
        created |= {"request_id": requested[0].args["requestId"]} if requested else {}
        # And the exchange's: the offer taken, the escrow opened.
        taken, escrowed = receipt.events_named("OfferTaken"), receipt.events_named("EscrowOpened")
        created |= {"offer_hash": taken[0].args["offerHash"]} if taken else {}
        created |= {"escrow_id": escrowed[0].args["escrowId"]} if escrowed else {}
        report(receipt, as_json, f"request {forward.nonce} of {forward.from_} relayed", **created)
