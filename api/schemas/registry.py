"""Permits, the register of issuers and operators, asset types, participants and risk notices."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from api.schemas.common import Address, Hash32, NameOf, RequestBody, Uint64, hex32, name_of
from sdap.types import AssetCategory, IssuerStatus, ParticipantStatus, PermitState, PermitStatus
from sdap.types import AssetType as AssetTypeValue
from sdap.types import Issuer as IssuerValue
from sdap.types import Operator as OperatorValue
from sdap.types import Participant as ParticipantValue
from sdap.types import Permit as PermitValue
from sdap.types import RiskNotice as RiskNoticeValue

# --- permits --------------------------------------------------------------------------------


class PermitGrant(RequestBody):
    operator: Address
    valid_from: Uint64 = Field(description="Unix time the permit is in force from (0: at once).")
    valid_until: Uint64 = Field(description="Unix time the permit ends (not included).")
    document_hash: Hash32 = Field(description="Hash of the permit document.")


class PermitRenewal(RequestBody):
    valid_until: Uint64
    document_hash: Hash32


class Permit(BaseModel):
    operator: Address
    status: Annotated[str, NameOf(PermitStatus)]
    state: Annotated[str, NameOf(PermitState)]
    valid_from: int
    valid_until: int
    document_hash: Hash32

    @classmethod
    def of(cls, permit: PermitValue, state: PermitState) -> Permit:
        return cls(
            operator=permit.operator,
            status=name_of(permit.status),
            state=name_of(state),
            valid_from=permit.valid_from,
            valid_until=permit.valid_until,
            document_hash=hex32(permit.document_hash),
        )


# --- the state register of issuers ----------------------------------------------------------


class _LegalDetails(RequestBody):
    """Who a registered wallet is: what the register shows of an issuer or an operator."""

    legal_name: str = Field(min_length=1, max_length=500, examples=["Qazaq Grain LLP"])
    business_id: str = Field(
        min_length=1, max_length=100, description="Business identification number (BIN).", examples=["210240012345"]
    )
    jurisdiction: str = Field(min_length=2, max_length=100, description="Country of registration.", examples=["KZ"])
    details_hash: Hash32 = Field(description="sha256 of the register entry's document, kept off-chain.")


class IssuerDetails(_LegalDetails):
    """An issuer's details as the state register shows them (Law art. 4.1.10)."""


class IssuerRegistration(IssuerDetails):
    wallet: Address


#: What the regulator may set an issuer's status to.
IssuerStatusName = Annotated[str, NameOf(IssuerStatus, without=("none",))]


class IssuerStatusChange(RequestBody):
    status: IssuerStatusName
    reason_hash: Hash32


class Issuer(BaseModel):
    wallet: Address
    status: Annotated[str, NameOf(IssuerStatus)]
    legal_name: str
    business_id: str
    jurisdiction: str
    details_hash: Hash32

    @classmethod
    def of(cls, issuer: IssuerValue) -> Issuer:
        return cls(
            wallet=issuer.wallet,
            status=name_of(issuer.status),
            legal_name=issuer.legal_name,
            business_id=issuer.business_id,
            jurisdiction=issuer.jurisdiction,
            details_hash=hex32(issuer.details_hash),
        )


# --- operators ------------------------------------------------------------------------------


class OperatorDetailsRecord(_LegalDetails):
    """Who the operator is, as the register shows it beside its permit; recorded again to correct."""


class OperatorDetails(BaseModel):
    legal_name: str
    business_id: str
    jurisdiction: str
    details_hash: Hash32


class Operator(BaseModel):
    """An operator in the register: every address ever granted a permit or given details, whatever
    its permit's state now."""

    operator: Address
    permit: Permit
    details: OperatorDetails | None = Field(description="Null until the regulator records them.")

    @classmethod
    def of(cls, value: OperatorValue) -> Operator:
        details = value.details
        return cls(
            operator=value.address,
            permit=Permit.of(value.permit, value.permit_state),
            details=None
            if not details.recorded
            else OperatorDetails(
                legal_name=details.legal_name,
                business_id=details.business_id,
                jurisdiction=details.jurisdiction,
                details_hash=hex32(details.details_hash),
            ),
        )


