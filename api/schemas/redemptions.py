"""Redemption in two sides (Rules item 2.3): the holder's request, the issuer's confirmation of
delivery or its refusal (or the regulator's, by order)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from api.schemas.common import Address, Amount, Hash32, IssuanceId, NameOf, RequestBody, Signature, Uint256
from sdap.types import RedemptionState

#: A redemption request's number, as the chain counts them from 1.
RequestId = Annotated[int, Field(ge=1, le=2**256 - 1)]
#: A request's state as the gateway names it; `none` is no request, answered 404.
RedemptionStateName = Annotated[str, NameOf(RedemptionState, without=("none",))]


class Redemption(BaseModel):
    """A holder's redemption request. While `requested`, its units sit in the asset's custody (the
    asset contract's own balance, out of circulation but still in the supply); `confirmed`: the
    issuer delivered and they were burnt; `refused`: they went back to the holder's wallet."""

    id: int
    issuance_id: int
    holder: Address
    state: RedemptionStateName
    amount: int
    fulfilment_ref: Hash32 = Field(description="The holder's hash of where and how to deliver.")


class RelayedRedemption(RequestBody):
    """A redemption request the holder signed as an ERC-2771 forward request; the operator pays the
    gas and the holder is recorded as the one who asked. Get the fields from
    GET /v1/redemptions/forward-request."""

    issuance_id: IssuanceId
    amount: Amount
    fulfilment_ref: Hash32 = Field(description="Hash of where and how to deliver (address, order number).")
    gas: Uint256
    nonce: Uint256
    deadline: int = Field(ge=0, le=2**48 - 1)
    signature: Signature


class RedemptionRequested(BaseModel):
    request_id: int
    issuance_id: int
    holder: Address
    amount: int
    fulfilment_ref: Hash32
    tx_hash: Hash32
    block_number: int


class DeliveryConfirmation(RequestBody):
    delivery_ref: Hash32 = Field(description="Hash of the delivery record (what the units certify, delivered).")


class RedemptionConfirmed(BaseModel):
    """The issuer confirmed delivery: the units in custody were burnt."""

    request_id: int
    issuance_id: int
    delivery_ref: Hash32
    by: Address
    tx_hash: Hash32
    block_number: int


class RedemptionRefused(BaseModel):
    """The request was refused: its units went back to `returned_to` (the holder's wallet, or the
    last of its recovery chain if it was recovered meanwhile)."""

    request_id: int
    issuance_id: int
    returned_to: Address
    reason_hash: Hash32
    by: Address
    tx_hash: Hash32
    block_number: int
