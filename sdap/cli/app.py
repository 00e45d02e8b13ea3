"""The `sdap` command line: the root Typer app every command group registers on."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="sdap",
    help="SDAP: issue, circulate and audit secured digital assets on a permissioned chain.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,  # never print locals (keys, passwords) in a traceback
    add_completion=False,
)
