"""Lineage: where a holder's units of an issuance came from.

Units of one issuance are interchangeable, so lineage needs a convention: units leave a wallet
first in, first out. Following every movement of the issuance under that convention, each unit
the holder has now traces back to the mint that created it (with the attestations live at that
moment and the decision to issue behind the issuance) and the chain of transfers, enforcements and
regulator orders that brought it to the holder. Units asked to be redeemed wait in the asset's
custody under their request (not mixed with other requests' units): a refusal brings them back with
their history, a confirmation burns them. The lineage lists the holder's requests with their state.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

from eth_utils import to_checksum_address

from sdap.audit._base import Movement
from sdap.audit.replay import Replay
from sdap.audit.report import RedemptionSummary
from sdap.audit.rules import attestation_status
from sdap.audit.state import AuditState
from sdap.platform import Platform
from sdap.types import AttestationStatus


@dataclass(frozen=True)
class Hop:
    block: int
    tx_hash: str
    sender: str
    recipient: str
    amount: int  # the whole movement, of which the lot is part
    kind: str


@dataclass(frozen=True)
class CollateralRef:
    attestation_id: str
    verifier: str
    collateral_ref: str
    value: int
    units: int
    valid_until: int


@dataclass(frozen=True)
class Origin:
    """The mint a lot comes from and what stood behind it at that moment."""

    block: int
    tx_hash: str
    recipient: str
    amount: int
    operator: str
    issuer: str
    decision_hash: str
    decision_uri: str
    evidence_hash: str
    attestations: tuple[CollateralRef, ...]
    #: The EIP-712 digest of the issuer's consent the issuance was created with ("" if none).
    consent_digest: str = ""


@dataclass(frozen=True)
class Lot:
    amount: int
    origin: Origin
    hops: tuple[Hop, ...]


@dataclass(frozen=True)
class Lineage:
    holder: str
    issuance_id: int
    block: int
    balance: int
    lots: tuple[Lot, ...]
    #: The holder's redemption requests in this issuance, in order, with their state.
    redemptions: tuple[RedemptionSummary, ...] = ()

    @property
    def traced(self) -> int:
        return sum(lot.amount for lot in self.lots)


class LotTracker:
    """Follows one issuance's movements, keeping each wallet's units as FIFO lots."""

    def __init__(self, issuance_id: int, state: AuditState, asset: str) -> None:
        self.issuance_id = issuance_id
        self._state = state
        self._asset = asset
        self._origins: list[Origin] = []
        self._hops: list[Hop] = []
        # wallet -> lots of [amount, origin index, hop indices]
        self._lots: dict[str, deque[list[Any]]] = {}

    def on_movement(self, m: Movement) -> None:
        if m.issuance_id != self.issuance_id:
            return
        if m.kind == "mint":
            self._origins.append(self._origin(m))
            self._put(m.recipient, m.amount, len(self._origins) - 1, ())
            return
        # Units in custody are kept apart per request: each settles its own.
        sender = _custody(m.request) if m.kind in ("redemption", "redemption_refused") else m.sender
        taken = self._take(sender, m.amount)
        if m.kind in ("redemption", "burn"):
            return
        self._hops.append(Hop(m.block, m.tx_hash, m.sender, m.recipient, m.amount, m.kind))
        hop = len(self._hops) - 1
        recipient = _custody(m.request) if m.kind == "redemption_request" else m.recipient
        for amount, origin, hops in taken:
            self._put(recipient, amount, origin, (*hops, hop))

    def _origin(self, m: Movement) -> Origin:
        iss = self._state.issuances[m.issuance_id]
        live = []
        for attestation_id in self._state.attestation_lists.get((self._asset, m.issuance_id), ()):
            a = self._state.attestations[attestation_id]
            if a.owner == iss.issuer and attestation_status(self._state, a, m.timestamp) is AttestationStatus.LIVE:
                live.append(
                    CollateralRef(
                        "0x" + attestation_id.hex(),
                        a.verifier,
                        "0x" + a.collateral_ref.hex(),
                        a.value,
                        a.units,
                        a.valid_until,
                    )
                )
        return Origin(
            m.block,
            m.tx_hash,
            m.recipient,
            m.amount,
            iss.operator,
            iss.issuer,
            "0x" + iss.decision_hash.hex(),
            iss.decision_uri,
            "0x" + iss.evidence_hash.hex(),
            tuple(live),
            "0x" + consent.terms_digest.hex() if (consent := self._state.consents.get(m.issuance_id)) else "",
        )

    def _put(self, wallet: str, amount: int, origin: int, hops: tuple[int, ...]) -> None:
        lots = self._lots.get(wallet)
        if lots is None:
            lots = self._lots[wallet] = deque()
        if lots and lots[-1][1] == origin and lots[-1][2] == hops:
            lots[-1][0] += amount
        else:
            lots.append([amount, origin, hops])

    def _take(self, wallet: str, amount: int) -> list[tuple[int, int, tuple[int, ...]]]:
        lots = self._lots.get(wallet, deque())
        taken = []
        while amount > 0 and lots:
            lot = lots[0]
            part = min(amount, lot[0])
            taken.append((part, lot[1], lot[2]))
            lot[0] -= part
            amount -= part
            if lot[0] == 0:
                lots.popleft()
        return taken

    def lineage(self, holder: str, block: int) -> Lineage:
        iss = self._state.issuances.get(self.issuance_id)
        balance = iss.balances.get(holder, 0) if iss is not None else 0
        lots = tuple(
            Lot(amount, self._origins[origin], tuple(self._hops[h] for h in hops))
            for amount, origin, hops in self._lots.get(holder, ())
        )
        requests = tuple(
            RedemptionSummary.of(rid, r)
            for rid, r in sorted(self._state.redemptions.items())
            if r.issuance_id == self.issuance_id and r.holder == holder
        )
        return Lineage(holder, self.issuance_id, block, balance, lots, requests)


def _custody(request: int) -> str:
    """The key under which a request's units wait in custody."""
    return f"custody of redemption request {request}"


def trace(platform: Platform, holder: str, issuance_id: int, to_block: int | None = None) -> Lineage:
    """Replays the deployment to `to_block` (default: the head) and traces `holder`'s units of
    `issuance_id` back to their mints."""
    holder = to_checksum_address(holder)
    replay = Replay(platform)
    tracker = LotTracker(issuance_id, replay.state, platform.deployment.asset)
    replay.auditor.add_observer(tracker)
    replay.run(to_block)
    return tracker.lineage(holder, replay.block)
