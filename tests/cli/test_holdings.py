"""`sdap balances`: a holder's units per issuance, with what is encumbered, frozen, escrowed and available."""

from __future__ import annotations

from cli_support import Run
from world import World


def test_balances_show_encumbered_frozen_and_available_units(run: Run, world: World) -> None:
    a, b, iid = world.a.address, world.b.address, world.issuance
    run("freeze-units", iid, "--holder", a, "--amount", 30, "--reason", "0x" + "66" * 32, as_="compliance")
    run("encumber", iid, "--amount", 20, "--beneficiary", b, "--reference", "0x" + "aa" * 32, as_="a")
    assert run.json("balances", a)["holdings"] == [
        {"issuance_id": iid, "balance": 100, "encumbered": 20, "frozen": 30, "escrowed": 0, "available": 50}
    ]
    assert "      20" in run("balances", a).stdout
    # Units held for a buyer against an off-chain payment are out of what may move too.
    agent = world.accounts[12].address
    run("role", "grant", "settlement_agent", agent, as_="regulator")
    run("dvp", "open", iid, "--amount", 15, "--buyer", b, "--agent", agent, "--price", 1, "--deadline", "+1d", as_="a")
    [held] = run.json("balances", a)["holdings"]
    assert (held["escrowed"], held["available"]) == (15, 35)
    assert run("balances", a).stdout.splitlines()[0].split() == [
        "issuance", "balance", "encumbered", "frozen", "escrowed", "available"
    ]  # fmt: skip
