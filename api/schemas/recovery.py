"""Wallet recovery: a participant who lost its wallet goes on under a new one (the registry's
record), and its position follows there (the asset's move)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from api.schemas.common import Address, Hash32, RequestBody, TxResult, Uint64


class WalletRecoveryOrder(RequestBody):
    replacement: Address = Field(
        description="The participant's new wallet: never registered before, not the lost one, not itself lost."
    )
    identity_ref: Hash32 = Field(description="Hash of the re-identification record kept off-chain.")
    identity_expiry: Uint64 = Field(description="Unix time the new identification must be renewed by (in the future).")
    reason_hash: Hash32 = Field(description="Hash of the regulator's order or of the operator's record of the loss.")


class RecoveredHolding(BaseModel):
    """The units of one issuance moved from the lost wallet: all of them, `frozen` of them still frozen."""

    issuance_id: int
    amount: int
    frozen: int


class HoldingsRecovered(BaseModel):
    """The lost wallet's position moved to where the participant is now, as the asset's events name it."""

    lost: Address
    replacement: Address = Field(
        description="Where the position went: the registry's replacement, or the last one if that was lost too."
    )
    holdings: list[RecoveredHolding]
    encumbrance_ids: list[int] = Field(description="The lost wallet's encumbrances that now bind the replacement.")
    holdings_tx: TxResult | None = Field(description="The asset's transaction; null when the lost wallet held nothing.")


class WalletRecovered(HoldingsRecovered):
    """Both steps: the registry's record (`registry_tx`), then the move of the position (`holdings_tx`)."""

    registry_tx: TxResult
