"""The platform's state as rebuilt from events alone, and its canonical form.

Every record mirrors what a contract keeps (and a view returns), so the cross-check can compare
field by field. Records are mutable: the replay updates them in place event after event. The
canonical form is plain JSON (sorted keys, addresses checksummed, bytes as 0x-hex, integers as
JSON integers) and its sha256 is the digest two auditors compare.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields
from typing import Any

from eth_utils import keccak

from sdap.types import Role

ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"

# The registry's roles, as the keys of `AuditState.roles`. The contracts' other enums are the SDK's
# (sdap.types: PermitStatus, PermitState, IssuerStatus, ParticipantStatus, AttestationStatus, ...),
# which records hold by their on-chain ordinal.
REGULATOR_ROLE = Role.REGULATOR.id
OPERATOR_ROLE = Role.OPERATOR.id
VERIFIER_ROLE = Role.VERIFIER.id
COMPLIANCE_ROLE = Role.COMPLIANCE.id
SUPERVISOR_ROLE = Role.SUPERVISOR.id
DEFAULT_ADMIN_ROLE = b"\0" * 32
#: Granted by the regulator to whoever may confirm an off-chain payment (a bank): the registry's
#: SETTLEMENT_AGENT_ROLE, which the exchange asks before an escrow names an agent and it confirms.
SETTLEMENT_AGENT_ROLE = keccak(text="SETTLEMENT_AGENT_ROLE")

NO_ID = b"\0" * 32
#: SecuredAsset keeps `coveredUntil` in 40 bits; a new issuance is covered "forever".
COVERED_FOREVER = 2**40 - 1


@dataclass(slots=True)
class PermitChange:
    """One act of the regulator on a permit."""

    block: int
    tx_hash: str
    action: str
    by: str
    valid_from: int | None = None
    valid_until: int | None = None
    document_hash: bytes | None = None
    reason_hash: bytes | None = None


@dataclass(slots=True)
class Permit:
    status: int = 0
    valid_from: int = 0
    valid_until: int = 0
    document_hash: bytes = b"\0" * 32
    history: list[PermitChange] = field(default_factory=list)


@dataclass(slots=True)
class Issuer:
    status: int
    legal_name: str
    business_id: str
    jurisdiction: str
    details_hash: bytes


@dataclass(slots=True)
class OperatorDetails:
    """What the regulator recorded of a permit holder (the registry's `operatorDetails`)."""

    legal_name: str = ""
    business_id: str = ""
    jurisdiction: str = ""
    details_hash: bytes = b"\0" * 32


@dataclass(slots=True)
class AssetType:
    category: int
    listed: bool
    name: str


@dataclass(slots=True)
class Participant:
    registered: bool = False
    frozen: bool = False
    identity_expiry: int = 0
    acknowledged_notice: int = 0
    identity_ref: bytes = b"\0" * 32
    operator: str = ZERO_ADDRESS  # who identified it: only it (or the regulator) re-identifies it


@dataclass(slots=True)
class Notice:
    content_hash: bytes
    published_at: int
    uri: str
    acknowledgements: int = 0


@dataclass(slots=True)
class Attestation:
    verifier: str
    revoked: bool
    valid_until: int
    owner: str
    asset: str
    issuance_id: int
    collateral_ref: bytes
    value: int
    units: int
    nonce: int
    block: int
    tx_hash: str
    listed: bool = True  # still in the contract's list for its issuance (not pruned)
    accreditation: int = 0  # the verifier's accreditation epoch when it was attached
    superseded_by: bytes = NO_ID  # the renewal that replaced it


@dataclass(slots=True)
class Succession:
    """One act of the regulator handing an issuance from an operator to its successor."""

    block: int
    tx_hash: str
    predecessor: str
    successor: str
    order_hash: bytes
    by: str


@dataclass(slots=True)
class WalletRecovery:
    """A participant that lost its wallet going on under a replacement (the registry's
    `recoveredTo`), and what of its holdings has followed it so far."""

    block: int
    tx_hash: str
    replacement: str
    reason_hash: bytes
    by: str
    #: [issuance id, units, of them frozen] per id of each HoldingsRecovered from this wallet.
    moved: list[list[int]] = field(default_factory=list)


@dataclass(slots=True)
class Issuance:
    operator: str
    asset_type: int
    issuer: str
    max_supply: int
    decision_hash: bytes
    decision_uri: str
    evidence_hash: bytes
    unit_description: str
    block: int
    tx_hash: str
    paused: bool = False
    paused_by_regulator: bool = False
    closed: bool = False
    # What the asset recorded at its last CoverageSynced (the auditor's own count is in rules.coverage).
    covered_until: int = COVERED_FOREVER
    coverage_revision: int = 0
    #: The units of the live attestations lasting until `covered_until`, recorded with it (the
    #: issuance's `lastingCover`): a mint keeping the supply within them is not counted again.
    lasting_cover: int = 0
    fulfilment_hash: bytes = b"\0" * 32
    supply: int = 0
    balances: dict[str, int] = field(default_factory=dict)
    encumbered: dict[str, int] = field(default_factory=dict)
    frozen: dict[str, int] = field(default_factory=dict)
    #: Units of each holder the exchange holds for a buyer (the asset's `escrowedUnits`): the sum
    #: of the holder's open escrows in this issuance.
    escrowed: dict[str, int] = field(default_factory=dict)
    #: The operators it passed from and to, in order (`operator` is the last successor).
    successions: list[Succession] = field(default_factory=list)


@dataclass(slots=True)
class Consent:
    """The issuer's consent an issuance was created with (IssuerConsented): the EIP-712 digest it
    signed, under which of its nonces, valid until when."""

    issuer: str
    nonce: int
    deadline: int
    terms_digest: bytes
    block: int
    tx_hash: str


@dataclass(slots=True)
class Redemption:
    """A holder's request to redeem units (the asset's `redemptionRequest`) and how it was settled:
    confirmed by the issuer (the units burnt) or refused (returned to `returned_to`)."""

    issuance_id: int
    holder: str
    state: int  # sdap.types.RedemptionState, by its ordinal
    amount: int
    fulfilment_ref: bytes
    block: int
    tx_hash: str
    by: str
    settled_block: int = 0
    settled_tx: str = ""
    settled_by: str = ZERO_ADDRESS
    #: The delivery record's hash on confirmation, the reason's on refusal.
    settlement_ref: bytes = NO_ID
    returned_to: str = ZERO_ADDRESS


@dataclass(slots=True)
class Encumbrance:
    issuance_id: int
    holder: str
    beneficiary: str
    amount: int
    expiry: int
    reference_hash: bytes
    active: bool
    outcome: str  # "active", "released" or "enforced"
    block: int
    tx_hash: str


@dataclass(slots=True)
class ListedToken:
    """A payment token the regulator listed on the exchange (`paymentToken`): its ISO 4217 currency
    and decimals as listed, whether it is listed still, and the acts that listed and delisted it."""

    currency: str
    decimals: int
    listed: bool
    #: [block, "listed" or "delisted", by] of each act of the regulator on it.
    acts: list[list[Any]] = field(default_factory=list)


@dataclass(slots=True)
class TakenOffer:
    """An offer filled on the exchange (OfferTaken): what its maker gave and wanted, who took it, and
    and when (`timestamp`: its block's)."""

    offer_hash: bytes
    maker: str
    taker: str
    give_token: str
    give_id: int
    give_amount: int
    want_token: str
    want_id: int
    want_amount: int
    nonce: int
    expiry: int
    block: int
    tx_hash: str
    timestamp: int


@dataclass(slots=True)
class CancelledOffer:
    """A maker's nonce spent without a fill (OfferCancelled)."""

    maker: str
    nonce: int
    block: int
    tx_hash: str


@dataclass(slots=True)
class Escrow:
    """Units of `seller` held for `buyer` against a payment made off-chain (the exchange's `escrow`):
    `price` in the smallest unit of `currency`, confirmed by `agent` until `deadline`, and how it
    ended: settled (delivered to `delivered_to`, the buyer's wallet then, against the agent's
    `payment_ref`), lapsed, or cancelled by the regulator's order (`payment_ref` then its hash)."""

    issuance_id: int
    seller: str
    buyer: str
    agent: str
    amount: int
    price: int
    currency: str
    deadline: int
    state: int  # sdap.types.EscrowState's ordinal: 1 open, 2 settled, 3 lapsed, 4 cancelled
    block: int
    tx_hash: str
    ended_block: int = 0
    ended_tx: str = ""
    ended_by: str = ZERO_ADDRESS
    delivered_to: str = ZERO_ADDRESS
    payment_ref: bytes = NO_ID


#: EscrowState's ordinals (contracts/interfaces/ISecuredExchange.sol).
ESCROW_OPEN, ESCROW_SETTLED, ESCROW_LAPSED, ESCROW_CANCELLED = 1, 2, 3, 4


@dataclass(slots=True)
class GovernedCall:
    """One call of a timelock operation (index `index` of its batch) and its execution: the block,
    transaction and time of its CallExecuted, and the acts (registry, collateral and asset events
    naming the timelock as their actor) it caused there."""

    index: int
    target: str
    value: int
    data: bytes
    executed_block: int = 0
    executed_tx: str = ""
    executed_at: int = 0
    acts: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Operation:
    """An operation of the regulator's timelock: scheduled (CallScheduled) at `scheduled_at` with
    `delay`, by the council batch `council_nonce` that `signers` signed (-1 and none: scheduled
    with no council batch in the transaction), then executed call by call, or cancelled. `after`:
    the operation it must follow (the timelock's `predecessor`; zero for none)."""

    operation_id: bytes
    after: bytes
    delay: int
    block: int
    tx_hash: str
    scheduled_at: int
    council_nonce: int
    signers: list[str]
    calls: list[GovernedCall] = field(default_factory=list)
    salt: bytes = NO_ID
    cancelled_block: int = 0
    cancelled_tx: str = ""
    cancel_signers: list[str] = field(default_factory=list)

    @property
    def ready_at(self) -> int:
        """The timelock's `getTimestamp`: executable from this block time on."""
        return self.scheduled_at + self.delay

    @property
    def status(self) -> str:
        """waiting, done (every call executed) or cancelled."""
        if self.cancelled_block:
            return "cancelled"
        return "done" if self.calls and all(c.executed_block for c in self.calls) else "waiting"


@dataclass(slots=True)
class Governance:
    """The regulator's council and timelock as their events tell (a governed deployment only).
    Council signers are kept as the keccak256 of their ERC-7913 bytes: what ERC7913SignerAdded
    and ERC7913SignerRemoved index."""

    signers: set[bytes] = field(default_factory=set)
    threshold: int = 0
    #: The nonce the council's next batch runs under (`nextNonce`).
    nonce: int = 0
    #: The transactions that created the council and the timelock (their constructors' events).
    council_created_tx: str = ""
    timelock_created_tx: str = ""
    min_delay: int = 0
    #: Every operation scheduled, in order; an id scheduled again after its cancellation twice.
    operations: list[Operation] = field(default_factory=list)

    def operation(self, operation_id: bytes) -> Operation | None:
        """The latest scheduling of `operation_id`."""
        for op in reversed(self.operations):
            if op.operation_id == operation_id:
                return op
        return None

    def canonical(self) -> dict[str, Any]:
        return {
            "signers": sorted(_hex(s) for s in self.signers),
            "threshold": self.threshold,
            "nonce": self.nonce,
            "council_created_tx": self.council_created_tx,
            "timelock_created_tx": self.timelock_created_tx,
            "min_delay": self.min_delay,
            "operations": [_plain(op) for op in self.operations],
        }

    @classmethod
    def from_canonical(cls, data: dict[str, Any]) -> Governance:
        return cls(
            {_unhex(s) for s in data["signers"]},
            int(data["threshold"]),
            int(data["nonce"]),
            str(data["council_created_tx"]),
            str(data["timelock_created_tx"]),
            int(data["min_delay"]),
            [_build(Operation, op) for op in data["operations"]],
        )


@dataclass
class AuditState:
    """Everything the replay rebuilt, as of `block` (the last block applied)."""

    block: int = -1
    roles: dict[bytes, set[str]] = field(default_factory=dict)
    role_admins: dict[bytes, bytes] = field(default_factory=dict)
    permits: dict[str, Permit] = field(default_factory=dict)
    issuers: dict[str, Issuer] = field(default_factory=dict)
    #: Issuers in order of registration (the registry's `issuers` list).
    issuer_list: list[str] = field(default_factory=list)
    operator_details: dict[str, OperatorDetails] = field(default_factory=dict)
    #: Every address granted a permit or given details, once, in order of the first (`operators`).
    operator_list: list[str] = field(default_factory=list)
    #: operator -> the participants it registered, in order (the registry's `participantsOf`).
    identified: dict[str, list[str]] = field(default_factory=dict)
    asset_types: dict[int, AssetType] = field(default_factory=dict)
    participants: dict[str, Participant] = field(default_factory=dict)
    #: lost wallet -> its recovery (the registry's `recoveredTo`); a lost wallet stays lost.
    recoveries: dict[str, WalletRecovery] = field(default_factory=dict)
    notices: dict[int, Notice] = field(default_factory=dict)
    notice_in_force: int = 0
    attestations: dict[bytes, Attestation] = field(default_factory=dict)
    #: (asset, issuance id) -> attestation ids the collateral contract still lists.
    attestation_lists: dict[tuple[str, int], list[bytes]] = field(default_factory=dict)
    used_nonces: dict[str, set[int]] = field(default_factory=dict)
    #: (owner, collateral ref) -> the attestation it was last pledged to (the contract's pledgeOf).
    pledges: dict[tuple[str, bytes], bytes] = field(default_factory=dict)
    #: verifier -> how many times VERIFIER_ROLE was granted to it (its epoch while it holds the role).
    accreditations: dict[str, int] = field(default_factory=dict)
    #: How many accreditations were withdrawn (the registry's accreditationRevision).
    accreditation_revision: int = 0
    issuances: dict[int, Issuance] = field(default_factory=dict)
    encumbrances: dict[int, Encumbrance] = field(default_factory=dict)
    approvals: dict[str, set[str]] = field(default_factory=dict)
    forwarder_nonces: dict[str, int] = field(default_factory=dict)
    #: issuance id -> the issuer's consent it was created with.
    consents: dict[int, Consent] = field(default_factory=dict)
    #: issuer -> the consent nonces it spent, by a consent used or withdrawn.
    consent_nonces: dict[str, set[int]] = field(default_factory=dict)
    #: request id -> the redemption request.
    redemptions: dict[int, Redemption] = field(default_factory=dict)
    #: The council and timelock of a governed deployment (None: a single-key regulator).
    governance: Governance | None = None
    #: Issuances under a regulator-grade pause a supervisor set (a supervisor may lift those, not
    #: the regulator's own).
    supervisor_pauses: set[int] = field(default_factory=set)
    #: Accounts that declared themselves custodians of units (the asset, at its deployment): never
    #: a participant's wallet (the registry's `isCustodian`).
    custodians: set[str] = field(default_factory=set)
    #: The exchange's payment tokens by address, ever listed.
    payment_tokens: dict[str, ListedToken] = field(default_factory=dict)
    #: Every offer taken, in order.
    offers: list[TakenOffer] = field(default_factory=list)
    #: Every cancellation, in order.
    cancellations: list[CancelledOffer] = field(default_factory=list)
    #: maker -> the offer nonces it spent, by a fill or a cancellation (`isNonceUsed`).
    offer_nonces: dict[str, set[int]] = field(default_factory=dict)
    #: escrow id -> the escrow (the exchange's `escrow`).
    escrows: dict[int, Escrow] = field(default_factory=dict)

    def has_role(self, role: bytes, account: str) -> bool:
        holders = self.roles.get(role)
        return holders is not None and account in holders

    def recovered_end(self, wallet: str) -> str:
        """Where a lost wallet's person is now: `recoveredTo` followed to the last replacement
        (what the asset's `recoverHoldings` moves units to); the wallet itself if never lost."""
        seen = {wallet}
        while (recovery := self.recoveries.get(wallet)) is not None and recovery.replacement not in seen:
            wallet = recovery.replacement
            seen.add(wallet)
        return wallet

    def canonical(self) -> dict[str, Any]:
        """The state as plain JSON values, every collection in a fixed order (with `governance`
        only for a governed deployment, so a single-key one keeps the digest it always had)."""
        body = {
            "block": self.block,
            "roles": {_hex(r): sorted(a) for r, a in sorted(self.roles.items()) if a},
            "role_admins": {_hex(r): _hex(a) for r, a in sorted(self.role_admins.items())},
            "permits": {k: _plain(v) for k, v in sorted(self.permits.items())},
            "issuers": {k: _plain(v) for k, v in sorted(self.issuers.items())},
            "issuer_list": list(self.issuer_list),
            "operator_details": {k: _plain(v) for k, v in sorted(self.operator_details.items())},
            "operator_list": list(self.operator_list),
            "identified": {k: list(v) for k, v in sorted(self.identified.items()) if v},
            "asset_types": {str(k): _plain(v) for k, v in sorted(self.asset_types.items())},
            "participants": {k: _plain(v) for k, v in sorted(self.participants.items())},
            "recoveries": {k: _plain(v) for k, v in sorted(self.recoveries.items())},
            "notices": {str(k): _plain(v) for k, v in sorted(self.notices.items())},
            "notice_in_force": self.notice_in_force,
            "attestations": {_hex(k): _plain(v) for k, v in sorted(self.attestations.items())},
            "attestation_lists": {
                f"{asset}/{iid}": [_hex(i) for i in ids]
                for (asset, iid), ids in sorted(self.attestation_lists.items())
                if ids
            },
            "used_nonces": {k: sorted(v) for k, v in sorted(self.used_nonces.items()) if v},
            "pledges": {f"{owner}/{_hex(ref)}": _hex(i) for (owner, ref), i in sorted(self.pledges.items())},
            "accreditations": dict(sorted(self.accreditations.items())),
            "accreditation_revision": self.accreditation_revision,
            "issuances": {str(k): _plain(v) for k, v in sorted(self.issuances.items())},
            "encumbrances": {str(k): _plain(v) for k, v in sorted(self.encumbrances.items())},
            "approvals": {k: sorted(v) for k, v in sorted(self.approvals.items()) if v},
            "forwarder_nonces": dict(sorted(self.forwarder_nonces.items())),
            "consents": {str(k): _plain(v) for k, v in sorted(self.consents.items())},
            "consent_nonces": {k: sorted(v) for k, v in sorted(self.consent_nonces.items()) if v},
            "redemptions": {str(k): _plain(v) for k, v in sorted(self.redemptions.items())},
        }
        if self.governance is not None:
            body["governance"] = self.governance.canonical()
        if self.supervisor_pauses:  # absent otherwise: histories without one keep their digest
            body["supervisor_pauses"] = sorted(self.supervisor_pauses)
        if self.custodians:  # likewise: a history from before the asset declared itself keeps its digest
            body["custodians"] = sorted(self.custodians)
        if self.payment_tokens or self.offers or self.cancellations or self.escrows:
            body["exchange"] = {
                "payment_tokens": {k: _plain(v) for k, v in sorted(self.payment_tokens.items())},
                "offers": [_plain(o) for o in self.offers],
                "cancellations": [_plain(c) for c in self.cancellations],
                "offer_nonces": {k: sorted(v) for k, v in sorted(self.offer_nonces.items()) if v},
                "escrows": {str(k): _plain(v) for k, v in sorted(self.escrows.items())},
            }
        return body

    def digest(self) -> str:
        """sha256 of the canonical form: equal on two nodes exactly when the states are equal."""
        return digest_of(self.canonical())

    @classmethod
    def from_canonical(cls, data: dict[str, Any]) -> AuditState:
        """The inverse of `canonical` (used to resume from a checkpoint)."""
        state = cls(
            block=int(data["block"]),
            notice_in_force=int(data["notice_in_force"]),
            accreditation_revision=int(data["accreditation_revision"]),
        )
        state.roles = {_unhex(r): set(a) for r, a in data["roles"].items()}
        state.role_admins = {_unhex(r): _unhex(a) for r, a in data["role_admins"].items()}
        state.permits = {k: _build(Permit, v) for k, v in data["permits"].items()}
        state.issuers = {k: _build(Issuer, v) for k, v in data["issuers"].items()}
        state.issuer_list = list(data["issuer_list"])
        state.operator_details = {k: _build(OperatorDetails, v) for k, v in data["operator_details"].items()}
        state.operator_list = list(data["operator_list"])
        state.identified = {k: list(v) for k, v in data["identified"].items()}
        state.asset_types = {int(k): _build(AssetType, v) for k, v in data["asset_types"].items()}
        state.participants = {k: _build(Participant, v) for k, v in data["participants"].items()}
        state.recoveries = {k: _build(WalletRecovery, v) for k, v in data["recoveries"].items()}
        state.notices = {int(k): _build(Notice, v) for k, v in data["notices"].items()}
        state.attestations = {_unhex(k): _build(Attestation, v) for k, v in data["attestations"].items()}
        for key, ids in data["attestation_lists"].items():
            asset, iid = key.split("/")
            state.attestation_lists[(asset, int(iid))] = [_unhex(i) for i in ids]
        state.used_nonces = {k: set(v) for k, v in data["used_nonces"].items()}
        for key, attestation_id in data["pledges"].items():
            owner, ref = key.split("/")
            state.pledges[(owner, _unhex(ref))] = _unhex(attestation_id)
        state.accreditations = {k: int(v) for k, v in data["accreditations"].items()}
        state.issuances = {int(k): _build(Issuance, v) for k, v in data["issuances"].items()}
        state.encumbrances = {int(k): _build(Encumbrance, v) for k, v in data["encumbrances"].items()}
        state.approvals = {k: set(v) for k, v in data["approvals"].items()}
        state.forwarder_nonces = {k: int(v) for k, v in data["forwarder_nonces"].items()}
        state.consents = {int(k): _build(Consent, v) for k, v in data["consents"].items()}
        state.consent_nonces = {k: {int(n) for n in v} for k, v in data["consent_nonces"].items()}
        state.redemptions = {int(k): _build(Redemption, v) for k, v in data["redemptions"].items()}
        if "governance" in data:
            state.governance = Governance.from_canonical(data["governance"])
        state.supervisor_pauses = {int(i) for i in data.get("supervisor_pauses", ())}
        state.custodians = set(data.get("custodians", ()))
        exchange = data.get("exchange")
        if exchange is not None:
            state.payment_tokens = {k: _build(ListedToken, v) for k, v in exchange["payment_tokens"].items()}
            state.offers = [_build(TakenOffer, o) for o in exchange["offers"]]
            state.cancellations = [_build(CancelledOffer, c) for c in exchange["cancellations"]]
            state.offer_nonces = {k: {int(n) for n in v} for k, v in exchange["offer_nonces"].items()}
            state.escrows = {int(k): _build(Escrow, v) for k, v in exchange["escrows"].items()}
        return state


def digest_of(value: Any) -> str:
    return hashlib.sha256(canonical_json(value).encode()).hexdigest()


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def _hex(value: bytes) -> str:
    return "0x" + value.hex()


def _unhex(value: str) -> bytes:
    return bytes.fromhex(value[2:])


def _plain(record: Any) -> Any:
    """A record as JSON values: bytes as hex, dicts with sorted keys, nested records too."""
    if isinstance(record, bytes):
        return _hex(record)
    if isinstance(record, dict):
        return {str(k): _plain(v) for k, v in sorted(record.items()) if v != 0}
    if isinstance(record, list):
        return [_plain(v) for v in record]
    if hasattr(record, "__dataclass_fields__"):
        return {f.name: _plain(getattr(record, f.name)) for f in fields(record)}
    return record


# Fields of a record type that hold bytes.
_BYTES_FIELDS = {
    "document_hash",
    "details_hash",
    "identity_ref",
    "content_hash",
    "collateral_ref",
    "decision_hash",
    "evidence_hash",
    "fulfilment_hash",
    "reference_hash",
    "reason_hash",
    "superseded_by",
    "order_hash",
    "terms_digest",
    "fulfilment_ref",
    "settlement_ref",
    "operation_id",
    "after",
    "salt",
    "data",
    "offer_hash",
    "payment_ref",
}
# Fields that hold a list of records, and the record type.
_RECORD_LISTS: dict[str, type[Any]] = {"history": PermitChange, "successions": Succession, "calls": GovernedCall}


def _build(cls: type[Any], data: dict[str, Any]) -> Any:
    values: dict[str, Any] = {}
    for f in fields(cls):
        if f.name not in data:
            continue
        raw = data[f.name]
        if f.name in _BYTES_FIELDS and raw is not None:
            values[f.name] = _unhex(raw)
        elif f.name in _RECORD_LISTS:
            values[f.name] = [_build(_RECORD_LISTS[f.name], h) for h in raw]
        elif isinstance(raw, dict):
            values[f.name] = {k: int(v) for k, v in raw.items()}
        else:
            values[f.name] = raw
    return cls(**values)
