"""The decision-document watch (Law art. 7.1)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from api.deps import DecisionWatcher, GatewayDep
from api.errors import CHAIN, Forbidden, Unauthenticated, problems
from api.openapi import GatewayRoute
from api.pagination import PAGINATED, PageDep, after_id
from api.schemas.common import hex32
from api.schemas.misc import DecisionCheck, DecisionReport
from api.services.decisions import WatchReport

router = APIRouter(prefix="/decisions", tags=["decisions"], route_class=GatewayRoute)


@router.get(
    "/watch",
    response_model=DecisionReport,
    summary="Whether every open issuance's decision is still published and unchanged (issuances paginated)",
    description="`ok` is the verdict on every open issuance; `issuances` is one page of them, by id.",
    responses={**PAGINATED, **problems(Unauthenticated, Forbidden, *CHAIN)},
)
def watch(
    caller: DecisionWatcher,
    gateway: GatewayDep,
    page: PageDep,
    response: Response,
    refresh: Annotated[bool, Query(description="Check now instead of returning the last periodic check.")] = False,
) -> DecisionReport:
    whole = report(
        gateway.decisions.run() if refresh or gateway.decisions.last.checked_at is None else gateway.decisions.last
    )
    after = page.key(after_id) or 0
    later = [c for c in whole.issuances if c.issuance_id > after][: page.limit + 1]
    return whole.model_copy(update={"issuances": page.answer(later, response, lambda c: str(c.issuance_id))})


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
