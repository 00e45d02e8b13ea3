"""The Python types mirror the Solidity ones: enum members in the same order (the chain stores their
index), struct fields in the same order, role ids the registry's constants."""

from __future__ import annotations

import re
from dataclasses import FrozenInstanceError, fields
from enum import IntEnum
from pathlib import Path

import pytest

from sdap.artifacts import interface_abi, load_artifact
from sdap.platform import Platform
from sdap.types import (
    AssetCategory,
    AssetType,
    AttestationRecord,
    AttestationStatus,
    CollateralAttestation,
    Coverage,
    Encumbrance,
    EscrowState,
    Issuance,
    IssuanceParams,
    Issuer,
    IssuerConsent,
    IssuerStatus,
    Offer,
    OfferRefusal,
    OperatorDetails,
    Participant,
    ParticipantStatus,
    Permit,
    PermitState,
    PermitStatus,
    RedemptionRequest,
    RedemptionState,
    Refusal,
    RiskNotice,
    Role,
)

INTERFACES = Path(__file__).resolve().parents[2] / "contracts" / "interfaces"


def _solidity_enums() -> dict[str, list[str]]:
    text = "\n".join(p.read_text() for p in INTERFACES.glob("*.sol"))
    return {
        m.group(1): [v.strip() for v in m.group(2).split(",") if v.strip()]
        for m in re.finditer(r"enum\s+(\w+)\s*\{([^}]*)\}", text)
    }


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


@pytest.mark.parametrize(
    "enum",
    [PermitStatus, PermitState, IssuerStatus, AssetCategory, ParticipantStatus, Refusal, AttestationStatus,
     RedemptionState, OfferRefusal, EscrowState],
)  # fmt: skip
def test_enum_mirrors_solidity_in_order(enum: type[IntEnum]) -> None:
    solidity = _solidity_enums()[enum.__name__]
    assert [m.name for m in enum] == [_snake(v).upper() for v in solidity]
    assert [m.value for m in enum] == list(range(len(solidity)))


def test_every_solidity_enum_has_a_python_mirror() -> None:
    assert set(_solidity_enums()) == {
        "PermitStatus", "PermitState", "IssuerStatus", "AssetCategory", "ParticipantStatus", "Refusal",
        "AttestationStatus", "RedemptionState", "OfferRefusal", "EscrowState",
    }  # fmt: skip


def _output_components(contract: str, function: str) -> list[str]:
    # At the contract's address: the asset answers for its extension's functions too.
    item = next(i for i in interface_abi(contract) if i.get("name") == function and i["type"] == "function")
    return [_snake(c["name"]) for c in item["outputs"][0]["components"]]


@pytest.mark.parametrize(
    ("cls", "contract", "function", "key"),
    [
        (Permit, "PlatformRegistry", "permit", "operator"),
        (Issuer, "PlatformRegistry", "issuer", "wallet"),
        (AssetType, "PlatformRegistry", "assetType", "type_id"),
        (Participant, "PlatformRegistry", "participant", "wallet"),
        (RiskNotice, "PlatformRegistry", "riskNotice", "version"),
        (Issuance, "SecuredAsset", "issuance", "id"),
        (Encumbrance, "SecuredAsset", "encumbrance", "id"),
        (RedemptionRequest, "SecuredAsset", "redemptionRequest", "id"),
        (AttestationRecord, "CollateralAttestations", "attestation", "attestation_id"),
    ],
)
def test_struct_mirrors_solidity_in_order(cls: type, contract: str, function: str, key: str) -> None:
    names = [f.name for f in fields(cls)]
    assert names[0] == key
    assert names[1:] == _output_components(contract, function)


def test_coverage_mirrors_solidity_in_order() -> None:
    """Coverage is read for an issuance the caller names, so it carries no key of its own."""
    assert [f.name for f in fields(Coverage)] == _output_components("SecuredAsset", "coverage")


def test_operator_details_mirror_solidity_in_order() -> None:
    """OperatorDetails is read for an operator the caller names (Operator carries the address)."""
    assert [f.name for f in fields(OperatorDetails)] == _output_components("PlatformRegistry", "operatorDetails")


def test_input_structs_mirror_solidity() -> None:
    attach = next(i for i in load_artifact("CollateralAttestations").abi if i.get("name") == "attach")
    assert [f.name for f in fields(CollateralAttestation)] == [
        _snake(c["name"]) for c in attach["inputs"][0]["components"]
    ]
    create = next(i for i in interface_abi("SecuredAsset") if i.get("name") == "createIssuance")
    assert [f.name for f in fields(IssuanceParams)] == [_snake(c["name"]) for c in create["inputs"][0]["components"]]
    assert [f.name for f in fields(IssuerConsent)] == [_snake(c["name"]) for c in create["inputs"][1]["components"]]
    take = next(i for i in load_artifact("SecuredExchange").abi if i.get("name") == "take")
    assert [f.name for f in fields(Offer)] == [_snake(c["name"]) for c in take["inputs"][0]["components"]]


def test_values_are_immutable() -> None:
    notice = RiskNotice(1, b"\x01" * 32, 0, "https://sdap.example/risk/1")
    with pytest.raises(FrozenInstanceError):
        notice.version = 2  # type: ignore[misc]


@pytest.mark.parametrize("name", ["operator", "OPERATOR", "OPERATOR_ROLE", " Operator_role "])
def test_role_parses_its_names(name: str) -> None:
    assert Role.parse(name) is Role.OPERATOR


def test_unknown_role_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown role 'auditor'"):
        Role.parse("auditor")


def test_role_ids_are_the_registrys(platform: Platform) -> None:
    registry = platform.contracts.registry.functions
    for role in Role:
        assert getattr(registry, role.value)().call() == role.id
