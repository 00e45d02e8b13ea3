"""Issuances, attestations and minting."""

from __future__ import annotations

from pydantic import BaseModel, Field

from api.schemas.common import Address, Amount, Hash32, RequestBody, Signature, Uint64, Uint256


class IssuanceCreation(RequestBody):
    """What the gateway needs to post an issuance. It fetches `decision_uri` itself and refuses if
    the sha256 of the document is not `decision_hash` (Law art. 7: the decision governs the rights)."""

    issuer: Address
    asset_type: int = Field(ge=1, le=2**32 - 1)
    decision_uri: str = Field(min_length=1, max_length=2000)
    decision_hash: Hash32 = Field(description="sha256 of the published decision document.")
    evidence_hash: Hash32 = Field(description="Hash of the evidence of property or IP rights.")
    unit_description: str = Field(min_length=1, max_length=2000)
    max_supply: Amount


class IssuanceCreated(BaseModel):
    id: int
    decision_hash: Hash32
    tx_hash: Hash32
    block_number: int


class AttestationSubmission(RequestBody):
    """A verifier's EIP-712 signed attestation (Law art. 6.8); the signature is the authority."""

    owner: Address
    collateral_ref: Hash32
    value: Uint256
    units: Uint256
    valid_until: Uint64
    nonce: Uint256
    signature: Signature


class AttestationAttached(BaseModel):
    attestation_id: Hash32
    tx_hash: Hash32
    block_number: int


class Attestation(BaseModel):
    attestation_id: Hash32
    verifier: Address
    owner: Address
    collateral_ref: Hash32
    value: int
    units: int
    valid_until: int
    revoked: bool


class HolderBalance(BaseModel):
    holder: Address
    balance: int


class Issuance(BaseModel):
    id: int
    operator: Address
    issuer: Address
    asset_type: int
    paused: bool
    closed: bool
    max_supply: int
    total_supply: int
    covered_units: int = Field(description="Units the issuer's live attestations cover now.")
    decision_uri: str
    decision_hash: Hash32
    evidence_hash: Hash32
    fulfilment_hash: Hash32
    unit_description: str
    attestations: list[Attestation]
    holders: list[HolderBalance]


class IssuanceSummary(BaseModel):
    id: int
    issuer: Address
    operator: Address
    asset_type: int
    total_supply: int
    max_supply: int
    closed: bool
    paused: bool


class MintRequest(RequestBody):
    to: Address
    amount: Amount


class Minted(BaseModel):
    issuance_id: int
    to: Address
    amount: int
    tx_hash: Hash32
    block_number: int
