"""The sections `sdap --help` lists commands under, in this order."""

from __future__ import annotations

import typer

SETUP = "Setting up: keys, deployment, roles and registers"
ISSUANCE = "Issuance and collateral"
UNITS = "Units: move, lock, freeze, redeem"
EXCHANGE = "Exchange: swaps and delivery against payment"
READING = "Reading the chain"

ORDER = (SETUP, ISSUANCE, UNITS, EXCHANGE, READING)


def arrange(app: typer.Typer) -> None:
    """Sorts the top-level commands by section. Typer lists sections in the order their first
    command was registered, and commands before groups; modules register in import order."""
    app.registered_commands.sort(key=lambda c: ORDER.index(c.rich_help_panel) if c.rich_help_panel in ORDER else -1)
