"""The shared field types and the request body's base (api/schemas/common.py): the SDK's enums spelt by
their names (one vocabulary, never a list kept by hand), addresses as the SDK takes them (a wrong
checksum refused), and no true or false where a number is expected."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError

from api.schemas.holders import Me
from api.schemas.issuances import Attestation, ConsentTerms, MintRequest
from api.schemas.registry import AssetType, AssetTypeListing, Issuer, IssuerStatusChange, Participant, Permit
from sdap.types import AssetCategory, AttestationStatus, IssuerStatus, ParticipantStatus, PermitState, PermitStatus

ZERO = "0x" + "00" * 32
TERMS = {
    "issuer": "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    "asset_type": 1,
    "decision_uri": "https://issuer.example/decision.pdf",
    "decision_hash": ZERO,
    "evidence_hash": ZERO,
    "unit_description": "1 t of wheat",
    "max_supply": 1000,
}


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


def test_an_address_with_a_wrong_checksum_is_refused_not_turned_into_another() -> None:
    right = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
    assert MintRequest(to=right.lower(), amount=1).to == right  # no checksum given: taken, checksummed
    with pytest.raises(ValidationError, match="wrong EIP-55 checksum"):
        MintRequest(to=right[:-1] + "c", amount=1)


@pytest.mark.parametrize("flag", ["true", "false"])
def test_true_or_false_is_no_integer_in_any_request_body(flag: str) -> None:
    to = '"to": "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"'
    with pytest.raises(ValidationError, match="amount: an integer is expected, not true or false"):
        MintRequest.model_validate_json(f'{{{to}, "amount": {flag}}}')
    # An optional integer too (`Uint64 | None`).
    with pytest.raises(ValidationError, match="deadline: an integer is expected"):
        ConsentTerms.model_validate({**TERMS, "deadline": flag == "true"})
    assert MintRequest.model_validate_json(f'{{{to}, "amount": 1}}').amount == 1
