"""Handlers of the asset contract's events: the balance path and the rules of every movement.

The checks follow SecuredAsset._update: a movement's balances move first, then each item is judged
on the state after the move (so a batch repeating an id is judged on its total). Enforcement and
regulator orders announce themselves by an event just before the TransferSingle they explain, in
the same transaction; that event sets the route of the movement that follows. So do a redemption
request (units into the asset's own custody) and its confirmation or refusal (out of it):
sdap.audit._redemption_events. The custody is the asset's address: no participant, so no rule of a
wallet applies to it; units come into and out of it only by a request and its settlement.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sdap.audit._base import ENFORCEMENT, FORCED, REDEMPTION, STANDARD, AuditorBase, Handler, Movement
from sdap.audit.rules import coverage, issuer_active, participant_status, permit_active, type_listed
from sdap.audit.state import (
    OPERATOR_ROLE,
    ZERO_ADDRESS,
    Encumbrance,
    Issuance,
)
from sdap.events import Event
from sdap.types import ParticipantStatus

_NO_HASH = b"\0" * 32
#: Movements the exchange makes: a leg of an offer taken, the delivery of an escrow settled. Every
#: rule of a transfer its sender makes applies; no approval is asked (the sender signed or called).
BY_EXCHANGE = frozenset({"exchange", "settlement"})


@dataclass(slots=True)
class _Announced:
    """An annotation waiting for the movement it explains."""

    tx_hash: str
    route: int
    kind: str
    issuance_id: int
    sender: str
    recipient: str
    amount: int
    event: Event
    request: int = 0  # the redemption request it settles or makes


@dataclass(slots=True)
class _Recovering:
    """A HoldingsRecovered waiting for the movement that moves what it names (a TransferBatch, or a
    TransferSingle for one id)."""

    tx_hash: str
    lost: str
    replacement: str
    ids: list[int]
    amounts: list[int]
    event: Event


class AssetHandlers(AuditorBase):
    _announced: _Announced | None = None
    _recovering: _Recovering | None = None
    #: The last regulator's order moved (tx hash, from, to, id, units): ERC-7943's ForcedTransfer
    #: must name it.
    _ordered: tuple[str, str, str, int, int] | None = None
    #: (issuance id, holder) -> frozen units before the first Frozen of the transaction `_frozen_tx`
    #: set them (a recovery's Frozen events come before its HoldingsRecovered).
    _frozen_before: dict[tuple[int, str], int] = {}
    _frozen_tx: str = ""
    #: The exchange the asset deployed ("" when the deployment has none): it moves units only as
    #: the legs of offers taken and the settlements of escrows (sdap.audit._exchange_events).
    exchange: str = ""

    if TYPE_CHECKING:

        def _exchange_movement(self, e: Event, iid: int, sender: str, recipient: str, amount: int) -> str:
            """What a movement the exchange made is ("exchange" or "settlement"), checked against the
            offer or the escrow it belongs to."""

        def take_synced(self, e: Event, iid: int) -> None:
            """A count of this item logged ahead of the movement (sdap.audit._issuance_events)."""

    def asset_handlers(self) -> dict[str, Handler]:
        return {
            "TransferSingle": self._transfer_single,
            "TransferBatch": self._transfer_batch,
            "ApprovalForAll": self._approval,
            "Encumbered": self._encumbered,
            "EncumbranceReleased": self._released,
            "EncumbranceEnforced": self._enforced,
        }

    def flush_announcement(self) -> None:
        """Reports an annotation that no movement followed (called before any other event)."""
        pending = self._announced
        if pending is not None:
            self._announced = None
            e = pending.event
            rule = "redemption.custody" if pending.route == REDEMPTION else "history.inconsistent"
            self._breach(rule, e, f"{e.name} not followed by the movement it announces")

    def flush_recovery(self) -> None:
        """Reports a HoldingsRecovered that no movement followed."""
        pending = self._recovering
        if pending is not None:
            self._recovering = None
            e = pending.event
            self._breach("history.inconsistent", e, f"{e.name} not followed by the movement it announces")

    # Movements -----------------------------------------------------------------------------

    def _transfer_single(self, e: Event, ts: int) -> None:
        a = e.args
        iid, amount, sender, recipient = a["id"], a["value"], a["from"], a["to"]
        route, kind, request = STANDARD, "transfer", 0
        custody_reported = False
        pending = self._announced
        if pending is not None:
            self._announced = None
            announced = (pending.tx_hash, pending.issuance_id, pending.sender, pending.amount)
            same_units = announced == (e.tx_hash, iid, sender, amount)
            if same_units and pending.recipient == recipient:
                route, kind, request = pending.route, pending.kind, pending.request
            elif same_units and pending.route == ENFORCEMENT:
                # The pledge enforced, but its units delivered elsewhere than where its beneficiary is.
                route, kind = pending.route, pending.kind
                eid = pending.event.args["encumbranceId"]
                self._breach(
                    "encumbrance.invalid",
                    e,
                    f"encumbrance {eid} enforced to {recipient}, not to {pending.recipient} where its beneficiary is",
                    recipient=recipient,
                )
            elif pending.route == REDEMPTION:
                custody_reported = True
                self._breach(
                    "redemption.custody",
                    e,
                    f"{pending.event.name} of request {pending.request} moves {pending.amount} units of "
                    f"{pending.issuance_id} from {pending.sender} to {pending.recipient}; {amount} units of {iid} "
                    f"moved from {sender} to {recipient}",
                    request_id=pending.request,
                )
            else:
                self._breach("history.inconsistent", pending.event, f"{pending.event.name} does not match its movement")
        recovering = self._recovering
        if recovering is not None:
            # A recovery of one id moves as a TransferSingle (ERC1155 logs a one-item batch so).
            self._recovering = None
            if self._recovered(e, recovering, [iid], [amount]):
                kind = "recovery"
        operator = a["operator"]
        if kind == "transfer":
            if operator == self.exchange:
                kind = self._exchange_movement(e, iid, sender, recipient, amount)
            elif sender == ZERO_ADDRESS:
                kind = "mint"
            elif recipient == ZERO_ADDRESS:
                kind = "burn"
                self._breach("burn.unredeemed", e, f"{amount} units of {iid} burnt without redemption")
        iss = self.state.issuances.get(iid) or self._issuance(iid)
        self._move(e, iss, iid, sender, recipient, amount)
        if self._synced_ahead:
            self.take_synced(e, iid)
        asset = self.asset
        if sender == asset or recipient == asset:  # rare: the custody's own path
            self._custody_movement(e, ts, route, kind, iss, iid, operator, sender, recipient)
            if not custody_reported:
                self._custody(e, iss, iid, sender, recipient, amount, route != REDEMPTION)
        elif kind != "recovery":  # the same person's position moving to its new wallet: no dealing
            # A holder moving its own units needs no more, nor does the exchange moving them.
            if (operator != sender or kind != "transfer") and kind not in BY_EXCHANGE:
                self._check_operator(e, ts, iss, route, kind, operator, sender)
            self._check(e, ts, route, iss, iid, sender, recipient, settlement=kind == "settlement")
            if route == FORCED:
                self._ordered = (e.tx_hash, sender, recipient, iid, amount)
        if self._notify:
            m = Movement(e.block_number, ts, e.tx_hash, e.log_index, iid, sender, recipient, amount, kind, request)
            for notify in self._notify:
                notify(m)

    def _transfer_batch(self, e: Event, ts: int) -> None:
        a = e.args
        sender, recipient = a["from"], a["to"]
        self.flush_announcement()
        kind = "mint" if sender == ZERO_ADDRESS else "burn" if recipient == ZERO_ADDRESS else "transfer"
        ids, values = a["ids"], a["values"]
        if len(ids) != len(values):
            self._breach("history.inconsistent", e, "batch with ids and values of different lengths")
            return
        pending = self._recovering
        if pending is not None:
            self._recovering = None
            if self._recovered(e, pending, list(ids), list(values)):
                kind = "recovery"
        if a["operator"] == self.exchange:
            self._breach(
                "exchange.unexplained",
                e,
                f"the exchange moved a batch of units of {sorted(set(ids))} from {sender} to {recipient}: no offer "
                "or escrow moves a batch",
            )
        for iid, amount in zip(ids, values, strict=True):
            self._move(e, self._issuance(iid), iid, sender, recipient, amount)
            if self._synced_ahead:
                self.take_synced(e, iid)  # each item's count, on the supply as that item left it
        custody = sender == self.asset or recipient == self.asset  # no request or settlement moves a batch
        # The same person's position moving to its new wallet is no dealing: no rule of dealing.
        for iid in dict.fromkeys(ids) if kind != "recovery" else ():
            iss = self.state.issuances[iid]
            if kind == "burn":
                self._breach("burn.unredeemed", e, f"units of {iid} burnt without redemption")
            if custody:
                self._custody_movement(e, ts, STANDARD, kind, iss, iid, a["operator"], sender, recipient)
                moved = sum(v for i, v in zip(ids, values, strict=True) if i == iid)
                self._custody(e, iss, iid, sender, recipient, moved, True)
            else:
                self._check_operator(e, ts, iss, STANDARD, kind, a["operator"], sender)
                self._check(e, ts, STANDARD, iss, iid, sender, recipient)
        if self._notify:
            for iid, amount in zip(ids, values, strict=True):
                m = Movement(e.block_number, ts, e.tx_hash, e.log_index, iid, sender, recipient, amount, kind)
                for notify in self._notify:
                    notify(m)

    def _recovered(self, e: Event, pending: _Recovering, ids: list[int], values: list[int]) -> bool:
        """Whether the movement is the one the pending HoldingsRecovered announced."""
        a = e.args
        if (
            pending.tx_hash == e.tx_hash
            and pending.lost == a["from"]
            and pending.replacement == a["to"]
            and pending.ids == ids
            and pending.amounts == values
        ):
            return True
        self._breach("history.inconsistent", pending.event, f"{pending.event.name} does not match its movement")
        return False

    def _custody_movement(
        self,
        e: Event,
        ts: int,
        route: int,
        kind: str,
        iss: Issuance,
        iid: int,
        operator: str,
        sender: str,
        recipient: str,
    ) -> None:
        """The rules of a movement into or out of the asset's custody, which is no participant: its
        side is judged by `_custody`, never as a wallet's. Into it, the holder's rules of dealing apply,
        as to a transfer without a recipient (a request needs no permit and no coverage). Out of it on
        a request's confirmation or refusal, no rule of dealing; any other way out, the recipient's."""
        if recipient == self.asset:
            dealing = STANDARD if route == REDEMPTION else route
            if operator != sender:
                self._check_operator(e, ts, iss, dealing, kind, operator, sender)
            self._check(e, ts, dealing, iss, iid, sender, ZERO_ADDRESS, request=route == REDEMPTION)
        elif kind != "redemption" and kind != "redemption_refused":
            self._check_status(e, ts, route, iss, iid, ZERO_ADDRESS, recipient)

    def _custody(
        self, e: Event, iss: Issuance, iid: int, sender: str, recipient: str, amount: int, unexplained: bool
    ) -> None:
        """A movement into or out of the asset's custody: only a request and its settlement move
        units there (`unexplained`: this one is neither), and the custody holds exactly the units
        of the issuance's pending requests."""
        if unexplained:
            if recipient == self.asset:
                what = f"into the asset's custody from {sender} without a redemption request"
            else:
                what = f"out of the asset's custody to {recipient} other than by a request's confirmation or refusal"
            self._breach("redemption.custody", e, f"{amount} units of {iid} moved {what}", issuance_id=iid)
            return
        held, pending = iss.balances.get(self.asset, 0), self._pending.get(iid, 0)
        if held != pending:
            self._breach(
                "redemption.custody",
                e,
                f"the custody of {iid} holds {held} units; its pending redemption requests {pending}",
                issuance_id=iid,
                custody=held,
                pending=pending,
            )

    def _move(self, e: Event, iss: Issuance, iid: int, sender: str, recipient: str, amount: int) -> None:
        balances = iss.balances
        if sender == ZERO_ADDRESS:
            iss.supply += amount
        else:
            left = balances.get(sender, 0) - amount
            if left < 0:
                self._breach("history.inconsistent", e, f"{sender} sent {amount} of {iid} it did not hold")
            if left:
                balances[sender] = left
            else:
                balances.pop(sender, None)  # a movement of 0 (a recovery's empty id) from no balance
        if recipient == ZERO_ADDRESS:
            iss.supply -= amount
        elif amount:
            balances[recipient] = balances.get(recipient, 0) + amount

    def _check_operator(
        self, e: Event, ts: int, iss: Issuance, route: int, kind: str, operator: str, sender: str
    ) -> None:
        """R12: who sent the movement may move these units; R10: and, acting for a holder, is an
        identified participant itself (Compliance._statusRefusal's spender rule)."""
        if route != STANDARD or iss.operator == ZERO_ADDRESS:
            return  # enforcement and orders were checked on their announcing event
        if kind == "mint":
            if operator != iss.operator:
                self._breach("role.missing", e, f"mint of {e.args.get('id')} by {operator}, not its operator")
            elif not self.state.has_role(OPERATOR_ROLE, operator):
                # Its permit is the issuance's, checked with the movement's status.
                self._breach("role.missing", e, f"mint by {operator}, who lacks OPERATOR_ROLE", account=operator)
        elif operator != sender:
            if operator not in self.state.approvals.get(sender, ()):
                self._breach(
                    "role.missing", e, f"{operator} moved units of {sender} without approval", account=operator
                )
                return
            status = participant_status(self.state, operator, ts)
            if status is ParticipantStatus.NOTICE_NOT_ACKNOWLEDGED:
                notice = self.state.notice_in_force
                self._breach(
                    "sender.notice", e, f"{operator} acting for {sender} without notice {notice}", wallet=operator
                )
            elif status is not ParticipantStatus.ELIGIBLE:
                self._breach(
                    "spender.ineligible", e, f"{operator} acting for {sender} {_said(status)}", wallet=operator
                )

    def _check(
        self,
        e: Event,
        ts: int,
        route: int,
        iss: Issuance,
        iid: int,
        sender: str,
        recipient: str,
        *,
        request: bool = False,
        settlement: bool = False,
    ) -> None:
        """The rules of one item, on the state after the move (Compliance._statusRefusal and
        SecuredAsset._checkMovement); `request`: a holder's redemption request into custody;
        `settlement`: an escrow's units delivered to its buyer."""
        if iss.operator == ZERO_ADDRESS:
            self._breach("issuance.unknown", e, f"units of issuance {iid}, never created", issuance_id=iid)
            return
        self._check_status(e, ts, route, iss, iid, sender, recipient, request=request)
        if sender == ZERO_ADDRESS:
            self._check_mint(e, ts, iss, iid)
            return
        # Units go back to the issuer or move by order whatever the collateral (into redemption
        # custody too: _custody_movement judges that as a movement without a recipient).
        if (
            route != FORCED
            and recipient != ZERO_ADDRESS
            and recipient != iss.issuer
            and not self._covered(iid, iss, ts)
        ):
            self._undercollateralised(e, ts, iss, iid, "movement")
        balance = iss.balances.get(sender, 0)
        encumbered = iss.encumbered.get(sender, 0)
        escrowed = iss.escrowed.get(sender, 0) if iss.escrowed else 0
        if balance < encumbered:
            self._breach(
                "units.encumbered", e, f"{sender} moved encumbered units of {iid}", holder=sender, issuance_id=iid
            )
        elif escrowed and balance < encumbered + escrowed:
            self._breach(
                "exchange.escrow",
                e,
                f"{sender} moved units of {iid} held for a buyer: {balance} left, {escrowed} escrowed and "
                f"{encumbered} encumbered",
                holder=sender,
                issuance_id=iid,
            )
        elif (
            route == STANDARD
            and not settlement
            and (encumbered or escrowed or sender in iss.frozen)
            and balance < encumbered + escrowed + iss.frozen.get(sender, 0)
        ):
            # A freeze binds the holder's own dealing: an enforcement, an order or a settlement
            # (of units committed before the freeze) outranks it.
            self._breach("units.frozen", e, f"{sender} moved frozen units of {iid}", holder=sender, issuance_id=iid)

    def _check_status(
        self,
        e: Event,
        ts: int,
        route: int,
        iss: Issuance,
        iid: int,
        sender: str,
        recipient: str,
        *,
        request: bool = False,
    ) -> None:
        state = self.state
        if route != FORCED:
            if iss.closed:
                self._breach("issuance.closed", e, f"issuance {iid} is closed", issuance_id=iid)
            # An operator's pause does not outlive its mandate for redemption requests: once its
            # permit is not in force it can no longer lift it, and holders must still be able to ask.
            if iss.paused and not (
                request and not iss.paused_by_regulator and not permit_active(state, iss.operator, ts)
            ):
                self._breach("issuance.paused", e, f"issuance {iid} is paused", issuance_id=iid)
            # Redemption (into custody, judged without a recipient) outlives the operator's permit:
            # holders are never locked in.
            if recipient != ZERO_ADDRESS and not permit_active(state, iss.operator, ts):
                self._breach(
                    "permit.inactive", e, f"permit of {iss.operator} not active", operator=iss.operator, issuance_id=iid
                )
        if sender in state.recoveries:
            # A lost wallet deals no more; its recovery (checked by no rule of dealing) moves its
            # units, and a pledge enforced against it or a regulator's order still reach them: they
            # outrank the holder, as they outrank a freeze.
            if route == STANDARD:
                self._breach(
                    "recovery.lost_wallet",
                    e,
                    f"{sender} dealt in units of {iid} after it was lost (recovered to {state.recovered_end(sender)})",
                    wallet=sender,
                    issuance_id=iid,
                )
        elif sender != ZERO_ADDRESS and route == STANDARD:
            status = participant_status(state, sender, ts)
            if status is ParticipantStatus.NOTICE_NOT_ACKNOWLEDGED:
                self._breach(
                    "sender.notice", e, f"{sender} has not acknowledged notice {state.notice_in_force}", wallet=sender
                )
            elif status is not ParticipantStatus.ELIGIBLE:
                self._breach("sender.ineligible", e, f"sender {sender} {_said(status)}", wallet=sender)
        if recipient in state.recoveries:
            self._breach(
                "recovery.lost_wallet",
                e,
                f"{recipient} received units of {iid} after it was lost (recovered to "
                f"{state.recovered_end(recipient)})",
                wallet=recipient,
                issuance_id=iid,
            )
        elif recipient != ZERO_ADDRESS:
            status = participant_status(state, recipient, ts)
            if status is ParticipantStatus.NOTICE_NOT_ACKNOWLEDGED:
                self._breach(
                    "recipient.notice",
                    e,
                    f"{recipient} has not acknowledged notice {state.notice_in_force}",
                    wallet=recipient,
                )
            elif status is not ParticipantStatus.ELIGIBLE:
                self._breach("recipient.ineligible", e, f"recipient {recipient} {_said(status)}", wallet=recipient)

    def _check_mint(self, e: Event, ts: int, iss: Issuance, iid: int) -> None:
        state = self.state
        if not issuer_active(state, iss.issuer):
            self._breach("issuer.inactive", e, f"issuer {iss.issuer} not active", issuer=iss.issuer, issuance_id=iid)
        if not type_listed(state, iss.asset_type):
            self._breach("asset_type.unlisted", e, f"type {iss.asset_type} not listed", issuance_id=iid)
        if iss.decision_hash == _NO_HASH or not iss.decision_uri:
            self._breach("decision.missing", e, f"issuance {iid} has no decision to issue", issuance_id=iid)
        if iss.supply > iss.max_supply:
            self._breach("supply.above_max", e, f"supply {iss.supply} of {iid} above {iss.max_supply}", issuance_id=iid)
        covered = coverage(state, self.asset, iid, iss.issuer, 0, ts)[0]
        if covered < iss.supply:
            with_withdrawn = coverage(state, self.asset, iid, iss.issuer, 0, ts, counting_withdrawn=True)[0]
            if with_withdrawn >= iss.supply:
                self._breach(
                    "attestation.withdrawn",
                    e,
                    f"supply {iss.supply} of {iid} covered only by counting attestations of withdrawn verifiers "
                    f"(live collateral covers {covered})",
                    issuance_id=iid,
                    covered=covered,
                    supply=iss.supply,
                )
            else:
                self._breach(
                    "collateral.insufficient",
                    e,
                    f"supply {iss.supply} of {iid} above the {covered} units live collateral covers",
                    issuance_id=iid,
                    covered=covered,
                    supply=iss.supply,
                )

    def _undercollateralised(self, e: Event, ts: int, iss: Issuance, iid: int, act: str) -> None:
        covered = coverage(self.state, self.asset, iid, iss.issuer, 0, ts)[0]
        self._breach(
            "collateral.undercollateralised",
            e,
            f"{act} of {iid} while live collateral covers {covered} of its {iss.supply} units",
            issuance_id=iid,
            covered=covered,
            supply=iss.supply,
        )

    def _approval(self, e: Event, ts: int) -> None:
        a = e.args
        approved = self.state.approvals.setdefault(a["account"], set())
        if a["approved"]:
            approved.add(a["operator"])
        else:
            approved.discard(a["operator"])

    # Encumbrance (freezes and orders: sdap.audit._freeze_events; recovery: _recovery_events) ---

    def _encumbered(self, e: Event, ts: int) -> None:
        a = e.args
        eid, iid, holder, beneficiary, amount = a["encumbranceId"], a["id"], a["holder"], a["beneficiary"], a["amount"]
        state = self.state
        if eid != len(state.encumbrances) + 1:
            self._breach("history.inconsistent", e, f"encumbrance id {eid} out of sequence")
        if beneficiary in (holder, ZERO_ADDRESS) or amount == 0 or (a["expiry"] != 0 and a["expiry"] <= ts):
            self._breach("encumbrance.invalid", e, f"encumbrance {eid}: invalid beneficiary, amount or expiry")
        iss = self._issuance(iid)
        if iss.operator == ZERO_ADDRESS:
            self._breach("issuance.unknown", e, f"encumbrance on issuance {iid}, never created", issuance_id=iid)
        else:
            # An encumbrance is a turnover act: the rules of a transfer to the beneficiary.
            self._check_status(e, ts, STANDARD, iss, iid, holder, beneficiary)
            if beneficiary != iss.issuer and not self._covered(iid, iss, ts):
                self._undercollateralised(e, ts, iss, iid, f"encumbrance {eid}")
        available = self._available(iss, holder)
        if amount > available:
            self._breach("encumbrance.invalid", e, f"encumbrance {eid} locks {amount}, {holder} had {available} free")
        iss.encumbered[holder] = iss.encumbered.get(holder, 0) + amount
        state.encumbrances[eid] = Encumbrance(
            iid, holder, beneficiary, amount, a["expiry"], a["referenceHash"], True, "active", e.block_number, e.tx_hash
        )

    def _available(self, iss: Issuance, holder: str) -> int:
        """Units `holder` may move, lock, have frozen or escrow (the asset's `availableUnits`, here
        negative when a freeze exceeds the holding): none of the custody's, which belong to their
        requests."""
        if holder == self.asset:
            return 0
        locked = iss.encumbered.get(holder, 0) + iss.frozen.get(holder, 0) + iss.escrowed.get(holder, 0)
        return iss.balances.get(holder, 0) - locked

    def _active_encumbrance(self, e: Event, eid: int) -> Encumbrance | None:
        enc = self.state.encumbrances.get(eid)
        if enc is None:
            self._breach("history.inconsistent", e, f"{e.name} of unknown encumbrance {eid}")
        elif not enc.active:
            self._breach("encumbrance.invalid", e, f"{e.name} of encumbrance {eid}, which is not active")
        return enc

    def _unlock(self, enc: Encumbrance, outcome: str) -> None:
        iss = self._issuance(enc.issuance_id)
        left = iss.encumbered.get(enc.holder, 0) - enc.amount
        if left > 0:
            iss.encumbered[enc.holder] = left
        else:
            iss.encumbered.pop(enc.holder, None)
        enc.active, enc.outcome = False, outcome

    def _released(self, e: Event, ts: int) -> None:
        eid, by = e.args["encumbranceId"], e.args["by"]
        enc = self._active_encumbrance(e, eid)
        if enc is None or not enc.active:
            return
        lapsed = enc.expiry != 0 and enc.expiry <= ts
        # A beneficiary that lost its wallet acts from the last wallet of its recovery chain.
        beneficiary = self.state.recovered_end(enc.beneficiary)
        if by != beneficiary and not (by == enc.holder and lapsed):
            if by in self.state.recoveries and self.state.recovered_end(by) == beneficiary:
                self._breach(
                    "recovery.lost_wallet",
                    e,
                    f"encumbrance {eid} released by {by}, its beneficiary's lost wallet (recovered to {beneficiary})",
                    wallet=by,
                )
            else:
                self._breach("encumbrance.invalid", e, f"encumbrance {eid} released by {by}, not its beneficiary")
        self._unlock(enc, "released")

    def _enforced(self, e: Event, ts: int) -> None:
        eid, by = e.args["encumbranceId"], e.args["by"]
        self.flush_announcement()
        enc = self._active_encumbrance(e, eid)
        if enc is None or not enc.active:
            return
        if by != self._issuance(enc.issuance_id).operator:
            self._breach("role.missing", e, f"encumbrance {eid} enforced by {by}, not the issuance's operator")
        elif not self.state.has_role(OPERATOR_ROLE, by):
            # Its permit is the issuance's, checked with the movement that follows.
            self._breach("role.missing", e, f"encumbrance {eid} enforced by {by}, who lacks OPERATOR_ROLE")
        if enc.expiry != 0 and enc.expiry <= ts:
            self._breach("encumbrance.invalid", e, f"encumbrance {eid} enforced after it expired")
        self._unlock(enc, "enforced")
        # The units go to where the beneficiary is now: the last wallet of its recovery chain.
        beneficiary = self.state.recovered_end(enc.beneficiary)
        self._announced = _Announced(
            e.tx_hash, ENFORCEMENT, "enforcement", enc.issuance_id, enc.holder, beneficiary, enc.amount, e
        )

    @staticmethod
    def _set_frozen(iss: Issuance, holder: str, amount: int) -> None:
        if amount:
            iss.frozen[holder] = amount
        else:
            iss.frozen.pop(holder, None)

    def _take_frozen(self, e: Event, iid: int, holder: str, amount: int) -> None:
        iss = self._issuance(iid)
        left = iss.frozen.get(holder, 0) - amount
        if left < 0:
            self._breach("history.inconsistent", e, f"unfroze {amount} units of {holder}, more than frozen")
        if left:
            iss.frozen[holder] = left
        else:
            iss.frozen.pop(holder, None)


def _said(status: ParticipantStatus) -> str:
    return status.name.lower().replace("_", " ")
