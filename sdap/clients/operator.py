"""The platform operator (Law art. 6.1): onboards participants, records their acknowledgement of
the risks, posts issuances once collateral is verified, mints, and relays signatures for those
without gas. Every act needs OPERATOR_ROLE and a permit in force."""

from __future__ import annotations

from sdap import _validate as check
from sdap.clients import _forwarding
from sdap.clients._base import RoleClient, identity_args
from sdap.signing import SignedAttestation, SignedConsent, normalise_params
from sdap.transactions import Receipt
from sdap.types import CollateralAttestation, Created, ForwardRequest, IssuanceParams, IssuerConsent, WalletRecovery


class OperatorClient(RoleClient):
    """Writes that need OPERATOR_ROLE and a permit in force; without them each is refused
    (RegistryPermitNotActiveError, SecuredAssetPermitNotActiveError, ...) before anything is sent."""

    # --- participants (Law art. 6.3) ------------------------------------------------------

    def register_participant(self, wallet: str, identity_ref: bytes | str, identity_expiry: int) -> Receipt:
        """Onboards an identified participant; `identity_ref` is the hash of the identification
        record kept off-chain, `identity_expiry` when that identification must be renewed."""
        fn = self._registry.functions.registerParticipant(*identity_args(wallet, identity_ref, identity_expiry))
        return self._send(fn)

    def update_identity(self, wallet: str, identity_ref: bytes | str, identity_expiry: int) -> Receipt:
        """Re-identifies a participant this operator registered (another's: RegistryNotParticipantOperatorError)."""
        fn = self._registry.functions.updateParticipantIdentity(*identity_args(wallet, identity_ref, identity_expiry))
        return self._send(fn)

    def recover_participant(
        self, lost: str, replacement: str, identity_ref: bytes | str, identity_expiry: int, reason_hash: bytes | str
    ) -> Receipt:
        """Moves a participant this operator identified, whose wallet `lost` is lost, to the new
        wallet `replacement`, having identified the person again (`identity_ref`, until
        `identity_expiry`); `reason_hash` anchors the case file. A compliance officer must have
        frozen `lost` first (ComplianceClient.freeze_participant; else RegistryRecoveryNeedsFreezeError):
        two hands, not one operator key, move a position, and `replacement` inherits the freeze, so
        its units move only once compliance has reviewed it and unfreezes it. Another operator's
        participant is refused (RegistryNotParticipantOperatorError), as is an operator without a
        permit in force. `lost` can never be registered, receive or send again; its units stay where
        they are until `recover_holdings` moves them (or use `recover_wallet` for both)."""
        return self._recover_participant(lost, replacement, identity_ref, identity_expiry, reason_hash)

    def recover_wallet(
        self, lost: str, replacement: str, identity_ref: bytes | str, identity_expiry: int, reason_hash: bytes | str
    ) -> WalletRecovery:
        """`recover_participant`, then `recover_holdings` of everything `lost` holds (found from
        events): two transactions, both receipts returned; the second is not sent (None) when
        `lost` holds nothing. As for `recover_participant`, compliance must have frozen `lost`
        first; the units arrive on the frozen `replacement`."""
        return self._recover_wallet(lost, replacement, identity_ref, identity_expiry, reason_hash)

    # --- risk notice (Law art. 6.4): the regulator publishes it, operators relay acknowledgements

    def relay_acknowledgement(self, participant: str, version: int, deadline: int, signature: bytes | str) -> Receipt:
        """Records `participant`'s signed acknowledgement (see HolderClient.sign_acknowledgement)."""
        fn = self._registry.functions.acknowledgeRiskNoticeBySig(
            check.address(participant, "participant"),
            check.uint(version, "version", 32),
            check.uint(deadline, "deadline"),
            check.signature(signature),
        )
        return self._send(fn)

    # --- issuances (Law art. 5.1, 6.8, 7) -------------------------------------------------

    def create_issuance(self, params: IssuanceParams, consent: IssuerConsent | SignedConsent) -> Created[int]:
        """Posts an issuance run by this operator, with the issuer's consent to exactly these terms
        and this operator (IssuerClient.sign_consent; Law art. 6.5): the decision to issue and the
        rights evidence are anchored before any unit exists, and the consent's nonce is spent.
        Returns the issuance id (its ERC-1155 token id). A consent for other terms, another
        operator, chain or contract, or not the issuer's, is refused before anything is sent
        (SecuredAssetConsentNotSignedError), as are an expired one and a used or withdrawn nonce."""
        if isinstance(consent, SignedConsent):
            consent = consent.consent
        p = normalise_params(params)
        fn = self._asset.functions.createIssuance(
            (
                p.issuer,
                p.asset_type,
                p.decision_hash,
                p.decision_uri,
                p.evidence_hash,
                p.unit_description,
                p.max_supply,
            ),
            (
                check.uint(consent.nonce, "nonce"),
                check.uint(consent.deadline, "deadline", 64),
                check.signature(consent.signature),
            ),
        )
        receipt = self._send(fn)
        return Created(int(receipt.event("IssuanceCreated")["id"]), receipt)

    def attach_attestation(self, attestation: CollateralAttestation, signature: bytes | str) -> Created[bytes]:
        """Records a verifier's signed attestation; returns its id (its EIP-712 digest)."""
        return self._attach(attestation, signature)

    def attach(self, signed: SignedAttestation) -> Created[bytes]:
        """`attach_attestation` of what VerifierClient.sign_attestation produced."""
        return self._attach(signed.attestation, signed.signature)

    def mint(self, issuance_id: int, to: str, amount: int) -> Receipt:
        """Mints units to an eligible holder, within the verified collateral and the cap."""
        fn = self._asset.functions.mint(
            check.uint(issuance_id, "issuance_id"), check.address(to, "to"), check.uint(amount, "amount")
        )
        return self._send(fn)

    def pause(self, issuance_id: int) -> Receipt:
        """Stops every movement of the issuance's units."""
        return self._send(self._asset.functions.pause(check.uint(issuance_id, "issuance_id")))

    def unpause(self, issuance_id: int) -> Receipt:
        """Lifts this operator's pause; a regulator's pause only the regulator lifts
        (SecuredAssetPausedByRegulatorError)."""
        return self._send(self._asset.functions.unpause(check.uint(issuance_id, "issuance_id")))

    def close(self, issuance_id: int, fulfilment_hash: bytes | str) -> Receipt:
        """Records that the issuer's obligations to all holders are met (Law art. 7.1); needs a
        supply of zero and a fulfilment hash (a zero one is refused by the simulation,
        SecuredAssetEmptyFulfilmentError). Nothing more can be minted."""
        fn = self._asset.functions.close(
            check.uint(issuance_id, "issuance_id"), check.hash32(fulfilment_hash, "fulfilment_hash")
        )
        return self._send(fn)

    # --- encumbrance (Rules item 4) -------------------------------------------------------

    def enforce(self, encumbrance_id: int, reference_hash: bytes | str) -> Receipt:
        """Moves the locked units of an encumbrance to its beneficiary (its issuance's operator);
        to the beneficiary's new wallet if its wallet was recovered."""
        fn = self._asset.functions.enforce(
            check.uint(encumbrance_id, "encumbrance_id"), check.hash32(reference_hash, "reference_hash")
        )
        return self._send(fn)

    # --- relaying -------------------------------------------------------------------------

    def relay(self, request: ForwardRequest, signature: bytes | str) -> Receipt:
        """Submits a holder's signed forward request, paying its gas; the holder is recorded as the
        one who acted. A request the asset would refuse raises the asset's decoded error unsent."""
        return _forwarding.relay(self.platform, self._tx, request, signature)
