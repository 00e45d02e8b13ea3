"""Handlers of redemption's two sides (Rules item 2.3): the holder's request moves its units into the
asset's own custody, the issuer's confirmation burns them, a refusal (the issuer's, or the
regulator's order) returns them to the holder's wallet as it is then. Each event announces the
movement that follows it in its transaction, as enforcement and orders do.

No event changes an issuance's issuer (a succession hands over its operator), so the issuer that
confirms or refuses is the one IssuanceCreated recorded.
"""

from __future__ import annotations

from sdap.audit._asset_events import AssetHandlers, _Announced
from sdap.audit._base import REDEMPTION, Handler
from sdap.audit.rules import issuer_active
from sdap.audit.state import REGULATOR_ROLE, ZERO_ADDRESS, Redemption
from sdap.events import Event
from sdap.types import RedemptionState

_STATES = {RedemptionState.CONFIRMED: "confirmed", RedemptionState.REFUSED: "refused"}


class RedemptionHandlers(AssetHandlers):
    def redemption_handlers(self) -> dict[str, Handler]:
        return {
            "RedemptionRequested": self._requested,
            "RedemptionConfirmed": self._confirmed,
            "RedemptionRefused": self._refused,
        }

    def _requested(self, e: Event, ts: int) -> None:
        """The units asked for, announced into custody; the holder's rules of dealing are checked
        on that movement, as a transfer's are."""
        a = e.args
        rid, iid, holder, amount = a["requestId"], a["id"], a["holder"], a["amount"]
        self.flush_announcement()
        requests = self.state.redemptions
        if rid != len(requests) + 1 or rid in requests:
            self._breach("history.inconsistent", e, f"redemption request id {rid} out of sequence")
        requests[rid] = Redemption(
            iid, holder, RedemptionState.REQUESTED, amount, a["fulfilmentRef"], e.block_number, e.tx_hash, a["by"]
        )
        self._pending[iid] = self._pending.get(iid, 0) + amount
        self._announced = _Announced(
            e.tx_hash, REDEMPTION, "redemption_request", iid, holder, self.asset, amount, e, rid
        )

    def _confirmed(self, e: Event, ts: int) -> None:
        """The issuer delivered: the request's units are announced out of custody, to be burnt."""
        a = e.args
        rid, by = a["requestId"], a["by"]
        self.flush_announcement()
        r = self._settling(e, rid, a["id"])
        if r is None:
            return
        issuer = self._issuance(r.issuance_id).issuer
        if by != issuer:
            self._breach(
                "redemption.confirmation",
                e,
                f"redemption request {rid} confirmed by {by}, not the issuer {issuer}",
                request_id=rid,
                account=by,
            )
        elif not issuer_active(self.state, by):
            self._breach(
                "redemption.confirmation",
                e,
                f"redemption request {rid} confirmed by the issuer {by}, not active in the register",
                request_id=rid,
                account=by,
            )
        self._settle(e, r, RedemptionState.CONFIRMED, a["deliveryRef"], ZERO_ADDRESS)
        self._announced = _Announced(
            e.tx_hash, REDEMPTION, "redemption", r.issuance_id, self.asset, ZERO_ADDRESS, r.amount, e, rid
        )

    def _refused(self, e: Event, ts: int) -> None:
        """The request refused: its units are announced back to where the holder is now."""
        a = e.args
        rid, by, returned_to = a["requestId"], a["by"], a["returnedTo"]
        self.flush_announcement()
        r = self._settling(e, rid, a["id"])
        if r is None:
            return
        issuer = self._issuance(r.issuance_id).issuer
        if by != issuer and not self.state.has_role(REGULATOR_ROLE, by):
            self._breach(
                "redemption.refusal",
                e,
                f"redemption request {rid} refused by {by}, neither the issuer {issuer} nor a regulator",
                request_id=rid,
                account=by,
            )
        # A holder that lost its wallet since asking gets its units back at its new one.
        holder_now = self.state.recovered_end(r.holder)
        if returned_to != holder_now:
            self._breach(
                "redemption.refusal",
                e,
                f"redemption request {rid} of {r.holder} returned to {returned_to}, not to {holder_now} where "
                "the holder is",
                request_id=rid,
                returned_to=returned_to,
            )
        self._settle(e, r, RedemptionState.REFUSED, a["reasonHash"], returned_to)
        self._announced = _Announced(
            e.tx_hash, REDEMPTION, "redemption_refused", r.issuance_id, self.asset, returned_to, r.amount, e, rid
        )

    def _settling(self, e: Event, rid: int, iid: int) -> Redemption | None:
        """The request a confirmation or refusal settles. One never made settles nothing (its
        movement then shows unexplained); one settled already is reported and its units still
        announced, so the custody shows what left it."""
        r = self.state.redemptions.get(rid)
        if r is None:
            self._breach(
                "redemption.settlement", e, f"{e.name} of redemption request {rid}, never made", request_id=rid
            )
            return None
        if r.issuance_id != iid:
            self._breach(
                "history.inconsistent", e, f"{e.name} of request {rid} names issuance {iid}, not {r.issuance_id}"
            )
        if r.state != RedemptionState.REQUESTED:
            done = _STATES.get(RedemptionState(r.state), "settled")
            self._breach(
                "redemption.settlement",
                e,
                f"{e.name} of redemption request {rid}, already {done} at block {r.settled_block}",
                request_id=rid,
            )
        return r

    def _settle(self, e: Event, r: Redemption, outcome: RedemptionState, ref: bytes, returned_to: str) -> None:
        if r.state == RedemptionState.REQUESTED:
            left = self._pending.get(r.issuance_id, 0) - r.amount
            if left:
                self._pending[r.issuance_id] = left
            else:
                self._pending.pop(r.issuance_id, None)
            r.state, r.settled_block, r.settled_tx, r.settled_by = outcome, e.block_number, e.tx_hash, e.args["by"]
            r.settlement_ref, r.returned_to = ref, returned_to
