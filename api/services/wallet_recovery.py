"""Wallet recovery: the registry records that a participant goes on under a new wallet (the
regulator, or the operator that identified it), then the asset moves the lost wallet's position
there. Two transactions by design: the second is permissionless and may be sent again later, so a
recovery recorded elsewhere is finished here too.

Inside one idempotent request the two are its steps 1 and 2 (api.chain.operation): a retry after
a crash between them waits for the recorded step 1 rather than recording the recovery again, and
only then finds and moves the position."""

from __future__ import annotations

from api.auth.principal import Principal, Role
from api.chain.operation import Operation
from api.chain.platform import Chain
from api.errors import SecuredAssetWalletNotRecovered
from api.schemas import recovery as schema
from api.schemas.common import TxResult
from sdap.clients import OperatorClient, RegulatorClient
from sdap.transactions import Receipt

#: The clients that may record a recovery; either also sends the move.
Recoverer = RegulatorClient | OperatorClient


class WalletRecoveries:
    def __init__(self, chain: Chain) -> None:
        self._chain = chain

    def recover(
        self, caller: Principal, lost: str, body: schema.WalletRecoveryOrder, op: Operation | None = None
    ) -> schema.WalletRecovered:
        """Records the recovery with the caller's own key (the chain decides whether this operator
        may), then moves the position with the same key."""
        chain = self._chain
        client: Recoverer = (
            chain.regulator(caller.address, op) if caller.role == Role.REGULATOR else chain.operator(caller.address, op)
        )
        recorded = client.recover_participant(
            lost,
            body.replacement,
            bytes.fromhex(body.identity_ref[2:]),
            body.identity_expiry,
            bytes.fromhex(body.reason_hash[2:]),
        )
        moved = self._move(client, lost, op)
        return schema.WalletRecovered(**moved.model_dump(), registry_tx=TxResult.of(recorded))

    def finish(self, lost: str, op: Operation | None = None) -> schema.HoldingsRecovered:
        """Moves what a recovered wallet still holds. The call is permissionless (where the units
        go was decided in the registry), so the gateway's operator sends it whoever asks."""
        if not self._chain.resumes(op) and self._chain.queries.recovered_to(lost) is None:
            raise _not_recovered(lost)
        return self._move(self._chain.operator(op=op), lost, op)

    def _move(self, client: Recoverer, lost: str, op: Operation | None) -> schema.HoldingsRecovered:
        if self._chain.resumes(op):
            # An interrupted attempt sent the move: its transaction is waited for whatever the call
            # names (the position now reads empty, since it moved).
            return _moved(lost, client.recover_holdings(lost, [], []))
        position = self._chain.queries.position(lost)
        if not position.issuance_ids:
            # Nothing to move (an empty batch is refused): the position is where it should be.
            return schema.HoldingsRecovered(
                lost=lost, replacement=self._last_replacement(lost), holdings=[], encumbrance_ids=[], holdings_tx=None
            )
        return _moved(lost, client.recover_holdings(lost, position.issuance_ids, position.encumbrance_ids))

    def _last_replacement(self, lost: str) -> str:
        """Where the participant is now: the replacement, followed as the asset follows it."""
        queries = self._chain.queries
        current = queries.recovered_to(lost)
        if current is None:
            raise _not_recovered(lost)
        while (following := queries.recovered_to(current)) is not None:
            current = following
        return current


def _not_recovered(lost: str) -> SecuredAssetWalletNotRecovered:
    """The asset's own refusal, answered before reading the wallet's history for nothing."""
    error = SecuredAssetWalletNotRecovered.error
    return SecuredAssetWalletNotRecovered(error, f"{lost} was not recovered to another wallet", {"wallet": lost})


def _moved(lost: str, receipt: Receipt) -> schema.HoldingsRecovered:
    """The move as the transaction's events name it."""
    event = receipt.event("HoldingsRecovered")
    holdings = [
        schema.RecoveredHolding(issuance_id=int(i), amount=int(a), frozen=int(f))
        for i, a, f in zip(event["ids"], event["amounts"], event["frozen"], strict=True)
    ]
    return schema.HoldingsRecovered(
        lost=lost,
        replacement=str(event["replacement"]),
        holdings=holdings,
        encumbrance_ids=[int(e["encumbranceId"]) for e in receipt.events_named("EncumbranceRecovered")],
        holdings_tx=TxResult.of(receipt),
    )
