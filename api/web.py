"""What the gateway serves to browsers and wallets: the holders' web app (built by
`node web/build.mjs` into web/dist, from the npm lock file), the API docs page with Swagger UI's
own files instead of a CDN's, the ERC-1155 metadata JSON each token's `uri(id)` points at, and the
few reads the app needs that no other route gives (the chain's addresses, a holder's encumbrances)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from api.deps import GatewayDep, Holder
from api.errors import CHAIN, Forbidden, IssuanceNotFound, Unauthenticated, problems
from api.openapi import GatewayRoute
from api.pagination import PAGINATED, PageDep, after_id
from api.schemas.common import Address, Hash32, IssuanceId
from sdap.contract_errors import SecuredAssetIssuanceUnknownError

#: The app as scripts/install builds it (web/build.mjs).
WEB_DIST = Path(__file__).resolve().parents[1] / "web" / "dist"
APP_PATH = "/app"
METADATA_PATH = "/v1/metadata/{id}.json"

router = APIRouter(prefix="/v1", route_class=GatewayRoute)


class WebConfig(BaseModel):
    """What a wallet needs to act on the platform directly."""

    chain_id: int
    asset: Address = Field(description="The SecuredAsset contract (ERC-1155): direct transfers call it.")
    forwarder: Address
    registry: Address
    operator: Address = Field(description="The operator that relays gasless requests through this gateway.")
    metadata_uri: str = Field(description="The template `uri(id)` answers (ERC-1155 `{id}` substitution).")


class Encumbrance(BaseModel):
    id: int
    issuance_id: int
    amount: int
    beneficiary: Address
    expiry: int = Field(description="Unix time it lapses (0: none).")
    reference_hash: Hash32


class DecisionCheck(BaseModel):
    status: str = Field(description="`ok`, `changed`, `unavailable`, or `unchecked` before the first check.")
    checked_at: int | None
    detail: str | None


@router.get("/web/config", response_model=WebConfig, tags=["web"], summary="The chain and contracts the app uses")
def config(gateway: GatewayDep) -> WebConfig:
    deployment = gateway.chain.deployment
    return WebConfig(
        chain_id=deployment.chain_id,
        asset=deployment.asset,
        forwarder=deployment.forwarder,
        registry=deployment.registry,
        operator=gateway.chain.operator_address,
        metadata_uri=deployment.metadata_uri,
    )


@router.get(
    "/holders/me/encumbrances",
    response_model=list[Encumbrance],
    tags=["holders"],
    summary="The live pledges and liens on the signed-in holder's units, in id order (paginated)",
    description="Read from the gateway's event index of the asset's encumbrance events.",
    responses={**PAGINATED, **problems(Unauthenticated, Forbidden, *CHAIN)},
)
def encumbrances(caller: Holder, gateway: GatewayDep, page: PageDep, response: Response) -> list[Encumbrance]:
    gateway.index.sync()
    rows = gateway.index.live_encumbrances(caller.address, after=page.key(after_id) or 0, limit=page.limit + 1)
    found = [
        Encumbrance(
            id=row["encumbrance_id"],
            issuance_id=row["issuance_id"],
            amount=int(row["amount"]),
            beneficiary=row["beneficiary"],
            expiry=row["expiry"],
            reference_hash=row["reference_hash"],
        )
        for row in rows
    ]
    return page.answer(found, response, lambda e: str(e.id))


@router.get(
    "/issuances/{issuance_id}/decision-check",
    response_model=DecisionCheck,
    tags=["issuances"],
    summary="Whether the decision's published copy matched its anchored hash at the decision watch's last check",
    responses=problems(*CHAIN),
)
def decision_check(issuance_id: IssuanceId, gateway: GatewayDep) -> DecisionCheck:
    last = gateway.decisions.last
    for status in last.issuances:
        if status.issuance_id == issuance_id:
            return DecisionCheck(status=status.status, checked_at=last.checked_at, detail=status.detail)
    return DecisionCheck(status="unchecked", checked_at=last.checked_at, detail=None)


_TOKEN_ID = re.compile(r"^(?:[0-9]{1,19}|[0-9a-fA-F]{64})$")


@router.get(
    "/metadata/{token_id}.json",
    tags=["web"],
    summary="ERC-1155 metadata of an issuance's units (`uri(id)` with `{id}` as 64 hex digits, or decimal)",
    responses=problems(IssuanceNotFound, *CHAIN),
)
def metadata(token_id: str, gateway: GatewayDep) -> JSONResponse:
    if not _TOKEN_ID.match(token_id):
        raise IssuanceNotFound(f"{token_id!r} is not a token id")
    issuance_id = int(token_id, 16) if len(token_id) == 64 else int(token_id)
    queries = gateway.chain.queries
    try:
        issuance = queries.issuance(issuance_id)
    except SecuredAssetIssuanceUnknownError:
        raise IssuanceNotFound(f"there is no issuance {issuance_id}") from None
    issuer = queries.issuer(issuance.issuer)
    asset_type = queries.asset_type(issuance.asset_type)
    body: dict[str, Any] = {
        "name": f"{asset_type.name} — issuance {issuance.id}",
        "description": f"{issuance.unit_description}. Issued by {issuer.legal_name} under the decision at "
        f"{issuance.decision_uri}.",
        "decimals": 0,
        "external_url": f"{gateway.settings.public_url.rstrip('/')}{APP_PATH}/#/issuance/{issuance.id}",
        "properties": {
            "unit": issuance.unit_description,
            "issuer": {"wallet": issuance.issuer, "legal_name": issuer.legal_name, "business_id": issuer.business_id},
            "asset_type": {
                "id": asset_type.type_id,
                "name": asset_type.name,
                "category": asset_type.category.name.lower(),
            },
            "decision_uri": issuance.decision_uri,
            "decision_hash": "0x" + issuance.decision_hash.hex(),
            "evidence_hash": "0x" + issuance.evidence_hash.hex(),
            "max_supply": issuance.max_supply,
            "operator": issuance.operator,
            "closed": issuance.closed,
        },
    }
    return JSONResponse(body, headers={"Cache-Control": "public, max-age=60"})


def _docs() -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url="/v1/openapi.json",
        title="SDAP gateway",
        swagger_js_url=f"{APP_PATH}/docs/swagger-ui-bundle.js",
        swagger_css_url=f"{APP_PATH}/docs/swagger-ui.css",
        swagger_favicon_url=f"{APP_PATH}/favicon.svg",
    )


def install_web(app: FastAPI) -> None:
    """The app at /app (and / leading there), the docs page at /v1/docs, the routes above."""
    app.include_router(router)
    app.add_api_route("/v1/docs", _docs, include_in_schema=False)
    app.add_api_route("/", lambda: RedirectResponse(APP_PATH + "/"), include_in_schema=False)
    app.mount(APP_PATH, StaticFiles(directory=WEB_DIST, html=True, check_dir=False), name="app")
