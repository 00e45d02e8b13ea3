"""Issuances, attestations and minting."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, model_validator

from api.schemas.common import (
    Address,
    Amount,
    Hash32,
    IssuanceId,
    NameOf,
    RequestBody,
    Signature,
    TypedData,
    Uint64,
    Uint256,
)
from sdap.types import AttestationStatus, IssuanceParams, IssuerConsent
from sdap.types import Coverage as CoverageValue

#: Where a decision to issue is published: a URL the gateway can fetch, to hash what it finds.
DecisionUri = Annotated[
    str,
    Field(
        min_length=8,
        max_length=2000,
        pattern=r"^https?://[^\s/?#@]+(?:[/?#]\S*)?$",
        description="An http(s) URL the gateway fetches; a host on a private or reserved address is refused "
        "(`decision_uri_not_allowed`) unless the gateway allows them.",
        examples=["https://issuer.example/decisions/2026-001.pdf"],
    ),
]


class IssuanceTerms(RequestBody):
    """An issuance's terms, as its issuer consents to them (Law art. 6.5) and the operator posts them."""

    issuer: Address
    asset_type: int = Field(ge=1, le=2**32 - 1)
    decision_uri: DecisionUri
    decision_hash: Hash32 = Field(description="sha256 of the published decision document.")
    evidence_hash: Hash32 = Field(description="Hash of the evidence of property or IP rights.")
    unit_description: str = Field(min_length=1, max_length=2000)
    max_supply: Amount

    def params(self) -> IssuanceParams:
        return IssuanceParams(
            issuer=self.issuer,
            asset_type=self.asset_type,
            decision_hash=bytes.fromhex(self.decision_hash[2:]),
            decision_uri=self.decision_uri,
            evidence_hash=bytes.fromhex(self.evidence_hash[2:]),
            unit_description=self.unit_description,
            max_supply=self.max_supply,
        )


class ConsentSignature(RequestBody):
    """The issuer's EIP-712 signature over the terms and this gateway's operator (get what to sign
    from POST /v1/issuances/consent-message, or sign off-line with
    `sdap issuance consent --operator ADDRESS ... --sign-only`)."""

    nonce: Uint256 = Field(description="The issuer's next unused consent nonce of its key (upper 192 bits).")
    deadline: Uint64 = Field(description="Unix time after which the consent may not be used.")
    signature: Signature


class IssuanceCreation(IssuanceTerms):
    """What the gateway needs to post an issuance: the terms and the issuer's signed consent to
    them. It checks the consent as the contract will, then fetches `decision_uri` itself and
    refuses if the sha256 of the document is not `decision_hash` (Law art. 7: the decision governs
    the rights)."""

    consent: ConsentSignature

    def issuer_consent(self) -> IssuerConsent:
        c = self.consent
        return IssuerConsent(nonce=c.nonce, deadline=c.deadline, signature=bytes.fromhex(c.signature[2:]))


class ConsentTerms(IssuanceTerms):
    """The terms an issuer is to consent to, and under which nonce key and until when."""

    deadline: Uint64 | None = Field(None, description="Until when the consent may be used; a day from now if absent.")
    key: int = Field(
        0,
        ge=0,
        le=2**192 - 1,
        description="The nonce key: consents under one key are used in order (give each operator its own).",
    )


class ConsentRequest(BaseModel):
    """What the issuer's wallet signs (`eth_signTypedData_v4`) to consent to the terms run by this
    gateway's operator; send `nonce`, `deadline` and the signature as the creation's `consent`."""

    typed_data: TypedData
    digest: Hash32
    operator: Address = Field(description="The operator the consent names: this gateway's, which posts the issuance.")
    nonce: Uint256 = Field(description="The issuer's next unused consent nonce of the key.")
    deadline: int


class ConsentWithdrawal(RequestBody):
    """The nonce of a consent the issuer signed and takes back: it must be the issuer's next unused
    one of its key, which is then spent, so no consent signed with it can be used."""

    nonce: Uint256


class ConsentWithdrawn(BaseModel):
    issuer: Address
    nonce: Uint256
    tx_hash: Hash32
    block_number: int


class IssuanceCreated(BaseModel):
    id: int
    decision_hash: Hash32
    tx_hash: Hash32
    block_number: int


class AttestationSubmission(RequestBody):
    """A verifier's EIP-712 signed attestation (Law art. 6.8); the signature is the authority. A
    collateral backs one live attestation at a time on the whole platform: a renewal names the
    live one in `supersedes`, which stops counting in the same transaction."""

    owner: Address
    collateral_ref: Hash32
    value: Uint256
    units: Uint256
    valid_until: Uint64
    nonce: Uint256
    supersedes: Hash32 | None = Field(
        None, description="The id of the live attestation of the same collateral this one renews (signed with it)."
    )
    signature: Signature


class AttestationAttached(BaseModel):
    attestation_id: Hash32
    tx_hash: Hash32
    block_number: int


AttestationStatusName = Annotated[str, NameOf(AttestationStatus)]


