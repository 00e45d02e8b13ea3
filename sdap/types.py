"""What the contracts hold and return, as immutable Python values.

The enums mirror the Solidity enums member for member and in order (the chain stores their index),
which tests/sdk/test_types.py checks against the interfaces' sources. The dataclasses mirror the
Solidity structs field for field, plus the key the struct was read under (an issuance's id, a
permit's operator), so a value makes sense on its own once it has left the call that read it.
Amounts are ints, addresses checksummed strings, hashes 32 bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Any, Generic, TypeVar

from eth_utils import keccak

from sdap.addresses import checksummed
from sdap.transactions import Receipt

IdT = TypeVar("IdT", int, bytes)


# --- Enums (IPlatformRegistry, ISecuredAsset, ICollateralAttestations) ------------------------------------------------


class PermitStatus(IntEnum):
    """What the regulator last did to an operator's permit (Law art. 6.1-6.2)."""

    NONE = 0
    GRANTED = 1
    SUSPENDED = 2
    REVOKED = 3


class PermitState(IntEnum):
    """Whether a permit is in force now, and if not, why."""

    NONE = 0
    ACTIVE = 1
    NOT_YET_VALID = 2
    EXPIRED = 3
    SUSPENDED = 4
    REVOKED = 5


class IssuerStatus(IntEnum):
    """An issuer's entry in the state register (Law art. 4.1.10)."""

    NONE = 0
    ACTIVE = 1
    SUSPENDED = 2
    REMOVED = 3


class AssetCategory(IntEnum):
    """The category of right an asset certifies (Law art. 1.1, 5.1). Money and securities exist
    only so that listing them fails with a clear error."""

    NONE = 0
    GOODS = 1
    SERVICES = 2
    INTELLECTUAL_PROPERTY = 3
    MONEY = 4
    SECURITIES = 5


class ParticipantStatus(IntEnum):
    """Whether a wallet may take part in circulation now, and if not, the first reason."""

    ELIGIBLE = 0
    NOT_REGISTERED = 1
    FROZEN = 2
    IDENTITY_EXPIRED = 3
    NOTICE_NOT_ACKNOWLEDGED = 4


class Refusal(IntEnum):
    """Why a movement of units would be refused now; NONE means it would pass."""

    NONE = 0
    ISSUANCE_UNKNOWN = 1
    ISSUANCE_CLOSED = 2
    ISSUANCE_PAUSED = 3
    PERMIT_NOT_ACTIVE = 4
    ISSUER_NOT_ACTIVE = 5
    ASSET_TYPE_NOT_LISTED = 6
    SENDER_NOT_REGISTERED = 7
    SENDER_FROZEN = 8
    SENDER_IDENTITY_EXPIRED = 9
    RECIPIENT_NOT_REGISTERED = 10
    RECIPIENT_FROZEN = 11
    RECIPIENT_IDENTITY_EXPIRED = 12
    RECIPIENT_NOTICE_NOT_ACKNOWLEDGED = 13
    INSUFFICIENT_BALANCE = 14
    UNITS_RESTRICTED = 15
    MAX_SUPPLY_EXCEEDED = 16
    COLLATERAL_INSUFFICIENT = 17
    SPENDER_NOT_ELIGIBLE = 18
    SENDER_NOTICE_NOT_ACKNOWLEDGED = 19
    UNDERCOLLATERALISED = 20


class AttestationStatus(IntEnum):
    """Whether a collateral attestation counts now, and if not, the first reason (ICollateralAttestations).
    VERIFIER_WITHDRAWN: the verifier's accreditation was withdrawn after it was attached."""

    UNKNOWN = 0
    LIVE = 1
    REVOKED = 2
    SUPERSEDED = 3
    EXPIRED = 4
    VERIFIER_WITHDRAWN = 5


