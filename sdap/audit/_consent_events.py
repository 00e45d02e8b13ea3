"""Handlers of the issuer's consent (Law art. 6.5): every issuance is created with it, recorded in
the same transaction, and the digest the issuer signed is recomputed from the terms the creation
recorded, so a consent to other terms, another operator, chain or asset shows.

The signature itself is not in the events: the digest proves what was consented to only together
with the contract's check that the issuer signed it (verify_code says the code is the audited one).
"""

from __future__ import annotations

from dataclasses import dataclass

from sdap.audit._base import Handler
from sdap.audit._issuance_events import IssuanceHandlers
from sdap.audit.state import Consent
from sdap.events import Event
from sdap.signing import consent_digest
from sdap.types import IssuanceParams

#: A keyed nonce's key is its upper 192 bits; its lower 64 count the key's uses (NoncesKeyed).
_KEY_SHIFT = 64


@dataclass(slots=True)
class _Created:
    """An IssuanceCreated waiting for the IssuerConsented that must follow it in its transaction."""

    tx_hash: str
    issuance_id: int
    issuer: str
    event: Event


class ConsentHandlers(IssuanceHandlers):
    _created: _Created | None = None
    _spent_counts: dict[tuple[str, int], int] | None = None

    def consent_handlers(self) -> dict[str, Handler]:
        return {"IssuerConsented": self._consented, "IssuerConsentWithdrawn": self._consent_withdrawn}

    def flush_consent(self) -> None:
        """Reports an issuance whose creation no consent followed (called before any other event)."""
        pending = self._created
        if pending is not None:
            self._created = None
            iid = pending.issuance_id
            self._breach(
                "consent.recorded",
                pending.event,
                f"issuance {iid} created without its issuer's consent",
                issuance_id=iid,
                issuer=pending.issuer,
            )

    def _issuance_created(self, e: Event, ts: int) -> None:
        self.flush_consent()
        super()._issuance_created(e, ts)
        self._created = _Created(e.tx_hash, e.args["id"], e.args["issuer"], e)

    def _consented(self, e: Event, ts: int) -> None:
        a = e.args
        iid, issuer, nonce, deadline, digest = a["id"], a["issuer"], a["nonce"], a["deadline"], a["termsDigest"]
        created, self._created = self._created, None
        self._spend(e, issuer, nonce, f"consent to issuance {iid}")
        if created is None or (created.tx_hash, created.issuance_id, created.issuer) != (e.tx_hash, iid, issuer):
            if created is not None:
                self._created = created
                self.flush_consent()
            self._breach(
                "consent.recorded",
                e,
                f"consent of {issuer} to issuance {iid} recorded apart from that issuance's creation",
                issuance_id=iid,
                issuer=issuer,
            )
            return
        if deadline < ts:
            self._breach(
                "consent.recorded",
                e,
                f"consent of {issuer} to issuance {iid} used at {ts}, after its deadline {deadline}",
                issuance_id=iid,
                issuer=issuer,
            )
        c = created.event.args
        terms = IssuanceParams(
            issuer,
            c["assetType"],
            c["decisionHash"],
            c["decisionUri"],
            c["evidenceHash"],
            c["unitDescription"],
            c["maxSupply"],
        )
        signed = consent_digest(terms, c["operator"], nonce, deadline, chain_id=self.chain_id, asset=self.asset)
        if digest != signed:
            self._breach(
                "consent.recorded",
                e,
                f"consent of {issuer} to issuance {iid} signed 0x{digest.hex()}, not the digest of its terms, "
                f"operator, chain and asset 0x{signed.hex()}",
                issuance_id=iid,
                issuer=issuer,
            )
        self.state.consents[iid] = Consent(issuer, nonce, deadline, digest, e.block_number, e.tx_hash)

    def _consent_withdrawn(self, e: Event, ts: int) -> None:
        self._spend(e, e.args["issuer"], e.args["nonce"], "withdrawal of a consent")

    def _spend(self, e: Event, issuer: str, nonce: int, act: str) -> None:
        """The contract's `_spendNonce`: the issuer's next nonce of its key, spent for good."""
        spent = self.state.consent_nonces.setdefault(issuer, set())
        key = nonce >> _KEY_SHIFT
        if nonce in spent:
            self._breach("consent.recorded", e, f"{act} spends nonce {nonce} of {issuer} again", issuer=issuer)
            return
        # How many nonces of the key were spent (the contract's `nonces(issuer, key)`), counted once.
        counts = self._spent_counts
        if counts is None:
            counts = self._spent_counts = {}
        count = counts.get((issuer, key))
        if count is None:
            count = sum(1 for n in spent if n >> _KEY_SHIFT == key)
        expected = (key << _KEY_SHIFT) + count
        if nonce != expected:
            self._breach(
                "consent.recorded",
                e,
                f"{act} spends nonce {nonce} of {issuer}; its next of that key was {expected}",
                issuer=issuer,
            )
        spent.add(nonce)
        counts[(issuer, key)] = count + 1
