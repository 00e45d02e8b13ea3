"""The FastAPI application: /v1 routes, problem+json errors, and the gateway built at startup."""

from __future__ import annotations

import logging
import sys
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager

from eth_account.signers.local import LocalAccount
from fastapi import FastAPI

from api import handlers
from api.body_limit import BodyLimit
from api.gateway import Gateway
from api.openapi import install_openapi
from api.routes import router
from api.settings import Settings
from api.web import install_web

#: The deepest the interpreter recurses in the gateway's process (see create_app).
RECURSION_LIMIT = 10_000

log = logging.getLogger("sdap.gateway")

DESCRIPTION = """\
The gateway of SDAP, a permissioned platform for secured digital assets (Law of the Republic of
Kazakhstan "On digital assets"). Every rule it checks early is also enforced by the contracts.

**Authentication.** Issuers, operators, compliance officers, supervisors, verifiers, auditors and
the regulator send an API key in `X-API-Key`. Holders sign in with their wallet (EIP-4361:
`GET /v1/auth/nonce`, then `POST /v1/auth/sign-in`) and send `Authorization: Bearer <token>`; they
act only for that wallet. Each operation lists the roles it admits under `x-roles`.

**A governed regulator.** Where the deployment's regulator is a council and a timelock, the
routes that would send the regulator's acts with its key answer `regulator_governed` (409): the
council proposes them (the command line's `--propose`, then `sdap proposal sign`, `schedule`,
`execute`). Reads are the same; a supervisor's key pauses and unpauses issuances at once.

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
    # py_ecc, imported with the Ethereum libraries, raises the interpreter's recursion limit to
    # 100,000 for work the gateway never asks of it. At that limit a body nested some 70,000 levels
    # deep (180 KB, within the notices' 2 MiB) overflows the C stack while its JSON is parsed, and
    # the process dies; at this one, the parser refuses it (400) long before.
    sys.setrecursionlimit(min(sys.getrecursionlimit(), RECURSION_LIMIT))

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

    # web3 logs each request's URL (credentials in it included) and body at DEBUG: the gateway
    # keeps secrets out of every log line, whatever level the process logs at.
    logging.getLogger("web3").setLevel(max(logging.getLogger("web3").level, logging.INFO))
    # Alembic narrates its plugin set-up and context at INFO on every start; the gateway says in
    # one line which versions it applied.
    logging.getLogger("alembic").setLevel(max(logging.getLogger("alembic").level, logging.WARNING))
    app = FastAPI(
        title="SDAP gateway",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        openapi_url="/v1/openapi.json",
        docs_url=None,  # api/web.py: Swagger UI from its own files, not a CDN
        redoc_url=None,
    )
    app.state.gateway = None
    handlers.install(app)
    # Outermost: a body too long is refused before anything else looks at the request.
    app.add_middleware(BodyLimit, default=settings.max_body_bytes)
    app.include_router(router)
    install_web(app)
    install_openapi(app)
    return app
