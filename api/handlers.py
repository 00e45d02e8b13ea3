"""One place where every failure becomes an RFC 9457 problem: the gateway's domain errors, the
SDK's (a contract's decoded refusal, the node unreachable, a transaction not yet included), request
validation, unknown routes, and anything unexpected, which is answered 500 with no detail and
logged by class name only: no stack trace or secret reaches a response or a log."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import errors
from api.auth.principal import Role
from api.deps import admitted
from api.errors import ApiError, problem_response
from api.openapi import route_roles, signs_with_callers_key
from sdap.contract_errors import SecuredAssetIssuanceUnknownError
from sdap.errors import ChainError, ContractError, SdapError, TransactionTimeout
from sdap.errors import ForwardRequestGasTooLow as SdkGasTooLow
from sdap.errors import InvalidArgument as SdkInvalidArgument

log = logging.getLogger("sdap.gateway")


def translate(exc: Exception) -> ApiError:
    """The problem an exception stands for."""
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, SecuredAssetIssuanceUnknownError):
        return errors.IssuanceNotFound(f"there is no issuance {exc.arguments.get('id')}")
    if isinstance(exc, ContractError):
        return errors.ContractRefusal.of(exc.name)(exc.name, str(exc), _plain(exc.arguments))
    if isinstance(exc, SdkGasTooLow):
        return errors.ForwardRequestGasTooLow(str(exc), gas=exc.gas, needed=exc.needed)
    if isinstance(exc, SdkInvalidArgument):
        return errors.InvalidArgument(str(exc))
    if isinstance(exc, TransactionTimeout):
        return errors.TransactionPending(
            "the transaction was sent but is not included yet; retry with the same Idempotency-Key",
            tx_hash=exc.tx_hash,
        )
    if isinstance(exc, ChainError):
        return errors.ChainUnavailable("the platform's node cannot be used right now")
    if isinstance(exc, SdapError):
        log.error("configuration failure: %s", type(exc).__name__)
        return errors.InternalError()
    log.error("unexpected %s", type(exc).__name__)
    return errors.InternalError()


def _plain(value: Any) -> Any:
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**53:
        return str(value)
    return value


async def _api_error(request: Request, exc: Exception) -> Response:
    error = translate(exc)
    if error.status >= 500:
        # Why the node could not be used (the gateway's transports name the failure, never the
        # URL) or what it answered: how an operator tells a stopped node from a refused transaction.
        cause = f" ({type(exc).__name__}: {exc})" if isinstance(exc, ChainError) else ""
        log.warning("%s %s -> %s %s%s", request.method, request.url.path, error.status, error.problem_code, cause)
    return problem_response(error, request.url.path)


async def _validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    refused = await _unadmitted(request)
    if refused is not None:
        return refused
    # Where and what, never the input itself (it may be a signature or a secret).
    problems = [
        {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")} for e in exc.errors()
    ]
    error = errors.ValidationFailed("the request does not match its schema", errors=jsonable_encoder(problems))
    return problem_response(error, request.url.path)


async def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    error: ApiError
    if exc.status_code == 404:
        error = errors.RouteNotFound()
    elif exc.status_code == 405:
        error = errors.MethodNotAllowed().with_headers(Allow=", ".join(allowed_methods(request)))
    elif exc.status_code == 413:
        error = errors.BodyTooLarge()
    elif 400 <= exc.status_code < 500:
        refused = await _unadmitted(request)
        if refused is not None:
            return refused
        error = errors.MalformedBody("the body cannot be read as JSON (UTF-8)")
    else:
        log.error("%s %s -> HTTP %s", request.method, request.url.path, exc.status_code)
        error = errors.InternalError()
    return problem_response(error, request.url.path)


async def _unadmitted(request: Request) -> Response | None:
    """The authentication problem of a request refused before its route ran (its body could not
    be read or validated), if its route admits only some roles and the caller is none of them (or
    is the regulator of a governed deployment, on a route its key would sign): what a body must
    look like is told to those who may send it."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return None
    roles = route_roles(route)
    if not roles:
        return None
    try:
        await admitted(request, tuple(Role(r) for r in roles), own_key=signs_with_callers_key(route))
    except ApiError as error:
        return problem_response(error, request.url.path)
    return None


def allowed_methods(request: Request) -> list[str]:
    """The methods the request's path takes, over every route (one route per method here)."""
    methods: set[str] = set()
    for context in iter_route_contexts(request.app.routes):
        regex = getattr(context, "path_regex", None)
        if regex is not None and regex.match(request.url.path):
            methods.update(context.methods or ())
    return sorted(methods)


def install(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(SdapError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(HTTPException, _http)
    app.add_middleware(CatchAll)


class CatchAll:
    """Answers any exception no handler took with a bare 500 problem and does not re-raise it, so
    the server never prints its traceback."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking)
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            error = translate(exc)
            log.error("%s %s failed: %s", scope.get("method"), scope.get("path"), type(exc).__name__)
            if not started:
                await problem_response(error, scope.get("path"))(scope, receive, send)
