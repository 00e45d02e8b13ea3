"""The rules the auditor checks, traced to REQUIREMENTS.md, and how a breach is reported.

The checks restate the contracts' rules (contracts/asset/Compliance.sol and the registry) over the
rebuilt state, at the timestamp of the block each event is in, so a history the contracts could not
have produced, or produced by other code, shows every step that broke a rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, NamedTuple

from sdap.audit.state import COVERED_FOREVER, NO_ID, VERIFIER_ROLE, Attestation, AuditState
from sdap.types import MAX_UNITS, AttestationStatus, IssuerStatus, ParticipantStatus, PermitState, PermitStatus

#: What CollateralAttestations.coverage answers for a supply of zero: covered forever.
UINT64_MAX = 2**64 - 1


@dataclass(frozen=True)
class Rule:
    code: str
    requirement: str
    description: str


#: Every check, by code. The requirement is the R-number of REQUIREMENTS.md it enforces.
RULES: MappingProxyType[str, Rule] = MappingProxyType(
    {
        r.code: r
        for r in (
            Rule("issuance.unknown", "R1", "units move only in an issuance that was created"),
            Rule("issuance.evidence", "R1", "an issuance records its rights evidence and unit description"),
            Rule("asset_type.category", "R1", "a listed type certifies goods, services or IP, never money/securities"),
            Rule(
                "permit.inactive",
                "R2",
                "issuance, circulation and every operator action only while the operator's permit is active "
                "(redemption excepted)",
            ),
            Rule(
                "succession.successor",
                "R2",
                "an issuance passes only to an operator holding OPERATOR_ROLE and an active permit",
            ),
            Rule(
                "operator.details",
                "R2",
                "an operator's details are recorded by the regulator, complete, for a non-zero address",
            ),
            Rule(
                "issuance.paused",
                "R2",
                "no movement of a paused issuance except by regulator order, the settlement of a redemption "
                "request asked before the pause, or a holder's request under an operator's pause once that "
                "operator's permit is no longer in force",
            ),
            Rule(
                "pause.regulator",
                "R2",
                "the regulator's own pause is lifted only by the regulator; a supervisor's by it or a supervisor",
            ),
            Rule(
                "issuer.inactive",
                "R3",
                "only an issuer active in the state register issues, and closes an issuance as its issuer",
            ),
            Rule(
                "consent.recorded",
                "R3",
                "every issuance is created with its issuer's consent, recorded in the same transaction: to exactly "
                "its terms and operator on this chain and asset (the EIP-712 digest), before its deadline, under a "
                "nonce the issuer never used or withdrew before",
            ),
            Rule("asset_type.unlisted", "R4", "only a listed asset type is issued"),
            Rule("decision.missing", "R5", "every issuance and mint is backed by a decision hash and public URI"),
            Rule("supply.above_max", "R5", "supply never exceeds the maximum set by the decision"),
            Rule("issuance.closed", "R5", "nothing moves after the issuer's obligations are recorded fulfilled"),
            Rule("issuance.close", "R5", "an issuance is closed only when no unit is outstanding"),
            Rule("issuance.fulfilment", "R5", "an issuance is closed only with a record of the fulfilment"),
            Rule(
                "decision.uri",
                "R5",
                "only the issuer, while active in the register, moves its decision's URI, to a non-empty one, "
                "while the issuance is open",
            ),
            Rule("burn.unredeemed", "R5", "units are burnt only by the issuer's confirmation of a redemption request"),
            Rule(
                "redemption.custody",
                "R5",
                "units enter the asset's custody only by a holder's request for them (same holder, issuance and "
                "amount) and leave it only by its confirmation or refusal; the custody of an issuance always holds "
                "exactly its pending requests",
            ),
            Rule(
                "redemption.confirmation",
                "R5",
                "a redemption request is confirmed, and its units burnt, only by the issuance's issuer while active",
            ),
            Rule(
                "redemption.refusal",
                "R5",
                "a redemption request is refused only by the issuance's issuer or a regulator, its units returned to "
                "the holder's wallet at that time (the last wallet of its recovery chain)",
            ),
            Rule("redemption.settlement", "R5", "a redemption request is settled once, while it is pending"),
            Rule("collateral.insufficient", "R6", "live attestations cover the supply after every mint"),
            Rule(
                "collateral.undercollateralised",
                "R6",
                "units move only while live collateral covers the supply (except to the issuer, into or out of "
                "redemption custody or by regulator order)",
            ),
            Rule("collateral.pledged_twice", "R6", "a collateral backs at most one live attestation at a time"),
            Rule("attestation.withdrawn", "R6", "no attestation counts once its verifier's accreditation is withdrawn"),
            Rule("attestation.invalid", "R6", "attestations are signed by a verifier, unexpired and non-zero"),
            Rule("attestation.owner", "R7", "the collateral belongs to the issuer of the issuance"),
            Rule("recipient.notice", "R8", "no one receives units without acknowledging the notice in force"),
            Rule(
                "sender.notice",
                "R8",
                "no one sends, encumbers, asks to redeem or deals for a holder without acknowledging the notice in "
                "force",
            ),
            Rule("sender.ineligible", "R10", "no movement from an unregistered, frozen or unidentified wallet"),
            Rule("recipient.ineligible", "R10", "no movement to an unregistered, frozen or unidentified wallet"),
            Rule("spender.ineligible", "R10", "whoever moves a holder's units for it is an identified participant"),
            Rule(
                "recovery.replacement",
                "R10",
                "a registered participant is recovered only to a new wallet: never registered, never lost, "
                "not its own, with its identification in force",
            ),
            Rule(
                "participant.custodian",
                "R10",
                "an account that declared itself a custodian of units (the asset, whose own balance is units "
                "pending redemption) is no participant: never registered, never a recovery's replacement, and no "
                "registered or lost wallet declares itself one",
            ),
            Rule(
                "recovery.lost_wallet",
                "R10",
                "a lost wallet is never registered again, never receives units, deals no more and releases no "
                "pledge it was the beneficiary of: its units leave it by its recovery, a pledge enforced "
                "against it or a regulator's order",
            ),
            Rule(
                "recovery.holdings",
                "R10",
                "a recovery moves a lost wallet's whole position (every unit of each id, its frozen units, "
                "every encumbrance it held) to the last wallet of its recovery chain",
            ),
            Rule(
                "units.frozen",
                "R10",
                "frozen units do not move by the holder's own dealing (a regulator's order, a pledge's enforcement "
                "and an escrow's settlement outrank a freeze)",
            ),
            Rule("order.same_wallet", "R10", "a regulator's order moves units to another wallet, never to the same"),
            Rule(
                "order.forced_transfer",
                "R10",
                "ERC-7943's ForcedTransfer follows the transfer of a regulator's order (TransferOrdered) in its "
                "transaction, naming the same wallets, issuance and units",
            ),
            Rule("units.encumbered", "R11", "encumbered units move only by release or enforcement"),
            Rule(
                "encumbrance.invalid",
                "R11",
                "encumbrances lock available units and end only as the rules allow: released by the beneficiary "
                "(or the holder once lapsed), enforced to the beneficiary, a beneficiary that lost its wallet "
                "acting and receiving at the last wallet of its recovery chain",
            ),
            Rule(
                "exchange.offer",
                "R11",
                "an offer is taken as signed (its offerHash the EIP-712 digest of the offer on this chain and "
                "exchange, its maker the offer's): one side units, the other units of another issuance or a "
                "payment token (id 0), neither side nothing, no later than its expiry, by the taker it names "
                "(anyone but its maker when none)",
            ),
            Rule(
                "exchange.legs",
                "R11",
                "every offer taken moves exactly its legs in its transaction: the units as a TransferSingle by "
                "the exchange, from and to the parties, of the issuance and amount the offer says; the payment "
                "as the token's Transfer from the payer to the payee of exactly the amount",
            ),
            Rule(
                "exchange.payment_token",
                "R11",
                "an offer pays only in a token the regulator listed and had not delisted when it was taken",
            ),
            Rule("exchange.nonce", "R11", "a maker's offer nonce is spent once: by one fill or one cancellation"),
            Rule(
                "exchange.unexplained",
                "R11",
                "the exchange moves units only as a leg of an offer taken or the delivery of an escrow settled",
            ),
            Rule(
                "exchange.escrow",
                "R11",
                "an escrow holds units its seller had free, for another, named buyer, at a price in a currency, "
                "until a deadline no more than 90 days ahead, under a named settlement agent holding "
                "SETTLEMENT_AGENT_ROLE and party to neither side; its units never leave the seller but by its "
                "settlement (the seller's balance never falls below its escrowed and encumbered units)",
            ),
            Rule(
                "exchange.settlement",
                "R11",
                "an escrow ends once: settled by its named agent, holding SETTLEMENT_AGENT_ROLE still, no later "
                "than its deadline, against a payment reference that agent never used before, its units moved by "
                "the exchange to the buyer's wallet then (the last of its recovery chain); lapsed after its "
                "deadline or once its agent lost the role; or cancelled by the regulator's order",
            ),
            Rule("role.missing", "R12", "every state change is made by a key holding the role it needs"),
            Rule(
                "participant.operator",
                "R12",
                "a participant is re-identified only by the operator that identified it, or the regulator",
            ),
            Rule(
                "recovery.authority",
                "R12",
                "a wallet is recovered only by the regulator, or by the operator that identified it, with an "
                "active permit, once a compliance officer has frozen it",
            ),
            Rule("succession.regulator", "R12", "an issuance passes to another operator only by the regulator"),
            Rule(
                "governance.attribution",
                "R12",
                "every act of the regulator's timelock on the registry, the collateral contract, the asset or "
                "itself ran as a call of one of its operations: its CallExecuted for that contract in the same "
                "transaction",
            ),
            Rule(
                "governance.council",
                "R12",
                "every batch the regulator's council ran was signed by distinct council signers, at least its "
                "threshold at that moment, under its next nonce",
            ),
            Rule(
                "governance.membership",
                "R12",
                "the council's signers and threshold change only by a batch the council itself agreed on",
            ),
            Rule(
                "governance.schedule",
                "R12",
                "the timelock schedules and cancels operations only by a council batch in the same transaction, "
                "never with less than its minimum delay",
            ),
            Rule(
                "governance.delay",
                "R12",
                "an operation is executed no earlier than the time it was scheduled plus its delay",
            ),
            Rule("governance.cancelled", "R12", "a cancelled operation is never executed"),
            Rule(
                "governance.execution",
                "R12",
                "the timelock executes only a call it scheduled, exactly as scheduled, once, after its predecessor",
            ),
            Rule(
                "succession.predecessor",
                "R14",
                "a succession names the operator that ran the issuance and hands it to another",
            ),
            Rule("history.inconsistent", "R14", "the event history is self-consistent"),
        )
    }
)


@dataclass(frozen=True)
class Breach:
    """One step of the history that broke a rule."""

    rule: str
    requirement: str
    block: int
    tx_hash: str
    log_index: int
    message: str
    details: MappingProxyType[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def of(cls, code: str, block: int, tx_hash: str, log_index: int, message: str, **details: Any) -> Breach:
        return cls(code, RULES[code].requirement, block, tx_hash, log_index, message, MappingProxyType(details))

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "requirement": self.requirement,
            "block": self.block,
            "tx_hash": self.tx_hash,
            "log_index": self.log_index,
            "message": self.message,
            "details": {k: _jsonable(v) for k, v in self.details.items()},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Breach:
        return cls(
            data["rule"],
            data["requirement"],
            int(data["block"]),
            data["tx_hash"],
            int(data["log_index"]),
            data["message"],
            MappingProxyType(dict(data["details"])),
        )


def _jsonable(value: Any) -> Any:
    return "0x" + value.hex() if isinstance(value, bytes) else value


def permit_active(state: AuditState, operator: str, timestamp: int) -> bool:
    """The registry's `isPermitActive` at `timestamp`."""
    p = state.permits.get(operator)
    return p is not None and p.status == PermitStatus.GRANTED and p.valid_from <= timestamp < p.valid_until


