"""Every power of the regulator as a prepared contract call, built and checked in one place, so the
same call is sent by the regulator's key (RegulatorClient) or proposed to the council of a governed
regulator (sdap.governance.Governance.propose) and run by its timelock."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from web3.contract.contract import ContractFunction

from sdap import _validate as check
from sdap.clients._base import identity_args
from sdap.errors import InvalidArgument
from sdap.types import AssetCategory, IssuerStatus, Role, currency_code

if TYPE_CHECKING:
    from sdap.platform import Platform


class RegulatorCalls:
    """Builds, never sends: each method checks its arguments as RegulatorClient documents them and
    returns the ContractFunction (`platform.regulator_calls`)."""

    def __init__(self, platform: Platform) -> None:
        self._registry = platform.contracts.registry.functions
        self._collateral = platform.contracts.collateral.functions
        self._asset = platform.contracts.asset.functions
        self._exchange = platform.contracts.exchange.functions

    # --- permits and the register of operators ---------------------------------------------

    def grant_permit(
        self, operator: str, valid_from: int, valid_until: int, document_hash: bytes | str
    ) -> ContractFunction:
        return self._registry.grantPermit(
            check.address(operator, "operator"),
            check.uint(valid_from, "valid_from", 64),
            check.uint(valid_until, "valid_until", 64),
            check.hash32(document_hash, "document_hash"),
        )

    def renew_permit(self, operator: str, valid_until: int, document_hash: bytes | str) -> ContractFunction:
        return self._registry.renewPermit(
            check.address(operator, "operator"),
            check.uint(valid_until, "valid_until", 64),
            check.hash32(document_hash, "document_hash"),
        )

    def suspend_permit(self, operator: str, reason_hash: bytes | str) -> ContractFunction:
        return self._registry.suspendPermit(*_subject(operator, reason_hash))

    def reinstate_permit(self, operator: str, reason_hash: bytes | str) -> ContractFunction:
        return self._registry.reinstatePermit(*_subject(operator, reason_hash))

    def revoke_permit(self, operator: str, reason_hash: bytes | str) -> ContractFunction:
        return self._registry.revokePermit(*_subject(operator, reason_hash))

    def record_operator_details(
        self, operator: str, legal_name: str, business_id: str, jurisdiction: str, details_hash: bytes | str
    ) -> ContractFunction:
        return self._registry.recordOperatorDetails(
            *_details(operator, legal_name, business_id, jurisdiction, details_hash, key="operator")
        )

    # --- state register of issuers ----------------------------------------------------------

    def register_issuer(
        self, wallet: str, legal_name: str, business_id: str, jurisdiction: str, details_hash: bytes | str
    ) -> ContractFunction:
        return self._registry.registerIssuer(*_details(wallet, legal_name, business_id, jurisdiction, details_hash))

    def update_issuer(
        self, wallet: str, legal_name: str, business_id: str, jurisdiction: str, details_hash: bytes | str
    ) -> ContractFunction:
        return self._registry.updateIssuer(*_details(wallet, legal_name, business_id, jurisdiction, details_hash))

    def set_issuer_status(
        self, wallet: str, status: IssuerStatus | int | str, reason_hash: bytes | str
    ) -> ContractFunction:
        return self._registry.setIssuerStatus(
            check.address(wallet, "wallet"),
            int(check.member(status, IssuerStatus, "status")),
            check.hash32(reason_hash, "reason_hash"),
        )

    # --- recognised asset types and the risk notice ----------------------------------------

    def list_asset_type(self, name: str, category: AssetCategory | int | str) -> ContractFunction:
        return self._registry.listAssetType(
            check.text(name, "name"), int(check.member(category, AssetCategory, "category"))
        )

    def delist_asset_type(self, type_id: int) -> ContractFunction:
        return self._registry.delistAssetType(check.uint(type_id, "type_id", 32))

    def relist_asset_type(self, type_id: int) -> ContractFunction:
        return self._registry.relistAssetType(check.uint(type_id, "type_id", 32))

    def publish_risk_notice(self, content_hash: bytes | str, uri: str) -> ContractFunction:
        return self._registry.publishRiskNotice(check.hash32(content_hash, "content_hash"), check.text(uri, "uri"))

    # --- participants -----------------------------------------------------------------------

    def update_identity(self, wallet: str, identity_ref: bytes | str, identity_expiry: int) -> ContractFunction:
        return self._registry.updateParticipantIdentity(*identity_args(wallet, identity_ref, identity_expiry))

    def recover_participant(
        self, lost: str, replacement: str, identity_ref: bytes | str, identity_expiry: int, reason_hash: bytes | str
    ) -> ContractFunction:
        return self._registry.recoverParticipant(
            check.address(lost, "lost"),
            check.address(replacement, "replacement"),
            check.hash32(identity_ref, "identity_ref"),
            check.uint(identity_expiry, "identity_expiry", 64),
            check.hash32(reason_hash, "reason_hash"),
        )

    # --- roles ------------------------------------------------------------------------------

    def grant_role(self, role: Role | str, account: str) -> ContractFunction:
        return self._registry.grantRole(check.role(role).id, check.address(account, "account"))

    def revoke_role(self, role: Role | str, account: str) -> ContractFunction:
        return self._registry.revokeRole(check.role(role).id, check.address(account, "account"))

    # --- payment tokens the exchange accepts ----------------------------------------------

    def list_payment_token(self, token: str, currency: str) -> ContractFunction:
        return self._exchange.listPaymentToken(check.address(token, "token"), currency_code(currency))

    def delist_payment_token(self, token: str) -> ContractFunction:
        return self._exchange.delistPaymentToken(check.address(token, "token"))

    def cancel_escrow(self, escrow_id: int, order_hash: bytes | str) -> ContractFunction:
        return self._exchange.cancelEscrow(check.uint(escrow_id, "escrow_id"), check.hash32(order_hash, "order_hash"))

    # --- orders over units ------------------------------------------------------------------

    def refuse_redemption(self, request_id: int, reason_hash: bytes | str) -> ContractFunction:
        return self._asset.refuseRedemption(
            check.uint(request_id, "request_id"), check.hash32(reason_hash, "reason_hash")
        )

    def forced_transfer(
        self, issuance_id: int, from_: str, to: str, amount: int, order_hash: bytes | str
    ) -> ContractFunction:
        return self._asset.forcedTransfer(
            check.uint(issuance_id, "issuance_id"),
            check.address(from_, "from_"),
            check.address(to, "to"),
            check.uint(amount, "amount"),
            check.hash32(order_hash, "order_hash"),
        )

    def succeed_issuances(self, ids: Sequence[int], successor: str, order_hash: bytes | str) -> ContractFunction:
        if isinstance(ids, str | bytes):
            raise InvalidArgument(f"ids must be a list of issuance ids, got {ids!r}")
        return self._asset.succeedIssuances(
            [check.uint(i, "ids[]") for i in ids],
            check.address(successor, "successor"),
            check.hash32(order_hash, "order_hash"),
        )

    def pause(self, issuance_id: int) -> ContractFunction:
        return self._asset.pause(check.uint(issuance_id, "issuance_id"))

    def unpause(self, issuance_id: int) -> ContractFunction:
        return self._asset.unpause(check.uint(issuance_id, "issuance_id"))

    def revoke_attestation(self, attestation_id: bytes | str, reason_hash: bytes | str) -> ContractFunction:
        return self._collateral.revoke(
            check.hash32(attestation_id, "attestation_id"), check.hash32(reason_hash, "reason_hash")
        )


def _subject(operator: str, reason_hash: bytes | str) -> tuple[str, bytes]:
    return check.address(operator, "operator"), check.hash32(reason_hash, "reason_hash")


def _details(
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