class Attestation(BaseModel):
    """An attached collateral attestation (Law art. 6.8) and whether it counts now."""

    attestation_id: Hash32
    issuance_id: int
    verifier: Address
    owner: Address
    collateral_ref: Hash32
    value: int
    units: int
    valid_until: int
    revoked: bool
    status: AttestationStatusName = Field(
        description="Whether it counts now (`live`), and if not the first reason; `verifier_withdrawn`: the "
        "verifier's accreditation was withdrawn after it was attached."
    )
    accreditation: int = Field(description="The verifier's accreditation epoch when it was attached.")
    superseded_by: Hash32 | None = Field(description="The renewal that replaced it, if any.")


class Coverage(BaseModel):
    """An issuance's collateral counted now (Law art. 5.2, 6.8): `covered` units by live
    attestations against `supply`, covering it until `covered_until` (0: not even now). While
    `undercollateralised`, nothing is minted and units move only back to the issuer, by redemption
    or by regulator order."""

    issuance_id: int
    covered: int
    supply: int
    covered_until: int
    undercollateralised: bool

    @classmethod
    def of(cls, issuance_id: int, value: CoverageValue) -> Coverage:
        return cls(
            issuance_id=issuance_id,
            covered=value.covered,
            supply=value.supply,
            covered_until=value.covered_until,
            undercollateralised=value.undercollateralised,
        )


class HolderBalance(BaseModel):
    holder: Address
    balance: int


class Issuance(BaseModel):
    id: int
    operator: Address
    issuer: Address
    asset_type: int
    paused: bool
    paused_by_regulator: bool = Field(
        description="The regulator paused it, or a supervisor with its authority: no operator lifts the pause."
    )
    closed: bool
    max_supply: int
    total_supply: int
    covered_units: int = Field(description="Units the issuer's live attestations cover now.")
    covered_until: int = Field(
        description="Until when live collateral covers the supply, as the chain last recorded it (on a mint beyond "
        "the units covered as long as the last count, and on every redemption, attachment, renewal, revocation and "
        "coverage sync; a mint within those units leaves it true as it stands); `coverage` is the count now."
    )
    coverage: Coverage
    pending_redemption: int = Field(
        description="Units in the asset's custody awaiting the issuer's answer to redemption requests: still in "
        "the supply (and to be covered), held by no holder."
    )
    decision_uri: str
    decision_hash: Hash32
    evidence_hash: Hash32
    fulfilment_hash: Hash32
    unit_description: str
    attestations: list[Attestation] = Field(description="The first page of the attestations recorded.")
    attestations_next: str | None = Field(
        None, description="When more follow: the cursor of `GET /v1/issuances/{id}/attestations` for the rest."
    )
    holders: list[HolderBalance] = Field(description="The first page of the holders, by address.")
    holders_next: str | None = Field(
        None, description="When more follow: the cursor of `GET /v1/issuances/{id}/holders` for the rest."
    )


class IssuanceSummary(BaseModel):
    id: int
    issuer: Address
    operator: Address
    asset_type: int
    total_supply: int
    max_supply: int
    closed: bool
    paused: bool
    paused_by_regulator: bool
    undercollateralised: bool = Field(description="Live collateral does not cover the supply now.")


class MintRequest(RequestBody):
    to: Address
    amount: Amount


class Minted(BaseModel):
    issuance_id: int
    to: Address
    amount: int
    tx_hash: Hash32
    block_number: int


class DecisionUriChange(RequestBody):
    """Where the decision is published from now on. The anchored hash never changes: the gateway
    fetches the new URI and refuses unless the document there hashes to it."""

    decision_uri: DecisionUri


class DecisionUriChanged(BaseModel):
    issuance_id: int
    decision_uri: str
    decision_hash: Hash32 = Field(description="The anchored hash the document at the new URI was found to have.")
    tx_hash: Hash32
    block_number: int


#: Issuances one succession may name: with about 10,000 gas each, well within a block.
SUCCESSION_LIMIT = 1000


class IssuanceSuccession(RequestBody):
    """A regulator's order handing issuances to a successor operator (its permit must be in force):
    named by `ids`, or every issuance operator `all_of` runs now. The successor mints, pauses and
    closes them from then on, and its permit is the one their transfers need."""

    ids: list[IssuanceId] | None = Field(
        None, min_length=1, max_length=SUCCESSION_LIMIT, description="The issuances, each once."
    )
    all_of: Address | None = Field(None, description="Every issuance this operator runs (instead of `ids`).")
    successor: Address
    order_hash: Hash32 = Field(description="Hash of the regulator's order.")

    @model_validator(mode="after")
    def _one_selection(self) -> IssuanceSuccession:
        if (self.ids is None) == (self.all_of is None):
            raise ValueError("name the issuances by `ids` or by `all_of`, not both")
        if self.ids is not None and len(set(self.ids)) != len(self.ids):
            raise ValueError("an issuance is named twice in `ids`")
        return self


class Succeeded(BaseModel):
    """The issuances handed over, as the transaction's events name them."""

    ids: list[int]
    successor: Address
    tx_hash: Hash32
    block_number: int
