"""The `sdap` command line. Each command group lives in its own module and registers itself on
`sdap.cli.app.app` when imported here. The options and output every command shares are public, so
another command line (the gateway's `sdap-gateway`) reads and prints the same way."""

from __future__ import annotations

from sdap.cli import audit as _audit  # noqa: F401  (registers `sdap audit`)
from sdap.cli import (  # noqa: F401  (each registers its commands)
    checks,
    collateral,
    consent,
    deploy,
    dvp,
    history,
    holdings,
    issuances,
    issuers,
    movements,
    notices,
    offers,
    participants,
    payment_tokens,
    permits,
    proposals,
    recovery,
    redemption,
    relaying,
    restrictions,
    roles,
    types_,
    wallet,
)
from sdap.cli._common import DeploymentFile, JsonOutput, RpcUrl, emit, failures, jsonable
from sdap.cli._panels import arrange
from sdap.cli.app import app

arrange(app)


def main() -> None:
    app()


__all__ = ["DeploymentFile", "JsonOutput", "RpcUrl", "app", "emit", "failures", "jsonable", "main"]
