"""`sdap balances ADDRESS`: what a holder holds of each issuance, and how much of it may move
(encumbered, frozen and escrowed units may not)."""

from __future__ import annotations

from typing import Annotated

import typer

from sdap.cli import _panels as panels
from sdap.cli._common import DeploymentFile, JsonOutput, RpcUrl, connect, emit, failures
from sdap.cli.app import app


@app.command("balances", rich_help_panel=panels.READING)
def balances(
    address: Annotated[str, typer.Argument(help="The holder's address.")],
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    issuance: Annotated[
        list[int] | None,
        typer.Option("--issuance", help="Only this issuance (repeatable) \\[default: every one held]."),
    ] = None,
    as_json: JsonOutput = False,
) -> None:
    """Shows ADDRESS's units of each issuance it holds: balance, encumbered, frozen, escrowed, free to move.

    Frozen units may exceed the balance (ERC-7943): units received later stay frozen."""
    with failures(as_json):
        queries = connect(rpc_url, deployment).queries
        ids = issuance or list(range(1, queries.issuance_count() + 1))
        held = queries.balances(address, ids)
        rows = [
            {
                "issuance_id": i,
                "balance": amount,
                "encumbered": queries.encumbered_units(i, address),
                "frozen": queries.frozen_units(i, address),
                "escrowed": queries.escrowed_units(i, address),
                "available": queries.available_units(i, address),
            }
            for i, amount in held.items()
            if amount or issuance
        ]
        emit({"holder": address, "holdings": rows}, as_json, lambda _: _table(address, rows))


def _table(address: str, rows: list[dict[str, int]]) -> str:
    if not rows:
        return f"{address} holds no units"
    columns = ("balance", "encumbered", "frozen", "escrowed", "available")
    lines = [f"{'issuance':>8}" + "".join(f" {c:>12}" for c in columns)]
    lines += [f"{r['issuance_id']:>8}" + "".join(f" {r[c]:>12}" for c in columns) for r in rows]
    return "\n".join(lines)
