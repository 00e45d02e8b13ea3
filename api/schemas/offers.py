"""Offers (issue 15): a maker's EIP-712 offer to give units (or a listed payment token) for units
(or a payment token), published through the gateway for takers to find, taken by the taker's
signed forward request, or cancelled by the maker's."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field

from api.schemas.common import Address, Hash32, NameOf, RequestBody, Signature, Uint64, Uint256
from sdap.types import OfferRefusal, Refusal


def _uint256(value: str) -> str:
    if int(value) > 2**256 - 1:
        raise ValueError("at most 2^256 - 1")
    return value


#: A uint256 as a decimal string, as offers carry them (a JavaScript number would round a 128-bit nonce).
DecimalUint = Annotated[
    str,
    Field(pattern=r"^(0|[1-9][0-9]{0,77})$", description="An unsigned integer as a decimal string."),
    AfterValidator(_uint256),
]
OfferStatus = Literal["open", "taken", "cancelled", "expired"]
#: Why an offer cannot be taken, as the exchange's `checkOffer` names it (`none`: it can).
OfferRefusalName = Annotated[str, NameOf(OfferRefusal)]
RefusalName = Annotated[str, NameOf(Refusal)]


class OfferTerms(RequestBody):
    """An offer exactly as the maker signs it (EIP-712 type `Offer`, domain `SDAP Exchange`, version
    1, the exchange's address): the maker gives `give_amount` of `give_token` (the asset: units of
    issuance `give_id`; otherwise a listed payment token, id 0) for `want_amount` of `want_token`.
    Filled whole and once; `taker` zero: anyone; `expiry`: the last second it may be taken."""

    maker: Address
    taker: Address = Field(description="The only wallet that may take it; the zero address: anyone.")
    give_token: Address
    give_id: DecimalUint
    give_amount: DecimalUint
    want_token: Address
    want_id: DecimalUint
    want_amount: DecimalUint
    nonce: DecimalUint = Field(description="Any number the maker has not used; spent by the fill or a cancellation.")
    expiry: Uint64


class SignedOfferBody(RequestBody):
    """A signed offer to publish: the terms from GET /v1/offers/typed-data (`fields.offer`) and the
    maker's EIP-712 signature of its `typed_data`."""

    offer: OfferTerms
    signature: Signature


class OfferFill(BaseModel):
    """The transaction that took the offer."""

    taker: Address
    tx_hash: Hash32
    block_number: int


class OfferCheck(BaseModel):
    """Whether `taker` could take the offer now, by the exchange's `checkOffer`: `offer_refusal`
    its reason (`none`: takeable), `refusal` the asset's `checkTransfer` reason when a leg in units
    is refused, `code` the problem a take would be answered with now."""

    taker: Address
    takeable: bool
    offer_refusal: OfferRefusalName
    refusal: RefusalName
    code: str | None


class OfferView(BaseModel):
    """A published offer and where it stands on the chain: `taken` (its OfferTaken event), `cancelled`
    (the maker's nonce spent otherwise: `cancelOffer`, or another offer of the same nonce taken),
    `expired` (the chain's time is past its expiry), else `open`."""

    offer_hash: Hash32
    offer: OfferTerms
    signature: Signature
    status: OfferStatus
    published_at: int = Field(description="When the gateway took it, in seconds since the epoch.")
    taken: OfferFill | None = None
    check: OfferCheck | None = None


class RelayedCall(RequestBody):
    """An ERC-2771 forward request to the exchange the holder signed (the `fields` of the `*-request`
    route and the holder's signature of its `typed_data`); the operator pays the gas."""

    gas: Uint256
    nonce: Uint256
    deadline: int = Field(ge=0, le=2**48 - 1)
    signature: Signature


class OfferTaken(BaseModel):
    """Both legs moved, in one transaction."""

    offer_hash: Hash32
    maker: Address
    taker: Address
    offer: OfferTerms
    tx_hash: Hash32
    block_number: int


class OfferCancelled(BaseModel):
    offer_hash: Hash32
    maker: Address
    nonce: DecimalUint
    tx_hash: Hash32
    block_number: int


class PaymentTokenView(BaseModel):
    """An electronic-money token the regulator listed for payment legs; amounts are in its smallest
    unit (`decimals`: a KZT token with 2 counts tiyn)."""

    token: Address
    currency: str
    decimals: int
    listed: bool
