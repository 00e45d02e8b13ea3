"""Holders sign in with their wallet (EIP-4361): get a nonce (and the message to sign), sign it,
exchange message and signature for a session token.

Sign-in and sign-out are the writing POSTs without an Idempotency-Key: a nonce makes a sign-in
single-use by itself, and replaying its answer would mean keeping the session token, which is
never stored; a sign-out ends the session it is sent with, which a replayed answer would not."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from api.deps import GatewayDep, Holder, SessionToken, SignInAttempt
from api.errors import Forbidden, RateLimited, SignInFailed, Unauthenticated, problems
from api.openapi import GatewayRoute
from api.schemas.common import Address
from api.schemas.misc import Nonce, SessionOut, SignIn

router = APIRouter(prefix="/auth", tags=["authentication"], route_class=GatewayRoute)


@router.get(
    "/nonce",
    response_model=Nonce,
    summary="A single-use sign-in nonce (and the message to sign)",
    responses=problems(RateLimited),
)
def nonce(
    gateway: GatewayDep,
    response: Response,
    _: SignInAttempt,
    address: Annotated[Address | None, Query()] = None,
) -> Nonce:
    response.headers["Cache-Control"] = "no-store"
    value, expires = gateway.sessions.new_nonce()
    message = gateway.sessions.message(address, value).text() if address else None
    return Nonce(nonce=value, expires_at=expires, message=message)


@router.post(
    "/sign-in",
    response_model=SessionOut,
    status_code=201,
    summary="Open a holder session with a signed EIP-4361 message",
    responses=problems(SignInFailed, RateLimited),
)
def sign_in(body: SignIn, gateway: GatewayDep, _: SignInAttempt) -> SessionOut:
    session = gateway.sessions.sign_in(body.message, bytes.fromhex(body.signature[2:]))
    return SessionOut(token=session.token, address=session.address, expires_at=session.expires_at)


@router.post(
    "/sign-out",
    status_code=204,
    summary="End this session",
    description="Ends the session whose token is sent, whatever else is sent with it: an "
    "`Idempotency-Key` plays no part (ending a session twice is ending it once).",
    responses=problems(Unauthenticated, Forbidden),
)
def sign_out(caller: Holder, token: SessionToken, gateway: GatewayDep) -> Response:
    # Outside idempotency: a record kept per holder would answer a second device's sign-out with
    # the first one's, and leave the second session open. The token ended is the one the caller
    # was authenticated with, read the same way (spaces around it and all).
    if token is None:  # cannot be: a holder is authenticated by its session alone
        raise Unauthenticated("send the session to end (Authorization: Bearer)")
    gateway.sessions.sign_out(token)
    return Response(status_code=204)
