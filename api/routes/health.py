"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import JSONResponse

from api.deps import GatewayDep
from api.errors import problems
from api.openapi import GatewayRoute
from api.schemas.misc import Health, Readiness

router = APIRouter(tags=["health"], route_class=GatewayRoute)


@router.get("/health", response_model=Health, summary="The process is up")
def health() -> Health:
    return Health(status="ok")


@router.get(
    "/ready",
    response_model=Readiness,
    summary="Chain reachable, deployment found, signer unlocked, database answering",
    responses={503: {"model": Readiness, "description": "Not ready: the body says what is missing."}, **problems()},
)
def ready(gateway: GatewayDep) -> JSONResponse:
    state = gateway.chain.readiness()
    try:
        gateway.db.ping()
        database = True
    except Exception:  # noqa: BLE001 - any failure means not ready
        database = False
    body = Readiness(
        ready=state.ready and database,
        chain_reachable=state.chain_reachable,
        deployment_found=state.deployment_found,
        signer_unlocked=state.signer_unlocked,
        database=database,
        chain_id=state.chain_id,
        block_number=state.block_number,
        operator=gateway.chain.operator_address,
        detail=state.detail if database else "the database does not answer",
    )
    return JSONResponse(body.model_dump(), status_code=200 if body.ready else 503)
