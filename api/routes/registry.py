"""The state register of issuers (Law art. 4.1.10), recognised asset types (art. 4.1.8) and risk
notices (art. 6.4): anyone reads; the regulator keeps the registers and publishes the platform's one
notice, holders acknowledge the notice in force by signature and the operator relays it."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import PlainTextResponse, Response

from api.chain.operation import Operation
from api.deps import GatewayDep, Holder, Idem, Regulator
from api.errors import (
    CHAIN,
    WRITE,
    Forbidden,
    GasBudgetExceeded,
    InvalidSignature,
    NoNoticeInForce,
    RegistryPermitNotActive,
    RouteNotFound,
    Unauthenticated,
    problems,
)
from api.idempotency import blocking
from api.openapi import GatewayRoute
from api.pagination import PAGINATED, PageDep, after_id
from api.schemas.common import Address, Hash32, TxResult
from api.schemas.holders import SigningRequest
from api.schemas.registry import (
    Acknowledgement,
    AssetType,
    AssetTypeCreated,
    AssetTypeListing,
    Issuer,
    IssuerDetails,
    IssuerRegistration,
    IssuerStatusChange,
    RiskNotice,
    RiskNoticePublication,
    RiskNoticePublished,
)
from sdap.types import AssetCategory, IssuerStatus

router = APIRouter(route_class=GatewayRoute)
#: The body of a published notice may be this long (its text: 200,000 characters).
NOTICE_BODY_LIMIT = 2 * 1024 * 1024
AUTH = (Unauthenticated, Forbidden)

# --- issuers --------------------------------------------------------------------------------


@router.get(
    "/issuers",
    response_model=list[Issuer],
    tags=["issuers"],
    summary="The state register of issuers, in order of registration, whatever their status (paginated)",
    responses={**PAGINATED, **problems(*CHAIN)},
)
def list_issuers(gateway: GatewayDep, page: PageDep, response: Response) -> list[Issuer]:
    start = page.key(after_id) or 0  # how many entries the pages before held
    found = [Issuer.of(i) for i in gateway.chain.queries.issuers(start, page.limit + 1)]
    return page.answer(found, response, lambda _: str(start + page.limit))


@router.get(
    "/issuers/{wallet}",
    response_model=Issuer,
    tags=["issuers"],
    summary="An issuer's entry in the state register",
    responses=problems(*CHAIN),
)
def get_issuer(wallet: Address, gateway: GatewayDep) -> Issuer:
    return Issuer.of(gateway.chain.queries.issuer(wallet))


@router.post(
    "/issuers",
    response_model=TxResult,
    status_code=201,
    tags=["issuers"],
    summary="Enter an issuer into the register",
    responses=problems(*AUTH, *WRITE),
)
async def register_issuer(body: IssuerRegistration, caller: Regulator, gateway: GatewayDep, idem: Idem) -> Response:
    return await idem.respond(
        caller,
        201,
        blocking(
            lambda op: TxResult.of(
                gateway.chain.regulator(caller.address, op).register_issuer(
                    body.wallet, body.legal_name, body.business_id, body.jurisdiction, body.details_hash
                )
            )
        ),
    )


@router.post(
    "/issuers/{wallet}/details",
    response_model=TxResult,
    tags=["issuers"],
    summary="Update an issuer's details",
    responses=problems(*AUTH, *WRITE),
)
async def update_issuer(
    wallet: Address, body: IssuerDetails, caller: Regulator, gateway: GatewayDep, idem: Idem
) -> Response:
    return await idem.respond(
        caller,
        200,
        blocking(
            lambda op: TxResult.of(
                gateway.chain.regulator(caller.address, op).update_issuer(
                    wallet, body.legal_name, body.business_id, body.jurisdiction, body.details_hash
                )
            )
        ),
    )


@router.post(
    "/issuers/{wallet}/status",
    response_model=TxResult,
    tags=["issuers"],
    summary="Suspend, reactivate or remove an issuer",
    responses=problems(*AUTH, *WRITE),
)
async def set_issuer_status(
    wallet: Address, body: IssuerStatusChange, caller: Regulator, gateway: GatewayDep, idem: Idem
) -> Response:
    status = IssuerStatus[body.status.upper()]
    return await idem.respond(
        caller,
        200,
        blocking(
            lambda op: TxResult.of(
                gateway.chain.regulator(caller.address, op).set_issuer_status(wallet, status, body.reason_hash)
            )
        ),
    )


# --- asset types ----------------------------------------------------------------------------


@router.get(
    "/asset-types",
    response_model=list[AssetType],
    tags=["asset types"],
    summary="Every recognised asset type, by id (paginated)",
    responses={**PAGINATED, **problems(*CHAIN)},
)
def asset_types(gateway: GatewayDep, page: PageDep, response: Response) -> list[AssetType]:
    queries = gateway.chain.queries
    after = page.key(after_id) or 0
    last = min(queries.asset_type_count(), after + page.limit + 1)
    found = [AssetType.of(queries.asset_type(i)) for i in range(after + 1, last + 1)]
    return page.answer(found, response, lambda t: str(t.type_id))


@router.post(
    "/asset-types",
    response_model=AssetTypeCreated,
    status_code=201,
    tags=["asset types"],
    summary="List a recognised asset type",
    responses=problems(*AUTH, *WRITE),
)
async def list_asset_type(body: AssetTypeListing, caller: Regulator, gateway: GatewayDep, idem: Idem) -> Response:
    def act(op: Operation | None) -> AssetTypeCreated:
        created = gateway.chain.regulator(caller.address, op).list_asset_type(
            body.name, AssetCategory[body.category.upper()]
        )
        return AssetTypeCreated(
            type_id=created.id, tx_hash=created.receipt.tx_hash, block_number=created.receipt.block_number
        )

    return await idem.respond(caller, 201, blocking(act))


# --- risk notices ---------------------------------------------------------------------------


@router.get(
    "/risk-notice",
    response_model=RiskNotice,
    tags=["risk notice"],
    summary="The risk notice in force: version, hash and text",
    responses=problems(NoNoticeInForce, *CHAIN),
)
def notice_in_force(gateway: GatewayDep) -> RiskNotice:
    return gateway.notices.in_force()


@router.get(
    "/risk-notices/texts/{content_hash}",
    response_class=PlainTextResponse,
    tags=["risk notice"],
    summary="The text of a notice published through this gateway (its sha256 is the hash)",
    responses=problems(RouteNotFound),
)
def notice_text(content_hash: Hash32, gateway: GatewayDep) -> PlainTextResponse:
    text = gateway.notices.text(content_hash)
    if text is None:
        raise RouteNotFound("no notice text with this hash is kept here")
    return PlainTextResponse(text, media_type="text/plain; charset=utf-8")


@router.post(
    "/risk-notices",
    response_model=RiskNoticePublished,
    status_code=201,
    # A notice of 200,000 characters, escaped in JSON, is longer than the gateway's default limit.
    max_body_size=NOTICE_BODY_LIMIT,
    tags=["risk notice"],
    summary="Publish a new risk notice, in force at once (the regulator)",
    description=(
        "The platform has one risk notice, published by the regulator: every participant must "
        "acknowledge the version in force before dealing. No operator publishes one, so none can "
        "make another operator's participants ineligible (Law art. 6.4)."
    ),
    responses=problems(*AUTH, *WRITE),
)
async def publish_notice(body: RiskNoticePublication, caller: Regulator, gateway: GatewayDep, idem: Idem) -> Response:
    return await idem.respond(caller, 201, blocking(lambda op: gateway.notices.publish(caller.address, body.text, op)))


@router.get(
    "/risk-notice/acknowledgement",
    response_model=SigningRequest,
    tags=["risk notice"],
    summary="What the holder signs to acknowledge the notice in force",
    responses=problems(*AUTH, NoNoticeInForce, *CHAIN),
)
def acknowledgement_request(caller: Holder, gateway: GatewayDep) -> SigningRequest:
    return gateway.notices.signing_request(caller.address)


@router.post(
    "/risk-notice/acknowledgements",
    response_model=TxResult,
    status_code=201,
    tags=["risk notice"],
    summary="Relay the holder's signed acknowledgement",
    responses=problems(*AUTH, InvalidSignature, GasBudgetExceeded, RegistryPermitNotActive, *WRITE),
)
async def acknowledge(body: Acknowledgement, caller: Holder, gateway: GatewayDep, idem: Idem) -> Response:
    return await idem.respond(caller, 201, blocking(lambda op: gateway.notices.acknowledge(caller.address, body, op)))
