"""`sdap balances`: a holder's units per issuance, with what is encumbered, frozen and available."""

from __future__ import annotations

from cli_support import Run
from world import World


def test_balances_show_encumbered_frozen_and_available_units(run: Run, world: World) -> None:
    a, b, iid = world.a.address, world.b.address, world.issuance
    run("freeze-units", iid, "--holder", a, "--amount", 30, "--reason", "0x" + "66" * 32, as_="compliance")
    run("encumber", iid, "--amount", 20, "--beneficiary", b, "--reference", "0x" + "aa" * 32, as_="a")
    assert run.json("balances", a)["holdings"] == [
        {"issuance_id": iid, "balance": 100, "encumbered": 20, "frozen": 30, "available": 50}
    ]
    assert "      20" in run("balances", a).stdout