class Role(StrEnum):
    """The registry's roles, by the name of their Solidity constant; `id` is the bytes32."""

    REGULATOR = "REGULATOR_ROLE"
    OPERATOR = "OPERATOR_ROLE"
    VERIFIER = "VERIFIER_ROLE"
    COMPLIANCE = "COMPLIANCE_ROLE"
    SUPERVISOR = "SUPERVISOR_ROLE"
    #: Confirms payments made off-chain for escrows of units that name it (a bank; the exchange).
    SETTLEMENT_AGENT = "SETTLEMENT_AGENT_ROLE"

    @property
    def id(self) -> bytes:
        return keccak(text=self.value)

    @classmethod
    def parse(cls, name: str) -> Role:
        """`operator`, `OPERATOR` or `OPERATOR_ROLE` -> Role.OPERATOR (`settlement-agent` or
        `settlement_agent` -> Role.SETTLEMENT_AGENT). ValueError otherwise."""
        key = name.strip().upper().replace("-", "_").removesuffix("_ROLE")
        if key not in cls.__members__:
            raise ValueError(f"unknown role {name!r}; known: {', '.join(m.name.lower() for m in cls)}")
        return cls[key]


# --- What the registry returns ---------------------------------------------------------------


@dataclass(frozen=True)
class Permit:
    """An operator's permit for issuance and circulation; in force only in [valid_from, valid_until)."""

    operator: str
    status: PermitStatus
    valid_from: int
    valid_until: int
    document_hash: bytes

    @classmethod
    def from_chain(cls, operator: str, raw: Sequence[Any]) -> Permit:
        status, valid_from, valid_until, document_hash = raw
        return cls(_addr(operator), PermitStatus(status), int(valid_from), int(valid_until), bytes(document_hash))


@dataclass(frozen=True)
class Issuer:
    """An entry of the state register of issuers (Law art. 4.1.10)."""

    wallet: str
    status: IssuerStatus
    legal_name: str
    business_id: str
    jurisdiction: str
    details_hash: bytes

    @classmethod
    def from_chain(cls, wallet: str, raw: Sequence[Any]) -> Issuer:
        status, legal_name, business_id, jurisdiction, details_hash = raw
        return cls(_addr(wallet), IssuerStatus(status), legal_name, business_id, jurisdiction, bytes(details_hash))


@dataclass(frozen=True)
class OperatorDetails:
    """The legal details the regulator recorded for an operator, the holder of a permit (Law art.
    6.1). Read for the operator the caller names, so it carries no key of its own; all empty (and a
    zero hash) while none were recorded."""

    legal_name: str
    business_id: str
    jurisdiction: str
    details_hash: bytes

    @classmethod
    def from_chain(cls, raw: Sequence[Any]) -> OperatorDetails:
        legal_name, business_id, jurisdiction, details_hash = raw
        return cls(legal_name, business_id, jurisdiction, bytes(details_hash))

    @property
    def recorded(self) -> bool:
        """Whether the regulator recorded details (it records all four fields or none)."""
        return bool(self.legal_name)


@dataclass(frozen=True)
class Operator:
    """An entry of the register of operators: an address ever granted a permit or given details,
    with its permit, whether that permit is in force now, and its recorded details."""

    address: str
    permit: Permit
    permit_state: PermitState
    details: OperatorDetails


@dataclass(frozen=True)
class AssetType:
    """A recognised type of secured digital asset (Law art. 4.1.8); ids start at 1."""

    type_id: int
    category: AssetCategory
    listed: bool
    name: str

    @classmethod
    def from_chain(cls, type_id: int, raw: Sequence[Any]) -> AssetType:
        category, listed, name = raw
        return cls(int(type_id), AssetCategory(category), bool(listed), name)


@dataclass(frozen=True)
class Participant:
    """An identified participant (Law art. 6.3) and the risk notice it last acknowledged (art. 6.4).
    `operator` identified it: only that operator (while permitted) or the regulator re-identifies it."""

    wallet: str
    registered: bool
    frozen: bool
    identity_expiry: int
    acknowledged_notice: int
    identity_ref: bytes
    operator: str

    @classmethod
    def from_chain(cls, wallet: str, raw: Sequence[Any]) -> Participant:
        registered, frozen, identity_expiry, acknowledged_notice, identity_ref, operator = raw
        return cls(
            _addr(wallet),
            bool(registered),
            bool(frozen),
            int(identity_expiry),
            int(acknowledged_notice),
            bytes(identity_ref),
            _addr(operator),
        )