def permit_state(state: AuditState, operator: str, timestamp: int) -> PermitState:
    """The registry's `permitState` at `timestamp`."""
    p = state.permits.get(operator)
    if p is None or p.status == PermitStatus.NONE:
        return PermitState.NONE
    if p.status == PermitStatus.REVOKED:
        return PermitState.REVOKED
    if p.status == PermitStatus.SUSPENDED:
        return PermitState.SUSPENDED
    if timestamp < p.valid_from:
        return PermitState.NOT_YET_VALID
    if timestamp >= p.valid_until:
        return PermitState.EXPIRED
    return PermitState.ACTIVE


def participant_status(state: AuditState, wallet: str, timestamp: int) -> ParticipantStatus:
    """The registry's `participantStatus` at `timestamp` (first reason wins)."""
    p = state.participants.get(wallet)
    if p is None or not p.registered:
        return ParticipantStatus.NOT_REGISTERED
    if p.frozen:
        return ParticipantStatus.FROZEN
    if p.identity_expiry <= timestamp:
        return ParticipantStatus.IDENTITY_EXPIRED
    if p.acknowledged_notice == 0 or p.acknowledged_notice != state.notice_in_force:
        return ParticipantStatus.NOTICE_NOT_ACKNOWLEDGED
    return ParticipantStatus.ELIGIBLE


