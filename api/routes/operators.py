"""The register of operators (Law art. 6.1-6.3): anyone reads every operator ever granted a permit or
given details, with its permit, whether it is in force, and who it is; and the wallets each one
identified. The regulator records an operator's details. Permits themselves are under /v1/permits.

The registry's lists only grow, in order of entry, so a page's cursor is how many entries the pages
before it held."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from api.deps import GatewayDep, Idem, Regulator
from api.errors import (
    CHAIN,
    WRITE,
    Forbidden,
    RegistryInvalidOperatorDetails,
    RegistryZeroAddress,
    Unauthenticated,
    problems,
)
from api.idempotency import blocking
from api.openapi import GatewayRoute
from api.pagination import PAGINATED, PageDep, after_id
from api.schemas.common import Address, TxResult
from api.schemas.registry import Operator, OperatorDetailsRecord, RegisteredWallet

router = APIRouter(prefix="/operators", tags=["operators"], route_class=GatewayRoute)
AUTH = (Unauthenticated, Forbidden)


@router.get(
    "",
    response_model=list[Operator],
    summary="Every operator ever granted a permit or given details, with its permit and details (paginated)",
    responses={**PAGINATED, **problems(*CHAIN)},
)
def list_operators(gateway: GatewayDep, page: PageDep, response: Response) -> list[Operator]:
    start = page.key(after_id) or 0
    found = [Operator.of(o) for o in gateway.chain.queries.operators(start, page.limit + 1)]
    return page.answer(found, response, lambda _: str(start + page.limit))


@router.get(
    "/{operator}/participants",
    response_model=list[RegisteredWallet],
    summary="The wallets the operator identified, in order of registration, each with its status now (paginated)",
    description=(
        "What the public register shows: whether each wallet may take part now, never who the person is "
        "(the identification is at /v1/participants/{wallet}, for the roles that supervise participants). "
        "A wallet recovered to another stays listed, no longer registered; the new wallet follows in the list."
    ),
    responses={**PAGINATED, **problems(*CHAIN)},
)
def list_participants(
    operator: Address, gateway: GatewayDep, page: PageDep, response: Response
) -> list[RegisteredWallet]:
    queries = gateway.chain.queries
    start = page.key(after_id) or 0
    found = [
        RegisteredWallet.of(p, queries.participant_status(p.wallet))
        for p in queries.participants_of(operator, start, page.limit + 1)
    ]
    return page.answer(found, response, lambda _: str(start + page.limit))


@router.post(
    "/{operator}/details",
    response_model=TxResult,
    summary="Record an operator's details (again, to correct them)",
    description=(
        "Sent with the regulator's own key, before or after the operator's permit: the address joins the "
        "register of operators (`GET /v1/operators`) the first time it is given details or a permit. "
        "All four fields are needed; recording them again replaces them."
    ),
    responses=problems(*AUTH, RegistryZeroAddress, RegistryInvalidOperatorDetails, *WRITE),
)
async def record_details(
    operator: Address, body: OperatorDetailsRecord, caller: Regulator, gateway: GatewayDep, idem: Idem
) -> Response:
    return await idem.respond(
        caller,
        200,
        blocking(
            lambda op: TxResult.of(
                gateway.chain.regulator(caller.address, op).record_operator_details(
                    operator, body.legal_name, body.business_id, body.jurisdiction, body.details_hash
                )
            )
        ),
    )
