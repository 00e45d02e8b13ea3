"""What the exchange (contracts/SecuredExchange.sol) takes and returns, as immutable Python values;
re-exported by sdap.types, where callers find them.

An offer travels between people before it reaches the chain (the maker signs, a taker reads it from
a file or a web page), so it and its signed form read from and write to JSON: addresses checksummed,
uint256 amounts and nonces as decimal strings (JavaScript numbers lose digits past 2**53), hashes and
signatures as 0x-hex.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from sdap import _validate as check
from sdap.addresses import checksummed
from sdap.errors import InvalidArgument

#: The Solidity struct Offer's fields, in order.
_SOLIDITY_FIELDS = (
    "maker",
    "taker",
    "giveToken",
    "giveId",
    "giveAmount",
    "wantToken",
    "wantId",
    "wantAmount",
    "nonce",
    "expiry",
)
#: An ISO 4217 code ("KZT"): what the exchange stores as bytes3.
_CURRENCY = re.compile(r"[A-Z]{3}")


class OfferRefusal(IntEnum):
    """Why an offer cannot be taken now (ISecuredExchange.OfferRefusal); NONE: it can.
    GIVE_LEG_REFUSED and WANT_LEG_REFUSED come with the asset's Refusal for that leg."""

    NONE = 0
    INVALID_LEGS = 1
    PAYMENT_TOKEN_NOT_LISTED = 2
    EXPIRED = 3
    NONCE_USED = 4
    TAKER_NOT_ALLOWED = 5
    NOT_SIGNED = 6
    GIVE_LEG_REFUSED = 7
    WANT_LEG_REFUSED = 8
    PAYMENT_NOT_AVAILABLE = 9


class EscrowState(IntEnum):
    """Where an escrow of units against an off-chain payment stands: CANCELLED by the regulator's
    order, LAPSED unpaid by its deadline (or once its agent lost the role)."""

    NONE = 0
    OPEN = 1
    SETTLED = 2
    LAPSED = 3
    CANCELLED = 4


