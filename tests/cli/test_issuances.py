"""`sdap issuance ...`: issuances listed and shown, paused by their operator or the regulator."""

from __future__ import annotations

from cli_support import Run
from world import World


def test_an_issuance_is_listed_paused_taken_over_by_the_regulator_and_unpaused(run: Run, world: World) -> None:
    iid = world.issuance
    rows = run.json("issuance", "list")
    assert [(r["id"], r["state"], r["total_supply"]) for r in rows] == [(iid, "open", 100)]
    run("issuance", "pause", iid, as_="operator")
    assert "state           paused by its operator" in run("issuance", "show", iid).stdout
    run("issuance", "pause", iid, as_="regulator")  # the regulator takes the pause over
    assert run.json("issuance", "show", iid)["paused_by"] == "regulator"
    assert "state           paused by the regulator" in run("issuance", "show", iid).stdout
    kept = run("issuance", "unpause", iid, as_="operator", code=1)
    assert kept.stderr == f"error: SecuredAsset_PausedByRegulator(id={iid})\n"
    run("issuance", "unpause", iid, as_="regulator")
    assert run.json("issuance", "show", iid)["paused_by"] is None
