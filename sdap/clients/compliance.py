"""The compliance officer (Law art. 6.3, 4.1.9): freezes accounts and units."""

from __future__ import annotations

from sdap import _validate as check
from sdap.clients._base import RoleClient
from sdap.transactions import Receipt


class ComplianceClient(RoleClient):
    """Writes that need COMPLIANCE_ROLE. `reason_hash` anchors the off-chain case file."""

    def freeze_participant(self, wallet: str, reason_hash: bytes | str) -> Receipt:
        """Freezes a whole account: it can neither send nor receive units."""
        fn = self._registry.functions.freezeParticipant(
            check.address(wallet, "wallet"), check.hash32(reason_hash, "reason_hash")
        )
        return self._send(fn)

    def unfreeze_participant(self, wallet: str, reason_hash: bytes | str) -> Receipt:
        fn = self._registry.functions.unfreezeParticipant(
            check.address(wallet, "wallet"), check.hash32(reason_hash, "reason_hash")
        )
        return self._send(fn)

    def freeze_units(self, issuance_id: int, holder: str, amount: int, reason_hash: bytes | str) -> Receipt:
        """Freezes part of a holder's units of one issuance; the rest stays free to move."""
        fn = self._asset.functions.freezeUnits(*_units(issuance_id, holder, amount, reason_hash))
        return self._send(fn)

    def unfreeze_units(self, issuance_id: int, holder: str, amount: int, reason_hash: bytes | str) -> Receipt:
        fn = self._asset.functions.unfreezeUnits(*_units(issuance_id, holder, amount, reason_hash))
        return self._send(fn)

    def set_frozen_tokens(self, holder: str, issuance_id: int, amount: int) -> Receipt:
        """ERC-7943's `setFrozenTokens`: sets (overwrites) the holder's frozen units of the issuance
        to `amount`, which may exceed its balance (units it receives later stay frozen up to it);
        no reason hash on-chain, unlike `freeze_units`. The receipt has ERC-7943's Frozen event.
        Above MAX_UNITS (2**64 - 1) it is refused (SecuredAssetInvalidFrozenAmountError)."""
        fn = self._asset.functions.setFrozenTokens(
            check.address(holder, "holder"), check.uint(issuance_id, "issuance_id"), check.uint(amount, "amount")
        )
        return self._send(fn)


def _units(issuance_id: int, holder: str, amount: int, reason_hash: bytes | str) -> tuple[int, str, int, bytes]:
    return (
        check.uint(issuance_id, "issuance_id"),
        check.address(holder, "holder"),
        check.uint(amount, "amount"),
        check.hash32(reason_hash, "reason_hash"),
    )