@dataclass(frozen=True)
class RiskNotice:
    """One version of the risk notice (Law art. 6.4); the newest is in force."""

    version: int
    content_hash: bytes
    published_at: int
    uri: str

    @classmethod
    def from_chain(cls, version: int, raw: Sequence[Any]) -> RiskNotice:
        content_hash, published_at, uri = raw
        return cls(int(version), bytes(content_hash), int(published_at), uri)


# --- What the asset contract returns and takes -----------------------------------------------


@dataclass(frozen=True)
class IssuanceParams:
    """What an operator posts to create an issuance (Law art. 5.1, 7): the decision to issue (its
    hash and public URI) and the evidence of rights are recorded before any unit exists."""

    issuer: str
    asset_type: int
    decision_hash: bytes
    decision_uri: str
    evidence_hash: bytes
    unit_description: str
    max_supply: int


@dataclass(frozen=True)
class Issuance:
    """An issuance ("release"): one ERC-1155 id. `fulfilment_hash` is set when it is closed.

    `covered_until`: until when its live collateral, as last counted, covers the supply (Law art.
    5.2, 6.8); from then on it is under-collateralised. The count was made under the registry's
    accreditation revision `coverage_revision`: a later withdrawal has it counted again (see
    Coverage for the count now). `paused_by_regulator`: a pause only the regulator lifts."""

    id: int
    operator: str
    covered_until: int
    paused: bool
    paused_by_regulator: bool
    closed: bool
    coverage_revision: int
    issuer: str
    asset_type: int
    #: Units in circulation, with those in the asset's custody awaiting redemption (`totalSupply`).
    supply: int
    #: The most units the issuance may ever have (at most MAX_UNITS).
    max_supply: int
    #: Units of the live attestations that run at least until `covered_until`, as recorded with it
    #: at the last count (0 when the supply was zero or not covered): a mint that keeps the supply
    #: within them leaves `covered_until` true as it stands, so the asset counts nothing again
    #: and records no new count (no CoverageSynced).
    lasting_cover: int
    decision_hash: bytes
    evidence_hash: bytes
    fulfilment_hash: bytes
    decision_uri: str
    unit_description: str

    @classmethod
    def from_chain(cls, issuance_id: int, raw: Sequence[Any]) -> Issuance:
        (operator, covered_until, paused, by_regulator, closed, revision, issuer, asset_type, supply, max_supply,
         lasting_cover, decision, evidence, fulfilment, uri, unit) = raw  # fmt: skip
        return cls(
            int(issuance_id),
            _addr(operator),
            int(covered_until),
            bool(paused),
            bool(by_regulator),
            bool(closed),
            int(revision),
            _addr(issuer),
            int(asset_type),
            int(supply),
            int(max_supply),
            int(lasting_cover),
            bytes(decision),
            bytes(evidence),
            bytes(fulfilment),
            uri,
            unit,
        )


@dataclass(frozen=True)
class Coverage:
    """An issuance's collateral now (Law art. 5.2, 6.8): `covered` units by live attestations
    against `supply`; they keep covering it until `covered_until` (0: not even now). While
    `undercollateralised`, nothing is minted and units move only back to the issuer, by redemption
    or by regulator order."""

    covered: int
    supply: int
    covered_until: int
    undercollateralised: bool

    @classmethod
    def from_chain(cls, raw: Sequence[Any]) -> Coverage:
        covered, supply, covered_until, undercollateralised = raw
        return cls(int(covered), int(supply), int(covered_until), bool(undercollateralised))


@dataclass(frozen=True)
class Encumbrance:
    """Units of a holder locked for a beneficiary: a pledge or lien (Rules item 4). `expiry` 0 is
    none; an inactive one was released or enforced."""

    id: int
    issuance_id: int
    holder: str
    expiry: int
    active: bool
    beneficiary: str
    amount: int
    reference_hash: bytes

    @classmethod
    def from_chain(cls, encumbrance_id: int, raw: Sequence[Any]) -> Encumbrance:
        issuance_id, holder, expiry, active, beneficiary, amount, reference_hash = raw
        return cls(
            int(encumbrance_id),
            int(issuance_id),
            _addr(holder),
            int(expiry),
            bool(active),
            _addr(beneficiary),
            int(amount),
            bytes(reference_hash),
        )


