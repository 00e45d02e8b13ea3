"""The auditor's view (Law art. 12, 5.1.7; R14): the platform's history replayed from the chain
alone, every rule checked at every step, the rebuilt state compared with the contracts' views.
Read-only; the gateway's own records play no part in it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict

from api.deps import Auditor, GatewayDep
from api.errors import CHAIN, Forbidden, Unauthenticated, problems
from api.openapi import GatewayRoute
from sdap.audit import audit

router = APIRouter(tags=["audit"], route_class=GatewayRoute)


class AuditSummary(BaseModel):
    """`sdap.audit`'s report (without the rebuilt state): `ok` is no breach and a clean cross-check."""

    model_config = ConfigDict(extra="allow")

    ok: bool
    chain_id: int
    from_block: int
    to_block: int
    events: int
    digest: str
    breaches: list[dict[str, Any]]


@router.get(
    "/audit",
    response_model=AuditSummary,
    summary="Replay the history from the chain and check every rule (auditors, the regulator)",
    responses=problems(Unauthenticated, Forbidden, *CHAIN),
)
def run_audit(
    caller: Auditor,
    gateway: GatewayDep,
    to_block: Annotated[int | None, Query(ge=0, description="Audit up to this block (default: the head).")] = None,
) -> AuditSummary:
    report = audit(gateway.chain.platform, to_block=to_block)
    return AuditSummary(**report.to_dict(include_state=False))
