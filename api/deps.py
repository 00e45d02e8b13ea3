"""What routes take: the gateway, the caller (by role), and the idempotency of a write.

@router.post(...)
def grant(body: PermitGrant, caller: Regulator, gateway: GatewayDep, idem: Idem) -> Response:
    return idem.respond(caller, 201, lambda: ...)
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

import anyio.to_thread
from fastapi import Depends, Header, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from api.auth.keys import authenticate_api_key
from api.auth.principal import Principal, Role
from api.errors import AmbiguousCredentials, Forbidden, NotReady, RegulatorGoverned, Unauthenticated
from api.gateway import Gateway
from api.idempotency import HEADER, Idempotency, check_key, fingerprint

# The dependencies are `async def` although they do not await: FastAPI runs a plain `def` dependency
# in the thread pool, one hop per dependency per request. These are short (authentication is one
# indexed read), so they run on the event loop; only the route itself goes to a worker thread.


async def get_gateway(request: Request) -> Gateway:
    gateway: Gateway | None = getattr(request.app.state, "gateway", None)
    if gateway is None:
        raise NotReady("the gateway is starting")
    return gateway


GatewayDep = Annotated[Gateway, Depends(get_gateway)]

_api_key = APIKeyHeader(name="X-API-Key", auto_error=False, description="API key of an issuer, operator, ...")
_bearer = HTTPBearer(auto_error=False, description="Session token of a holder signed in with Ethereum.")


async def authenticate(
    request: Request,
    gateway: GatewayDep,
    api_key: Annotated[str | None, Security(_api_key)],
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
) -> Principal:
    # Present at all, even empty: a key header beside a session is refused, never ignored.
    if "x-api-key" in request.headers and "authorization" in request.headers:
        raise AmbiguousCredentials("send either an API key (X-API-Key) or a holder session (Authorization), not both")
    # The database is read in a worker thread: its calls block.
    if api_key:
        principal = await anyio.to_thread.run_sync(authenticate_api_key, gateway.db, api_key)
    elif bearer is not None:
        principal = await anyio.to_thread.run_sync(gateway.sessions.authenticate, bearer.credentials)
    else:
        raise Unauthenticated("send an API key (X-API-Key) or a holder session (Authorization: Bearer)")
    if principal is None:
        raise Unauthenticated("unknown, expired or revoked credentials")
    gateway.limits.admit(principal)
    return principal


async def admitted(request: Request, roles: tuple[Role, ...], *, own_key: bool = False) -> Principal:
    """The caller of `request` if it is one of `roles`: what `require` (or, with `own_key`,
    `signing`) checks, for the error handlers that answer a request the route never ran for (its
    body could not be read), so that no one learns more about a route than its roles may."""
    gateway = await get_gateway(request)
    api_key = await _api_key(request)
    bearer = await _bearer(request)
    caller = _check(await authenticate(request, gateway, api_key, bearer), roles)
    return _not_governed(caller, gateway) if own_key else caller


def _check(caller: Principal, roles: tuple[Role, ...]) -> Principal:
    if caller.role not in roles:
        raise Forbidden(f"this endpoint is for: {', '.join(r.value for r in roles)}")
    return caller


def _not_governed(caller: Principal, gateway: Gateway) -> Principal:
    """`caller`, unless it is the regulator of a governed deployment: there the timelock holds
    REGULATOR_ROLE and acts on what the council agreed, so no key of the regulator sends its acts."""
    deployment = gateway.chain.deployment
    if caller.role is Role.REGULATOR and deployment.governed:
        raise RegulatorGoverned(
            f"the regulator of this deployment is the timelock {deployment.timelock}, acting on what the council "
            f"{deployment.council} agreed: propose this act with the command line's --propose FILE, then "
            "`sdap proposal sign`, `schedule` and `execute` it"
        )
    return caller


Caller = Annotated[Principal, Depends(authenticate)]


async def session_token(bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)]) -> str | None:
    """The holder session's token exactly as `authenticate` read it."""
    return bearer.credentials if bearer is not None else None


#: The bearer token a holder's request was authenticated with.
SessionToken = Annotated[str | None, Depends(session_token)]


