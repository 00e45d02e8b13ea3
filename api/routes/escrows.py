"""Escrows (issue 15): delivery against a payment made off-chain. A signed-in holder (the seller)
opens one by a forward request the operator relays; the named settlement agent confirms the
payment with its API key (sent with its own key); anyone signed in has an expired one lapse;
anyone reads them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from api.deps import AnyRole, GatewayDep, Holder, Idem, Regulator, SettlementAgent
from api.errors import (
    CHAIN,
    RELAY,
    WRITE,
    EscrowNotFound,
    Forbidden,
    Unauthenticated,
    problems,
)
from api.idempotency import blocking
from api.openapi import GatewayRoute
from api.pagination import PAGINATED, PageDep, after_id
from api.schemas.common import Address, IssuanceId
from api.schemas.escrows import (
    EscrowCancelled,
    EscrowId,
    EscrowLapsed,
    EscrowOpened,
    EscrowOrder,
    EscrowSettled,
    EscrowStateName,
    EscrowTerms,
    EscrowView,
    PaymentConfirmation,
    RelayedEscrow,
)
from api.schemas.holders import SigningRequest
from api.services.escrows import CANCEL_ERRORS, CONFIRM_ERRORS, LAPSE_ERRORS, OPEN_ERRORS
from sdap.types import EscrowState

router = APIRouter(prefix="/escrows", tags=["escrows"], route_class=GatewayRoute)
AUTH = (Unauthenticated, Forbidden)


@router.get(
    "",
    response_model=list[EscrowView],
    summary="Escrows by seller, buyer, either party, agent, issuance or state, in id order (paginated)",
    description=(
        "`party=<wallet>&state=open` is a holder's escrows as seller or buyer; `agent=<agent>&state=open` an "
        "agent's queue. Read from the gateway's event index of the exchange's escrow events."
    ),
    responses={**PAGINATED, **problems(*CHAIN)},
)
def list_escrows(
    gateway: GatewayDep,
    page: PageDep,
    response: Response,
    seller: Annotated[Address | None, Query()] = None,
    buyer: Annotated[Address | None, Query()] = None,
    party: Annotated[Address | None, Query(description="The seller or the buyer.")] = None,
    agent: Annotated[Address | None, Query()] = None,
    issuance_id: Annotated[IssuanceId | None, Query()] = None,
    state: Annotated[EscrowStateName | None, Query()] = None,
) -> list[EscrowView]:
    found = gateway.escrows.find(
        seller=seller,
        buyer=buyer,
        agent=agent,
        party=party,
        issuance_id=issuance_id,
        state=None if state is None else EscrowState[state.upper()],
        after=page.key(after_id) or 0,
        limit=page.limit + 1,
    )
    return page.answer(found, response, lambda e: str(e.escrow_id))


@router.get(
    "/open-request",
    response_model=SigningRequest,
    summary="The forward request the seller signs to open an escrow (checked against the chain first)",
    description=(
        "Checked first in the contract's order: the buyer another wallet and the agent neither party "
        "(`exchange_invalid_escrow`), the deadline in the future and at most `MAX_ESCROW_PERIOD` (90 days) "
        "ahead (`exchange_invalid_deadline`), the agent a settlement agent "
        "(`exchange_missing_role`), then a transfer from the seller to the buyer could pass now (the "
        "`checkTransfer` codes). `fields` carries the terms and the forward request's `gas`, `nonce`, "
        "`deadline`: POST them to /v1/escrows with the signature."
    ),
    responses=problems(*AUTH, *OPEN_ERRORS, *CHAIN),
)
def open_request(caller: Holder, gateway: GatewayDep, terms: Annotated[EscrowTerms, Query()]) -> SigningRequest:
    return gateway.escrows.open_request(caller.address, terms)


@router.get(
    "/{escrow_id}",
    response_model=EscrowView,
    summary="An escrow and where it stands",
    responses=problems(EscrowNotFound, *CHAIN),
)
def get_escrow(escrow_id: EscrowId, gateway: GatewayDep) -> EscrowView:
    return gateway.escrows.get(escrow_id)


@router.post(
    "",
    response_model=EscrowOpened,
    status_code=201,
    summary="Relay the seller's signed request to open an escrow: its units are held for the buyer",
    description=(
        "The units stay in the seller's holding, counted as escrowed: they move by no other route until the "
        "agent confirms the payment (to the buyer) or the escrow lapses (free again). The operator pays the gas."
    ),
    responses=problems(*AUTH, *RELAY, *OPEN_ERRORS, *WRITE),
)
async def open_escrow(body: RelayedEscrow, caller: Holder, gateway: GatewayDep, idem: Idem) -> Response:
    return await idem.respond(caller, 201, blocking(lambda op: gateway.escrows.open(caller.address, body, op)))


@router.post(
    "/{escrow_id}/confirmation",
    response_model=EscrowSettled,
    summary="Confirm the buyer's off-chain payment (the escrow's settlement agent): the units go to the buyer",
    description=(
        "Sent with the agent's own key (the gateway must hold it: `signer_unavailable` otherwise). Checked "
        "first in the contract's order: the escrow open, the caller its agent, still a settlement agent, "
        "the deadline not passed, a payment reference named; one reference settles one escrow "
        "(`exchange_payment_ref_used`, the chain's answer). The units move under every rule of a transfer, "
        "to the buyer's wallet now (the last of its recovery chain)."
    ),
    responses=problems(*AUTH, *CONFIRM_ERRORS, *WRITE),
)
async def confirm_payment(
    escrow_id: EscrowId, body: PaymentConfirmation, caller: SettlementAgent, gateway: GatewayDep, idem: Idem
) -> Response:
    return await idem.respond(caller, 200, blocking(lambda op: gateway.escrows.confirm(caller, escrow_id, body, op)))


@router.post(
    "/{escrow_id}/lapse",
    response_model=EscrowLapsed,
    summary="End an escrow unconfirmed by its deadline, or whose agent lost its role: the units are free again",
    description="Anyone signed in may ask; the call is permissionless on-chain, so the gateway's operator sends it.",
    responses=problems(*AUTH, *LAPSE_ERRORS, *WRITE),
)
async def lapse_escrow(escrow_id: EscrowId, caller: AnyRole, gateway: GatewayDep, idem: Idem) -> Response:
    return await idem.respond(caller, 200, blocking(lambda op: gateway.escrows.lapse(escrow_id, op)))


@router.post(
    "/{escrow_id}/cancellation",
    response_model=EscrowCancelled,
    summary="End an open escrow by the regulator's order: the units are the seller's again",
    description=(
        "Sent with the regulator's own key (on a governed deployment its council proposes it: "
        "`regulator_governed`). Escrowed units are out of reach of the regulator's other orders; this frees "
        "them first."
    ),
    responses=problems(*AUTH, *CANCEL_ERRORS, *WRITE),
)
async def cancel_escrow(
    escrow_id: EscrowId, body: EscrowOrder, caller: Regulator, gateway: GatewayDep, idem: Idem
) -> Response:
    return await idem.respond(
        caller, 200, blocking(lambda op: gateway.escrows.cancel(caller, escrow_id, body.order_hash, op))
    )
