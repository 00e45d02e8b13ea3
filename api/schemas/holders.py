"""What holders see and sign: balances, history, transfer requests."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from api.schemas.common import (
    Address,
    Amount,
    Hash32,
    IssuanceId,
    NameOf,
    RequestBody,
    Signature,
    TypedData,
    Uint256,
)
from sdap.types import ParticipantStatus


class Balance(BaseModel):
    issuance_id: int
    balance: int
    available: int = Field(description="Balance less encumbered, frozen and escrowed units (never below 0).")
    encumbered: int
    frozen: int
    escrowed: int = Field(description="Units held in the holder's open escrows (for their buyers).")


#: A redemption's units are burnt from the asset's custody, not from the holder's wallet: the
#: holder sees them go (`redemption`) and, if the request is refused, come back.
MovementKind = Literal["mint", "transfer", "burn", "redemption", "redemption_refused"]


class Movement(BaseModel):
    tx_hash: Hash32
    block_number: int
    log_index: int = Field(description="The event's place in its block.")
    item: int = Field(description="The item's place in a batch (0 for a single transfer).")
    block_time: int
    issuance_id: int
    kind: MovementKind = Field(
        description="`redemption`: into the asset's custody, asked to be redeemed; `redemption_refused`: back "
        "from it, the request refused."
    )
    direction: Literal["in", "out"]
    from_address: Address
    to_address: Address
    amount: int
    operator: Address


class SigningRequest(BaseModel):
    """What to sign, and the fields to send back with the signature."""

    typed_data: TypedData
    digest: Hash32
    fields: dict[str, Any]


class RelayedTransfer(RequestBody):
    """A transfer the holder signed as an ERC-2771 forward request; the operator pays the gas and
    the holder is recorded as the sender. Get the fields from GET /v1/transfers/request."""

    to: Address
    issuance_id: IssuanceId
    amount: Amount
    gas: Uint256
    nonce: Uint256
    deadline: int = Field(ge=0, le=2**48 - 1)
    signature: Signature


class Transferred(BaseModel):
    issuance_id: int
    from_address: Address
    to_address: Address
    amount: int
    tx_hash: Hash32
    block_number: int


class Me(BaseModel):
    address: Address
    status: Annotated[str, NameOf(ParticipantStatus)]
    acknowledged_notice: int
    notice_in_force: int
