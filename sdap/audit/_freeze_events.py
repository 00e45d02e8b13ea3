"""Handlers of freezes and the regulator's orders: the compliance officer's freezeUnits and
unfreezeUnits (UnitsFrozen, UnitsUnfrozen), ERC-7943's Frozen (what is frozen of a holding now,
from setFrozenTokens, every freeze and an order that took frozen units) and the regulator's order
(TransferOrdered announcing its transfer, ERC-7943's ForcedTransfer following it)."""

from __future__ import annotations

from sdap.audit._asset_events import AssetHandlers, _Announced
from sdap.audit._base import FORCED, Handler
from sdap.audit.state import COMPLIANCE_ROLE, REGULATOR_ROLE, ZERO_ADDRESS
from sdap.events import Event


class FreezeHandlers(AssetHandlers):
    def freeze_handlers(self) -> dict[str, Handler]:
        return {
            "UnitsFrozen": self._units_frozen,
            "UnitsUnfrozen": self._units_unfrozen,
            "Frozen": self._frozen,
            "TransferOrdered": self._forced,
            "ForcedTransfer": self._erc7943_forced,
        }

    def _units_frozen(self, e: Event, ts: int) -> None:
        a = e.args
        iid, holder, amount = a["id"], a["holder"], a["amount"]
        self._require_role(e, COMPLIANCE_ROLE, a["by"], "COMPLIANCE_ROLE")
        iss = self._issuance(iid)
        if iss.operator == ZERO_ADDRESS:
            self._breach("issuance.unknown", e, f"units frozen in issuance {iid}, never created", issuance_id=iid)
        available = self._available(iss, holder)
        if amount > available:
            self._breach("units.frozen", e, f"froze {amount} units of {holder}, {available} were free", holder=holder)
        iss.frozen[holder] = iss.frozen.get(holder, 0) + amount

    def _units_unfrozen(self, e: Event, ts: int) -> None:
        a = e.args
        self._require_role(e, COMPLIANCE_ROLE, a["by"], "COMPLIANCE_ROLE")
        self._take_frozen(e, a["id"], a["holder"], a["amount"])

    def _frozen(self, e: Event, ts: int) -> None:
        """ERC-7943's Frozen: what is frozen of a holding now, set by a compliance officer
        (`setFrozenTokens`, which may freeze more than is held: units received later stay frozen)
        or left by a regulator's order that took frozen units (its TransferOrdered just before).
        The event names no officer: whose act it was is not on the record."""
        a = e.args
        account, iid, amount = a["account"], a["tokenId"], a["amount"]
        iss = self._issuance(iid)
        pending = self._announced
        ordered = pending is not None and pending.route == FORCED and pending.tx_hash == e.tx_hash
        if ordered and pending is not None and (pending.issuance_id, pending.sender) == (iid, account):
            left = iss.frozen.get(account, 0)
            if amount != left:
                self._breach(
                    "history.inconsistent",
                    e,
                    f"the order left {amount} units of {iid} of {account} frozen; {left} by its TransferOrdered",
                )
        else:
            self.flush_announcement()
            if iss.operator == ZERO_ADDRESS:
                self._breach("issuance.unknown", e, f"units frozen in issuance {iid}, never created", issuance_id=iid)
            if account == self.asset:
                self._breach("history.inconsistent", e, f"units of {iid} in the asset's custody frozen")
            if self._frozen_tx != e.tx_hash:
                self._frozen_tx, self._frozen_before = e.tx_hash, {}
            self._frozen_before.setdefault((iid, account), iss.frozen.get(account, 0))
        if amount:
            iss.frozen[account] = amount
        else:
            iss.frozen.pop(account, None)

    def _erc7943_forced(self, e: Event, ts: int) -> None:
        """ERC-7943's ForcedTransfer: it follows the transfer of the regulator's order it names."""
        a = e.args
        self.flush_announcement()
        ordered, self._ordered = self._ordered, None
        named = (e.tx_hash, a["from"], a["to"], a["tokenId"], a["amount"])
        if ordered != named:
            self._breach(
                "order.forced_transfer",
                e,
                f"ForcedTransfer of {a['amount']} units of {a['tokenId']} from {a['from']} to {a['to']} follows no "
                "regulator's order (TransferOrdered) moving them in its transaction",
                issuance_id=a["tokenId"],
            )

    def _forced(self, e: Event, ts: int) -> None:
        a = e.args
        self.flush_announcement()
        self._require_role(e, REGULATOR_ROLE, a["by"], "REGULATOR_ROLE")
        if a["from"] == a["to"]:
            # It would only release frozen units, outside unfreezeUnits.
            self._breach("order.same_wallet", e, f"forced transfer of {a['amount']} units from {a['from']} to itself")
        if a["unfrozen"]:
            self._take_frozen(e, a["id"], a["from"], a["unfrozen"])
        self._announced = _Announced(e.tx_hash, FORCED, "forced", a["id"], a["from"], a["to"], a["amount"], e)
