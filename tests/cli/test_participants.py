"""`sdap participant ...`: identified participants, registered and re-identified by their operator,
frozen by the compliance officer."""

from __future__ import annotations

from pathlib import Path

from cli_support import Run
from world import World

from sdap.documents import file_hash


def test_a_participant_is_shown_re_identified_frozen_and_unfrozen(run: Run, world: World) -> None:
    q, a = world.queries, world.a.address
    shown = run.json("participant", "show", a)
    assert shown["status"] == "ELIGIBLE" and shown["operator"] == world.operator.address
    assert f"identified by        {world.operator.address}" in run("participant", "show", a).stdout
    run("participant", "update", a, "--identity-file", __file__, "--identity-expiry", "2031-01-01", as_="operator")
    assert q.participant(a).identity_ref == file_hash(Path(__file__))
    run("participant", "freeze", a, "--reason", "0x" + "55" * 32, as_="compliance")
    assert "status               FROZEN" in run("participant", "show", a).stdout
    run("participant", "unfreeze", a, "--reason", "0x" + "56" * 32, as_="compliance")
    assert not q.participant(a).frozen
