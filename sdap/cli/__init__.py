"""The `sdap` command line. Each command group lives in its own module and registers itself on
`sdap.cli.app.app` when imported here."""

from __future__ import annotations

from sdap.cli import audit as _audit  # noqa: F401  (registers `sdap audit`)
from sdap.cli import (  # noqa: F401  (each registers its commands)
    checks,
    collateral,
    deploy,
    history,
    holdings,
    issuances,
    issuers,
    movements,
    notices,
    participants,
    permits,
    relaying,
    restrictions,
    roles,
    types_,
    wallet,
)
from sdap.cli import gateway as _gateway  # noqa: F401  (registers `sdap gateway`)
from sdap.cli._panels import arrange
from sdap.cli.app import app

arrange(app)


def main() -> None:
    app()


__all__ = ["app", "main"]
