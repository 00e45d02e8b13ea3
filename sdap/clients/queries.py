"""Read-only views of the platform: needs no key, so anyone (an auditor, the public register of
issuers, Law art. 4.1.10) can ask.

The registers list themselves in pages (`start`, `limit`): a page past the end is empty and the
last one holds what is left. Each entry of a page is read with its own calls, so a page costs one
call for its addresses and a few per entry; a caller that wants a whole register walks it page by
page instead of asking for everything at once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sdap import _validate as check
from sdap.addresses import checksummed
from sdap.clients._exchange_reads import ExchangeReads
from sdap.clients._pages import first_matching, page_limit
from sdap.clients._position import position_of
from sdap.contract_errors import CollateralAttestationUnknownError, SecuredAssetIssuanceUnknownError
from sdap.transactions import chain_errors
from sdap.types import (
    NO_ATTESTATION,
    AssetType,
    AttestationRecord,
    AttestationStatus,
    Coverage,
    Encumbrance,
    Issuance,
    Issuer,
    Operator,
    OperatorDetails,
    Participant,
    ParticipantStatus,
    Permit,
    PermitState,
    Position,
    RedemptionRequest,
    RedemptionState,
    Refusal,
    RiskNotice,
    Role,
)

if TYPE_CHECKING:
    from sdap.platform import Platform


class PlatformQueries(ExchangeReads):
    """Typed reads of the registry, the collateral contract, the asset contract, the exchange
    (ExchangeReads) and the forwarder."""

    def __init__(self, platform: Platform) -> None:
        self.platform = platform
        # Each read is one eth_call, its function laid out once per platform (sdap.calls).
        self._registry = platform.views.registry
        self._collateral = platform.views.collateral
        self._asset = platform.views.asset
        self._forwarder = platform.views.forwarder
        self._exchange = platform.views.exchange

    def __repr__(self) -> str:
        return f"PlatformQueries({self.platform.deployment.asset})"

    # --- chain ----------------------------------------------------------------------------

    def chain_time(self) -> int:
        """The latest block's timestamp: the clock every validity window on-chain is judged by."""
        with chain_errors():
            return int(self.platform.w3.eth.get_block("latest")["timestamp"])

    # --- roles and permits ----------------------------------------------------------------

    def has_role(self, role: Role | str, account: str) -> bool:
        return bool(self._registry.call("hasRole", check.role(role).id, check.address(account, "account")))

    def regulator_count(self) -> int:
        """How many accounts hold the regulator's role: never zero, as the contract keeps the last."""
        return int(self._registry.call("regulatorCount"))

    def permit(self, operator: str) -> Permit:
        operator = check.address(operator, "operator")
        return Permit.from_chain(operator, self._registry.call("permit", operator))

    def permit_state(self, operator: str) -> PermitState:
        return PermitState(self._registry.call("permitState", check.address(operator, "operator")))

    def operator_details(self, operator: str) -> OperatorDetails:
        """The legal details the regulator recorded for `operator` (all empty if none were)."""
        return OperatorDetails.from_chain(self._registry.call("operatorDetails", check.address(operator, "operator")))

    def operator_count(self) -> int:
        """How many operators the register lists: every address ever granted a permit or given
        details, each once, revoked ones included."""
        return int(self._registry.call("operatorCount"))

    def operators(self, start: int = 0, limit: int = 100) -> list[Operator]:
        """Up to `limit` operators of the register from position `start` (0-based), in the order
        each was first granted a permit or given details, each with its permit, whether that permit
        is in force now, and its details: one call for the page, three per operator."""
        return [
            Operator(
                address,
                Permit.from_chain(address, self._registry.call("permit", address)),
                PermitState(self._registry.call("permitState", address)),
                OperatorDetails.from_chain(self._registry.call("operatorDetails", address)),
            )
            for address in self._page("operators", start, limit)
        ]

    def accreditation_of(self, verifier: str) -> int:
        """The verifier's accreditation epoch: 0 while it holds no VERIFIER_ROLE, a new number at
        each grant. Its attestations count only under the epoch they were attached in."""
        return int(self._registry.call("accreditationOf", check.address(verifier, "verifier")))

    def accreditation_revision(self) -> int:
        """How many accreditations were ever withdrawn; an issuance counted under an older revision
        is counted again before its units move (Issuance.coverage_revision)."""
        return int(self._registry.call("accreditationRevision"))

    # --- issuer register and asset types --------------------------------------------------

    def issuer(self, wallet: str) -> Issuer:
        wallet = check.address(wallet, "wallet")
        return Issuer.from_chain(wallet, self._registry.call("issuer", wallet))

    def issuer_count(self) -> int:
        """How many issuers the state register lists, whatever their status (removed ones too)."""
        return int(self._registry.call("issuerCount"))

    def issuers(self, start: int = 0, limit: int = 100) -> list[Issuer]:
        """Up to `limit` entries of the state register of issuers from position `start` (0-based),
        in order of registration, whatever their status: one call for the page, one per issuer."""
        return [Issuer.from_chain(w, self._registry.call("issuer", w)) for w in self._page("issuers", start, limit)]

    def is_issuer_active(self, wallet: str) -> bool:
        return bool(self._registry.call("isIssuerActive", check.address(wallet, "wallet")))

    def asset_type(self, type_id: int) -> AssetType:
        type_id = check.uint(type_id, "type_id", 32)
        return AssetType.from_chain(type_id, self._registry.call("assetType", type_id))

    def asset_type_count(self) -> int:
        return int(self._registry.call("assetTypeCount"))

    def asset_types(self) -> list[AssetType]:
        """Every type ever listed, delisted ones included (`listed` says which)."""
        return [self.asset_type(i) for i in range(1, self.asset_type_count() + 1)]

    # --- participants and risk notices ----------------------------------------------------

    def participant(self, wallet: str) -> Participant:
        wallet = check.address(wallet, "wallet")
        return Participant.from_chain(wallet, self._registry.call("participant", wallet))

    def recovered_to(self, wallet: str) -> str | None:
        """The wallet a lost `wallet` was recovered to (its participant goes on there), or None if
        it was not. A lost wallet is never registered again; its units follow with
        `recover_holdings` (any client)."""
        found = str(self._registry.call("recoveredTo", check.address(wallet, "wallet")))
        return None if int(found, 16) == 0 else checksummed(found)

    def participant_status(self, wallet: str) -> ParticipantStatus:
        wallet = check.address(wallet, "wallet")
        return ParticipantStatus(self._registry.call("participantStatus", wallet))

    def participant_count_of(self, operator: str) -> int:
        """How many participants `operator` identified (registered)."""
        return int(self._registry.call("participantCountOf", check.address(operator, "operator")))

    def participants_of(self, operator: str, start: int = 0, limit: int = 100) -> list[Participant]:
        """Up to `limit` of the participants `operator` identified, from position `start` (0-based),
        in order of registration: one call for the page, one per participant."""
        operator = check.address(operator, "operator")
        return [
            Participant.from_chain(w, self._registry.call("participant", w))
            for w in self._page("participantsOf", start, limit, operator)
        ]

    def notice_in_force(self) -> int:
        """The version of the risk notice in force; 0 while none was published."""
        return int(self._registry.call("noticeInForce"))

    def risk_notice(self, version: int) -> RiskNotice:
        version = check.uint(version, "version", 32)
        return RiskNotice.from_chain(version, self._registry.call("riskNotice", version))

    def acknowledgement_nonce(self, participant: str) -> int:
        """The nonce the participant's next signed acknowledgement must carry."""
        return int(self._registry.call("nonces", check.address(participant, "participant")))

    # --- issuances and balances -----------------------------------------------------------

    def issuance(self, issuance_id: int) -> Issuance:
        """Issuance `issuance_id`; SecuredAssetIssuanceUnknownError if there is none."""
        issuance_id = check.uint(issuance_id, "issuance_id")
        found = Issuance.from_chain(issuance_id, self._asset.call("issuance", issuance_id))
        if int(found.operator, 16) == 0:
            raise SecuredAssetIssuanceUnknownError(issuance_id)
        return found

    def issuance_count(self) -> int:
        return int(self._asset.call("issuanceCount"))

    def issuances(
        self, *, operator: str | None = None, issuer: str | None = None, after: int = 0, limit: int = 100
    ) -> list[Issuance]:
        """Up to `limit` issuances with an id above `after`, in id order, run by `operator` and of
        `issuer` when they are given; the next page starts after the last id returned.

        Reads every issuance from `after` + 1 until it has `limit` matches or none are left: O(the
        platform's issuances), one call each. The asset keeps no list per operator on purpose: a
        succession (the regulator handing issuances to another operator) would have to move entries
        between such lists, so the one record of who runs an issuance is the issuance itself."""
        operator = None if operator is None else check.address(operator, "operator")
        issuer = None if issuer is None else check.address(issuer, "issuer")
        return first_matching(
            range(check.uint(after, "after") + 1, self.issuance_count() + 1),
            lambda i: Issuance.from_chain(i, self._asset.call("issuance", i)),
            lambda iss: operator in (None, iss.operator) and issuer in (None, iss.issuer),
            page_limit(limit),
        )

    def total_supply(self, issuance_id: int) -> int:
        return int(self._asset.call("totalSupply", check.uint(issuance_id, "issuance_id")))

    def balance_of(self, holder: str, issuance_id: int) -> int:
        holder = check.address(holder, "holder")
        return int(self._asset.call("balanceOf", holder, check.uint(issuance_id, "issuance_id")))

    def balances(self, holder: str, issuance_ids: Sequence[int]) -> dict[int, int]:
        """`holder`'s balance of each issuance in `issuance_ids`, in one call."""
        holder = check.address(holder, "holder")
        ids = [check.uint(i, "issuance_id") for i in issuance_ids]
        values = self._asset.call("balanceOfBatch", [holder] * len(ids), ids)
        return {i: int(v) for i, v in zip(ids, values, strict=True)}

    def position(self, wallet: str) -> Position:
        """The issuances `wallet` holds units of now and the active encumbrances it holds: what a
        wallet recovery moves. Found from the asset's events that ever gave the wallet units or an
        encumbrance (one eth_getLogs filter, in block chunks from the deployment block, so the cost
        follows the wallet's history), each checked against the state now."""
        return position_of(self, check.address(wallet, "wallet"))

    def available_units(self, issuance_id: int, holder: str) -> int:
        """Units `holder` may move now: its balance less encumbered, frozen and escrowed units (never
        below zero: frozen units may exceed the balance, ERC-7943)."""
        return int(self._asset.call("availableUnits", *self._unit_key(issuance_id, holder)))

    def encumbered_units(self, issuance_id: int, holder: str) -> int:
        return int(self._asset.call("encumberedUnits", *self._unit_key(issuance_id, holder)))

    def frozen_units(self, issuance_id: int, holder: str) -> int:
        return int(self._asset.call("frozenUnits", *self._unit_key(issuance_id, holder)))

    def escrowed_units(self, issuance_id: int, holder: str) -> int:
        """Units of `holder` held in open escrows for buyers: in its balance, not free to move."""
        return int(self._asset.call("escrowedUnits", *self._unit_key(issuance_id, holder)))

    def is_approved_for_all(self, holder: str, operator: str) -> bool:
        holder = check.address(holder, "holder")
        return bool(self._asset.call("isApprovedForAll", holder, check.address(operator, "operator")))

    def check_transfer(self, from_: str, to: str, issuance_id: int, amount: int) -> Refusal:
        """Whether a transfer would pass now, and if not the first reason (Refusal.NONE: it would)."""
        return Refusal(
            self._asset.call(
                "checkTransfer",
                check.address(from_, "from_"),
                check.address(to, "to"),
                check.uint(issuance_id, "issuance_id"),
                check.uint(amount, "amount"),
            )
        )

    def check_mint(self, issuance_id: int, to: str, amount: int) -> Refusal:
        return Refusal(
            self._asset.call(
                "checkMint",
                check.uint(issuance_id, "issuance_id"),
                check.address(to, "to"),
                check.uint(amount, "amount"),
            )
        )

    # --- encumbrances ---------------------------------------------------------------------

    def encumbrance(self, encumbrance_id: int) -> Encumbrance:
        encumbrance_id = check.uint(encumbrance_id, "encumbrance_id")
        return Encumbrance.from_chain(encumbrance_id, self._asset.call("encumbrance", encumbrance_id))

    def encumbrance_count(self) -> int:
        return int(self._asset.call("encumbranceCount"))

    # --- redemption and consent -------------------------------------------------------------

    def redemption_request(self, request_id: int) -> RedemptionRequest:
        """Redemption request `request_id` (state NONE if there is none)."""
        request_id = check.uint(request_id, "request_id")
        return RedemptionRequest.from_chain(request_id, self._asset.call("redemptionRequest", request_id))

    def redemption_count(self) -> int:
        return int(self._asset.call("redemptionCount"))

    def redemption_requests(
        self,
        *,
        issuance_id: int | None = None,
        holder: str | None = None,
        state: RedemptionState | None = None,
        after: int = 0,
        limit: int = 100,
    ) -> list[RedemptionRequest]:
        """Up to `limit` redemption requests with an id above `after`, in id order, of `issuance_id`,
        by `holder` and in `state` when given (an issuer's queue: its issuance and REQUESTED); the
        next page starts after the last id returned. Reads each request from `after` + 1: O(the
        platform's requests), one call each, as `issuances` does."""
        holder = None if holder is None else check.address(holder, "holder")
        issuance_id = None if issuance_id is None else check.uint(issuance_id, "issuance_id")
        return first_matching(
            range(check.uint(after, "after") + 1, self.redemption_count() + 1),
            lambda i: RedemptionRequest.from_chain(i, self._asset.call("redemptionRequest", i)),
            lambda r: issuance_id in (None, r.issuance_id) and holder in (None, r.holder) and state in (None, r.state),
            page_limit(limit),
        )

    def check_redemption(self, issuance_id: int, holder: str, amount: int) -> Refusal:
        """Whether `holder` could ask to redeem `amount` units now, and if not the first reason."""
        return Refusal(
            self._asset.call(
                "checkRedemption",
                check.uint(issuance_id, "issuance_id"),
                check.address(holder, "holder"),
                check.uint(amount, "amount"),
            )
        )

    def consent_nonce(self, issuer: str, key: int = 0) -> int:
        """The next unused consent nonce of `issuer` for `key`, the key in its upper 192 bits: the
        nonce a consent signed now must carry (IssuerClient.sign_consent)."""
        return int(self._asset.call("nonces", check.address(issuer, "issuer"), check.uint(key, "key", 192)))

    # --- collateral -----------------------------------------------------------------------

    def coverage(self, issuance_id: int) -> Coverage:
        """The issuance's live collateral against its supply now, counted as `sync_coverage` would
        record it; SecuredAssetIssuanceUnknownError if there is no such issuance."""
        return Coverage.from_chain(self._asset.call("coverage", check.uint(issuance_id, "issuance_id")))

    def covered_units(self, issuance_id: int, owner: str | None = None) -> int:
        """Units of the issuance covered now by live attestations of `owner`'s collateral (by
        default its issuer's: the only owner whose collateral counts for minting, Law art. 6.5)."""
        issuance_id = check.uint(issuance_id, "issuance_id")
        owner = self.issuance(issuance_id).issuer if owner is None else check.address(owner, "owner")
        return int(self._collateral.call("coveredUnits", self.platform.deployment.asset, issuance_id, owner))

    def attestation(self, attestation_id: bytes | str) -> AttestationRecord:
        """Attached attestation `attestation_id`; CollateralAttestationUnknownError if there is none."""
        attestation_id = check.hash32(attestation_id, "attestation_id")
        found = AttestationRecord.from_chain(attestation_id, self._collateral.call("attestation", attestation_id))
        if int(found.verifier, 16) == 0:
            raise CollateralAttestationUnknownError(attestation_id)
        return found

    def attestation_status(self, attestation_id: bytes | str) -> AttestationStatus:
        """Whether an attestation counts now, and if not, the first reason."""
        return AttestationStatus(
            self._collateral.call("attestationStatus", check.hash32(attestation_id, "attestation_id"))
        )

    def pledge_of(self, owner: str, collateral_ref: bytes | str) -> bytes | None:
        """The attestation `owner`'s collateral `collateral_ref` was last pledged to (live or not:
        see `attestation_status`), or None if it never was. A renewal must supersede this one."""
        found = bytes(
            self._collateral.call(
                "pledgeOf", check.address(owner, "owner"), check.hash32(collateral_ref, "collateral_ref")
            )
        )
        return None if found == NO_ATTESTATION else found

    def attestations_of(self, issuance_id: int) -> list[bytes]:
        """The ids of the attestations recorded for an issuance (ones that stopped counting are
        pruned on the next attach, so some listed here may no longer count: see
        `attestation_status`)."""
        return [
            bytes(a)
            for a in self._collateral.call(
                "attestationsOf", self.platform.deployment.asset, check.uint(issuance_id, "issuance_id")
            )
        ]

    def is_nonce_used(self, verifier: str, nonce: int) -> bool:
        return bool(
            self._collateral.call("isNonceUsed", check.address(verifier, "verifier"), check.uint(nonce, "nonce"))
        )

    # --- forwarder ------------------------------------------------------------------------

    def forwarder_nonce(self, holder: str) -> int:
        """The nonce the holder's next forward request must carry."""
        return int(self._forwarder.call("nonces", check.address(holder, "holder")))

    # --- helpers --------------------------------------------------------------------------

    def _page(self, function: str, start: int, limit: int, *key: str) -> list[str]:
        """A page of one of the registry's lists of addresses."""
        return list(self._registry.call(function, *key, check.uint(start, "start"), page_limit(limit)))

    def _unit_key(self, issuance_id: int, holder: str) -> tuple[int, str]:
        return check.uint(issuance_id, "issuance_id"), check.address(holder, "holder")
