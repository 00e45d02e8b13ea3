"""The exchange's part of the audit report: offers taken (both legs, the parties, the price),
cancellations, and escrows against off-chain payment with their outcome, as the replay rebuilt them."""

from __future__ import annotations

from dataclasses import dataclass

from sdap.audit.aml import TENGE, tenge
from sdap.audit.state import (
    ESCROW_CANCELLED,
    ESCROW_LAPSED,
    ESCROW_OPEN,
    ESCROW_SETTLED,
    AuditState,
    Escrow,
    TakenOffer,
)

_OUTCOMES = {ESCROW_OPEN: "open", ESCROW_SETTLED: "settled", ESCROW_LAPSED: "lapsed", ESCROW_CANCELLED: "cancelled"}
SWAP_PRICE = "none (a swap: units for units)"


def amount_text(amount: int, currency: str, decimals: int | None) -> str:
    """An amount in `currency` as people read it: `decimals` of its unit to one ("2,500.00 KZT");
    None: in the currency's smallest unit, whose size only tenge's (the tiyn) is known here."""
    if decimals is None:
        if currency == TENGE:
            return tenge(amount)
        return f"{amount:,} smallest units of {currency}"
    if decimals == 0:
        return f"{amount:,} {currency}"
    whole, fraction = divmod(amount, 10**decimals)
    return f"{whole:,}.{fraction:0{decimals}d} {currency}"


@dataclass(frozen=True)
class OfferSummary:
    """An offer taken: `kind` swap (units for units) or dvp (units for a payment token), what the
    maker gave and got back, and the price (the payment leg; none for a swap)."""

    kind: str
    offer_hash: str
    maker: str
    taker: str
    gives: str
    wants: str
    price: str
    nonce: int
    block: int
    tx_hash: str


@dataclass(frozen=True)
class CancellationSummary:
    maker: str
    nonce: int
    block: int
    tx_hash: str


@dataclass(frozen=True)
class EscrowSummary:
    """Units held for a buyer against a payment made off-chain, and how it ended: open still,
    settled (delivered to `delivered_to` by `ended_by`, its agent), lapsed, or cancelled by the
    regulator's order (`ended_by`)."""

    escrow_id: int
    issuance_id: int
    seller: str
    buyer: str
    agent: str
    units: int
    price: str
    deadline: int
    outcome: str
    block: int
    tx_hash: str
    ended_block: int
    ended_by: str
    delivered_to: str


@dataclass(frozen=True)
class ExchangeSummary:
    """The exchange at `address`: the payment tokens the regulator listed ((token, currency,
    decimals, listed now)), every offer taken, every cancellation and every escrow."""

    address: str
    payment_tokens: tuple[tuple[str, str, int, bool], ...]
    offers: tuple[OfferSummary, ...]
    cancellations: tuple[CancellationSummary, ...]
    escrows: tuple[EscrowSummary, ...]

    @classmethod
    def of(cls, state: AuditState, address: str, asset: str) -> ExchangeSummary:
        tokens = tuple((token, t.currency, t.decimals, t.listed) for token, t in sorted(state.payment_tokens.items()))
        return cls(
            address,
            tokens,
            tuple(_offer(state, o, asset) for o in state.offers),
            tuple(CancellationSummary(c.maker, c.nonce, c.block, c.tx_hash) for c in state.cancellations),
            tuple(_escrow(i, x) for i, x in sorted(state.escrows.items())),
        )

    def lines(self) -> list[str]:
        """What the auditor's text output says of the exchange."""
        ended = {o: sum(1 for x in self.escrows if x.outcome == o) for o in _OUTCOMES.values()}
        outcomes = ", ".join(f"{n} {o}" for o, n in ended.items() if n) or "none"
        lines = [
            f"exchange    {self.address}: {len(self.offers)} offers taken, {len(self.cancellations)} cancelled, "
            f"{len(self.escrows)} escrows ({outcomes})"
        ]
        for o in self.offers:
            lines.append(
                f"  {o.kind} at block {o.block}: {o.maker} gave {o.gives} to {o.taker} for {o.wants}; price {o.price}"
            )
        for c in self.cancellations:
            lines.append(f"  cancelled at block {c.block}: {c.maker}'s offer nonce {c.nonce}")
        for x in self.escrows:
            end = {
                "settled": f"settled at block {x.ended_block} by {x.ended_by}, delivered to {x.delivered_to}",
                "lapsed": f"lapsed at block {x.ended_block}",
                "cancelled": f"cancelled by {x.ended_by}'s order at block {x.ended_block}",
                "open": f"open until {x.deadline}",
            }[x.outcome]
            lines.append(
                f"  escrow {x.escrow_id}: {x.units} units of {x.issuance_id} of {x.seller} for {x.buyer} at {x.price} "
                f"(agent {x.agent}): {end}"
            )
        return lines


def _offer(state: AuditState, o: TakenOffer, asset: str) -> OfferSummary:
    def side(token: str, iid: int, amount: int) -> str:
        if token == asset:
            return f"{amount:,} units of issuance {iid}"
        listed = state.payment_tokens.get(token)
        if listed is None:
            return f"{amount:,} of unlisted token {token}"
        return f"{amount_text(amount, listed.currency, listed.decimals)} in token {token}"

    swap = o.give_token == asset and o.want_token == asset
    if swap:
        price = SWAP_PRICE
    else:
        token, amount = (o.want_token, o.want_amount) if o.give_token == asset else (o.give_token, o.give_amount)
        listed = state.payment_tokens.get(token)
        price = (
            f"{amount:,} of unlisted token {token}"
            if listed is None
            else amount_text(amount, listed.currency, listed.decimals)
        )
    return OfferSummary(
        "swap" if swap else "dvp",
        "0x" + o.offer_hash.hex(),
        o.maker,
        o.taker,
        side(o.give_token, o.give_id, o.give_amount),
        side(o.want_token, o.want_id, o.want_amount),
        price,
        o.nonce,
        o.block,
        o.tx_hash,
    )


def _escrow(escrow_id: int, x: Escrow) -> EscrowSummary:
    return EscrowSummary(
        escrow_id,
        x.issuance_id,
        x.seller,
        x.buyer,
        x.agent,
        x.amount,
        amount_text(x.price, x.currency, None),
        x.deadline,
        _OUTCOMES.get(x.state, str(x.state)),
        x.block,
        x.tx_hash,
        x.ended_block,
        x.ended_by,
        x.delivered_to,
    )
