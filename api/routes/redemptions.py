"""Redemption in two sides (Rules item 2.3): a signed-in holder asks (a forward request it signs,
relayed by the operator), the issuance's issuer confirms delivery or refuses, the regulator may
refuse by order; anyone reads the requests."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from api.deps import GatewayDep, Holder, Idem, Issuer, RedemptionRefuser
from api.errors import (
    CHAIN,
    RELAY,
    WRITE,
    Forbidden,
    RedemptionNotFound,
    SecuredAssetNotRedemptionParty,
    SecuredAssetRedemptionNotRequested,
    Unauthenticated,
    problems,
)
from api.idempotency import blocking
from api.openapi import GatewayRoute
from api.pagination import PAGINATED, PageDep, after_id
from api.schemas.common import Address, Amount, Hash32, IssuanceId, Reason
from api.schemas.holders import SigningRequest
from api.schemas.redemptions import (
    DeliveryConfirmation,
    Redemption,
    RedemptionConfirmed,
    RedemptionRefused,
    RedemptionRequested,
    RedemptionStateName,
    RelayedRedemption,
    RequestId,
)
from api.services.refusals import REDEMPTION_ERRORS
from sdap.types import RedemptionState

router = APIRouter(prefix="/redemptions", tags=["redemptions"], route_class=GatewayRoute)
AUTH = (Unauthenticated, Forbidden)
ANSWER = (RedemptionNotFound, SecuredAssetRedemptionNotRequested, SecuredAssetNotRedemptionParty)


@router.get(
    "",
    response_model=list[Redemption],
    summary="Redemption requests by id, of one issuance, holder or state (paginated)",
    description=(
        "`issuance_id=...&state=requested` is an issuer's queue. Read from the gateway's event index of the "
        "asset's redemption events (the asset keeps no list per issuance or holder)."
    ),
    responses={**PAGINATED, **problems(*CHAIN)},
)
def list_redemptions(
    gateway: GatewayDep,
    page: PageDep,
    response: Response,
    issuance_id: Annotated[IssuanceId | None, Query(description="Only this issuance's requests.")] = None,
    holder: Annotated[Address | None, Query(description="Only this holder's requests.")] = None,
    state: Annotated[RedemptionStateName | None, Query(description="Only requests in this state.")] = None,
) -> list[Redemption]:
    after = page.key(after_id) or 0
    found = gateway.redemptions.find(
        issuance_id=issuance_id,
        holder=holder,
        state=None if state is None else RedemptionState[state.upper()],
        after=after,
        limit=page.limit + 1,
    )
    return page.answer(found, response, lambda r: str(r.id))


@router.get(
    "/forward-request",
    response_model=SigningRequest,
    summary="The forward request the holder signs to ask for a redemption (checked against the chain first)",
    responses=problems(*AUTH, *REDEMPTION_ERRORS, *CHAIN),
)
def forward_request(
    caller: Holder,
    gateway: GatewayDep,
    issuance_id: Annotated[IssuanceId, Query()],
    amount: Annotated[Amount, Query()],
    fulfilment_ref: Annotated[Hash32, Query(description="Hash of where and how to deliver.")],
) -> SigningRequest:
    return gateway.redemptions.forward_request(caller.address, issuance_id, amount, fulfilment_ref)


@router.get(
    "/{request_id}",
    response_model=Redemption,
    summary="A redemption request and where it stands",
    responses=problems(RedemptionNotFound, *CHAIN),
)
def get_redemption(request_id: RequestId, gateway: GatewayDep) -> Redemption:
    return gateway.redemptions.get(request_id)


@router.post(
    "",
    response_model=RedemptionRequested,
    status_code=201,
    summary="Relay the holder's signed redemption request: its units move into the asset's custody",
    description=(
        "The holder asks the issuer to redeem units (Rules item 2.3); the operator pays the gas and the holder "
        "is recorded as the one who asked. Checked first as the contract's `checkRedemption`: the holder's own "
        "dealing rules (registered, unfrozen, identified, the notice acknowledged), its balance and its free "
        "units, the issuance not paused or closed. The operator's permit and the collateral's coverage do not "
        "stop it: holders can always get what their units certify. The units stay in custody until the issuer "
        "confirms delivery (burnt) or refuses (back to the holder)."
    ),
    responses=problems(*AUTH, *RELAY, *REDEMPTION_ERRORS, *WRITE),
)
async def request_redemption(body: RelayedRedemption, caller: Holder, gateway: GatewayDep, idem: Idem) -> Response:
    return await idem.respond(caller, 201, blocking(lambda op: gateway.redemptions.relay(caller.address, body, op)))


@router.post(
    "/{request_id}/confirmation",
    response_model=RedemptionConfirmed,
    summary="Confirm delivery of what the units certify (the issuer): the units in custody are burnt",
    description=(
        "Sent with the issuer's own key. Checked first, in the contract's order: the request is pending "
        "(`secured_asset_redemption_not_requested`), the caller is the issuance's issuer "
        "(`secured_asset_not_redemption_party`)."
    ),
    responses=problems(*AUTH, *ANSWER, *WRITE),
)
async def confirm(
    request_id: RequestId, body: DeliveryConfirmation, caller: Issuer, gateway: GatewayDep, idem: Idem
) -> Response:
    return await idem.respond(
        caller, 200, blocking(lambda op: gateway.redemptions.confirm(caller, request_id, body, op))
    )


@router.post(
    "/{request_id}/refusal",
    response_model=RedemptionRefused,
    summary="Refuse a redemption request (the issuer, or the regulator by order): the units go back",
    description=(
        "Sent with the caller's own key. The units go back to the holder's wallet at once (the last of its "
        "recovery chain if it was recovered meanwhile), whatever its state. The regulator refuses by order "
        "when the issuer cannot or will not answer."
    ),
    responses=problems(*AUTH, *ANSWER, *WRITE),
)
async def refuse(
    request_id: RequestId, body: Reason, caller: RedemptionRefuser, gateway: GatewayDep, idem: Idem
) -> Response:
    return await idem.respond(
        caller, 200, blocking(lambda op: gateway.redemptions.refuse(caller, request_id, body.reason_hash, op))
    )
