"""Collateral attestations by id: anyone reads whether one still counts, and if not why (revoked,
superseded by a renewal, expired, its verifier's accreditation withdrawn). They are attached
through their issuance (POST /v1/issuances/{id}/attestations)."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import GatewayDep
from api.errors import CHAIN, AttestationNotFound, problems
from api.openapi import GatewayRoute
from api.schemas.common import Hash32
from api.schemas.issuances import Attestation

router = APIRouter(prefix="/attestations", tags=["issuances"], route_class=GatewayRoute)


@router.get(
    "/{attestation_id}",
    response_model=Attestation,
    summary="An attestation and whether it counts now; a renewal names the one it superseded",
    responses=problems(AttestationNotFound, *CHAIN),
)
def get_attestation(attestation_id: Hash32, gateway: GatewayDep) -> Attestation:
    return gateway.issuances.attestation(bytes.fromhex(attestation_id[2:]))