@dataclass(frozen=True)
class Offer:
    """A maker's offer (EIP-712 `Offer`, sdap.signing.offer_typed_data): it gives `give_amount` of
    `give_token` (the asset: units of issuance `give_id`; else a listed payment token, id 0) for
    `want_amount` of `want_token`. `taker` the zero address: anyone eligible. Filled whole and once:
    `nonce` (any number the maker has not used) is spent by the fill or by cancellation. `expiry`:
    the last second (chain time) it may be taken."""

    maker: str
    taker: str
    give_token: str
    give_id: int
    give_amount: int
    want_token: str
    want_id: int
    want_amount: int
    nonce: int
    expiry: int

    def __post_init__(self) -> None:
        for name in ("maker", "taker", "give_token", "want_token"):
            object.__setattr__(self, name, check.address(getattr(self, name), name))
        for name in ("give_id", "give_amount", "want_id", "want_amount", "nonce"):
            check.uint(getattr(self, name), name)
        check.uint(self.expiry, "expiry", 64)

    @classmethod
    def from_chain(cls, raw: Mapping[str, Any] | Sequence[Any]) -> Offer:
        """An offer as a contract call or event gives it: the struct's values in order, or (a
        decoded event's) a mapping of its Solidity field names."""
        values = [raw[name] for name in _SOLIDITY_FIELDS] if isinstance(raw, Mapping) else list(raw)
        return cls(*values)

    @property
    def open_to_anyone(self) -> bool:
        """Whether any eligible participant may take it (no taker named)."""
        return int(self.taker, 16) == 0

    def as_tuple(self) -> tuple[str, str, str, int, int, str, int, int, int, int]:
        """The Solidity struct's field order, for a contract call."""
        return (
            self.maker,
            self.taker,
            self.give_token,
            self.give_id,
            self.give_amount,
            self.want_token,
            self.want_id,
            self.want_amount,
            self.nonce,
            self.expiry,
        )

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: uint256 values as decimal strings, `expiry` (uint64) as a number."""
        return {
            "maker": self.maker,
            "taker": self.taker,
            "give_token": self.give_token,
            "give_id": str(self.give_id),
            "give_amount": str(self.give_amount),
            "want_token": self.want_token,
            "want_id": str(self.want_id),
            "want_amount": str(self.want_amount),
            "nonce": str(self.nonce),
            "expiry": self.expiry,
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2) + "\n"

    @classmethod
    def from_json(cls, data: str | Mapping[str, Any]) -> Offer:
        """An offer from its JSON text or the mapping `as_dict` gives; numbers as ints or decimal
        strings. InvalidArgument names what is missing or malformed."""
        values = _mapping(data, "offer")
        try:
            return cls(
                maker=values["maker"],
                taker=values["taker"],
                give_token=values["give_token"],
                give_id=_number(values["give_id"], "give_id"),
                give_amount=_number(values["give_amount"], "give_amount"),
                want_token=values["want_token"],
                want_id=_number(values["want_id"], "want_id"),
                want_amount=_number(values["want_amount"], "want_amount"),
                nonce=_number(values["nonce"], "nonce"),
                expiry=_number(values["expiry"], "expiry"),
            )
        except KeyError as exc:
            raise InvalidArgument(f"offer lacks {exc.args[0]!r}") from None


@dataclass(frozen=True)
class SignedOffer:
    """An offer with its maker's signature, as a taker takes it; `offer_hash` is its EIP-712 digest
    (`exchange.offerHash(offer)`), the id its OfferTaken event carries."""

    offer: Offer
    signature: bytes
    offer_hash: bytes

    def __post_init__(self) -> None:
        object.__setattr__(self, "signature", check.signature(self.signature))
        object.__setattr__(self, "offer_hash", check.hash32(self.offer_hash, "offer_hash"))

    def as_dict(self) -> dict[str, Any]:
        return {
            "offer": self.offer.as_dict(),
            "signature": "0x" + self.signature.hex(),
            "offer_hash": "0x" + self.offer_hash.hex(),
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2) + "\n"

    @classmethod
    def from_json(cls, data: str | Mapping[str, Any]) -> SignedOffer:
        """A signed offer from its JSON text or mapping. Only the form is checked here: whether the
        signature is the maker's over this offer on this exchange is the chain's to say
        (PlatformQueries.check_offer, OfferRefusal.NOT_SIGNED)."""
        values = _mapping(data, "signed offer")
        try:
            return cls(Offer.from_json(_mapping(values["offer"], "offer")), values["signature"], values["offer_hash"])
        except KeyError as exc:
            raise InvalidArgument(f"signed offer lacks {exc.args[0]!r}") from None


@dataclass(frozen=True)
class TakenOffer:
    """An offer filled on-chain (its OfferTaken event): both legs moved in transaction `tx_hash`."""

    offer_hash: bytes
    maker: str
    taker: str
    offer: Offer
    block_number: int
    tx_hash: str


@dataclass(frozen=True)
class Escrow:
    """Units of `seller` held for `buyer` against a payment made off-chain: `price` in the smallest
    unit of `currency` (tiyn for "KZT"). The settlement `agent` confirms the payment until
    `deadline` (chain time) and the units move to the buyer; after it the escrow lapses. While OPEN
    the units stay in the seller's balance and move by no other route."""

    escrow_id: int
    issuance_id: int
    seller: str
    buyer: str
    agent: str
    amount: int
    price: int
    currency: str
    deadline: int
    state: EscrowState

    @classmethod
    def from_chain(cls, escrow_id: int, raw: Sequence[Any]) -> Escrow:
        issuance_id, seller, deadline, state, buyer, agent, currency, amount, price = raw
        return cls(
            int(escrow_id),
            int(issuance_id),
            checksummed(seller),
            checksummed(buyer),
            checksummed(agent),
            int(amount),
            int(price),
            currency_text(currency),
            int(deadline),
            EscrowState(state),
        )


@dataclass(frozen=True)
class PaymentToken:
    """An electronic-money ERC-20 as the exchange knows it: `currency` and `decimals` recorded when
    the regulator listed it (all empty, zero and unlisted for a token never listed)."""

    token: str
    currency: str
    decimals: int
    listed: bool

    @classmethod
    def from_chain(cls, token: str, raw: Sequence[Any]) -> PaymentToken:
        currency, decimals, listed = raw
        return cls(checksummed(token), currency_text(currency), int(decimals), bool(listed))


def currency_code(value: object, name: str = "currency") -> bytes:
    """An ISO 4217 code ("KZT") as the exchange's bytes3; InvalidArgument for anything else."""
    if not isinstance(value, str) or not _CURRENCY.fullmatch(value):
        raise InvalidArgument(f"{name} must be an ISO 4217 code of three capital letters (KZT), got {value!r}")
    return value.encode("ascii")


def currency_text(raw: bytes) -> str:
    """A bytes3 currency as text; "" for none (zero bytes)."""
    return bytes(raw).rstrip(b"\x00").decode("ascii", errors="replace")


def _mapping(data: object, what: str) -> Mapping[str, Any]:
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as exc:
            raise InvalidArgument(f"{what} is not JSON: {exc}") from None
    if not isinstance(data, Mapping):
        raise InvalidArgument(f"{what} must be a JSON object, got {type(data).__name__}")
    return data


def _number(value: object, name: str) -> int:
    """An int, or a decimal string of one (how uint256 values travel in JSON)."""
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    return check.uint(value, name)
