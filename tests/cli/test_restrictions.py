"""`sdap freeze-units`, `unfreeze-units`, `encumber`, `encumbrance`, `release`, `enforce`: units
locked by the compliance officer or pledged by their holder."""

from __future__ import annotations

from cli_support import Run
from world import World


def test_units_are_frozen_and_unfrozen_by_the_compliance_officer(run: Run, world: World) -> None:
    q, a, iid = world.queries, world.a.address, world.issuance
    run("freeze-units", iid, "--holder", a, "--amount", 30, "--reason", "0x" + "66" * 32, as_="compliance")
    assert q.frozen_units(iid, a) == 30
    run("unfreeze-units", iid, "--holder", a, "--amount", 10, "--reason", "0x" + "67" * 32, as_="compliance")
    assert q.frozen_units(iid, a) == 20


def test_an_encumbrance_is_made_shown_and_enforced(run: Run, world: World) -> None:
    q, a, b, iid = world.queries, world.a.address, world.b.address, world.issuance
    pledge = run.json("encumber", iid, "--amount", 20, "--beneficiary", b, "--reference", "0x" + "aa" * 32,
                      "--expiry", "2035-06-30", as_="a")["encumbrance_id"]  # fmt: skip
    shown = run("encumbrance", pledge).stdout
    assert f"encumbrance {pledge}: 20 units of issuance {iid} (active)" in shown and "2035-06-30" in shown
    assert q.encumbered_units(iid, a) == 20
    run("enforce", pledge, "--reference", "0x" + "ab" * 32, as_="operator")
    assert q.balance_of(b, iid) == 20 and not q.encumbrance(pledge).active