async def count_sign_in(request: Request, gateway: GatewayDep) -> None:
    """Counts a nonce or sign-in request against its client address's limit."""
    gateway.limits.admit_sign_in(request.client.host if request.client else "unknown")


#: A nonce or sign-in request, counted per client address.
SignInAttempt = Annotated[None, Depends(count_sign_in)]


def require(*roles: Role) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency admitting only `roles`; the allowed roles are also shown in the OpenAPI document."""

    async def check(caller: Caller) -> Principal:
        return _check(caller, roles)

    check.roles = roles  # type: ignore[attr-defined]
    return check


def signing(*roles: Role) -> Callable[[Principal, Gateway], Awaitable[Principal]]:
    """`require(*roles)` for a route whose transaction the caller's own key signs: on a governed
    deployment the regulator is answered `regulator_governed` (api.errors.RegulatorGoverned) before
    anything is checked or sent, whatever the body; the other roles are admitted as `require` admits
    them. The OpenAPI document lists the problem on every such route that admits the regulator."""

    async def check(caller: Caller, gateway: GatewayDep) -> Principal:
        return _not_governed(_check(caller, roles), gateway)

    check.roles = roles  # type: ignore[attr-defined]
    check.own_key = True  # type: ignore[attr-defined]
    return check


# Every alias admitting the regulator to a write it signs is `signing`: refused to the regulator of
# a governed deployment, whose acts its council proposes and its timelock sends.
Regulator = Annotated[Principal, Depends(signing(Role.REGULATOR))]
Operator = Annotated[Principal, Depends(require(Role.OPERATOR))]
Compliance = Annotated[Principal, Depends(require(Role.COMPLIANCE))]
Issuer = Annotated[Principal, Depends(require(Role.ISSUER))]
Holder = Annotated[Principal, Depends(require(Role.HOLDER))]
SettlementAgent = Annotated[Principal, Depends(require(Role.SETTLEMENT_AGENT))]
IssuanceCreator = Annotated[Principal, Depends(require(Role.OPERATOR, Role.ISSUER))]
AttestationSubmitter = Annotated[Principal, Depends(require(Role.OPERATOR, Role.VERIFIER))]
#: The issuance's issuer, or the regulator by order (the chain checks which issuer it is).
RedemptionRefuser = Annotated[Principal, Depends(signing(Role.ISSUER, Role.REGULATOR))]
#: The issuance's operator, the regulator, or a supervisor with the regulator's authority (the
#: chain checks which operator it is, and whose pause each may lift).
PauseAuthority = Annotated[Principal, Depends(signing(Role.REGULATOR, Role.OPERATOR, Role.SUPERVISOR))]
#: The participant's own operator, or the regulator (the chain checks which operator it is).
IdentityAuthority = Annotated[Principal, Depends(signing(Role.OPERATOR, Role.REGULATOR))]
#: Any authenticated caller, whatever its role (the route still lists them all under `x-roles`).
AnyRole = Annotated[Principal, Depends(require(*Role))]
#: Who reads the decision watch's report.
DecisionWatcher = Annotated[Principal, Depends(require(Role.REGULATOR, Role.OPERATOR, Role.AUDITOR))]
Auditor = Annotated[Principal, Depends(require(Role.AUDITOR, Role.REGULATOR))]
ParticipantReader = Annotated[Principal, Depends(require(Role.OPERATOR, Role.COMPLIANCE, Role.REGULATOR, Role.AUDITOR))]


async def idempotency(
    request: Request,
    gateway: GatewayDep,
    key: Annotated[
        str | None,
        Header(
            alias=HEADER,
            description="Makes the request safe to retry: the same key and body get the first answer again. "
            "1 to 255 printable ASCII characters (`invalid_idempotency_key` otherwise).",
            # Stated for clients; checked by api.idempotency.check_key, which answers its own code.
            json_schema_extra={"minLength": 1, "maxLength": 255, "pattern": "^[!-~](?:[ -~]{0,253}[!-~])?$"},
        ),
    ] = None,
) -> Idempotency:
    body = await request.body()
    return Idempotency(
        store=gateway.idempotency,
        key=check_key(key),
        fingerprint=fingerprint(request.method, request.url.path, body),
        path=request.url.path,
    )


Idem = Annotated[Idempotency, Depends(idempotency)]
