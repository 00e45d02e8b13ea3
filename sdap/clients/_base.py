"""What every role client shares: the platform, the signing account and its one Transactor."""

from __future__ import annotations

from typing import TYPE_CHECKING

from eth_account.signers.local import LocalAccount
from web3.contract.contract import ContractFunction

from sdap import _validate as check
from sdap.signing import normalise_attestation
from sdap.transactions import Receipt, Transactor, chain_errors
from sdap.types import CollateralAttestation, Coverage, Created

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
