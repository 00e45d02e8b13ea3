"""The auditor's view (Law art. 12, 5.1.7; R14): the platform's history replayed from the chain
alone, every rule checked at every step, the rebuilt state compared with the contracts' views.
Read-only; the gateway's own records play no part in it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from api.deps import Auditor, GatewayDep
from api.errors import CHAIN, Forbidden, InvalidArgument, Unauthenticated, problems
from api.openapi import GatewayRoute
from api.pagination import PAGINATED, PageDep
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
    breaches: list[dict[str, Any]] = Field(description="One page of the breaches found, in the order found.")
    breaches_total: int = Field(description="How many breaches the replay found in all.")


def _position(text: str) -> tuple[int, int]:
    """A cursor of the breaches: the block the report went to, and how many breaches came before."""
    block, _, seen = text.partition(":")
    position = int(block), int(seen)
    if min(position) < 0:
        raise ValueError("negative")
    return position


@router.get(
    "/audit",
    response_model=AuditSummary,
    summary="Replay the history from the chain and check every rule (auditors, the regulator)",
    description=(
        "The breaches are paginated: a next page replays the history to the same block as the first "
        "(its cursor says which), so the pages of one report fit together."
    ),
    responses={**PAGINATED, **problems(Unauthenticated, Forbidden, InvalidArgument, *CHAIN)},
)
def run_audit(
    caller: Auditor,
    gateway: GatewayDep,
    page: PageDep,
    response: Response,
    to_block: Annotated[
        int | None, Query(ge=0, le=2**63 - 1, description="Audit up to this block (default: the head).")
    ] = None,
) -> AuditSummary:
    after = page.key(_position)
    if after is not None:
        to_block = after[0]
    if to_block is not None:
        first, head = gateway.chain.deployment.deployment_block, int(rpc(lambda: gateway.chain.w3.eth.block_number))
        if not first <= to_block <= head:
            raise InvalidArgument(f"to_block must be from the deployment block {first} to the head {head}")
    report = audit(gateway.chain.platform, to_block=to_block)
    summary = report.to_dict(include_state=False)
    found: list[dict[str, Any]] = summary.pop("breaches")
    start = after[1] if after is not None else 0
    numbered = list(enumerate(found))[start : start + page.limit + 1]
    shown = page.answer(numbered, response, lambda item: f"{report.to_block}:{item[0] + 1}")
    return AuditSummary(**summary, breaches=[breach for _, breach in shown], breaches_total=len(found))