class RedemptionState(IntEnum):
    """Where a redemption request stands (`RedemptionState` in the asset contract)."""

    NONE = 0
    REQUESTED = 1
    CONFIRMED = 2
    REFUSED = 3


@dataclass(frozen=True)
class RedemptionRequest:
    """A holder's request to redeem units to the issuer (Rules item 2.3). While `REQUESTED` its
    units sit in the asset's custody (the asset contract's own balance); the issuer's confirmation
    of delivery burns them, its refusal (or the regulator's) returns them to the holder's wallet.
    `fulfilment_ref`: the holder's reference (delivery address, order number) as a hash."""

    id: int
    issuance_id: int
    holder: str
    state: RedemptionState
    amount: int
    fulfilment_ref: bytes

    @classmethod
    def from_chain(cls, request_id: int, raw: Sequence[Any]) -> RedemptionRequest:
        issuance_id, holder, state, amount, fulfilment_ref = raw
        return cls(
            int(request_id), int(issuance_id), _addr(holder), RedemptionState(state), int(amount), bytes(fulfilment_ref)
        )


@dataclass(frozen=True)
class IssuerConsent:
    """The issuer's consent to an issuance's terms (Law art. 6.5), as `createIssuance` takes it: an
    EIP-712 signature over the terms and the operator that will run the issuance (see
    sdap.signing.consent_message), under one of the issuer's keyed nonces and valid until `deadline`."""

    nonce: int
    deadline: int
    signature: bytes

    def as_tuple(self) -> tuple[int, int, bytes]:
        return (self.nonce, self.deadline, self.signature)


#: The most units an issuance may have (SecuredAsset's MAX_UNITS: a holding keeps its balance and
#: its pledged, frozen and escrowed units in 64 bits each, in one storage slot), so the most any
#: balance or lock may hold, and the most a freeze may hold.
MAX_UNITS = 2**64 - 1


# --- Collateral -----------------------------------------------------------------------------


#: The `supersedes` of an attestation that renews nothing.
NO_ATTESTATION = b"\x00" * 32


@dataclass(frozen=True)
class CollateralAttestation:
    """What an accredited verifier signs (Law art. 6.8): the collateral `collateral_ref` worth
    `value`, owned by `owner`, covers `units` units of issuance `issuance_id` of `asset` until
    `valid_until`. `nonce` is single-use per verifier. A collateral backs one live attestation at a
    time: a renewal names the one it replaces in `supersedes` (32 zero bytes: none)."""

    asset: str
    issuance_id: int
    owner: str
    collateral_ref: bytes
    value: int
    units: int
    valid_until: int
    nonce: int
    supersedes: bytes = NO_ATTESTATION

    def as_tuple(self) -> tuple[str, int, str, bytes, int, int, int, int, bytes]:
        """The Solidity struct's field order, for a contract call."""
        return (
            self.asset,
            self.issuance_id,
            self.owner,
            self.collateral_ref,
            self.value,
            self.units,
            self.valid_until,
            self.nonce,
            self.supersedes,
        )


@dataclass(frozen=True)
class AttestationRecord:
    """An attached attestation as the collateral contract keeps it; the id is its EIP-712 digest.
    `accreditation` is its verifier's accreditation epoch when it was attached (it stops counting
    once the verifier's epoch moves on); `superseded_by` the renewal that replaced it, if any."""

    attestation_id: bytes
    verifier: str
    revoked: bool
    valid_until: int
    accreditation: int
    superseded_by: bytes | None
    owner: str
    asset: str
    issuance_id: int
    collateral_ref: bytes
    value: int
    units: int

    @classmethod
    def from_chain(cls, attestation_id: bytes, raw: Sequence[Any]) -> AttestationRecord:
        (verifier, revoked, valid_until, accreditation, superseded_by, owner, asset, issuance_id, collateral_ref,
         value, units) = raw  # fmt: skip
        return cls(
            bytes(attestation_id),
            _addr(verifier),
            bool(revoked),
            int(valid_until),
            int(accreditation),
            _hash_or_none(superseded_by),
            _addr(owner),
            _addr(asset),
            int(issuance_id),
            bytes(collateral_ref),
            int(value),
            int(units),
        )


