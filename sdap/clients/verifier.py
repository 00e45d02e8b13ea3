"""The accredited collateral verifier (Law art. 6.8): an appraiser, custodian or notary attesting,
by signature, that collateral exists, whose it is and how many units it covers. A collateral backs
one live attestation at a time; a renewal supersedes the one in force."""

from __future__ import annotations

import secrets

from sdap import _validate as check
from sdap.clients._base import RoleClient
from sdap.signing import SignedAttestation, sign_attestation
from sdap.transactions import Receipt
from sdap.types import NO_ATTESTATION, CollateralAttestation, Created


class VerifierClient(RoleClient):
    """Signs attestations off-chain (no gas, no transaction) and manages them on-chain. An operator
    may attach the signature instead: the signature, not the sender, is the verifier's authority."""

    def attestation(
        self,
        issuance_id: int,
        owner: str,
        collateral_ref: bytes | str,
        value: int,
        units: int,
        valid_until: int,
        nonce: int | None = None,
        *,
        supersedes: bytes | str | None = None,
    ) -> CollateralAttestation:
        """An attestation for an issuance of this platform's asset contract. Without `nonce`, a
        random one: nonces are single-use flags, not a sequence, so a random one never collides.
        `supersedes` names the attestation this one renews: the one the same collateral (owner and
        reference) backs now, for the same issuance (see `renewal`)."""
        return CollateralAttestation(
            asset=self.platform.deployment.asset,
            issuance_id=check.uint(issuance_id, "issuance_id"),
            owner=check.address(owner, "owner"),
            collateral_ref=check.hash32(collateral_ref, "collateral_ref"),
            value=check.uint(value, "value"),
            units=check.uint(units, "units"),
            valid_until=check.uint(valid_until, "valid_until", 64),
            nonce=secrets.randbits(128) if nonce is None else check.uint(nonce, "nonce"),
            supersedes=NO_ATTESTATION if supersedes is None else check.hash32(supersedes, "supersedes"),
        )

    def renewal(
        self,
        previous_attestation_id: bytes | str,
        *,
        units: int,
        valid_until: int,
        value: int | None = None,
        nonce: int | None = None,
    ) -> CollateralAttestation:
        """An attestation renewing `previous_attestation_id`: the same collateral (owner and
        reference) for the same issuance, with new `units`, `valid_until` and, if given, `value`
        (else the previous one's). Once attached, the previous one stops counting in the same
        transaction. An unknown id raises CollateralAttestationUnknownError."""
        previous_id = check.hash32(previous_attestation_id, "previous_attestation_id")
        units, valid_until = check.uint(units, "units"), check.uint(valid_until, "valid_until", 64)
        value = None if value is None else check.uint(value, "value")
        previous = self.platform.queries.attestation(previous_id)
        return self.attestation(
            previous.issuance_id,
            previous.owner,
            previous.collateral_ref,
            previous.value if value is None else value,
            units,
            valid_until,
            nonce,
            supersedes=previous_id,
        )

    def sign_attestation(self, attestation: CollateralAttestation) -> SignedAttestation:
        """Signs `attestation` (EIP-712, domain of this platform's collateral contract); sends
        nothing. The digest returned is the id the attestation will have once attached."""
        return sign_attestation(
            self._account,
            attestation,
            chain_id=self.platform.deployment.chain_id,
            collateral=self.platform.deployment.collateral,
        )

    def attach(self, signed: SignedAttestation) -> Created[bytes]:
        """Records a signed attestation; returns its id."""
        return self._attach(signed.attestation, signed.signature)

    def attach_attestation(self, attestation: CollateralAttestation, signature: bytes | str) -> Created[bytes]:
        return self._attach(attestation, signature)

    def revoke(self, attestation_id: bytes | str, reason_hash: bytes | str) -> Receipt:
        """Withdraws an attestation this verifier signed: it stops counting at once, and the issuance
        may be under-collateralised from then on."""
        fn = self._collateral.functions.revoke(
            check.hash32(attestation_id, "attestation_id"), check.hash32(reason_hash, "reason_hash")
        )
        return self._send(fn)

    def invalidate_nonce(self, nonce: int) -> Receipt:
        """Withdraws a signature not yet attached, by burning its nonce."""
        return self._send(self._collateral.functions.invalidateNonce(check.uint(nonce, "nonce")))
