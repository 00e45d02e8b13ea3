"""Handlers of the collateral contract's events: attestations, renewals, revocations, prunes.

A collateral (its owner and reference) backs one live attestation on the whole platform: the
auditor keeps, per collateral, the attestations that may still be live, and reports a second one
attached while another counts.
"""

from __future__ import annotations

from sdap.audit._base import AuditorBase, Handler
from sdap.audit.rules import accreditation_of, attestation_status, permit_active
from sdap.audit.state import NO_ID, OPERATOR_ROLE, REGULATOR_ROLE, VERIFIER_ROLE, Attestation
from sdap.events import Event
from sdap.types import AttestationStatus

Collateral = tuple[str, bytes]  # (owner, collateral ref)


class CollateralHandlers(AuditorBase):
    #: Collateral -> attestations pledged on it that were live when last looked at. Derived from
    #: `state.attestations` on first use, so a replay resumed from a checkpoint has it too.
    _pledged: dict[Collateral, list[bytes]] | None = None

    def collateral_handlers(self) -> dict[str, Handler]:
        return {
            "AttestationAttached": self._attestation_attached,
            "AttestationSuperseded": self._attestation_superseded,
            "AttestationRevoked": self._attestation_revoked,
            "AttestationPruned": self._attestation_pruned,
            "VerifierNonceInvalidated": self._nonce_invalidated,
        }

    def _attestation_attached(self, e: Event, ts: int) -> None:
        a = e.args
        state = self.state
        att, by, verifier, attestation_id = a["attestation"], a["by"], a["verifier"], a["attestationId"]
        # An accredited verifier submits, or an operator with its permit in force.
        if not state.has_role(VERIFIER_ROLE, by):
            if not state.has_role(OPERATOR_ROLE, by):
                self._breach("role.missing", e, f"attestation attached by {by}, neither operator nor verifier")
            elif not permit_active(state, by, ts):
                self._breach("permit.inactive", e, f"attestation attached by {by}, whose permit is not active")
        accreditation = accreditation_of(state, verifier)
        if accreditation == 0:
            self._breach("attestation.invalid", e, f"attestation signed by {verifier}, not a verifier")
        if att["validUntil"] <= ts:
            self._breach("attestation.invalid", e, "attestation already expired when attached")
        if att["units"] == 0:
            self._breach("attestation.invalid", e, "attestation covers zero units")
        iss = state.issuances.get(a["issuanceId"]) if a["asset"] == self.asset else None
        if iss is not None and att["owner"] != iss.issuer:
            self._breach(
                "attestation.owner",
                e,
                f"collateral owned by {att['owner']}, issuer is {iss.issuer}",
                issuance_id=a["issuanceId"],
            )
        collateral = (att["owner"], att["collateralRef"])
        self._check_renewal(e, collateral, att.get("supersedes", NO_ID), attestation_id)
        live = [i for i in self._live_pledges(collateral, ts) if i != attestation_id]
        if live:
            self._breach(
                "collateral.pledged_twice",
                e,
                f"collateral {att['collateralRef'].hex()[:12]}... of {att['owner']} pledged again while "
                f"attestation 0x{live[0].hex()} counts",
                owner=att["owner"],
                collateral_ref=att["collateralRef"],
                live=live[0],
            )
        state.attestations[attestation_id] = Attestation(
            verifier,
            False,
            att["validUntil"],
            att["owner"],
            a["asset"],
            a["issuanceId"],
            att["collateralRef"],
            att["value"],
            att["units"],
            att["nonce"],
            e.block_number,
            e.tx_hash,
            accreditation=accreditation,
        )
        state.pledges[collateral] = attestation_id
        self._live_pledges(collateral, ts).append(attestation_id)
        state.attestation_lists.setdefault((a["asset"], a["issuanceId"]), []).append(attestation_id)
        state.used_nonces.setdefault(verifier, set()).add(att["nonce"])
        if a["asset"] == self.asset:
            self._recount(a["issuanceId"])

    def _check_renewal(self, e: Event, collateral: Collateral, supersedes: bytes, attestation_id: bytes) -> None:
        """A renewal names the collateral's current pledge, of the same issuance, superseded just before."""
        if supersedes == NO_ID:
            return
        old = self.state.attestations.get(supersedes)
        a = e.args
        if (
            old is None
            or self.state.pledges.get(collateral) != supersedes
            or old.superseded_by != attestation_id
            or (old.asset, old.issuance_id) != (a["asset"], a["issuanceId"])
        ):
            self._breach(
                "history.inconsistent",
                e,
                f"attestation renews 0x{supersedes.hex()}, which is not this collateral's pledge it superseded",
            )

    def _live_pledges(self, collateral: Collateral, ts: int) -> list[bytes]:
        """The attestations on `collateral` live at `ts`; the others are forgotten (none comes back)."""
        if self._pledged is None:
            self._pledged = {}
            for attestation_id, record in self.state.attestations.items():
                self._pledged.setdefault((record.owner, record.collateral_ref), []).append(attestation_id)
        records = self.state.attestations
        ids = self._pledged.get(collateral, [])
        live = [i for i in ids if attestation_status(self.state, records[i], ts) is AttestationStatus.LIVE]
        self._pledged[collateral] = live
        return live

    def _attestation_superseded(self, e: Event, ts: int) -> None:
        old_id, new_id = e.args["attestationId"], e.args["supersededBy"]
        old = self.state.attestations.get(old_id)
        if old is None or old.superseded_by != NO_ID:
            self._breach("history.inconsistent", e, f"superseded 0x{old_id.hex()}, unknown or already superseded")
            return
        old.superseded_by = new_id
        if old.asset == self.asset:
            self._recount(old.issuance_id)

    def _attestation_revoked(self, e: Event, ts: int) -> None:
        a = e.args
        record = self.state.attestations.get(a["attestationId"])
        if record is None:
            self._breach("history.inconsistent", e, "revoked an unknown attestation")
            return
        if a["by"] != record.verifier and not self.state.has_role(REGULATOR_ROLE, a["by"]):
            self._breach("role.missing", e, f"attestation revoked by {a['by']}, neither its verifier nor regulator")
        record.revoked = True
        if record.asset == self.asset:
            self._recount(record.issuance_id)

    def _attestation_pruned(self, e: Event, ts: int) -> None:
        a = e.args
        ids = self.state.attestation_lists.get((a["asset"], a["issuanceId"]), [])
        record = self.state.attestations.get(a["attestationId"])
        if record is None or a["attestationId"] not in ids:
            self._breach("history.inconsistent", e, "pruned an attestation that was not listed")
            return
        if attestation_status(self.state, record, ts) is AttestationStatus.LIVE:
            self._breach("history.inconsistent", e, "pruned a live attestation")
        # The contract swaps the last entry into the hole, so the list order follows it.
        index = ids.index(a["attestationId"])
        ids[index] = ids[-1]
        ids.pop()
        record.listed = False

    def _nonce_invalidated(self, e: Event, ts: int) -> None:
        self.state.used_nonces.setdefault(e.args["verifier"], set()).add(e.args["nonce"])
