"""A signed-in holder's own account and gasless transfers. A holder acts and reads only for the
wallet it signed in with: there is no address in these paths."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from api.deps import GatewayDep, Holder, Idem
from api.errors import CHAIN, RELAY, WRITE, Forbidden, Unauthenticated, problems
from api.idempotency import blocking
from api.openapi import GatewayRoute
from api.pagination import PAGINATED, PageDep, after_id
from api.schemas.common import Address, Amount, IssuanceId
from api.schemas.holders import Balance, Me, Movement, RelayedTransfer, SigningRequest, Transferred
from api.services.index import movement_position
from api.services.refusals import TRANSFER_ERRORS

router = APIRouter(tags=["holders"], route_class=GatewayRoute)
AUTH = (Unauthenticated, Forbidden)


@router.get(
    "/holders/me",
    response_model=Me,
    summary="The signed-in holder's participant status",
    responses=problems(*AUTH, *CHAIN),
)
def me(caller: Holder, gateway: GatewayDep) -> Me:
    return gateway.holders.me(caller.address)


@router.get(
    "/holders/me/balances",
    response_model=list[Balance],
    summary="The holder's balances, read from the chain, by issuance (paginated)",
    responses={**PAGINATED, **problems(*AUTH, *CHAIN)},
)
def balances(caller: Holder, gateway: GatewayDep, page: PageDep, response: Response) -> list[Balance]:
    found = gateway.holders.balances(caller.address, page.key(after_id) or 0, page.limit + 1)
    return page.answer(found, response, lambda b: str(b.issuance_id))


@router.get(
    "/holders/me/history",
    response_model=list[Movement],
    summary="The holder's movements, newest first (paginated)",
    responses={**PAGINATED, **problems(*AUTH, *CHAIN)},
)
def history(
    caller: Holder,
    gateway: GatewayDep,
    page: PageDep,
    response: Response,
    before_block: Annotated[
        int | None, Query(ge=0, le=2**63 - 1, description="Only movements before this block.")
    ] = None,
) -> list[Movement]:
    found = gateway.holders.history(caller.address, page.limit + 1, before_block, page.key(movement_position))
    return page.answer(found, response, lambda m: f"{m.block_number}.{m.log_index}.{m.item}")


@router.get(
    "/transfers/request",
    response_model=SigningRequest,
    tags=["transfers"],
    summary="The forward request the holder signs for a gasless transfer",
    responses=problems(*AUTH, *TRANSFER_ERRORS, *CHAIN),
)
def transfer_request(
    caller: Holder,
    gateway: GatewayDep,
    to: Annotated[Address, Query()],
    issuance_id: Annotated[IssuanceId, Query()],
    amount: Annotated[Amount, Query()],
) -> SigningRequest:
    return gateway.holders.transfer_request(caller.address, to, issuance_id, amount)


@router.post(
    "/transfers",
    response_model=Transferred,
    status_code=201,
    tags=["transfers"],
    summary="Relay the holder's signed transfer; answered once it is on-chain (Law art. 6.6)",
    responses=problems(*AUTH, *RELAY, *TRANSFER_ERRORS, *WRITE),
)
async def relay_transfer(body: RelayedTransfer, caller: Holder, gateway: GatewayDep, idem: Idem) -> Response:
    return await idem.respond(caller, 201, blocking(lambda op: gateway.holders.relay(caller.address, body, op)))
