"""Escrows (issue 15): delivery against a payment made off-chain. The seller's units are held for a
named buyer at a price; the named settlement agent confirms the payment and they move to the buyer,
or, nothing confirmed by the deadline, anyone lapses the escrow and they are the seller's again."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from api.schemas.common import Address, Amount, Hash32, IssuanceId, NameOf, RequestBody, Uint64
from api.schemas.offers import RelayedCall
from sdap.types import EscrowState

#: An escrow's number, as the exchange counts them from 1.
EscrowId = Annotated[int, Field(ge=1, le=2**256 - 1)]
#: An escrow's state as the gateway names it; `none` is no escrow, answered 404.
EscrowStateName = Annotated[str, NameOf(EscrowState, without=("none",))]
#: An ISO 4217 code (three capital letters), as the exchange keeps it (bytes3).
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", examples=["KZT"])]


class EscrowView(BaseModel):
    """An escrow: `amount` units of `issuance_id` held in the seller's holding for `buyer` at `price`
    (in the smallest unit of `currency`: tiyn for KZT) until `deadline`, the last second `agent` may
    confirm the payment. `expired`: still open but past its deadline (anyone may lapse it)."""

    escrow_id: int
    issuance_id: int
    seller: Address
    buyer: Address
    agent: Address
    amount: int
    price: int
    currency: str
    deadline: int
    state: EscrowStateName
    expired: bool


class EscrowTerms(RequestBody):
    """What the seller offers: `amount` units of `issuance_id` for `buyer` at `price` (in the smallest
    unit of `currency`), paid off-chain and confirmed by `agent` (a settlement agent) by
    `payment_deadline` (seconds since the epoch, chain time)."""

    issuance_id: IssuanceId
    amount: Amount
    buyer: Address
    agent: Address
    price: Annotated[int, Field(ge=1, le=2**256 - 1)]
    currency: Currency = "KZT"
    payment_deadline: Uint64 = Field(description="The escrow's deadline: the last second the agent may confirm.")


class RelayedEscrow(RelayedCall):
    """The seller's signed forward request to `openEscrow`: the `fields` of GET
    /v1/escrows/open-request and the seller's signature of its `typed_data`. `deadline` is the
    forward request's; `payment_deadline` the escrow's."""

    issuance_id: IssuanceId
    amount: Amount
    buyer: Address
    agent: Address
    price: Annotated[int, Field(ge=1, le=2**256 - 1)]
    currency: Currency
    payment_deadline: Uint64


class EscrowOpened(EscrowView):
    tx_hash: Hash32
    block_number: int


class PaymentConfirmation(RequestBody):
    """The settlement agent's confirmation that the buyer paid off-chain."""

    payment_ref: Hash32 = Field(description="Hash of the payment record (the bank's transaction reference).")


class EscrowSettled(BaseModel):
    """The payment confirmed: the units went to `delivered_to` (the buyer's current wallet)."""

    escrow_id: int
    delivered_to: Address
    payment_ref: Hash32
    by: Address
    tx_hash: Hash32
    block_number: int


class EscrowOrder(RequestBody):
    """The regulator's order ending an escrow."""

    order_hash: Hash32 = Field(description="Hash of the regulator's order (the document).")


class EscrowCancelled(BaseModel):
    """The regulator ended the escrow by order: the units are the seller's again."""

    escrow_id: int
    order_hash: Hash32
    by: Address
    tx_hash: Hash32
    block_number: int


class EscrowLapsed(BaseModel):
    """Nothing was confirmed by the deadline: the units are the seller's to move again."""

    escrow_id: int
    by: Address
    tx_hash: Hash32
    block_number: int