def issuer_active(state: AuditState, issuer: str) -> bool:
    entry = state.issuers.get(issuer)
    return entry is not None and entry.status == IssuerStatus.ACTIVE


def type_listed(state: AuditState, type_id: int) -> bool:
    entry = state.asset_types.get(type_id)
    return entry is not None and entry.listed


def accreditation_of(state: AuditState, verifier: str) -> int:
    """The registry's `accreditationOf`: the verifier's epoch while it holds VERIFIER_ROLE, else 0."""
    return state.accreditations.get(verifier, 0) if state.has_role(VERIFIER_ROLE, verifier) else 0


def attestation_status(state: AuditState, a: Attestation, timestamp: int) -> AttestationStatus:
    """The collateral contract's `attestationStatus` at `timestamp` (first reason wins)."""
    if a.revoked:
        return AttestationStatus.REVOKED
    if a.superseded_by != NO_ID:
        return AttestationStatus.SUPERSEDED
    if a.valid_until <= timestamp:
        return AttestationStatus.EXPIRED
    if accreditation_of(state, a.verifier) != a.accreditation:
        return AttestationStatus.VERIFIER_WITHDRAWN
    return AttestationStatus.LIVE


class Count(NamedTuple):
    """The collateral contract's `coverage`: the units live attestations cover, until when they
    keep covering the supply (0: not even now; UINT64_MAX for a supply of zero), and the units of
    those running at least that long (0 when the supply is zero or not covered)."""

    covered: int
    covered_until: int
    lasting: int


