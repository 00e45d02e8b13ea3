"""Handlers of the asset's issuance events: creation, pause, closing, succession, the decision's URI
and the count of collateral."""

from __future__ import annotations

from sdap.audit._base import AuditorBase, Handler
from sdap.audit.rules import coverage, issuance_coverage, issuer_active, permit_state, type_listed
from sdap.audit.state import (
    COVERED_FOREVER,
    OPERATOR_ROLE,
    REGULATOR_ROLE,
    SUPERVISOR_ROLE,
    ZERO_ADDRESS,
    Issuance,
    Succession,
)
from sdap.events import Event
from sdap.types import MAX_UNITS, PermitState

_NO_HASH = b"\0" * 32


class IssuanceHandlers(AuditorBase):
    def issuance_handlers(self) -> dict[str, Handler]:
        return {
            "IssuanceCreated": self._issuance_created,
            "IssuancePaused": self._pause,
            "IssuanceUnpaused": self._pause,
            "IssuanceClosed": self._issuance_closed,
            "IssuanceSucceeded": self._succeeded,
            "DecisionUriUpdated": self._decision_uri_updated,
            "CoverageSynced": self._coverage_synced,
        }

    def _issuance_created(self, e: Event, ts: int) -> None:
        a = e.args
        state, iid, operator = self.state, a["id"], a["operator"]
        self._require_active_operator(e, operator, ts, f"issuance {iid} created")
        if not issuer_active(state, a["issuer"]):
            self._breach("issuer.inactive", e, f"issuance {iid} for inactive issuer {a['issuer']}", issuance_id=iid)
        if not type_listed(state, a["assetType"]):
            self._breach("asset_type.unlisted", e, f"issuance {iid} of unlisted type {a['assetType']}", issuance_id=iid)
        if a["decisionHash"] == _NO_HASH or not a["decisionUri"]:
            self._breach("decision.missing", e, f"issuance {iid} without a decision hash and URI", issuance_id=iid)
        if a["evidenceHash"] == _NO_HASH or not a["unitDescription"]:
            self._breach("issuance.evidence", e, f"issuance {iid} without evidence or description", issuance_id=iid)
        if not 0 < a["maxSupply"] <= MAX_UNITS:
            self._breach("supply.above_max", e, f"issuance {iid} with maximum supply {a['maxSupply']}")
        created = sum(1 for i in state.issuances.values() if i.operator != ZERO_ADDRESS)
        existing = state.issuances.get(iid)
        if iid != created + 1 or (existing is not None and existing.operator != ZERO_ADDRESS):
            self._breach("history.inconsistent", e, f"issuance id {iid} out of sequence", issuance_id=iid)
        iss = Issuance(
            operator,
            a["assetType"],
            a["issuer"],
            a["maxSupply"],
            a["decisionHash"],
            a["decisionUri"],
            a["evidenceHash"],
            a["unitDescription"],
            e.block_number,
            e.tx_hash,
        )
        if existing is not None:  # units moved before creation: keep them, the breach is reported
            iss.supply, iss.balances = existing.supply, existing.balances
            iss.encumbered, iss.frozen = existing.encumbered, existing.frozen
        # No unit yet: covered whatever comes, counted under the accreditations as they stand.
        iss.covered_until, iss.coverage_revision = COVERED_FOREVER, state.accreditation_revision
        iss.lasting_cover = 0
        state.issuances[iid] = iss
        self._recount(iid)

    def _pause(self, e: Event, ts: int) -> None:
        iid, by = e.args["id"], e.args["by"]
        iss = self._issuance(iid)
        # A supervisor pauses with the regulator's authority, at once (in the governed setup the
        # regulator itself acts only after the timelock's delay); it lifts only a supervisor's pause.
        by_the_regulator = self.state.has_role(REGULATOR_ROLE, by)
        by_supervisor = not by_the_regulator and self.state.has_role(SUPERVISOR_ROLE, by)
        by_regulator = by_the_regulator or by_supervisor
        if not by_regulator:
            if by != iss.operator:
                self._breach("role.missing", e, f"{e.name} of {iid} by {by}, neither operator nor regulator")
            else:
                self._require_active_operator(e, by, ts, f"{e.name} of {iid}")
        if e.name == "IssuancePaused":
            if e.args["byRegulator"] != by_regulator:
                self._breach("history.inconsistent", e, f"pause of {iid} by {by} says byRegulator={not by_regulator}")
            # The regulator may take over an operator's or a supervisor's pause (then only it lifts
            # it); nothing else pauses a paused issuance.
            takeover = by_the_regulator and iid in self.state.supervisor_pauses
            if (iss.paused_by_regulator and not takeover) or (iss.paused and not by_regulator):
                self._breach("history.inconsistent", e, f"{e.name} of {iid} already paused")
            iss.paused, iss.paused_by_regulator = True, by_regulator
            if by_supervisor:
                self.state.supervisor_pauses.add(iid)
            else:
                self.state.supervisor_pauses.discard(iid)
            return
        if not iss.paused:
            self._breach("history.inconsistent", e, f"{e.name} of {iid}, which is not paused")
        by_supervisors = iid in self.state.supervisor_pauses
        if iss.paused_by_regulator and not (by_the_regulator or (by_supervisor and by_supervisors)):
            self._breach("pause.regulator", e, f"the regulator's pause of {iid} lifted by {by}", account=by)
        iss.paused = iss.paused_by_regulator = False
        self.state.supervisor_pauses.discard(iid)

    def _issuance_closed(self, e: Event, ts: int) -> None:
        iid, by = e.args["id"], e.args["by"]
        iss = self._issuance(iid)
        if by == iss.operator:
            self._require_active_operator(e, by, ts, f"issuance {iid} closed")
        elif by != iss.issuer:
            self._breach("role.missing", e, f"issuance {iid} closed by {by}, neither operator nor issuer")
        elif not issuer_active(self.state, by):
            # A suspended or removed issuer's key may be why it was: it closes nothing for good.
            self._breach(
                "issuer.inactive", e, f"issuance {iid} closed by its issuer {by}, not active in the register", issuer=by
            )
        if iss.supply != 0:
            self._breach("issuance.close", e, f"issuance {iid} closed with {iss.supply} units outstanding")
        if e.args["fulfilmentHash"] == _NO_HASH:
            self._breach("issuance.fulfilment", e, f"issuance {iid} closed without a fulfilment record")
        iss.closed, iss.fulfilment_hash = True, e.args["fulfilmentHash"]

    def _succeeded(self, e: Event, ts: int) -> None:
        """The regulator hands the issuance to a successor: from here on the successor mints,
        pauses and closes it, and its permit is the one movements need."""
        a = e.args
        iid, predecessor, successor, by = a["id"], a["predecessor"], a["successor"], a["by"]
        iss = self._issuance(iid)
        if iss.operator == ZERO_ADDRESS:
            self._breach("issuance.unknown", e, f"succession of issuance {iid}, never created", issuance_id=iid)
            return
        if not self.state.has_role(REGULATOR_ROLE, by):
            self._breach(
                "succession.regulator", e, f"issuance {iid} handed to {successor} by {by}, not a regulator", account=by
            )
        if not self.state.has_role(OPERATOR_ROLE, successor):
            self._breach(
                "succession.successor",
                e,
                f"issuance {iid} handed to {successor}, who lacks OPERATOR_ROLE",
                operator=successor,
                issuance_id=iid,
            )
        else:
            permit = permit_state(self.state, successor, ts)
            if permit is not PermitState.ACTIVE:
                held = "who holds no permit" if permit is PermitState.NONE else f"whose permit is {_said(permit)}"
                self._breach(
                    "succession.successor",
                    e,
                    f"issuance {iid} handed to {successor}, {held}",
                    operator=successor,
                    issuance_id=iid,
                )
        if predecessor != iss.operator:
            self._breach(
                "succession.predecessor",
                e,
                f"succession of {iid} names {predecessor} as its operator; it was {iss.operator}",
                issuance_id=iid,
            )
        elif successor == iss.operator:
            self._breach("succession.predecessor", e, f"issuance {iid} handed to {successor}, who already ran it")
        iss.successions.append(Succession(e.block_number, e.tx_hash, predecessor, successor, a["orderHash"], by))
        iss.operator = successor

    def _decision_uri_updated(self, e: Event, ts: int) -> None:
        """The issuer moved its published decision; the anchored hash stays what it was."""
        a = e.args
        iid, uri, by = a["id"], a["decisionUri"], a["by"]
        iss = self._issuance(iid)
        if iss.operator == ZERO_ADDRESS:
            self._breach("issuance.unknown", e, f"decision URI of issuance {iid}, never created", issuance_id=iid)
            return
        if by != iss.issuer:
            self._breach(
                "decision.uri", e, f"decision URI of {iid} moved by {by}, not its issuer {iss.issuer}", account=by
            )
        elif not issuer_active(self.state, by):
            # A suspended or removed issuer's key may be why it was: it points the public nowhere new.
            self._breach(
                "decision.uri",
                e,
                f"decision URI of {iid} moved by its issuer {by}, not active in the register",
                account=by,
            )
        if iss.closed:
            self._breach("decision.uri", e, f"decision URI of {iid} moved after it was closed", issuance_id=iid)
        if not uri:
            self._breach("decision.uri", e, f"decision URI of {iid} emptied", issuance_id=iid)
        iss.decision_uri = uri

    def _coverage_synced(self, e: Event, ts: int) -> None:
        """The asset's own count of an issuance's collateral, which must be the auditor's. The asset
        logs a movement before the count it sets off; a count logged ahead of its movement (against
        a supply the replay has not reached yet) waits for the movement of its transaction
        (`take_synced`). A mint the cover lasting as long as the recorded count still covers is not
        counted at all (the recorded count stays true), so no mint needs a count after it."""
        iss = self._issuance(e.args["id"])
        if e.args["supply"] != iss.supply:
            self._synced_ahead = (*self._synced_ahead, (e, ts))
            return
        self._record_count(e, ts, iss)

    def take_synced(self, e: Event, iid: int) -> None:
        """After an item of a movement moved: the count logged ahead of it for that item (the first
        waiting, if it is of this issuance in this transaction, against the supply now)."""
        waiting = self._synced_ahead
        if waiting:
            synced, ts = waiting[0]
            iss = self.state.issuances[iid]
            if synced.tx_hash == e.tx_hash and synced.args["id"] == iid and synced.args["supply"] == iss.supply:
                self._synced_ahead = waiting[1:]
                self._record_count(synced, ts, iss)

    def flush_synced(self) -> None:
        """Judges the counts no movement of their transaction explained, against the supply as it
        stands: a count of a supply the issuance never had is the chain's story against its events."""
        waiting, self._synced_ahead = self._synced_ahead, ()
        for synced, ts in waiting:
            self._record_count(synced, ts, self._issuance(synced.args["id"]))

    def _record_count(self, e: Event, ts: int, iss: Issuance) -> None:
        a = e.args
        iid, state = a["id"], self.state
        if a["supply"] != iss.supply:
            self._breach("history.inconsistent", e, f"coverage of {iid} counted against supply {a['supply']}")
        recorded = (a["covered"], a["coveredUntil"])
        live = issuance_coverage(state, self.asset, iid, iss.issuer, iss.supply, ts)
        # The units lasting as long as the count, which the asset records with it (not in the event).
        lasting = live.lasting
        if recorded != live[:2]:
            counting_withdrawn = coverage(state, self.asset, iid, iss.issuer, iss.supply, ts, counting_withdrawn=True)
            if live[0] < recorded[0] <= counting_withdrawn[0]:
                self._breach(
                    "attestation.withdrawn",
                    e,
                    f"coverage of {iid} counts {recorded[0]} units, {recorded[0] - live[0]} of them by attestations "
                    "of withdrawn verifiers",
                    issuance_id=iid,
                    covered=live[0],
                    recorded=recorded[0],
                )
                if (counting_withdrawn[0], min(counting_withdrawn[1], COVERED_FOREVER)) == recorded:
                    lasting = min(counting_withdrawn.lasting, MAX_UNITS)  # what such a chain recorded
            else:
                self._breach(
                    "history.inconsistent",
                    e,
                    f"coverage of {iid} recorded as {recorded[0]} units until {recorded[1]}; live collateral "
                    f"covers {live[0]} until {live[1]}",
                    issuance_id=iid,
                )
        iss.covered_until = min(a["coveredUntil"], COVERED_FOREVER)  # as the issuance keeps it, in 40 bits
        iss.coverage_revision = state.accreditation_revision
        iss.lasting_cover = lasting


def _said(state: PermitState) -> str:
    return state.name.lower().replace("_", " ")
