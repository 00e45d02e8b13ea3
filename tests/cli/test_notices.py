"""`sdap notice ...`: the regulator's risk notice, acknowledged by a holder's own transaction or by
a signature its operator relays."""

from __future__ import annotations

from cli_support import Run
from world import World

from sdap.types import ParticipantStatus


def test_the_regulator_publishes_and_holders_acknowledge_directly_or_relayed(run: Run, world: World) -> None:
    q, b = world.queries, world.b.address
    refused = run.json("notice", "publish", "--content", "0x" + "77" * 32, "--uri", "https://x/2", as_="operator",
                       code=1)  # fmt: skip
    assert refused["error"]["type"] == "AccessControlUnauthorizedAccountError"
    published = run.json("notice", "publish", "--content", "0x" + "77" * 32, "--uri", "https://x/2", as_="regulator")
    assert published["version"] == 2 and run.json("notice", "show")["uri"] == "https://x/2"
    assert q.participant_status(b) is ParticipantStatus.NOTICE_NOT_ACKNOWLEDGED
    (run.cwd / "ack.json").write_text(run("notice", "acknowledge", "--sign-only", as_="b").stdout)
    run("notice", "relay", run.cwd / "ack.json", as_="operator")
    assert q.participant(b).acknowledged_notice == 2
    run("notice", "acknowledge", "--version", 2, as_="a")
    assert q.participant(world.a.address).acknowledged_notice == 2
