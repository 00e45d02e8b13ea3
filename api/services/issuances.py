"""Issuances: posting one from its published decision, attaching collateral attestations, minting
after the contract's own check, moving the decision's URI (the document there checked against the
anchored hash), handing issuances to a successor operator, and the details a holder or inspector
reads."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import anyio.to_thread
from eth_abi import decode as abi_decode
from eth_abi import encode as abi_encode
from eth_utils.abi import function_abi_to_4byte_selector, get_abi_input_types, get_abi_output_types
from web3.contract import Contract

from api.auth import Principal, Role
from api.chain.operation import Operation
from api.chain.platform import Chain
from api.errors import (
    AttestationNotFound,
    IssuanceNotFound,
    NotIssuanceIssuer,
    NotIssuanceOperator,
    SecuredAssetIssuanceClosed,
    SecuredAssetIssuerNotActive,
    ValidationFailed,
)
from api.pagination import cursor_of
from api.schemas import issuances as schema
from api.schemas.common import TxResult, hex32, name_of
from api.services.consents import Consents
from api.services.decisions import DecisionWatch, verify_decision
from api.services.documents import Fetcher
from api.services.index import EventIndex
from api.services.refusals import refuse
from sdap.clients import OperatorClient, RegulatorClient
from sdap.contract_errors import SecuredAssetIssuanceUnknownError, SecuredAssetNotIssuanceOperatorError
from sdap.transactions import Call
from sdap.types import NO_ATTESTATION, AttestationStatus, CollateralAttestation, Refusal

#: Items of each list an issuance's read carries (its holders, its attestations); the paginated
#: routes (`/v1/issuances/{id}/holders`, `/attestations`) have the rest.
DETAIL_PAGE = 100
#: Gas for a mint the contract's `checkMint` has passed: a mint to a new holder uses about 120,000;
#: unused gas is not charged.
MINT_GAS = 300_000


@dataclass(frozen=True)
class _Parties:
    issuer: str
    operator: str


class Issuances:
    def __init__(self, chain: Chain, index: EventIndex, fetcher: Fetcher, decisions: DecisionWatch) -> None:
        self._chain = chain
        self._index = index
        self._fetcher = fetcher
        self._decisions = decisions
        self.consents = Consents(chain)
        # An issuance's issuer never changes; its operator does when the regulator hands it to a
        # successor, so a remembered operator is read again before a mint is refused for it, and
        # forgotten when the chain refuses a mint for it or the succession goes through here.
        self._parties: dict[int, _Parties] = {}
        self._parties_lock = threading.Lock()
        asset = chain.platform.contracts.asset
        self._check_mint = _Codec(asset, "checkMint")
        self._mint = _Codec(asset, "mint")

    def known_parties(self, issuance_id: int) -> _Parties | None:
        """The parties of an issuance seen before, without asking the chain."""
        with self._parties_lock:
            return self._parties.get(issuance_id)

    def parties(self, issuance_id: int, *, fresh: bool = False) -> _Parties:
        """The issuance's issuer and operator: as seen before, or read now when `fresh`."""
        known = None if fresh else self.known_parties(issuance_id)
        if known is not None:
            return known
        try:
            issuance = self._chain.queries.issuance(issuance_id)
        except SecuredAssetIssuanceUnknownError:
            raise IssuanceNotFound(f"there is no issuance {issuance_id}") from None
        found = _Parties(issuance.issuer, issuance.operator)
        with self._parties_lock:
            self._parties[issuance_id] = found
        return found

    def forget(self, issuance_ids: Iterable[int]) -> None:
        """Forgets the parties of issuances whose operator may have changed."""
        with self._parties_lock:
            for issuance_id in issuance_ids:
                self._parties.pop(issuance_id, None)

    def create(
        self, caller: Principal, body: schema.IssuanceCreation, op: Operation | None = None
    ) -> schema.IssuanceCreated:
        """Checks the issuer's consent as the contract will, then fetches and checks the decision
        (no URL is fetched for terms the issuer did not sign), then posts the issuance as the
        gateway's operator, which the consent names."""
        if caller.role == "issuer" and body.issuer != caller.address:
            raise NotIssuanceIssuer("an issuer posts issuances only for itself")
        params, consent = body.params(), body.issuer_consent()
        if not self._chain.resumes(op):
            self.consents.check(params, consent)
            verify_decision(self._fetcher, body.decision_uri, params.decision_hash)
        created = self._chain.operator(op=op).create_issuance(params, consent)
        return schema.IssuanceCreated(
            id=created.id,
            decision_hash=body.decision_hash,
            tx_hash=created.receipt.tx_hash,
            block_number=created.receipt.block_number,
        )

    def consent_request(self, caller: Principal, body: schema.ConsentTerms) -> schema.ConsentRequest:
        """What the issuer signs for this gateway's operator to post the terms (an issuer asks
        only for itself)."""
        if caller.role == "issuer" and body.issuer != caller.address:
            raise NotIssuanceIssuer("an issuer consents only to its own issuances")
        return self.consents.request(body.params(), body.deadline, body.key)

    def attach(
        self, issuance_id: int, body: schema.AttestationSubmission, op: Operation | None = None
    ) -> schema.AttestationAttached:
        """Relays a verifier's signed attestation; the collateral contract checks the signature."""
        self.parties(issuance_id)
        attestation = CollateralAttestation(
            asset=self._chain.deployment.asset,
            issuance_id=issuance_id,
            owner=body.owner,
            collateral_ref=bytes.fromhex(body.collateral_ref[2:]),
            value=body.value,
            units=body.units,
            valid_until=body.valid_until,
            nonce=body.nonce,
            supersedes=NO_ATTESTATION if body.supersedes is None else bytes.fromhex(body.supersedes[2:]),
        )
        created = self._chain.operator(op=op).attach_attestation(attestation, body.signature)
        return schema.AttestationAttached(
            attestation_id=hex32(created.id),
            tx_hash=created.receipt.tx_hash,
            block_number=created.receipt.block_number,
        )

    async def mint(
        self, caller: Principal, issuance_id: int, body: schema.MintRequest, op: Operation | None = None
    ) -> schema.Minted:
        """Mints after the checks, in order: the caller is the issuance's issuer; this gateway's
        operator posted it; then the contract's `checkMint` (permit, recipient, cap, collateral),
        each refusal with its own code. The contract enforces the same rules on the transaction.
        On the event loop: a mint holds no thread while it waits; only a refusal's details, an
        issuance seen for the first time and a retried request's look at its journal are read in
        a worker thread."""
        known = self.known_parties(issuance_id)
        parties = known if known is not None else await anyio.to_thread.run_sync(self.parties, issuance_id)
        if known is not None and parties.operator != self._chain.operator_address:
            # Perhaps handed to this gateway's operator since it was seen: read again before refusing.
            parties = await anyio.to_thread.run_sync(lambda: self.parties(issuance_id, fresh=True))
        self._minting_parties(caller, issuance_id, parties)
        asset = self._chain.deployment.asset
        resumed = op is not None and op.resumed and await anyio.to_thread.run_sync(self._chain.resumes, op)
        # `checkMint` takes the mint's own arguments: encoded once for both.
        arguments = self._mint.arguments(issuance_id, body.to, body.amount)
        if not resumed:
            # The contract's own verdict, over the event loop's connection to the node.
            check = self._check_mint.call(arguments)
            answer = await self._chain.node.call("eth_call", [{"to": asset, "data": "0x" + check.hex()}, "latest"])
            refusal = Refusal(self._check_mint.decode(bytes.fromhex(str(answer)[2:]))[0])
            if refusal is not Refusal.NONE:
                await anyio.to_thread.run_sync(
                    lambda: refuse(refusal, self._chain.queries, parties.operator, issuance_id=issuance_id, to=body.to)
                )
        # Sent with a fixed gas, not simulated: `checkMint` has just passed. Should the state move
        # in between, the contract still refuses the transaction, and the refusal is decoded.
        try:
            receipt = await self._chain.send(
                Call(asset, self._mint.call(arguments), MINT_GAS, "mint"), op, events=False
            )  # none answered
        except SecuredAssetNotIssuanceOperatorError:
            self.forget([issuance_id])  # handed to another operator since it was seen
            raise
        return _minted(issuance_id, body, receipt.tx_hash, receipt.block_number)

    def _minting_parties(self, caller: Principal, issuance_id: int, parties: _Parties) -> _Parties:
        """The first two checks of a mint: the caller is the issuance's issuer, and this gateway's
        operator posted it (only that operator may mint it)."""
        if parties.issuer != caller.address:
            raise NotIssuanceIssuer(f"issuance {issuance_id} is issued by {parties.issuer}")
        if parties.operator != self._chain.operator_address:
            raise NotIssuanceOperator(f"issuance {issuance_id} was posted by operator {parties.operator}")
        return parties

    def details(self, issuance_id: int) -> schema.Issuance:
        queries = self._chain.queries
        try:
            issuance = queries.issuance(issuance_id)
        except SecuredAssetIssuanceUnknownError:
            raise IssuanceNotFound(f"there is no issuance {issuance_id}") from None
        # The first page of each list that grows with the chain; its paginated route has the rest.
        recorded = queries.attestations_of(issuance_id)
        attestations = [self._attestation(a) for a in recorded[:DETAIL_PAGE]]
        coverage = queries.coverage(issuance_id)
        self._index.sync()
        first_holders = self._index.holders(issuance_id, limit=DETAIL_PAGE + 1)
        holders = [schema.HolderBalance(holder=h, balance=b) for h, b in list(first_holders.items())[:DETAIL_PAGE]]
        return schema.Issuance(
            id=issuance.id,
            operator=issuance.operator,
            issuer=issuance.issuer,
            asset_type=issuance.asset_type,
            paused=issuance.paused,
            paused_by_regulator=issuance.paused_by_regulator,
            closed=issuance.closed,
            max_supply=issuance.max_supply,
            total_supply=coverage.supply,
            covered_units=coverage.covered,
            covered_until=issuance.covered_until,
            coverage=schema.Coverage.of(issuance_id, coverage),
            pending_redemption=queries.balance_of(self._chain.deployment.asset, issuance_id),
            decision_uri=issuance.decision_uri,
            decision_hash=hex32(issuance.decision_hash),
            evidence_hash=hex32(issuance.evidence_hash),
            fulfilment_hash=hex32(issuance.fulfilment_hash),
            unit_description=issuance.unit_description,
            attestations=attestations,
            attestations_next=cursor_of(str(DETAIL_PAGE)) if len(recorded) > DETAIL_PAGE else None,
            holders=holders,
            holders_next=cursor_of(holders[-1].holder) if len(first_holders) > DETAIL_PAGE else None,
        )

    def attestation(self, attestation_id: bytes) -> schema.Attestation:
        """An attestation ever attached, whether it still counts or not (AttestationNotFound)."""
        if self._chain.queries.attestation_status(attestation_id) is AttestationStatus.UNKNOWN:
            raise AttestationNotFound(f"no attestation 0x{attestation_id.hex()} was attached")
        return self._attestation(attestation_id)

    def _attestation(self, attestation_id: bytes) -> schema.Attestation:
        queries = self._chain.queries
        record = queries.attestation(attestation_id)
        return schema.Attestation(
            attestation_id=hex32(attestation_id),
            issuance_id=record.issuance_id,
            verifier=record.verifier,
            owner=record.owner,
            collateral_ref=hex32(record.collateral_ref),
            value=record.value,
            units=record.units,
            valid_until=record.valid_until,
            revoked=record.revoked,
            status=name_of(queries.attestation_status(attestation_id)),
            accreditation=record.accreditation,
            superseded_by=None if record.superseded_by is None else hex32(record.superseded_by),
        )

    def summaries(
        self, *, operator: str | None = None, issuer: str | None = None, after: int = 0, limit: int = 100
    ) -> list[schema.IssuanceSummary]:
        """At most `limit` issuances with ids past `after`, of `operator` and of `issuer` when named:
        which ones from the event index (the asset keeps no list per operator or issuer, since a
        succession would have to move entries between them), each as the chain has it now."""
        queries = self._chain.queries
        self._index.sync()
        out = []
        for issuance_id in self._index.issuance_ids(operator=operator, issuer=issuer, after=after, limit=limit):
            i = queries.issuance(issuance_id)
            coverage = queries.coverage(i.id)
            out.append(
                schema.IssuanceSummary(
                    id=i.id,
                    issuer=i.issuer,
                    operator=i.operator,
                    asset_type=i.asset_type,
                    total_supply=coverage.supply,
                    max_supply=i.max_supply,
                    closed=i.closed,
                    paused=i.paused,
                    paused_by_regulator=i.paused_by_regulator,
                    undercollateralised=coverage.undercollateralised,
                )
            )
        return out

    # --- the decision's URI and succession ---------------------------------------------------

    def update_decision_uri(
        self, caller: Principal, issuance_id: int, body: schema.DecisionUriChange, op: Operation | None = None
    ) -> schema.DecisionUriChanged:
        """Moves the decision's URI, with the issuer's own key, once the document at the new URI
        is found to hash to the anchored decision hash (fetched as at creation). The decision watch
        follows the new URI from this check on."""
        try:
            issuance = self._chain.queries.issuance(issuance_id)
        except SecuredAssetIssuanceUnknownError:
            raise IssuanceNotFound(f"there is no issuance {issuance_id}") from None
        # Before anything is fetched: the gateway fetches a URL for the issuance's issuer only.
        if issuance.issuer != caller.address:
            raise NotIssuanceIssuer(f"issuance {issuance_id} is issued by {issuance.issuer}")
        # The contract's own refusals, in its order, answered before a URL is fetched for a key that
        # may no longer move the decision (a suspended or removed issuer).
        if not self._chain.queries.is_issuer_active(caller.address):
            raise SecuredAssetIssuerNotActive(
                "SecuredAsset_IssuerNotActive",
                f"issuer {caller.address} is not active in the state register",
                {"issuer": caller.address},
            )
        if issuance.closed:
            raise SecuredAssetIssuanceClosed(
                "SecuredAsset_IssuanceClosed", f"issuance {issuance_id} is closed", {"id": issuance_id}
            )
        if not self._chain.resumes(op):
            verify_decision(self._fetcher, body.decision_uri, issuance.decision_hash)
        receipt = self._chain.issuer(caller.address, op).update_decision_uri(issuance_id, body.decision_uri)
        self._decisions.verified(issuance_id, body.decision_uri, issuance.decision_hash)
        return schema.DecisionUriChanged(
            issuance_id=issuance_id,
            decision_uri=body.decision_uri,
            decision_hash=hex32(issuance.decision_hash),
            tx_hash=receipt.tx_hash,
            block_number=receipt.block_number,
        )

    def succeed(
        self, caller: Principal, body: schema.IssuanceSuccession, op: Operation | None = None
    ) -> schema.Succeeded:
        """Hands the issuances to the successor with the regulator's own key. `all_of` is every
        issuance the operator runs when the order is carried out; the answer names those the
        transaction's events name."""
        ids = body.ids if body.ids is not None else self._every_issuance_of(body.all_of or "")
        receipt = self._chain.regulator(caller.address, op).succeed_issuances(
            ids, body.successor, bytes.fromhex(body.order_hash[2:])
        )
        moved = [int(e["id"]) for e in receipt.events_named("IssuanceSucceeded")]
        self.forget(moved)
        return schema.Succeeded(
            ids=moved, successor=body.successor, tx_hash=receipt.tx_hash, block_number=receipt.block_number
        )

    def _every_issuance_of(self, operator: str) -> list[int]:
        """The issuances `operator` runs now, from the event index (the chain checks each again)."""
        limit = schema.SUCCESSION_LIMIT
        self._index.sync()
        found = self._index.issuance_ids(operator=operator, issuer=None, after=0, limit=limit + 1)
        if len(found) > limit:
            raise ValidationFailed(
                f"operator {operator} runs more than {limit} issuances: name them by `ids`, at most {limit} an order"
            )
        return found

    # --- coverage and pauses ----------------------------------------------------------------

    def coverage(self, issuance_id: int) -> schema.Coverage:
        """The issuance's collateral counted now (an unknown issuance: IssuanceNotFound)."""
        return schema.Coverage.of(issuance_id, self._chain.queries.coverage(issuance_id))

    def sync_coverage(self, issuance_id: int, op: Operation | None = None) -> schema.Coverage:
        """Has the chain record the count now (event CoverageSynced). The call is permissionless
        and only writes what the attestations say, so the gateway's operator sends and pays for it
        whoever asks."""
        return schema.Coverage.of(issuance_id, self._chain.operator(op=op).sync_coverage(issuance_id))

    def pause(self, caller: Principal, issuance_id: int, op: Operation | None = None) -> TxResult:
        """Pauses as the caller's own key: an operator lifts neither the regulator's pause nor a
        supervisor's; the chain decides who lifts which."""
        return TxResult.of(self._pauser(caller, op).pause(issuance_id))

    def unpause(self, caller: Principal, issuance_id: int, op: Operation | None = None) -> TxResult:
        return TxResult.of(self._pauser(caller, op).unpause(issuance_id))

    def _pauser(self, caller: Principal, op: Operation | None) -> OperatorClient | RegulatorClient:
        """The client of the caller's key and role: the chain tells the regulator's pause from an
        operator's by the key that sends it. A supervisor sends the regulator's call with its own
        key, which the chain takes with the regulator's authority (SUPERVISOR_ROLE)."""
        if caller.role in (Role.REGULATOR, Role.SUPERVISOR):
            return self._chain.regulator(caller.address, op)
        return self._chain.operator(caller.address, op)


class _Codec:
    """One contract function's calldata and results, its selector and types laid out once (eth-abi)."""

    def __init__(self, contract: Contract, name: str) -> None:
        (abi,) = [e for e in contract.abi if e.get("type") == "function" and e.get("name") == name]
        self._selector = function_abi_to_4byte_selector(abi)
        self._types = get_abi_input_types(abi)
        self._outputs = get_abi_output_types(abi)

    def encode(self, *args: object) -> bytes:
        return self.call(self.arguments(*args))

    def arguments(self, *args: object) -> bytes:
        """The encoded arguments alone: functions taking the same ones share them (see `call`)."""
        return abi_encode(self._types, args)

    def call(self, arguments: bytes) -> bytes:
        return self._selector + arguments

    def decode(self, data: bytes) -> tuple[Any, ...]:
        return tuple(abi_decode(self._outputs, data))


def _minted(issuance_id: int, body: schema.MintRequest, tx_hash: str, block_number: int) -> schema.Minted:
    return schema.Minted(
        issuance_id=issuance_id, to=body.to, amount=body.amount, tx_hash=tx_hash, block_number=block_number
    )
