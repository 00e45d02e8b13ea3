"""The regulator (designated authority, Law art. 4.1): permits, the state register of issuers, the
list of recognised asset types, roles, and orders that move units."""

from __future__ import annotations

from collections.abc import Sequence

from sdap.clients._base import RoleClient
from sdap.clients.regulator_calls import RegulatorCalls
from sdap.transactions import Receipt
from sdap.types import AssetCategory, Created, IssuerStatus, Role, WalletRecovery


class RegulatorClient(RoleClient):
    """Writes that need REGULATOR_ROLE, sent by the regulator's one key. Reason, order and document
    hashes are the keccak or sha256 of documents kept off-chain; the chain anchors them so an
    inspector can check the paper.

    Each power is built by `calls` (RegulatorCalls): on a governed deployment, where the timelock
    holds the role, the same call is proposed to the council instead
    (`platform.governance().propose(platform.regulator_calls.grant_permit(...))`)."""

    @property
    def calls(self) -> RegulatorCalls:
        """The regulator's powers as prepared calls, this client sending each one."""
        return self.platform.regulator_calls

    # --- permits (Law art. 6.1-6.2, 4.1.14) ------------------------------------------------

    def grant_permit(self, operator: str, valid_from: int, valid_until: int, document_hash: bytes | str) -> Receipt:
        """Grants `operator` a permit in force from `valid_from` until (not including) `valid_until`."""
        return self._send(self.calls.grant_permit(operator, valid_from, valid_until, document_hash))

    def renew_permit(self, operator: str, valid_until: int, document_hash: bytes | str) -> Receipt:
        return self._send(self.calls.renew_permit(operator, valid_until, document_hash))

    def suspend_permit(self, operator: str, reason_hash: bytes | str) -> Receipt:
        """Suspends a granted permit: every issuance of the operator stops at once, on-chain."""
        return self._send(self.calls.suspend_permit(operator, reason_hash))

    def reinstate_permit(self, operator: str, reason_hash: bytes | str) -> Receipt:
        return self._send(self.calls.reinstate_permit(operator, reason_hash))

    def revoke_permit(self, operator: str, reason_hash: bytes | str) -> Receipt:
        return self._send(self.calls.revoke_permit(operator, reason_hash))

    def record_operator_details(
        self, operator: str, legal_name: str, business_id: str, jurisdiction: str, details_hash: bytes | str
    ) -> Receipt:
        """Records the legal details of an operator in the register, before or after its permit;
        called again, corrects them. All four are needed (Registry_InvalidOperatorDetails)."""
        return self._send(
            self.calls.record_operator_details(operator, legal_name, business_id, jurisdiction, details_hash)
        )

    # --- state register of issuers (Law art. 4.1.10) --------------------------------------

    def register_issuer(
        self, wallet: str, legal_name: str, business_id: str, jurisdiction: str, details_hash: bytes | str
    ) -> Receipt:
        """Enters an issuer into the state register, active at once."""
        return self._send(self.calls.register_issuer(wallet, legal_name, business_id, jurisdiction, details_hash))

    def update_issuer(
        self, wallet: str, legal_name: str, business_id: str, jurisdiction: str, details_hash: bytes | str
    ) -> Receipt:
        return self._send(self.calls.update_issuer(wallet, legal_name, business_id, jurisdiction, details_hash))

    def set_issuer_status(self, wallet: str, status: IssuerStatus | int | str, reason_hash: bytes | str) -> Receipt:
        """Suspends, reactivates or removes a registered issuer (a removed one is not brought back)."""
        return self._send(self.calls.set_issuer_status(wallet, status, reason_hash))

    # --- recognised asset types (Law art. 4.1.8) ------------------------------------------

    def list_asset_type(self, name: str, category: AssetCategory | int | str) -> Created[int]:
        """Lists a recognised asset type; returns its id."""
        receipt = self._send(self.calls.list_asset_type(name, category))
        return Created(int(receipt.event("AssetTypeListed")["typeId"]), receipt)

    def delist_asset_type(self, type_id: int) -> Receipt:
        """Stops new issuance of a type; what exists keeps circulating."""
        return self._send(self.calls.delist_asset_type(type_id))

    def relist_asset_type(self, type_id: int) -> Receipt:
        return self._send(self.calls.relist_asset_type(type_id))

    # --- the risk notice (Law art. 6.4) ---------------------------------------------------

    def publish_risk_notice(self, content_hash: bytes | str, uri: str) -> Created[int]:
        """Publishes a new version of the platform's risk notice, in force at once; returns its
        version. Every participant must acknowledge it before dealing again. The regulator's alone,
        so that no operator can make another operator's participants ineligible."""
        receipt = self._send(self.calls.publish_risk_notice(content_hash, uri))
        return Created(int(receipt.event("RiskNoticePublished")["version"]), receipt)

    # --- participants (Law art. 6.3) ------------------------------------------------------

    def update_identity(self, wallet: str, identity_ref: bytes | str, identity_expiry: int) -> Receipt:
        """Re-identifies any participant, whichever operator registered it (which stays its operator)."""
        return self._send(self.calls.update_identity(wallet, identity_ref, identity_expiry))

    def recover_participant(
        self, lost: str, replacement: str, identity_ref: bytes | str, identity_expiry: int, reason_hash: bytes | str
    ) -> Receipt:
        """Moves a participant whose wallet `lost` is lost to the new wallet `replacement`, by the
        order `reason_hash`: the same person, under the same operator, freeze and acknowledgement,
        identified by `identity_ref` until `identity_expiry`. Unlike the operator's recovery, the
        regulator's order needs no freeze by compliance first. `replacement` must never have been
        registered nor be lost itself (RegistryInvalidReplacementError); `lost` can never be
        registered, receive or send again (RegistryWalletLostError). Its units stay where they are
        until `recover_holdings` moves them (or use `recover_wallet` for both)."""
        return self._send(self.calls.recover_participant(lost, replacement, identity_ref, identity_expiry, reason_hash))

    def recover_wallet(
        self, lost: str, replacement: str, identity_ref: bytes | str, identity_expiry: int, reason_hash: bytes | str
    ) -> WalletRecovery:
        """`recover_participant`, then `recover_holdings` of everything `lost` holds (found from
        events): two transactions, both receipts returned; the second is not sent (None) when
        `lost` holds nothing. The regulator needs no freeze of `lost` first (an operator does)."""
        return self._recover_wallet(lost, replacement, identity_ref, identity_expiry, reason_hash)

    # --- roles ----------------------------------------------------------------------------

    def grant_role(self, role: Role | str, account: str) -> Receipt:
        """Grants a role by name (`operator`, `verifier`, `compliance`, `regulator`, `supervisor`,
        `settlement_agent`: who confirms off-chain payments for escrows that name it)."""
        return self._send(self.calls.grant_role(role, account))

    def revoke_role(self, role: Role | str, account: str) -> Receipt:
        """Revokes a role. Revoking VERIFIER_ROLE withdraws the accreditation: none of the
        verifier's attestations counts any more, even if it is accredited again later."""
        return self._send(self.calls.revoke_role(role, account))

    # --- payment tokens (Rules item 4: exchange for electronic money) ---------------------

    def list_payment_token(self, token: str, currency: str) -> Receipt:
        """Accepts the electronic-money ERC-20 `token` in `currency` (ISO 4217, "KZT") as payment on
        the exchange; its decimals are read from the token and recorded, so amounts convert."""
        return self._send(self.calls.list_payment_token(token, currency))

    def delist_payment_token(self, token: str) -> Receipt:
        """Stops accepting `token`: offers paying in it can no longer be taken."""
        return self._send(self.calls.delist_payment_token(token))

    def cancel_escrow(self, escrow_id: int, order_hash: bytes | str) -> Receipt:
        """Ends an open escrow by the order `order_hash`: its units are the seller's again, and so
        within reach of the regulator's other orders (ExchangeEscrowNotOpenError otherwise)."""
        return self._send(self.calls.cancel_escrow(escrow_id, order_hash))

    # --- orders over units ----------------------------------------------------------------

    def refuse_redemption(self, request_id: int, reason_hash: bytes | str) -> Receipt:
        """Refuses a pending redemption request by order (`reason_hash`), when the issuer cannot or
        will not answer it: its units go back to the holder's wallet (its new one if recovered)."""
        return self._send(self.calls.refuse_redemption(request_id, reason_hash))

    def forced_transfer(self, issuance_id: int, from_: str, to: str, amount: int, order_hash: bytes | str) -> Receipt:
        """Moves units by regulator order, whatever the freeze, pause or permit state, but never
        encumbered units, never to a wallet that is not eligible and never to the same wallet."""
        return self._send(self.calls.forced_transfer(issuance_id, from_, to, amount, order_hash))

    def succeed_issuances(self, ids: Sequence[int], successor: str, order_hash: bytes | str) -> Receipt:
        """Hands the issuances `ids` to `successor`, an operator with OPERATOR_ROLE and an active
        permit, by the order `order_hash` (Law art. 6.1-6.2): when a permit is suspended or revoked,
        the issuances it carried are not orphaned. From then on the successor mints, pauses and
        closes them, and its permit is the one their transfers need. Each id is named in the
        transaction and in its own IssuanceSucceeded event; to move every issuance of an operator,
        list them with `PlatformQueries.issuances(operator=...)`."""
        return self._send(self.calls.succeed_issuances(ids, successor, order_hash))

    def pause(self, issuance_id: int) -> Receipt:
        """Stops every movement of an issuance's units; only the regulator (or a supervisor) lifts
        this pause. Takes over an operator's pause too."""
        return self._send(self.calls.pause(issuance_id))

    def unpause(self, issuance_id: int) -> Receipt:
        """Lifts a pause, the regulator's or an operator's."""
        return self._send(self.calls.unpause(issuance_id))

    def revoke_attestation(self, attestation_id: bytes | str, reason_hash: bytes | str) -> Receipt:
        """Revokes a collateral attestation (its verifier may too): it stops counting at once, and the
        issuance may be under-collateralised from then on."""
        return self._send(self.calls.revoke_attestation(attestation_id, reason_hash))
