"""The catalogue of problem codes."""

from __future__ import annotations

from fastapi import APIRouter

from api.errors import all_errors, description
from api.openapi import GatewayRoute
from api.schemas.misc import ProblemType

router = APIRouter(tags=["problems"], route_class=GatewayRoute)


@router.get("/problems", response_model=list[ProblemType], summary="Every problem code the gateway answers with")
def catalogue() -> list[ProblemType]:
    return [ProblemType(code=e.code, status=e.status, title=e.title, description=description(e)) for e in all_errors()]
