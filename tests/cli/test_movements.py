"""`sdap mint`, `approve`, `transfer`, `redeem`, `forced-transfer`: units issued and moved."""

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


def test_the_issuer_redeems_units_of_a_holder(run: Run, world: World) -> None:
    q, a, iid = world.queries, world.a.address, world.issuance
    # Acting for a holder, the issuer must be an eligible participant itself.
    world.operator.register_participant(world.issuer.address, b"\x01" * 32, world.queries.chain_time() + 86_400)
    run("notice", "acknowledge", as_="issuer")
    run("approve", world.issuer.address, as_="a")
    redeemed = run("redeem", iid, "--amount", 70, "--holder", a, "--fulfilment", "0x" + "bb" * 32, as_="issuer")
    assert redeemed.stdout.startswith(f"redeemed 70 units of issuance {iid} held by {a}")
    assert q.balance_of(a, iid) == 30


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
    assert forced["events"][0]["name"] == "ForcedTransfer" and forced["events"][0]["args"]["unfrozen"] == 10
    assert q.balance_of(b, iid) == 90