# --- asset types ----------------------------------------------------------------------------

#: The categories a listing may name (money and securities are named so that the registry refuses them).
CategoryName = Annotated[str, NameOf(AssetCategory, without=("none",))]


class AssetTypeListing(RequestBody):
    name: str = Field(min_length=1, max_length=200)
    category: CategoryName = Field(description="Money and securities are refused by the registry (Law art. 1.1).")


class AssetType(BaseModel):
    type_id: int
    name: str
    category: Annotated[str, NameOf(AssetCategory)]
    listed: bool

    @classmethod
    def of(cls, value: AssetTypeValue) -> AssetType:
        return cls(type_id=value.type_id, name=value.name, category=name_of(value.category), listed=value.listed)


class AssetTypeCreated(BaseModel):
    type_id: int
    tx_hash: Hash32
    block_number: int


# --- participants ---------------------------------------------------------------------------


class ParticipantIdentity(RequestBody):
    identity_ref: Hash32 = Field(description="Hash of the identification record kept off-chain.")
    identity_expiry: Uint64 = Field(description="Unix time the identification must be renewed by.")


class ParticipantRegistration(ParticipantIdentity):
    wallet: Address


class Participant(BaseModel):
    wallet: Address
    registered: bool
    frozen: bool
    identity_expiry: int
    acknowledged_notice: int
    identity_ref: Hash32
    operator: Address | None = Field(
        description="The operator that identified the participant: only it (while its permit is in force) "
        "or the regulator updates the identification. Null while not registered."
    )
    status: Annotated[str, NameOf(ParticipantStatus)]
    recovered_to: Address | None = Field(
        description="The wallet the participant went on under once this one was lost (its units follow there); "
        "null unless this wallet is lost. A lost wallet is never registered again."
    )

    @classmethod
    def of(cls, value: ParticipantValue, status: ParticipantStatus, recovered_to: str | None) -> Participant:
        return cls(
            wallet=value.wallet,
            registered=value.registered,
            frozen=value.frozen,
            identity_expiry=value.identity_expiry,
            acknowledged_notice=value.acknowledged_notice,
            identity_ref=hex32(value.identity_ref),
            operator=value.operator if int(value.operator, 16) else None,
            status=name_of(status),
            recovered_to=recovered_to,
        )


class RegisteredWallet(BaseModel):
    """A wallet in an operator's public list: what the register shows anyone (whether it may take
    part now), never who the person is. The identification (`identity_ref`, its expiry) is read at
    /v1/participants/{wallet}, by the roles that supervise participants."""

    wallet: Address
    registered: bool
    frozen: bool
    status: Annotated[str, NameOf(ParticipantStatus)]

    @classmethod
    def of(cls, value: ParticipantValue, status: ParticipantStatus) -> RegisteredWallet:
        return cls(wallet=value.wallet, registered=value.registered, frozen=value.frozen, status=name_of(status))


# --- risk notices ---------------------------------------------------------------------------


class RiskNoticePublication(RequestBody):
    text: str = Field(min_length=1, max_length=200_000, description="The notice as holders read it (UTF-8).")


class RiskNotice(BaseModel):
    """A version of the risk notice (Law art. 6.4). `content_hash` is the sha256 of the text's UTF-8
    bytes; `text` is null when the text at `uri` cannot be fetched or does not match the hash."""

    version: int
    content_hash: Hash32
    uri: str
    published_at: int
    text: str | None
    text_verified: bool

    @classmethod
    def of(cls, value: RiskNoticeValue, text: str | None) -> RiskNotice:
        return cls(
            version=value.version,
            content_hash=hex32(value.content_hash),
            uri=value.uri,
            published_at=value.published_at,
            text=text,
            text_verified=text is not None,
        )


class RiskNoticePublished(BaseModel):
    version: int
    content_hash: Hash32
    uri: str
    tx_hash: Hash32
    block_number: int


class Acknowledgement(RequestBody):
    """A holder's EIP-712 acknowledgement of the notice in force, relayed by the operator."""

    version: int = Field(ge=1, le=2**32 - 1)
    deadline: Uint64
    signature: str = Field(pattern=r"^0x[0-9a-fA-F]{130}$")
