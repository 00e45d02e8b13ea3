"""`sdap issuer ...`: the state register of issuers, kept by the regulator."""

from __future__ import annotations

from cli_support import Run
from world import World

from sdap.types import IssuerStatus


def test_an_issuer_is_updated_suspended_and_shown(run: Run, world: World) -> None:
    q, issuer = world.queries, world.issuer.address
    run("issuer", "update", issuer, "--name", "Astana Grain JSC", "--business-id", "123456789012",
        "--jurisdiction", "KZ", "--details", "0x" + "33" * 32, as_="regulator")  # fmt: skip
    run("issuer", "status", issuer, "suspended", "--reason", "0x" + "44" * 32, as_="regulator")
    entry = run.json("issuer", "show", issuer)
    assert entry["legal_name"] == "Astana Grain JSC" and entry["status"] == "SUSPENDED"
    assert q.issuer(issuer).status is IssuerStatus.SUSPENDED
    run("issuer", "status", issuer, "ACTIVE", "--reason", "0x" + "45" * 32, as_="regulator")  # any case
    assert q.issuer(issuer).status is IssuerStatus.ACTIVE


def test_a_status_the_regulator_cannot_set_is_refused_before_sending(run: Run, world: World) -> None:
    refused = run("issuer", "status", world.issuer.address, "none", "--reason", "0x" + "44" * 32, as_="regulator",
                  code=2)  # fmt: skip
    assert "active, suspended or removed" in refused.output
