"""The /v1 routes, one module per area."""

from fastapi import APIRouter

from api.routes import (
    attestations,
    audit,
    auth,
    decisions,
    escrows,
    health,
    holders,
    issuances,
    offers,
    operators,
    participants,
    permits,
    problems,
    redemptions,
    registry,
)

router = APIRouter(prefix="/v1")
# Routes are matched in order, one by one: the busiest (mints, holders' transfers) come first.
for module in (
    issuances,
    holders,
    redemptions,
    offers,
    escrows,
    health,
    auth,
    permits,
    registry,
    operators,
    participants,
    attestations,
    decisions,
    audit,
    problems,
):
    router.include_router(module.router)

__all__ = ["router"]
