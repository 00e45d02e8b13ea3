"""`sdap check ...`: whether a transfer or a mint would pass now, and if not the first reason."""

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
