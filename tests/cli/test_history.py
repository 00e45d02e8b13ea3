"""`sdap history`: the platform's events about an address or an issuance, in order."""

from __future__ import annotations

from cli_support import Run
from world import World


def test_history_by_address_and_by_issuance(run: Run, world: World) -> None:
    a, c, iid = world.a.address, world.c.address, world.issuance
    run("transfer", iid, "--to", c, "--amount", 10, as_="a")
    events = run.json("history", "--address", c)
    assert [e["name"] for e in events] == ["ParticipantRegistered", "RiskNoticeAcknowledged", "TransferSingle"]
    assert events[-1]["args"]["from"] == a
    assert "TransferSingle" in run("history", "--issuance", iid, "--from-block", events[-1]["block_number"]).stdout
