"""`sdap permit ...`: the regulator's acts on an operator's permit, and how it is shown."""

from __future__ import annotations

from cli_support import Run
from world import World

from sdap.types import PermitState


def test_a_permit_is_shown_renewed_suspended_reinstated_and_revoked(run: Run, world: World) -> None:
    q, operator = world.queries, world.operator.address
    shown = run.json("permit", "show", operator)
    assert shown["state"] == "ACTIVE" and shown["status"] == "GRANTED"
    assert "in force     ACTIVE (status GRANTED)" in run("permit", "show", operator).stdout
    run("permit", "renew", operator, "--until", "2040-01-01", "--document", "0x" + "11" * 32, as_="regulator")
    assert q.permit(operator).valid_until == 2208988800
    for verb, state in (("suspend", PermitState.SUSPENDED), ("reinstate", PermitState.ACTIVE),
                        ("revoke", PermitState.REVOKED)):  # fmt: skip
        done = run("permit", verb, operator, "--reason", "0x" + "22" * 32, as_="regulator")
        assert done.stdout.startswith(f"permit of {operator} {verb}")
        assert q.permit_state(operator) is state


def test_only_the_regulator_acts_on_a_permit(run: Run, world: World) -> None:
    operator = world.operator.address
    body = run.json("permit", "suspend", operator, "--reason", "0x" + "11" * 32, as_="operator", code=1)
    assert body["error"]["type"] == "AccessControlUnauthorizedAccountError"
    assert body["error"]["arguments"]["account"] == operator
