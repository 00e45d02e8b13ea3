"""Operators' permits (Law art. 6.1-6.2): anyone reads them; the regulator grants, renews,
suspends, reinstates and revokes them. Whatever the state, the chain enforces it on every
issuance and movement."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from api.deps import GatewayDep, Idem, Regulator
from api.errors import CHAIN, WRITE, Forbidden, Unauthenticated, problems
from api.idempotency import blocking
from api.openapi import GatewayRoute
from api.schemas.common import Address, Reason, TxResult
from api.schemas.registry import Permit, PermitGrant, PermitRenewal

router = APIRouter(prefix="/permits", tags=["permits"], route_class=GatewayRoute)
AUTH = (Unauthenticated, Forbidden)


@router.get(
    "/{operator}",
    response_model=Permit,
    summary="An operator's permit and whether it is in force",
    responses=problems(*CHAIN),
)
def get_permit(operator: Address, gateway: GatewayDep) -> Permit:
    queries = gateway.chain.queries
    return Permit.of(queries.permit(operator), queries.permit_state(operator))


@router.post("", response_model=TxResult, status_code=201, summary="Grant a permit", responses=problems(*AUTH, *WRITE))
async def grant(body: PermitGrant, caller: Regulator, gateway: GatewayDep, idem: Idem) -> Response:
    return await idem.respond(
        caller,
        201,
        blocking(
            lambda op: TxResult.of(
                gateway.chain.regulator(caller.address, op).grant_permit(
                    body.operator, body.valid_from, body.valid_until, body.document_hash
                )
            )
        ),
    )


@router.post(
    "/{operator}/renewal", response_model=TxResult, summary="Move a permit's end", responses=problems(*AUTH, *WRITE)
)
async def renew(operator: Address, body: PermitRenewal, caller: Regulator, gateway: GatewayDep, idem: Idem) -> Response:
    return await idem.respond(
        caller,
        200,
        blocking(
            lambda op: TxResult.of(
                gateway.chain.regulator(caller.address, op).renew_permit(operator, body.valid_until, body.document_hash)
            )
        ),
    )


@router.post(
    "/{operator}/suspension", response_model=TxResult, summary="Suspend a permit", responses=problems(*AUTH, *WRITE)
)
async def suspend(operator: Address, body: Reason, caller: Regulator, gateway: GatewayDep, idem: Idem) -> Response:
    return await idem.respond(
        caller,
        200,
        blocking(
            lambda op: TxResult.of(
                gateway.chain.regulator(caller.address, op).suspend_permit(operator, body.reason_hash)
            )
        ),
    )


@router.post(
    "/{operator}/reinstatement", response_model=TxResult, summary="Lift a suspension", responses=problems(*AUTH, *WRITE)
)
async def reinstate(operator: Address, body: Reason, caller: Regulator, gateway: GatewayDep, idem: Idem) -> Response:
    return await idem.respond(
        caller,
        200,
        blocking(
            lambda op: TxResult.of(
                gateway.chain.regulator(caller.address, op).reinstate_permit(operator, body.reason_hash)
            )
        ),
    )


@router.post(
    "/{operator}/revocation", response_model=TxResult, summary="Revoke a permit", responses=problems(*AUTH, *WRITE)
)
async def revoke(operator: Address, body: Reason, caller: Regulator, gateway: GatewayDep, idem: Idem) -> Response:
    return await idem.respond(
        caller,
        200,
        blocking(
            lambda op: TxResult.of(
                gateway.chain.regulator(caller.address, op).revoke_permit(operator, body.reason_hash)
            )
        ),
    )
