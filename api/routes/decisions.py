"""The decision-document watch (Law art. 7.1)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import GatewayDep, Supervisor
from api.errors import CHAIN, Forbidden, Unauthenticated, problems
from api.openapi import GatewayRoute
from api.schemas.common import hex32
from api.schemas.misc import DecisionCheck, DecisionReport
from api.services.decisions import WatchReport

router = APIRouter(prefix="/decisions", tags=["decisions"], route_class=GatewayRoute)


@router.get(
    "/watch",
    response_model=DecisionReport,
    summary="Whether every open issuance's decision is still published and unchanged",
    responses=problems(Unauthenticated, Forbidden, *CHAIN),
)
def watch(
    caller: Supervisor,
    gateway: GatewayDep,
    refresh: Annotated[bool, Query(description="Check now instead of returning the last periodic check.")] = False,
) -> DecisionReport:
    return report(
        gateway.decisions.run() if refresh or gateway.decisions.last.checked_at is None else gateway.decisions.last
    )


def report(value: WatchReport) -> DecisionReport:
    return DecisionReport(
        checked_at=value.checked_at,
        block_number=value.block_number,
        ok=value.ok,
        issuances=[
            DecisionCheck(
                issuance_id=s.issuance_id,
                decision_uri=s.decision_uri,
                decision_hash=hex32(s.decision_hash),
                status=s.status,  # type: ignore[arg-type]
                found_hash=None if s.found_hash is None else hex32(s.found_hash),
                detail=s.detail,
            )
            for s in value.issuances
        ],
    )
