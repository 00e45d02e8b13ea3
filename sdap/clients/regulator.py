"""The regulator (designated authority, Law art. 4.1): permits, the state register of issuers, the
list of recognised asset types, roles, and orders that move units."""

from __future__ import annotations

from collections.abc import Sequence

from sdap import _validate as check
from sdap.clients._base import RoleClient, identity_args
from sdap.errors import InvalidArgument
from sdap.transactions import Receipt
from sdap.types import AssetCategory, Created, IssuerStatus, Role, WalletRecovery


class RegulatorClient(RoleClient):
    """Writes that need REGULATOR_ROLE. Reason, order and document hashes are the keccak or sha256
    of documents kept off-chain; the chain anchors them so an inspector can check the paper."""

    # --- permits (Law art. 6.1-6.2, 4.1.14) ------------------------------------------------

    def grant_permit(self, operator: str, valid_from: int, valid_until: int, document_hash: bytes | str) -> Receipt:
        """Grants `operator` a permit in force from `valid_from` until (not including) `valid_until`."""
        fn = self._registry.functions.grantPermit(
            check.address(operator, "operator"),
            check.uint(valid_from, "valid_from", 64),
            check.uint(valid_until, "valid_until", 64),
            check.hash32(document_hash, "document_hash"),
        )
        return self._send(fn)

    def renew_permit(self, operator: str, valid_until: int, document_hash: bytes | str) -> Receipt:
        fn = self._registry.functions.renewPermit(
            check.address(operator, "operator"),
            check.uint(valid_until, "valid_until", 64),
            check.hash32(document_hash, "document_hash"),
        )
        return self._send(fn)

    def suspend_permit(self, operator: str, reason_hash: bytes | str) -> Receipt:
        """Suspends a granted permit: every issuance of the operator stops at once, on-chain."""
        return self._send(self._registry.functions.suspendPermit(*_subject(operator, reason_hash)))

    def reinstate_permit(self, operator: str, reason_hash: bytes | str) -> Receipt:
        return self._send(self._registry.functions.reinstatePermit(*_subject(operator, reason_hash)))

    def revoke_permit(self, operator: str, reason_hash: bytes | str) -> Receipt:
        return self._send(self._registry.functions.revokePermit(*_subject(operator, reason_hash)))

    def record_operator_details(
        self, operator: str, legal_name: str, business_id: str, jurisdiction: str, details_hash: bytes | str
    ) -> Receipt:
        """Records the legal details of an operator in the register, before or after its permit;
        called again, corrects them. All four are needed (Registry_InvalidOperatorDetails)."""
        return self._send(
            self._registry.functions.recordOperatorDetails(
                *_issuer(operator, legal_name, business_id, jurisdiction, details_hash, key="operator")
            )
        )

    # --- state register of issuers (Law art. 4.1.10) --------------------------------------

    def register_issuer(
        self, wallet: str, legal_name: str, business_id: str, jurisdiction: str, details_hash: bytes | str
    ) -> Receipt:
        """Enters an issuer into the state register, active at once."""
        return self._send(
            self._registry.functions.registerIssuer(
                *_issuer(wallet, legal_name, business_id, jurisdiction, details_hash)
            )
        )

    def update_issuer(
        self, wallet: str, legal_name: str, business_id: str, jurisdiction: str, details_hash: bytes | str
    ) -> Receipt:
        return self._send(
            self._registry.functions.updateIssuer(*_issuer(wallet, legal_name, business_id, jurisdiction, details_hash))
        )

    def set_issuer_status(self, wallet: str, status: IssuerStatus | int | str, reason_hash: bytes | str) -> Receipt:
        """Suspends, reactivates or removes a registered issuer (a removed one is not brought back)."""
        fn = self._registry.functions.setIssuerStatus(
            check.address(wallet, "wallet"),
            int(check.member(status, IssuerStatus, "status")),
            check.hash32(reason_hash, "reason_hash"),
        )
        return self._send(fn)

    # --- recognised asset types (Law art. 4.1.8) ------------------------------------------

    def list_asset_type(self, name: str, category: AssetCategory | int | str) -> Created[int]:
        """Lists a recognised asset type; returns its id."""
        fn = self._registry.functions.listAssetType(
            check.text(name, "name"), int(check.member(category, AssetCategory, "category"))
        )
        receipt = self._send(fn)
        return Created(int(receipt.event("AssetTypeListed")["typeId"]), receipt)

    def delist_asset_type(self, type_id: int) -> Receipt:
        """Stops new issuance of a type; what exists keeps circulating."""
        return self._send(self._registry.functions.delistAssetType(check.uint(type_id, "type_id", 32)))

    def relist_asset_type(self, type_id: int) -> Receipt:
        return self._send(self._registry.functions.relistAssetType(check.uint(type_id, "type_id", 32)))

    # --- the risk notice (Law art. 6.4) ---------------------------------------------------

    def publish_risk_notice(self, content_hash: bytes | str, uri: str) -> Created[int]:
        """Publishes a new version of the platform's risk notice, in force at once; returns its
        version. Every participant must acknowledge it before dealing again. The regulator's alone,
        so that no operator can make another operator's participants ineligible."""
        fn = self._registry.functions.publishRiskNotice(
            check.hash32(content_hash, "content_hash"), check.text(uri, "uri")
        )
        receipt = self._send(fn)
        return Created(int(receipt.event("RiskNoticePublished")["version"]), receipt)

    # --- participants (Law art. 6.3) ------------------------------------------------------

    def update_identity(self, wallet: str, identity_ref: bytes | str, identity_expiry: int) -> Receipt:
        """Re-identifies any participant, whichever operator registered it (which stays its operator)."""
        fn = self._registry.functions.updateParticipantIdentity(*identity_args(wallet, identity_ref, identity_expiry))
        return self._send(fn)

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
        return self._recover_participant(lost, replacement, identity_ref, identity_expiry, reason_hash)

    def recover_wallet(
        self, lost: str, replacement: str, identity_ref: bytes | str, identity_expiry: int, reason_hash: bytes | str
    ) -> WalletRecovery:
        """`recover_participant`, then `recover_holdings` of everything `lost` holds (found from
        events): two transactions, both receipts returned; the second is not sent (None) when
        `lost` holds nothing. The regulator needs no freeze of `lost` first (an operator does)."""
        return self._recover_wallet(lost, replacement, identity_ref, identity_expiry, reason_hash)

    # --- roles ----------------------------------------------------------------------------

    def grant_role(self, role: Role | str, account: str) -> Receipt:
        """Grants a role by name (`operator`, `verifier`, `compliance`, `regulator`)."""
        fn = self._registry.functions.grantRole(check.role(role).id, check.address(account, "account"))
        return self._send(fn)

    def revoke_role(self, role: Role | str, account: str) -> Receipt:
        """Revokes a role. Revoking VERIFIER_ROLE withdraws the accreditation: none of the
        verifier's attestations counts any more, even if it is accredited again later."""
        fn = self._registry.functions.revokeRole(check.role(role).id, check.address(account, "account"))
        return self._send(fn)

    # --- orders over units ----------------------------------------------------------------

    def refuse_redemption(self, request_id: int, reason_hash: bytes | str) -> Receipt:
        """Refuses a pending redemption request by order (`reason_hash`), when the issuer cannot or
        will not answer it: its units go back to the holder's wallet (its new one if recovered)."""
        return self._refuse_redemption(request_id, reason_hash)

    def forced_transfer(self, issuance_id: int, from_: str, to: str, amount: int, order_hash: bytes | str) -> Receipt:
        """Moves units by regulator order, whatever the freeze, pause or permit state, but never
        encumbered units, never to a wallet that is not eligible and never to the same wallet."""
        fn = self._asset.functions.forcedTransfer(
            check.uint(issuance_id, "issuance_id"),
            check.address(from_, "from_"),
            check.address(to, "to"),
            check.uint(amount, "amount"),
            check.hash32(order_hash, "order_hash"),
        )
        return self._send(fn)

    def succeed_issuances(self, ids: Sequence[int], successor: str, order_hash: bytes | str) -> Receipt:
        """Hands the issuances `ids` to `successor`, an operator with OPERATOR_ROLE and an active
        permit, by the order `order_hash` (Law art. 6.1-6.2): when a permit is suspended or revoked,
        the issuances it carried are not orphaned. From then on the successor mints, pauses and
        closes them, and its permit is the one their transfers need. Each id is named in the
        transaction and in its own IssuanceSucceeded event; to move every issuance of an operator,
        list them with `PlatformQueries.issuances(operator=...)`."""
        if isinstance(ids, str | bytes):
            raise InvalidArgument(f"ids must be a list of issuance ids, got {ids!r}")
        fn = self._asset.functions.succeedIssuances(
            [check.uint(i, "ids[]") for i in ids],
            check.address(successor, "successor"),
            check.hash32(order_hash, "order_hash"),
        )
        return self._send(fn)

    def pause(self, issuance_id: int) -> Receipt:
        """Stops every movement of an issuance's units; only the regulator lifts this pause. Takes
        over an operator's pause too."""
        return self._send(self._asset.functions.pause(check.uint(issuance_id, "issuance_id")))

    def unpause(self, issuance_id: int) -> Receipt:
        """Lifts a pause, the regulator's or an operator's."""
        return self._send(self._asset.functions.unpause(check.uint(issuance_id, "issuance_id")))

    def revoke_attestation(self, attestation_id: bytes | str, reason_hash: bytes | str) -> Receipt:
        """Revokes a collateral attestation (its verifier may too): it stops counting at once, and the
        issuance may be under-collateralised from then on."""
        fn = self._collateral.functions.revoke(
            check.hash32(attestation_id, "attestation_id"), check.hash32(reason_hash, "reason_hash")
        )
        return self._send(fn)


def _subject(operator: str, reason_hash: bytes | str) -> tuple[str, bytes]:
    return check.address(operator, "operator"), check.hash32(reason_hash, "reason_hash")


def _issuer(
    wallet: str, legal_name: str, business_id: str, jurisdiction: str, details_hash: bytes | str, *, key: str = "wallet"
) -> tuple[str, str, str, str, bytes]:
    """The checked legal details of an issuer or (`key` "operator") an operator."""
    return (
        check.address(wallet, key),
        check.text(legal_name, "legal_name"),
        check.text(business_id, "business_id"),
        check.text(jurisdiction, "jurisdiction"),
        check.hash32(details_hash, "details_hash"),
    )
