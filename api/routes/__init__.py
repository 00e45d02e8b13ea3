"""The /v1 routes, one module per area."""

from fastapi import APIRouter

from api.routes import audit, auth, decisions, health, holders, issuances, participants, permits, problems, registry

router = APIRouter(prefix="/v1")
for module in (health, auth, permits, registry, participants, issuances, holders, decisions, audit, problems):
    router.include_router(module.router)

__all__ = ["router"]
