"""The auditor's view (Law art. 12, 5.1.7; R14): the platform's history replayed from the chain
alone, every rule checked at every step, the rebuilt state compared with the contracts' views.
Read-only; the gateway's own records play no part in it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict

from api.deps import Auditor, GatewayDep
from api.errors import CHAIN, Forbidden, InvalidArgument, Unauthenticated, problems
from api.openapi import GatewayRoute
from sdap.audit import audit
from sdap.transactions import rpc

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
    responses=problems(Unauthenticated, Forbidden, InvalidArgument, *CHAIN),
)
def run_audit(
    caller: Auditor,
    gateway: GatewayDep,
    to_block: Annotated[
        int | None, Query(ge=0, le=2**63 - 1, description="Audit up to this block (default: the head).")
    ] = None,
) -> AuditSummary:
    if to_block is not None:
        first, head = gateway.chain.deployment.deployment_block, int(rpc(lambda: gateway.chain.w3.eth.block_number))
        if not first <= to_block <= head:
            raise InvalidArgument(f"to_block must be from the deployment block {first} to the head {head}")
    report = audit(gateway.chain.platform, to_block=to_block)
    return AuditSummary(**report.to_dict(include_state=False))