def coverage(
    state: AuditState,
    asset: str,
    issuance_id: int,
    owner: str,
    supply: int,
    timestamp: int,
    *,
    counting_withdrawn: bool = False,
) -> Count:
    """The collateral contract's `coverage` at `timestamp`: the units live attestations of `owner`
    cover, until when they keep covering `supply`, and the units of those lasting that long. With
    `counting_withdrawn`, also the attestations whose only fault is their verifier's withdrawn
    accreditation (what a chain that ignored the withdrawal would count)."""
    live: list[tuple[int, int]] = []
    covered = 0
    for attestation_id in state.attestation_lists.get((asset, issuance_id), ()):
        a = state.attestations[attestation_id]
        if a.owner != owner:
            continue
        status = attestation_status(state, a, timestamp)
        if status is AttestationStatus.LIVE or (counting_withdrawn and status is AttestationStatus.VERIFIER_WITHDRAWN):
            live.append((a.valid_until, a.units))
            covered += a.units
    if supply == 0:
        return Count(covered, UINT64_MAX, 0)
    if covered < supply:
        return Count(covered, 0, 0)
    # The latest expiry such that the attestations running at least that long cover the supply,
    # and all the units running that long (those ending at that same second included).
    running = until = 0
    for end, units in sorted(live, reverse=True):
        running += units
        if running >= supply:
            until = end
            break
    return Count(covered, until, sum(units for end, units in live if end >= until))


def issuance_coverage(
    state: AuditState, asset: str, issuance_id: int, issuer: str, supply: int, timestamp: int
) -> Count:
    """SecuredAsset's count (its `coverage` view and CoverageSynced, and the `lastingCover` it
    records with it): the collateral contract's, with "until" kept in 40 bits as the issuance
    records it (2^40 - 1 stands for "for good") and the lasting units in 64 bits (MAX_UNITS, as
    many as any supply can be)."""
    covered, until, lasting = coverage(state, asset, issuance_id, issuer, supply, timestamp)
    return Count(covered, min(until, COVERED_FOREVER), min(lasting, MAX_UNITS))


def covered_units(state: AuditState, asset: str, issuance_id: int, owner: str, timestamp: int) -> int:
    """The collateral contract's `coveredUnits` at `timestamp`."""
    return coverage(state, asset, issuance_id, owner, 0, timestamp)[0]
