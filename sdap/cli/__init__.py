"""The `sdap` command line. Each command group lives in its own module and registers itself on
`sdap.cli.app.app` when imported here."""

from __future__ import annotations

from sdap.cli.app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
