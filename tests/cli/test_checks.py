"""`sdap check ...`: whether a transfer, a mint or a redemption request would pass now, and if not
the first reason."""

from __future__ import annotations

from cli_support import Run
from world import World


def test_a_check_says_would_pass_or_the_refusal(run: Run, world: World) -> None:
    a, b, iid = world.a.address, world.b.address, world.issuance
    assert run("check", "mint", iid, "--to", b, "--amount", 400).stdout == "would pass\n"
    assert run("check", "mint", iid, "--to", b, "--amount", 401, code=1).stdout == (
        "would be refused: COLLATERAL_INSUFFICIENT\n"
    )
    assert run.json("check", "transfer", iid, "--from", a, "--to", b, "--amount", 1) == {
        "passes": True, "refusal": "NONE", "code": 0,
    }  # fmt: skip
    run("issuance", "pause", iid, as_="operator")
    paused = run.json("check", "transfer", iid, "--from", a, "--to", b, "--amount", 1, code=1)
    assert paused["refusal"] == "ISSUANCE_PAUSED"


def test_a_redemption_check_ignores_the_permit_but_not_the_balance(run: Run, world: World) -> None:
    a, iid = world.a.address, world.issuance
    world.regulator.revoke_permit(world.operator.address, b"\x01" * 32)
    assert run("check", "redemption", iid, "--holder", a, "--amount", 100).stdout == "would pass\n"
    refused = run.json("check", "redemption", iid, "--holder", a, "--amount", 101, code=1)
    assert refused["refusal"] == "INSUFFICIENT_BALANCE"