# --- Signed messages ------------------------------------------------------------------------


@dataclass(frozen=True)
class RiskNoticeAcknowledgement:
    """What a participant signs to acknowledge risk notice `version` (Law art. 6.4) so that an
    operator can record it for them; `nonce` is the registry's `nonces(participant)`."""

    participant: str
    version: int
    content_hash: bytes
    nonce: int
    deadline: int


@dataclass(frozen=True)
class ForwardRequest:
    """What a holder signs for a gasless call (OpenZeppelin ERC2771Forwarder): any relayer may
    submit it; the target records `from_` as the one who acted. `nonce` is the forwarder's."""

    from_: str
    to: str
    value: int
    gas: int
    nonce: int
    deadline: int
    data: bytes

    def as_request_data(self, signature: bytes) -> tuple[str, str, int, int, int, bytes, bytes]:
        """The forwarder's `ForwardRequestData` struct (no nonce, the signature appended)."""
        return (self.from_, self.to, self.value, self.gas, self.deadline, self.data, signature)


# --- Wallet recovery ------------------------------------------------------------------------


@dataclass(frozen=True)
class Position:
    """What `wallet` holds on the asset now: the issuances it holds units of and the active
    encumbrances it holds, both in id order. ERC-1155 balances are not enumerable on-chain, so
    this is found from the events that ever gave the wallet units or an encumbrance, each checked
    against the state now (PlatformQueries.position)."""

    wallet: str
    issuance_ids: tuple[int, ...]
    encumbrance_ids: tuple[int, ...]


# --- Write results --------------------------------------------------------------------------


@dataclass(frozen=True)
class Created(Generic[IdT]):
    """A write that made something new: the id the contract returned (read from its event) and the
    receipt of the transaction, which says where and when it was recorded."""

    id: IdT
    receipt: Receipt


@dataclass(frozen=True)
class WalletRecovery:
    """Both steps of a wallet recovery: the registry moving the participant to its new wallet
    (`recovered`, WalletRecovered) and the asset moving its position there (`holdings`,
    HoldingsRecovered and the TransferBatch after it; None when the lost wallet held nothing, so
    nothing was sent)."""

    recovered: Receipt
    holdings: Receipt | None


def _addr(value: str) -> str:
    return checksummed(value)


def _hash_or_none(value: bytes) -> bytes | None:
    """A bytes32 the chain leaves zero for "none"."""
    raw = bytes(value)
    return None if raw == NO_ATTESTATION else raw


# --- The exchange (defined in sdap._exchange_types, imported last: it checks its fields with
# sdap._validate, which needs Role from this module) ------------------------------------------

from sdap._exchange_types import (  # noqa: E402
    Escrow,
    EscrowState,
    Offer,
    OfferRefusal,
    PaymentToken,
    SignedOffer,
    TakenOffer,
    currency_code,
    currency_text,
)

__all__ = [
    "MAX_UNITS",
    "NO_ATTESTATION",
    "AssetCategory",
    "AssetType",
    "AttestationRecord",
    "AttestationStatus",
    "CollateralAttestation",
    "Coverage",
    "Created",
    "Encumbrance",
    "Escrow",
    "EscrowState",
    "ForwardRequest",
    "Issuance",
    "IssuanceParams",
    "Issuer",
    "IssuerConsent",
    "IssuerStatus",
    "Offer",
    "OfferRefusal",
    "Operator",
    "OperatorDetails",
    "Participant",
    "ParticipantStatus",
    "PaymentToken",
    "Permit",
    "PermitState",
    "PermitStatus",
    "Position",
    "RedemptionRequest",
    "RedemptionState",
    "Refusal",
    "RiskNotice",
    "RiskNoticeAcknowledgement",
    "Role",
    "SignedOffer",
    "TakenOffer",
    "WalletRecovery",
    "currency_code",
    "currency_text",
]
