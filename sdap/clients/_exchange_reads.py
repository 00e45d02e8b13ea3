"""Reads of the exchange (contracts/SecuredExchange.sol), mixed into PlatformQueries: whether an
offer can be taken and why not, escrows, offers filled, payment tokens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sdap import _validate as check
from sdap.calls import ContractViews
from sdap.clients._pages import first_matching, page_limit
from sdap.events import EventDecoder, address_topic, event_topic, stream_events
from sdap.transactions import chain_errors
from sdap.types import Escrow, EscrowState, Offer, OfferRefusal, PaymentToken, Refusal, SignedOffer, TakenOffer

if TYPE_CHECKING:
    from sdap.platform import Platform

_TOKEN_LISTED = event_topic("PaymentTokenListed(address,bytes3,uint8,address)")
_OFFER_TAKEN = event_topic(
    "OfferTaken(bytes32,address,address,(address,address,address,uint256,uint256,address,uint256,uint256,uint256,uint64))"
)


class ExchangeReads:
    """The exchange's views, typed. Needs `platform` and `_exchange` (its ContractViews)."""

    platform: Platform
    _exchange: ContractViews

    def check_offer(self, signed: SignedOffer, taker: str) -> tuple[OfferRefusal, Refusal]:
        """Whether `taker` could take `signed` now: (OfferRefusal.NONE, Refusal.NONE) if it could;
        otherwise the first reason, with the asset's Refusal when a leg in units is refused
        (GIVE_LEG_REFUSED: the maker's units to the taker; WANT_LEG_REFUSED: the taker's to the
        maker). PAYMENT_NOT_AVAILABLE: the payer lacks the token or its allowance to the exchange."""
        refusal, leg = self._exchange.call(
            "checkOffer", signed.offer.as_tuple(), signed.signature, check.address(taker, "taker")
        )
        return OfferRefusal(refusal), Refusal(leg)

    def offer_hash(self, offer: Offer) -> bytes:
        """The exchange's EIP-712 digest of `offer` (what sdap.signing.offer_digest computes)."""
        return bytes(self._exchange.call("offerHash", offer.as_tuple()))

    def is_offer_nonce_used(self, maker: str, nonce: int) -> bool:
        """Whether `maker` spent `nonce` (an offer filled or cancelled)."""
        return bool(self._exchange.call("isNonceUsed", check.address(maker, "maker"), check.uint(nonce, "nonce")))

    def offers_taken(
        self,
        *,
        maker: str | None = None,
        taker: str | None = None,
        from_block: int | None = None,
        to_block: int | None = None,
    ) -> list[TakenOffer]:
        """The offers filled, in chain order, by `maker` and `taker` when given, from the exchange's
        OfferTaken events (from the deployment block unless `from_block`; the node filters by the
        indexed parties)."""
        topics = [
            _OFFER_TAKEN,
            None,
            None if maker is None else address_topic(check.address(maker, "maker")),
            None if taker is None else address_topic(check.address(taker, "taker")),
        ]
        first = self.platform.deployment.deployment_block
        start = first if from_block is None else check.uint(from_block, "from_block")
        end = None if to_block is None else check.uint(to_block, "to_block")
        with chain_errors():
            return [
                TakenOffer(
                    bytes(e["offerHash"]),
                    str(e["maker"]),
                    str(e["taker"]),
                    Offer.from_chain(e["offer"]),
                    e.block_number,
                    e.tx_hash,
                )
                for e in stream_events(
                    self.platform.w3,
                    [self.platform.deployment.exchange],
                    start,
                    end,
                    decoder=EventDecoder(["SecuredExchange"]),
                    topics=topics,
                )
            ]

    def can_transfer(self, from_: str, to: str, issuance_id: int, amount: int) -> bool:
        """ERC-7943's `canTransfer`: whether every permissioned rule allows the transfer (frozen,
        encumbered and escrowed units counted); false never only because the balance is short."""
        return bool(
            self.platform.views.asset.call(
                "canTransfer",
                check.address(from_, "from_"),
                check.address(to, "to"),
                check.uint(issuance_id, "issuance_id"),
                check.uint(amount, "amount"),
            )
        )

    def escrow(self, escrow_id: int) -> Escrow:
        """Escrow `escrow_id` (state NONE, all else empty, if there is none)."""
        escrow_id = check.uint(escrow_id, "escrow_id")
        return Escrow.from_chain(escrow_id, self._exchange.call("escrow", escrow_id))

    def escrow_count(self) -> int:
        return int(self._exchange.call("escrowCount"))

    def escrows(
        self,
        *,
        seller: str | None = None,
        buyer: str | None = None,
        agent: str | None = None,
        state: EscrowState | None = None,
        issuance_id: int | None = None,
        after: int = 0,
        limit: int = 100,
    ) -> list[Escrow]:
        """Up to `limit` escrows with an id above `after`, in id order, of `seller`, for `buyer`,
        naming `agent`, in `state` and of `issuance_id` when given (an agent's queue: its agent and
        OPEN); the next page starts after the last id returned. Reads each escrow from `after` + 1,
        one call each, as `redemption_requests` does."""
        seller = None if seller is None else check.address(seller, "seller")
        buyer = None if buyer is None else check.address(buyer, "buyer")
        agent = None if agent is None else check.address(agent, "agent")
        issuance_id = None if issuance_id is None else check.uint(issuance_id, "issuance_id")
        return first_matching(
            range(check.uint(after, "after") + 1, self.escrow_count() + 1),
            lambda i: Escrow.from_chain(i, self._exchange.call("escrow", i)),
            lambda e: (
                seller in (None, e.seller)
                and buyer in (None, e.buyer)
                and agent in (None, e.agent)
                and state in (None, e.state)
                and issuance_id in (None, e.issuance_id)
            ),
            page_limit(limit),
        )

    def payment_tokens(self) -> list[PaymentToken]:
        """Every token the regulator ever listed, in the order first listed, each as the exchange
        records it now (`listed` False once delisted): from the PaymentTokenListed events."""
        first = self.platform.deployment.deployment_block
        seen: dict[str, None] = {}
        with chain_errors():
            for event in stream_events(
                self.platform.w3,
                [self.platform.deployment.exchange],
                first,
                decoder=EventDecoder(["SecuredExchange"]),
                topics=[_TOKEN_LISTED],
            ):
                seen.setdefault(str(event["token"]), None)
        return [self.payment_token(token) for token in seen]

    def payment_token(self, token: str) -> PaymentToken:
        """What the exchange recorded for `token` (unlisted and empty if never listed)."""
        token = check.address(token, "token")
        return PaymentToken.from_chain(token, self._exchange.call("paymentToken", token))
