"""The FastAPI application: /v1 routes, problem+json errors, and the gateway built at startup."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Any

from eth_account.signers.local import LocalAccount
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

from api import handlers
from api.errors import Problem
from api.gateway import Gateway
from api.routes import router
from api.settings import Settings

log = logging.getLogger("sdap.gateway")

DESCRIPTION = """\
The gateway of SDAP, a permissioned platform for secured digital assets (Law of the Republic of
Kazakhstan "On digital assets"). Every rule it checks early is also enforced by the contracts.

**Authentication.** Issuers, operators, compliance officers, verifiers, auditors and the regulator
send an API key in `X-API-Key`. Holders sign in with their wallet (EIP-4361: `GET /v1/auth/nonce`,
then `POST /v1/auth/sign-in`) and send `Authorization: Bearer <token>`; they act only for that
wallet. Each operation lists the roles it admits under `x-roles`.

**Retries.** Every writing POST accepts `Idempotency-Key`: the same key and body get the first
answer again (header `Idempotent-Replayed: true`) without a second transaction.

**Errors** are RFC 9457 `application/problem+json` documents with a stable `code`
(`GET /v1/problems` lists them).
"""


def create_app(
    settings: Settings,
    *,
    signers: Iterable[LocalAccount] | None = None,
    background: bool = True,
    gateway: Gateway | None = None,
) -> FastAPI:
    """The gateway application, opened when it starts (or serving `gateway`, already opened).
    `signers` replaces the keystores (tests, benchmarks); `background=False` leaves the periodic
    tasks off (tests drive them)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        nonlocal gateway
        if gateway is None:
            gateway = Gateway.open(settings, signers)
        app.state.gateway = gateway
        if background:
            gateway.start_background()
        log.info(
            "gateway ready: operator %s, chain %s", gateway.chain.operator_address, gateway.chain.deployment.chain_id
        )
        try:
            yield
        finally:
            app.state.gateway = None
            await gateway.chain.node.aclose()
            gateway.close()
            gateway = None

    app = FastAPI(
        title="SDAP gateway",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        openapi_url="/v1/openapi.json",
        docs_url="/v1/docs",
        redoc_url=None,
    )
    app.state.gateway = None
    handlers.install(app)
    app.include_router(router)
    annotate_roles(app)
    _problem_schema(app)
    return app


def route_roles(route: APIRoute) -> tuple[str, ...] | None:
    """The roles a route admits (from its `require` dependency); None for a public route."""
    pending = list(route.dependant.dependencies)
    while pending:
        dependency = pending.pop()
        roles = getattr(dependency.call, "roles", None)
        if roles is not None:
            return tuple(str(r) for r in roles)
        pending.extend(dependency.dependencies)
    return None


def api_routes(app: FastAPI) -> list[tuple[str, APIRoute]]:
    """Every API route with its full path (routers included into others are resolved lazily)."""
    found = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute):
            found.append((str(context.path_format), route))
    return found


def annotate_roles(app: FastAPI) -> None:
    for _, route in api_routes(app):
        roles = route_roles(route)
        route.openapi_extra = {**(route.openapi_extra or {}), "x-roles": list(roles) if roles else ["public"]}


def _problem_schema(app: FastAPI) -> None:
    """Makes sure the Problem schema is in the document (routes refer to it by $ref)."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = original()
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components.setdefault("Problem", Problem.model_json_schema(ref_template="#/components/schemas/{model}"))
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
