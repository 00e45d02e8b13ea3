"""`sdap mint`, `approve`, `transfer`, `forced-transfer`: units issued and moved (redemption:
test_redemption.py)."""

from __future__ import annotations

from cli_support import Run
from world import World


def test_an_approved_operator_transfers_for_the_holder(run: Run, world: World) -> None:
    q, a, b, c, iid = world.queries, world.a.address, world.b.address, world.c.address, world.issuance
    run("approve", b, as_="a")
    moved = run("transfer", iid, "--from", a, "--to", c, "--amount", 10, as_="b")
    assert moved.stdout.startswith(f"transferred 10 units of issuance {iid} from {a} to {c}")
    run("approve", b, "--revoke", as_="a")
    assert not q.is_approved_for_all(a, b)


def test_a_mint_beyond_the_collateral_is_refused_with_the_contracts_reason(run: Run, world: World) -> None:
    q, iid = world.queries, world.issuance
    run("mint", iid, "--to", world.b.address, "--amount", 400, as_="operator")
    assert q.balance_of(world.b.address, iid) == 400
    refused = run("mint", iid, "--to", world.a.address, "--amount", 1, as_="operator", code=1)
    assert refused.stderr == f"error: SecuredAsset_CollateralInsufficient(id={iid}, covered=500, supply_after=501)\n"


def test_a_forced_transfer_moves_frozen_units_by_order(run: Run, world: World) -> None:
    q, a, b, iid = world.queries, world.a.address, world.b.address, world.issuance
    run("freeze-units", iid, "--holder", a, "--amount", 20, "--reason", "0x" + "66" * 32, as_="compliance")
    forced = run.json("forced-transfer", iid, "--from", a, "--to", b, "--amount", 90, "--order", "0x" + "88" * 32,
                      as_="regulator")  # fmt: skip
    assert forced["events"][0]["name"] == "TransferOrdered" and forced["events"][0]["args"]["unfrozen"] == 10
    assert q.balance_of(b, iid) == 90
