"""What every role client shares: the platform, the signing account and its one Transactor."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from eth_account.signers.local import LocalAccount
from web3.contract.contract import ContractFunction

from sdap import _validate as check
from sdap.errors import InvalidArgument
from sdap.signing import normalise_attestation
from sdap.transactions import Receipt, Transactor, chain_errors
from sdap.types import CollateralAttestation, Coverage, Created, WalletRecovery

if TYPE_CHECKING:
    from sdap.platform import Platform


class RoleClient:
    """Acts on the platform as one account. Writes go through `platform.transactor(account)`, so
    every client of the same key, whatever its role, shares one nonce counter; each write is
    simulated first and a refusal raises its decoded ContractError without sending anything."""

    def __init__(self, platform: Platform, account: LocalAccount, *, transactor: Transactor | None = None) -> None:
        self.platform = platform
        self._account = account
        #: `transactor`: one of the caller's own for this account (a gateway's, sending through its journal).
        self._tx: Transactor = transactor if transactor is not None else platform.transactor(account)
        self._registry = platform.contracts.registry
        self._collateral = platform.contracts.collateral
        self._asset = platform.contracts.asset
        self._exchange = platform.contracts.exchange

    def __repr__(self) -> str:
        # The account is never shown: only its address.
        return f"{type(self).__name__}({self.address})"

    @property
    def address(self) -> str:
        return str(self._account.address)

    def _send(self, fn: ContractFunction) -> Receipt:
        return self._tx.send(fn)

    def _attach(self, attestation: CollateralAttestation, signature: bytes | str) -> Created[bytes]:
        """Records a signed collateral attestation (operators and verifiers may); returns its id."""
        a = normalise_attestation(attestation)
        receipt = self._send(self._collateral.functions.attach(a.as_tuple(), check.signature(signature)))
        return Created(bytes(receipt.event("AttestationAttached")["attestationId"]), receipt)

    def _refuse_redemption(self, request_id: int, reason_hash: bytes | str) -> Receipt:
        """A refusal by the issuer or, by order, the regulator: the same call, the units go back."""
        fn = self._asset.functions.refuseRedemption(
            check.uint(request_id, "request_id"), check.hash32(reason_hash, "reason_hash")
        )
        return self._send(fn)

    def sync_coverage(self, issuance_id: int) -> Coverage:
        """Has the asset count the issuance's live collateral again and record until when it covers
        the supply; returns that count. Anyone may: it only writes what the attestations say. Worth
        calling once an accreditation was withdrawn, so the issuance's state shows it before the
        next movement would count it anyway (expiry needs no call)."""
        fn = self._asset.functions.syncCoverage(check.uint(issuance_id, "issuance_id"))
        receipt = self._send(fn)
        synced = receipt.event("CoverageSynced")
        with chain_errors():
            at = int(self.platform.w3.eth.get_block(receipt.block_number)["timestamp"])
        covered_until = int(synced["coveredUntil"])
        return Coverage(int(synced["covered"]), int(synced["supply"]), covered_until, covered_until <= at)

    def lapse_escrow(self, escrow_id: int) -> Receipt:
        """Ends an escrow whose deadline passed without the payment confirmed, or whose agent no
        longer holds SETTLEMENT_AGENT_ROLE (it can confirm nothing): its units are the seller's
        again. Anyone may send it (ExchangeEscrowNotExpiredError before then)."""
        return self._send(self._exchange.functions.lapse(check.uint(escrow_id, "escrow_id")))

    def recover_holdings(
        self, lost: str, ids: Sequence[int] | None = None, encumbrance_ids: Sequence[int] | None = None
    ) -> Receipt:
        """Moves a recovered wallet's position to the wallet the registry recovered it to (followed
        to the last replacement if that one was lost too): its whole balance of each issuance in
        `ids`, frozen units staying frozen, and the encumbrances `encumbrance_ids`, which keep their
        beneficiary, amount and expiry. Anyone may send it: where the units go was decided in the
        registry, and the move is the same person's position, not a dealing, so no pause, permit or
        coverage stops it. Every active encumbrance of `lost` in `ids` must be named
        (SecuredAssetEncumbrancesLeftBehindError); a wallet not recovered is refused
        (SecuredAssetWalletNotRecoveredError).

        Left as None, `ids` and `encumbrance_ids` are found from the chain's events
        (PlatformQueries.position): the issuances `lost` holds units of and its active
        encumbrances. It may be sent again later for other ids."""
        lost = check.address(lost, "lost")
        if ids is None or encumbrance_ids is None:
            found = self.platform.queries.position(lost)
            ids = found.issuance_ids if ids is None else ids
            encumbrance_ids = found.encumbrance_ids if encumbrance_ids is None else encumbrance_ids
        fn = self._asset.functions.recoverHoldings(lost, _ids(ids, "ids"), _ids(encumbrance_ids, "encumbrance_ids"))
        return self._send(fn)

    def _recover_participant(
        self, lost: str, replacement: str, identity_ref: bytes | str, identity_expiry: int, reason_hash: bytes | str
    ) -> Receipt:
        fn = self._registry.functions.recoverParticipant(
            check.address(lost, "lost"),
            check.address(replacement, "replacement"),
            check.hash32(identity_ref, "identity_ref"),
            check.uint(identity_expiry, "identity_expiry", 64),
            check.hash32(reason_hash, "reason_hash"),
        )
        return self._send(fn)

    def _recover_wallet(
        self, lost: str, replacement: str, identity_ref: bytes | str, identity_expiry: int, reason_hash: bytes | str
    ) -> WalletRecovery:
        recovered = self._recover_participant(lost, replacement, identity_ref, identity_expiry, reason_hash)
        found = self.platform.queries.position(lost)
        if not (found.issuance_ids or found.encumbrance_ids):
            return WalletRecovery(recovered, None)  # nothing to move: no second transaction
        return WalletRecovery(recovered, self.recover_holdings(lost, found.issuance_ids, found.encumbrance_ids))

    def _chain_time(self) -> int:
        """The latest block's timestamp: defaults for deadlines follow the chain's clock, not the
        local one, so they stay right on a node whose time was moved (tests, devnets)."""
        with chain_errors():
            return int(self.platform.w3.eth.get_block("latest")["timestamp"])


def identity_args(wallet: str, identity_ref: bytes | str, identity_expiry: int) -> tuple[str, bytes, int]:
    """The checked arguments of registerParticipant / updateParticipantIdentity."""
    return (
        check.address(wallet, "wallet"),
        check.hash32(identity_ref, "identity_ref"),
        check.uint(identity_expiry, "identity_expiry", 64),
    )


def _ids(values: Sequence[int], name: str) -> list[int]:
    """A list of uint256 ids; a string or bytes is refused rather than read digit by digit."""
    if isinstance(values, str | bytes):
        raise InvalidArgument(f"{name} must be a list of ids, got {values!r}")
    return [check.uint(i, f"{name}[]") for i in values]
