"""Offers (issue 15): a signed-in holder gets the EIP-712 offer to sign, publishes it, takes another
maker's offer or cancels its own by forward requests the operator relays (no gas for holders);
anyone finds the offers and where each stands. The listed payment tokens are public."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from starlette.responses import Response

from api.contract_problems import ExchangeNonceUsed
from api.deps import GatewayDep, Holder, Idem
from api.errors import (
    CHAIN,
    RELAY,
    WRITE,
    ApiError,
    Forbidden,
    InvalidSignature,
    NotOwnAccount,
    OfferBeingTaken,
    OfferNotFound,
    Unauthenticated,
    problems,
)
from api.idempotency import blocking
from api.openapi import GatewayRoute
from api.pagination import PAGINATED, PageDep, after_id
from api.schemas.common import Address, Hash32, Uint64, Uint256
from api.schemas.holders import SigningRequest
from api.schemas.offers import (
    OfferCancelled,
    OfferStatus,
    OfferTaken,
    OfferView,
    PaymentTokenView,
    RelayedCall,
    SignedOfferBody,
)
from api.services.index import listing_position
from api.services.offer_refusals import MAKER_ERRORS, OFFER_TERMS_ERRORS, PUBLISH_ERRORS, TAKE_ERRORS

router = APIRouter(tags=["offers"], route_class=GatewayRoute)
AUTH = (Unauthenticated, Forbidden)
OfferHash = Annotated[Hash32, Path(description="The offer's EIP-712 hash (`exchange.offerHash(offer)`).")]
Positive = Annotated[int, Query(ge=1, le=2**256 - 1)]
RELAYED: tuple[type[ApiError], ...] = (*RELAY, *WRITE)


@router.get(
    "/offers/typed-data",
    response_model=SigningRequest,
    summary="The EIP-712 offer the signed-in holder signs (a fresh random nonce), checked first",
    description=(
        "The maker is the signed-in wallet. A side's token omitted is the asset (units of the issuance "
        "`*_id`); a listed payment token has id 0. `taker` omitted: anyone; `expiry` omitted: seven days of "
        "chain time. The wallet signs `typed_data` (`eth_signTypedData_v4`), then POST /v1/offers publishes "
        "`fields.offer` with the signature. Checked first as `checkOffer` judges the terms whoever takes: "
        "the legs, the payment token listed, the expiry; then what the maker's side alone decides: the expiry "
        "at most 365 days ahead (`offer_expiry_too_far`), the units given free in the maker's holding and the "
        'maker eligible (the codes of a take, `leg: "give"`), a payment given covered by the maker\'s balance '
        "and allowance to the exchange (`payment_not_available`)."
    ),
    responses=problems(*AUTH, *OFFER_TERMS_ERRORS, *MAKER_ERRORS, *CHAIN),
)
def offer_typed_data(
    caller: Holder,
    gateway: GatewayDep,
    give_id: Annotated[Uint256, Query(description="The issuance whose units are given (0 for a payment token).")],
    give_amount: Positive,
    want_amount: Positive,
    want_id: Annotated[Uint256, Query(description="The issuance whose units are wanted (0 for a payment token).")] = 0,
    give_token: Annotated[Address | None, Query(description="A listed payment token given; omitted: units.")] = None,
    want_token: Annotated[Address | None, Query(description="A listed payment token wanted; omitted: units.")] = None,
    taker: Annotated[Address | None, Query(description="The only wallet that may take it; omitted: anyone.")] = None,
    expiry: Annotated[Uint64 | None, Query(description="The last second (chain time) it may be taken.")] = None,
) -> SigningRequest:
    return gateway.offers.typed_data(
        caller.address,
        give_token=give_token,
        give_id=give_id,
        give_amount=give_amount,
        want_token=want_token,
        want_id=want_id,
        want_amount=want_amount,
        taker=taker,
        expiry=expiry,
    )


@router.post(
    "/offers",
    response_model=OfferView,
    status_code=201,
    summary="Publish the holder's signed offer for takers to find",
    description=(
        "The chain keeps no offers, only the nonces they spend: the gateway keeps the signed offer so takers "
        "find it. Checked first: the maker is the signed-in wallet (`not_own_account`), the signature is its "
        "EIP-712 signature of the offer (`invalid_signature`), and `checkOffer` as the chain would: the terms, "
        "the expiry, the nonce unused, the signature; for an offer naming its taker, both legs for that taker "
        "too (the codes of a take); the maker's own side as for the typed data; and the maker keeps fewer open "
        "offers than `SDAP_MAX_OPEN_OFFERS_PER_MAKER` (`too_many_open_offers`). Nothing is sent."
    ),
    responses=problems(*AUTH, InvalidSignature, *PUBLISH_ERRORS, *CHAIN),
)
async def publish_offer(body: SignedOfferBody, caller: Holder, gateway: GatewayDep, idem: Idem) -> Response:
    return await idem.respond(caller, 201, blocking(lambda op: gateway.offers.publish(caller.address, body)))


@router.get(
    "/offers",
    response_model=list[OfferView],
    summary="Published offers, in publication order, filtered by terms and status (paginated)",
    description=(
        "`status` as the gateway's event index follows the exchange: `taken`, `cancelled` (the maker's nonce "
        "spent otherwise), `expired`, `open`. `taker=` gives the offers that wallet may take: named to it or "
        "to anyone, not its own. Offers taken, cancelled or expired are forgotten after "
        "`SDAP_IDEMPOTENCY_RETENTION` seconds."
    ),
    responses={**PAGINATED, **problems(*CHAIN)},
)
def list_offers(
    gateway: GatewayDep,
    page: PageDep,
    response: Response,
    maker: Annotated[Address | None, Query(description="Only this maker's offers.")] = None,
    taker: Annotated[Address | None, Query(description="Only offers this wallet may take.")] = None,
    give_token: Annotated[Address | None, Query()] = None,
    give_id: Annotated[Uint256 | None, Query()] = None,
    want_token: Annotated[Address | None, Query()] = None,
    want_id: Annotated[Uint256 | None, Query()] = None,
    status: Annotated[OfferStatus | None, Query(description="Only offers in this status now.")] = None,
) -> list[OfferView]:
    found = gateway.offers.find(
        maker=maker,
        taker=taker,
        give_token=give_token,
        give_id=give_id,
        want_token=want_token,
        want_id=want_id,
        status=status,
        after=page.key(after_id) or 0,
        limit=page.limit + 1,
    )
    return [view for _, view in page.answer(found, response, lambda item: str(item[0]))]


@router.get(
    "/offers/{offer_hash}",
    response_model=OfferView,
    summary="A published offer and where it stands; with `taker`, whether that wallet can take it now",
    description=(
        "`check` gives the exchange's `checkOffer` for `taker`: `offer_refusal`, the asset's `checkTransfer` "
        "reason of a refused leg in units (`refusal`), and the problem code a take would be answered with now."
    ),
    responses=problems(OfferNotFound, *CHAIN),
)
def get_offer(
    offer_hash: OfferHash,
    gateway: GatewayDep,
    taker: Annotated[Address | None, Query(description="Check whether this wallet can take it now.")] = None,
) -> OfferView:
    return gateway.offers.get(offer_hash, taker)


@router.get(
    "/offers/{offer_hash}/take-request",
    response_model=SigningRequest,
    summary="The forward request the signed-in holder signs to take the offer (checked first)",
    description="A forward request to `exchange.take(offer, signature)`; `fields`: `gas`, `nonce`, `deadline`.",
    responses=problems(*AUTH, OfferNotFound, *TAKE_ERRORS, *CHAIN),
)
def take_request(offer_hash: OfferHash, caller: Holder, gateway: GatewayDep) -> SigningRequest:
    return gateway.offers.take_request(caller.address, offer_hash)


@router.post(
    "/offers/{offer_hash}/take",
    response_model=OfferTaken,
    status_code=201,
    summary="Relay the taker's signed request to take the offer: both legs move in one transaction",
    description=(
        "The operator pays the gas; the taker is the signed-in wallet. Checked first with `checkOffer` for "
        "the taker: the exchange's own codes, `payment_not_available` (the payer's token balance or its "
        "allowance to the exchange is short) and, for a refused leg in units, that leg's `checkTransfer` "
        "code with `leg` (`give`: maker to taker; `want`: taker to maker). While one take of an offer is "
        "relayed, another is refused with nothing sent (`offer_being_taken`)."
    ),
    responses=problems(*AUTH, OfferNotFound, OfferBeingTaken, *TAKE_ERRORS, *RELAYED),
)
async def take_offer(
    offer_hash: OfferHash, body: RelayedCall, caller: Holder, gateway: GatewayDep, idem: Idem
) -> Response:
    return await idem.respond(
        caller, 201, blocking(lambda op: gateway.offers.take(caller.address, offer_hash, body, op))
    )


@router.get(
    "/offers/{offer_hash}/cancel-request",
    response_model=SigningRequest,
    summary="The forward request the offer's maker signs to cancel it (`cancelOffer(nonce)`)",
    responses=problems(*AUTH, OfferNotFound, NotOwnAccount, ExchangeNonceUsed, *CHAIN),
)
def cancel_request(offer_hash: OfferHash, caller: Holder, gateway: GatewayDep) -> SigningRequest:
    return gateway.offers.cancel_request(caller.address, offer_hash)


@router.post(
    "/offers/{offer_hash}/cancellation",
    response_model=OfferCancelled,
    summary="Relay the maker's signed cancellation: the offer's nonce is spent, it can no longer be taken",
    responses=problems(*AUTH, OfferNotFound, NotOwnAccount, ExchangeNonceUsed, *RELAYED),
)
async def cancel_offer(
    offer_hash: OfferHash, body: RelayedCall, caller: Holder, gateway: GatewayDep, idem: Idem
) -> Response:
    return await idem.respond(
        caller, 200, blocking(lambda op: gateway.offers.cancel(caller.address, offer_hash, body, op))
    )


@router.get(
    "/payment-tokens",
    response_model=list[PaymentTokenView],
    tags=["payment tokens"],
    summary="The electronic-money tokens the regulator listed for payment legs, delisted ones too, in the order "
    "first listed (paginated)",
    responses={**PAGINATED, **problems(*CHAIN)},
)
def payment_tokens(gateway: GatewayDep, page: PageDep, response: Response) -> list[PaymentTokenView]:
    found = gateway.offers.payment_tokens(page.key(listing_position), page.limit + 1)
    return [view for view, _ in page.answer(found, response, lambda listed: listed[1])]
