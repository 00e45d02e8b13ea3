"""`sdap role ...`: the registry's roles, administered by the regulator."""

from __future__ import annotations

from cli_support import Run
from world import World

from sdap.types import Role


def test_a_role_is_shown_revoked_and_granted(run: Run, world: World) -> None:
    q, operator = world.queries, world.operator.address
    assert run.json("role", "show", operator)["roles"] == ["operator"]
    run("role", "revoke", "operator", operator, as_="regulator")
    assert not q.has_role(Role.OPERATOR, operator)
    assert run("role", "show", operator).stdout.strip() == f"{operator}: no role"
    granted = run("role", "grant", "OPERATOR", operator, as_="regulator")  # the SDK's names, any case
    assert granted.stdout.startswith(f"operator role granted to {operator}")
    assert q.has_role(Role.OPERATOR, operator)


def test_an_unknown_role_is_refused(run: Run, world: World) -> None:
    refused = run("role", "grant", "auditor", world.operator.address, as_="regulator", code=2)
    assert "regulator, operator, verifier, compliance, supervisor or settlement_agent" in refused.output
