"""A limit on request bodies, enforced before routing and on the bytes as they arrive.

A body announced longer than the limit (`Content-Length`) is refused before anything is routed or
read; a body without a length (chunked) is counted as it streams in and refused at the first byte
past the limit, so no request holds more than the limit in memory. The limit is the gateway's
default (`SDAP_MAX_BODY_BYTES`) except on the few routes that declare a larger one
(`max_body_size=` on the route), matched by method and path.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from fastapi.routing import APIRoute, iter_route_contexts
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import BodyTooLarge, problem_response


class _TooLarge(HTTPException):
    """Raised from `receive` at the first byte past the limit: FastAPI passes an HTTPException
    raised while it reads the body on, and the gateway's handler answers `body_too_large`."""

    def __init__(self) -> None:
        super().__init__(status_code=413)


@dataclass(frozen=True)
class _Larger:
    methods: frozenset[str]
    path: re.Pattern[str]
    limit: int


class BodyLimit:
    def __init__(self, app: ASGIApp, default: int) -> None:
        self.app = app
        self.default = default
        self._larger: Sequence[_Larger] | None = None

    def limit(self, scope: Scope) -> int:
        if self._larger is None:
            self._larger = _declared(scope["app"].routes)
        for route in self._larger:
            if scope["method"] in route.methods and route.path.match(scope["path"]):
                return route.limit
        return self.default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit(scope)
        announced = Headers(scope=scope).get("content-length")
        if announced is not None and announced.isdigit() and int(announced) > limit:
            await _refuse(scope, receive, send, limit)
            return
        received = 0
        started = False

        async def counting() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge
            return message

        async def tracking(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting, tracking)
        except _TooLarge:
            if not started:  # read outside a route (the route's handler answers it otherwise)
                await _refuse(scope, receive, send, limit)


async def _refuse(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
    error = BodyTooLarge(f"this route takes bodies of at most {limit} bytes", limit=limit)
    response = problem_response(error, scope.get("path"))
    response.headers["Connection"] = "close"  # the rest of the body is not read
    await response(scope, receive, send)


def _declared(routes: Sequence[object]) -> list[_Larger]:
    """The routes that declare a limit of their own."""
    found = []
    for context in iter_route_contexts(routes):  # type: ignore[arg-type]
        route = context.original_route
        if isinstance(route, APIRoute) and route.max_body_size is not None:
            found.append(_Larger(frozenset(route.methods or ()), context.path_regex, route.max_body_size))
    return found
