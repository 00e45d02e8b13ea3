"""The gateway spells the SDK's enums by their names: one vocabulary, never a list kept by hand."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError

from api.schemas.holders import Me
from api.schemas.issuances import Attestation
from api.schemas.registry import AssetType, AssetTypeListing, Issuer, IssuerStatusChange, Participant, Permit
from sdap.types import AssetCategory, AttestationStatus, IssuerStatus, ParticipantStatus, PermitState, PermitStatus

ZERO = "0x" + "00" * 32


def enum_of(model: type[BaseModel], field: str) -> list[str]:
    return list(model.model_json_schema()["properties"][field]["enum"])


def test_the_schemas_name_every_member_of_the_sdk_enums() -> None:
    lower = lambda values: [m.name.lower() for m in values]  # noqa: E731
    assert enum_of(Permit, "status") == lower(PermitStatus)
    assert enum_of(Permit, "state") == lower(PermitState)
    assert enum_of(Issuer, "status") == lower(IssuerStatus)
    assert enum_of(Participant, "status") == lower(ParticipantStatus)
    assert enum_of(Me, "status") == lower(ParticipantStatus)
    assert enum_of(Attestation, "status") == lower(AttestationStatus)
    assert enum_of(AssetType, "category") == lower(AssetCategory)


def test_a_request_names_only_what_it_may_ask_for() -> None:
    assert IssuerStatusChange(status="suspended", reason_hash=ZERO).status == "suspended"
    with pytest.raises(ValidationError, match="'active', 'suspended' or 'removed'"):
        IssuerStatusChange(status="none", reason_hash=ZERO)
    with pytest.raises(ValidationError):
        IssuerStatusChange(status="SUSPENDED", reason_hash=ZERO)
    assert AssetTypeListing(name="Grain", category="intellectual_property").category == "intellectual_property"
    with pytest.raises(ValidationError):
        AssetTypeListing(name="Grain", category="none")
