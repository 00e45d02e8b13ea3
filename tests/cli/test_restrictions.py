"""`sdap freeze-units`, `unfreeze-units`, `encumber`, `encumbrance`, `release`, `enforce`: units
locked by the compliance officer or pledged by their holder."""

from __future__ import annotations

from cli_support import Run
from world import YEAR, World, chain_time, h


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


def test_a_recovered_beneficiary_releases_from_its_new_wallet_only(run: Run, world: World) -> None:
    a, b, new = world.a.address, world.b.address, world.accounts[11]
    pledge = world.a.encumber(world.issuance, 20, b, h("pledge")).id
    world.regulator.recover_participant(b, new.address, h("kyc"), chain_time(world.w3) + YEAR, h("order"))
    lost_key = run.json("release", pledge, as_="b", code=1)
    assert lost_key["error"]["type"] == "SecuredAssetNotBeneficiaryError"
    assert lost_key["error"]["arguments"] == {"encumbrance_id": pledge, "account": b}
    run("release", pledge, as_="new", env={"NEW_KEY": new.key.hex()})
    assert world.queries.encumbered_units(world.issuance, a) == 0
    help_text = " ".join(run("release", "--help", env={"COLUMNS": "200"}).stdout.split())
    assert "A beneficiary whose wallet was recovered releases from its new wallet" in help_text
