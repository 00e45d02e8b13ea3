"""Handlers of a wallet recovery on the asset: the lost wallet's pledges (EncumbranceRecovered) and
its whole position (HoldingsRecovered, announcing the movement to its replacement that follows)."""

from __future__ import annotations

from sdap.audit._asset_events import AssetHandlers, _Recovering
from sdap.audit._base import Handler
from sdap.events import Event
from sdap.types import MAX_UNITS


class RecoveryHandlers(AssetHandlers):
    def recovery_handlers(self) -> dict[str, Handler]:
        return {
            "EncumbranceRecovered": self._encumbrance_recovered,
            "HoldingsRecovered": self._holdings_recovered,
        }

    def _recovery_target(self, e: Event, lost: str, replacement: str) -> None:
        """A recovered wallet's holdings go to the last wallet of its recovery chain, and only there."""
        state = self.state
        if lost not in state.recoveries:
            self._breach("recovery.holdings", e, f"{e.name} from {lost}, which was never recovered", wallet=lost)
        elif replacement != (end := state.recovered_end(lost)):
            self._breach(
                "recovery.holdings",
                e,
                f"{e.name} from {lost} to {replacement}, not to {end} where its recovery leads",
                wallet=lost,
                replacement=replacement,
            )

    def _encumbrance_recovered(self, e: Event, ts: int) -> None:
        """A pledge of the lost wallet binds its replacement: same beneficiary, amount and expiry."""
        a = e.args
        eid, lost, replacement = a["encumbranceId"], a["lost"], a["replacement"]
        self.flush_announcement()
        self._recovery_target(e, lost, replacement)
        enc = self._active_encumbrance(e, eid)
        if enc is None or not enc.active:
            return
        if enc.holder != lost:
            self._breach(
                "recovery.holdings", e, f"encumbrance {eid} of {enc.holder} moved as if {lost} held it", wallet=lost
            )
            return
        iss = self._issuance(enc.issuance_id)
        left = iss.encumbered.get(lost, 0) - enc.amount
        if left > 0:
            iss.encumbered[lost] = left
        else:
            iss.encumbered.pop(lost, None)
        iss.encumbered[replacement] = iss.encumbered.get(replacement, 0) + enc.amount
        enc.holder = replacement

    def _holdings_recovered(self, e: Event, ts: int) -> None:
        """The lost wallet's whole position in `ids`, frozen units included and no pledge left
        behind, announced for the movement to its replacement that follows it in the transaction."""
        a = e.args
        lost, replacement, ids, amounts, frozen = a["lost"], a["replacement"], a["ids"], a["amounts"], a["frozen"]
        self.flush_announcement()
        self.flush_recovery()
        self._recovery_target(e, lost, replacement)
        if not len(ids) == len(amounts) == len(frozen):
            self._breach("history.inconsistent", e, "recovery with ids, amounts and frozen of different lengths")
            return
        recovery = self.state.recoveries.get(lost)
        # The asset says where each freeze went by ERC-7943's Frozen, just before this event: judged
        # from the freezes as they were, then compared with what it said.
        said = self._frozen_before if self._frozen_tx == e.tx_hash else {}
        self._frozen_tx, self._frozen_before = "", {}
        for iid, amount, still in zip(ids, amounts, frozen, strict=True):
            iss = self._issuance(iid)
            declared = {w: iss.frozen.get(w, 0) for w in (lost, replacement) if (iid, w) in said}
            for wallet in declared:
                self._set_frozen(iss, wallet, said[(iid, wallet)])
            held, encumbered = iss.balances.get(lost, 0), iss.encumbered.get(lost, 0)
            if amount != held:
                self._breach(
                    "recovery.holdings",
                    e,
                    f"recovery of {lost} moves {amount} units of {iid}; it held {held}",
                    wallet=lost,
                    issuance_id=iid,
                )
            if encumbered:
                self._breach(
                    "recovery.holdings",
                    e,
                    f"recovery of {lost} leaves {encumbered} encumbered units of {iid} behind",
                    wallet=lost,
                    issuance_id=iid,
                )
            if iss.escrowed.get(lost):
                # The asset refuses it: escrowed units stay in the wallet that offered them.
                self._breach(
                    "recovery.holdings",
                    e,
                    f"recovery of {lost} moves units of {iid} while {iss.escrowed[lost]} are escrowed for a buyer",
                    wallet=lost,
                    issuance_id=iid,
                )
            if still != iss.frozen.get(lost, 0):
                self._breach(
                    "recovery.holdings",
                    e,
                    f"recovery of {lost} moves {still} frozen units of {iid}; {iss.frozen.get(lost, 0)} were frozen",
                    wallet=lost,
                    issuance_id=iid,
                )
            if still:
                self._take_frozen(e, iid, lost, still)
                # Two freezes beyond the holdings may add up past 128 bits: the asset keeps the cap.
                self._set_frozen(iss, replacement, min(iss.frozen.get(replacement, 0) + still, MAX_UNITS))
            for wallet, value in declared.items():
                if iss.frozen.get(wallet, 0) != value:
                    self._breach(
                        "history.inconsistent",
                        e,
                        f"Frozen said {value} units of {iid} of {wallet} frozen after the recovery; it moves "
                        f"{still} frozen units from {lost} to {replacement}",
                    )
                    self._set_frozen(iss, wallet, value)
            if recovery is not None:
                recovery.moved.append([iid, amount, still])
        self._recovering = _Recovering(e.tx_hash, lost, replacement, list(ids), list(amounts), e)
