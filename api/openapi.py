"""What the OpenAPI document says beyond FastAPI's defaults: the roles each operation admits
(`x-roles`), every problem each may answer (with its media type and headers; `regulator_governed`
on each that sends a transaction with the regulator's own key), the Problem schema, and integer
bounds written as the exact integers they are.

The roles and problems are set on each route as it is declared (`GatewayRoute`, the route class of
every router), so the document is the same whichever app is built first and however often.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

from api import errors
from api.deps import get_gateway
from api.errors import CODES_KEY, ApiError, Problem, problems

#: Answered by any route a caller must be signed in for.
_SIGNED_IN: tuple[type[ApiError], ...] = (
    errors.Unauthenticated,
    errors.AmbiguousCredentials,
    errors.Forbidden,
    errors.RateLimited,
)
#: Answered by any route that takes a body, before the route runs.
_WITH_BODY: tuple[type[ApiError], ...] = (errors.MalformedBody, errors.BodyTooLarge)


def _calls(dependant: Dependant) -> Iterable[Callable[..., Any]]:
    pending = list(dependant.dependencies)
    while pending:
        dependency = pending.pop()
        if dependency.call is not None:
            yield dependency.call
        pending.extend(dependency.dependencies)


def _guard(route: APIRoute) -> Callable[..., Any] | None:
    """The route's `require` (or `signing`) dependency; None for a public route."""
    return next((call for call in _calls(route.dependant) if getattr(call, "roles", None) is not None), None)


def route_roles(route: APIRoute) -> tuple[str, ...] | None:
    """The roles a route admits (from its `require` dependency); None for a public route."""
    guard = _guard(route)
    return None if guard is None else tuple(str(r) for r in guard.roles)  # type: ignore[attr-defined]


def signs_with_callers_key(route: APIRoute) -> bool:
    """Whether the route's transaction is signed by the caller's own key (its guard is `signing`):
    the regulator of a governed deployment is refused it (`regulator_governed`)."""
    return bool(getattr(_guard(route), "own_key", False))


def _uses_gateway(route: APIRoute) -> bool:
    return any(call is get_gateway for call in _calls(route.dependant))


class GatewayRoute(APIRoute):
    """A route of the gateway: its operation lists the roles it admits under `x-roles` ("public"
    when anyone may call it) and every problem it may answer, its own and those every route of
    its kind may (authentication, body, rate limits, the gateway starting)."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, endpoint, **kwargs)
        roles = route_roles(self)
        self.openapi_extra = {**(self.openapi_extra or {}), "x-roles": list(roles) if roles else ["public"]}
        automatic: list[type[ApiError]] = []
        if roles:
            automatic += _SIGNED_IN
        if roles and "regulator" in roles and signs_with_callers_key(self):
            automatic.append(errors.RegulatorGoverned)
        if self.body_field is not None:
            automatic += _WITH_BODY
        if _uses_gateway(self):
            automatic.append(errors.NotReady)
        self.responses = _merged(self.responses, automatic)


def _merged(
    responses: dict[int | str, dict[str, Any]], automatic: list[type[ApiError]]
) -> dict[int | str, dict[str, Any]]:
    """`responses` with the problems of `automatic` added to those declared."""
    known = errors.by_code()
    declared = [known[code] for entry in responses.values() for code in entry.get(CODES_KEY, ())]
    merged: dict[int | str, dict[str, Any]] = dict(problems(*declared, *automatic))
    for status, entry in responses.items():
        if CODES_KEY in entry:
            continue
        key = int(status)
        if key in merged:  # a model of its own beside the problems (readiness's 503)
            problem = merged[key]
            entry = {
                **problem,
                **entry,
                "description": f"{entry.get('description', '')} {problem['description']}".strip(),
                "content": {**problem["content"], **entry.get("content", {})},
            }
        merged[key] = entry
    return merged


def api_routes(app: FastAPI) -> list[tuple[str, APIRoute]]:
    """Every API route with its full path."""
    found = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute):
            found.append((str(context.path_format), route))
    return found


def install_openapi(app: FastAPI) -> None:
    """Adds the Problem schema (routes refer to it by $ref) and writes integer bounds exactly."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = original()
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components.setdefault("Problem", Problem.model_json_schema(ref_template="#/components/schemas/{model}"))
            components.pop("HTTPValidationError", None)
            components.pop("ValidationError", None)
            app.openapi_schema = _exact_bounds(schema)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


_BOUNDS = ("maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum")
#: FastAPI's OpenAPI models hold bounds as floats, so 2^64 - 1 arrives as 1.8446744073709552e19 (2^64).
#: Every large bound the gateway's schemas use is 2^n - 1 (the Solidity unsigned types), so those
#: are written back exactly; tests compare each bound with the model's own.
_LARGE: dict[float, int] = {float(2**n - 1): 2**n - 1 for n in range(54, 257)}


def _exact_bounds(node: Any) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key in _BOUNDS and isinstance(value, float):
                value = _exact(value)
            out[key] = _exact_bounds(value)
        return out
    if isinstance(node, list):
        return [_exact_bounds(v) for v in node]
    return node


def _exact(value: float) -> int | float:
    if not value.is_integer():
        return value
    if abs(value) < 2**53:
        return int(value)
    exact = _LARGE.get(value)
    if exact is not None:
        return exact
    raise ValueError(f"an integer bound of {value} is not 2^n - 1: write it in api.openapi._exact")
