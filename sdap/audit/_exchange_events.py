"""Handlers of the exchange's events (contracts/SecuredExchange.sol) and of its payment legs.

An offer taken (OfferTaken) announces its two legs, which move next in its transaction: the give
leg, then the want leg. A leg in units is a TransferSingle whose operator is the exchange (judged
as a transfer its sender makes, by every rule of sdap.audit._asset_events); a payment leg is the
token's ERC-20 Transfer, which the replay fetches from the offer's transaction
(sdap.audit._logs.payment_transfers). A leg still waiting when the transaction ends, or one that
moved other than the offer says, breaks exchange.legs.

An escrow's delivery moves first (the exchange's TransferSingle, from the seller to the buyer's
wallet) and its EscrowSettled claims it right after; a movement of the exchange that neither an
offer nor a settlement claims breaks exchange.unexplained. Escrowed units stay in the seller's
balance, counted per holding (`Issuance.escrowed`) and out of what may move.
"""

from __future__ import annotations

from dataclasses import dataclass

from sdap._exchange_types import Offer
from sdap.audit._asset_events import AssetHandlers
from sdap.audit._base import STANDARD, Handler, Trade
from sdap.audit.state import (
    ESCROW_CANCELLED,
    ESCROW_LAPSED,
    ESCROW_OPEN,
    ESCROW_SETTLED,
    REGULATOR_ROLE,
    SETTLEMENT_AGENT_ROLE,
    ZERO_ADDRESS,
    CancelledOffer,
    Escrow,
    ListedToken,
    TakenOffer,
)
from sdap.events import Event
from sdap.signing import offer_digest

_ENDED = {ESCROW_SETTLED: "settled", ESCROW_LAPSED: "lapsed", ESCROW_CANCELLED: "cancelled"}
#: The exchange's MAX_ESCROW_PERIOD: escrowed units are out of reach of orders and recovery, never for long.
MAX_ESCROW_PERIOD = 90 * 24 * 3600
_NO_REF = b"\0" * 32


@dataclass(slots=True)
class _Leg:
    """One leg an offer taken must move: `token` the asset (units of `issuance_id`) or a payment token."""

    token: str
    sender: str
    recipient: str
    issuance_id: int
    amount: int


@dataclass(slots=True)
class _Legs:
    """An offer taken in this transaction and its legs that have not moved yet."""

    tx_hash: str
    offer: TakenOffer
    remaining: list[_Leg]
    event: Event


@dataclass(slots=True)
class _Settling:
    """A movement of the exchange that no offer claimed, waiting for the EscrowSettled that should
    follow it; `escrow_id`: the open escrow whose units it matches (released meanwhile), if any."""

    tx_hash: str
    escrow_id: int | None
    issuance_id: int
    sender: str
    recipient: str
    amount: int
    event: Event


def currency_name(code: bytes) -> str:
    """An ISO 4217 code as the exchange records it (bytes3) as text: b"KZT" -> "KZT"."""
    return bytes(code).rstrip(b"\0").decode("ascii", "replace")


class ExchangeHandlers(AssetHandlers):
    _legs: _Legs | None = None
    _delivery: _Settling | None = None
    #: Open escrows by id, and the (agent, payment reference) pairs that settled one (built from
    #: the state on first use, so a resumed replay has them too).
    _open_escrows: dict[int, Escrow] | None = None
    _payment_refs: set[tuple[str, bytes]] | None = None

    def exchange_handlers(self) -> dict[str, Handler]:
        return {
            "OfferTaken": self._offer_taken,
            "OfferCancelled": self._offer_cancelled,
            "PaymentTokenListed": self._token_listed,
            "PaymentTokenDelisted": self._token_delisted,
            "EscrowOpened": self._escrow_opened,
            "EscrowSettled": self._escrow_settled,
            "EscrowLapsed": self._escrow_lapsed,
            "EscrowCancelled": self._escrow_cancelled,
        }

    def enter_exchange(self, event: Event) -> None:
        """Called before an event while an offer's legs or a delivery wait: another transaction,
        or another act of the exchange, ends what waited."""
        legs = self._legs
        if legs is not None and (event.tx_hash != legs.tx_hash or event.address == self.exchange):
            self.flush_offer()
        settling = self._delivery
        if settling is not None and (
            event.tx_hash != settling.tx_hash or (event.address == self.exchange and event.name != "EscrowSettled")
        ):
            self.flush_settlement()

    def flush_offer(self) -> None:
        """Reports the legs of the offer taken that did not move in its transaction."""
        legs = self._legs
        if legs is None:
            return
        self._legs = None
        for leg in legs.remaining:
            self._breach(
                "exchange.legs",
                legs.event,
                f"offer 0x{legs.offer.offer_hash.hex()[:16]} taken: its leg of {self._what(leg)} from {leg.sender} "
                f"to {leg.recipient} did not move in its transaction",
                maker=legs.offer.maker,
                nonce=legs.offer.nonce,
            )

    def flush_settlement(self) -> None:
        """Reports a movement of the exchange that no EscrowSettled claimed."""
        pending = self._delivery
        if pending is None:
            return
        self._delivery = None
        if pending.escrow_id is not None:
            self._hold(self.state.escrows[pending.escrow_id])  # the escrow is open still
        self._breach(
            "exchange.unexplained",
            pending.event,
            f"the exchange moved {pending.amount} units of {pending.issuance_id} from {pending.sender} to "
            f"{pending.recipient}: no leg of an offer taken, no escrow settled",
            issuance_id=pending.issuance_id,
        )

    def _what(self, leg: _Leg) -> str:
        if leg.token == self.asset:
            return f"{leg.amount} units of {leg.issuance_id}"
        return f"{leg.amount} of token {leg.token}"

    # Offers ----------------------------------------------------------------------------------

    def _offer_taken(self, e: Event, ts: int) -> None:
        a, o = e.args, e.args["offer"]
        maker, taker = o["maker"], a["taker"]
        offer = TakenOffer(
            a["offerHash"],
            maker,
            taker,
            o["giveToken"],
            o["giveId"],
            o["giveAmount"],
            o["wantToken"],
            o["wantId"],
            o["wantAmount"],
            o["nonce"],
            o["expiry"],
            e.block_number,
            e.tx_hash,
            ts,
        )
        self.state.offers.append(offer)
        label = f"offer 0x{offer.offer_hash.hex()[:16]} of {maker}"
        faults = self._offer_faults(offer, a["maker"], o["taker"], ts)
        if faults:
            self._breach("exchange.offer", e, f"{label} taken {'; '.join(faults)}", maker=maker, nonce=offer.nonce)
        for token in dict.fromkeys(t for t in (offer.give_token, offer.want_token) if t != self.asset):
            listed = self.state.payment_tokens.get(token)
            if listed is None or not listed.listed:
                said = "never listed" if listed is None else "delisted"
                self._breach(
                    "exchange.payment_token", e, f"{label} taken paying in {token}, {said}", token=token, maker=maker
                )
        self._spend_nonce(e, maker, offer.nonce, "filled")
        self._legs = _Legs(
            e.tx_hash,
            offer,
            [
                _Leg(offer.give_token, maker, taker, offer.give_id, offer.give_amount),
                _Leg(offer.want_token, taker, maker, offer.want_id, offer.want_amount),
            ],
            e,
        )
        if self._notify_trade:
            self._trade_of_offer(e, offer, ts)

    def _offer_faults(self, offer: TakenOffer, named_maker: str, named_taker: str, ts: int) -> list[str]:
        """What makes `offer` one the exchange could not have filled (its `take`'s checks)."""
        faults = []
        signed = Offer(
            offer.maker,
            named_taker,
            offer.give_token,
            offer.give_id,
            offer.give_amount,
            offer.want_token,
            offer.want_id,
            offer.want_amount,
            offer.nonce,
            offer.expiry,
        )
        if offer_digest(signed, chain_id=self.chain_id, exchange=self.exchange) != offer.offer_hash:
            faults.append("under an offerHash that is not its EIP-712 digest on this chain and exchange")
        if named_maker != offer.maker:
            faults.append(f"as {named_maker}'s")
        give_units, want_units = offer.give_token == self.asset, offer.want_token == self.asset
        if not offer.give_amount or not offer.want_amount:
            faults.append("with a side of nothing")
        if not (give_units or want_units):
            faults.append("with no side in units")
        elif give_units and want_units:
            if offer.give_id == offer.want_id:
                faults.append(f"with both sides in units of {offer.give_id}")
        elif (offer.want_id if give_units else offer.give_id) != 0:
            faults.append("with a payment side naming an id")
        if ts > offer.expiry:
            faults.append(f"at {ts}, after its expiry {offer.expiry}")
        if offer.taker == offer.maker:
            faults.append("by its own maker")
        elif named_taker != ZERO_ADDRESS and named_taker != offer.taker:
            faults.append(f"by {offer.taker}, not {named_taker} whom it names")
        return faults

    def _spend_nonce(self, e: Event, maker: str, nonce: int, act: str) -> None:
        spent = self.state.offer_nonces.setdefault(maker, set())
        if nonce in spent:
            self._breach("exchange.nonce", e, f"{maker}'s offer nonce {nonce} {act}, already spent", maker=maker)
        spent.add(nonce)

    def _offer_cancelled(self, e: Event, ts: int) -> None:
        maker, nonce = e.args["maker"], e.args["nonce"]
        self.state.cancellations.append(CancelledOffer(maker, nonce, e.block_number, e.tx_hash))
        self._spend_nonce(e, maker, nonce, "cancelled")

    def _exchange_movement(self, e: Event, iid: int, sender: str, recipient: str, amount: int) -> str:
        legs = self._legs
        if legs is not None:
            for index, leg in enumerate(legs.remaining):
                if leg.token != self.asset:
                    continue
                del legs.remaining[index]
                if (leg.sender, leg.recipient, leg.issuance_id, leg.amount) != (sender, recipient, iid, amount):
                    self._breach(
                        "exchange.legs",
                        e,
                        f"offer 0x{legs.offer.offer_hash.hex()[:16]} moved {amount} units of {iid} from {sender} to "
                        f"{recipient}; its leg is {leg.amount} units of {leg.issuance_id} from {leg.sender} to "
                        f"{leg.recipient}",
                        maker=legs.offer.maker,
                        nonce=legs.offer.nonce,
                    )
                if not legs.remaining:
                    self._legs = None
                return "exchange"
        # No offer's leg waits: the delivery of an escrow, which its EscrowSettled claims next.
        self.flush_settlement()
        escrow = self._escrow_for(iid, sender, recipient, amount)
        if escrow is not None:
            self._release(escrow[1])  # as the asset does before it moves them
        self._delivery = _Settling(e.tx_hash, None if escrow is None else escrow[0], iid, sender, recipient, amount, e)
        return "settlement"

    def payment_transfer(self, e: Event, ts: int) -> None:
        """An ERC-20 Transfer in an offer's transaction: the payment leg when it is of its token."""
        legs = self._legs
        if legs is None:
            return
        a = e.args
        for index, leg in enumerate(legs.remaining):
            if leg.token != e.address:
                continue
            del legs.remaining[index]
            if (leg.sender, leg.recipient, leg.amount) != (a["from"], a["to"], a["value"]):
                self._breach(
                    "exchange.legs",
                    e,
                    f"offer 0x{legs.offer.offer_hash.hex()[:16]} paid {a['value']} of {e.address} from {a['from']} "
                    f"to {a['to']}; its leg is {leg.amount} from {leg.sender} to {leg.recipient}",
                    maker=legs.offer.maker,
                    nonce=legs.offer.nonce,
                )
            if not legs.remaining:
                self._legs = None
            return

    # Payment tokens --------------------------------------------------------------------------

    def _token_listed(self, e: Event, ts: int) -> None:
        a = e.args
        token, by = a["token"], a["by"]
        self._require_role(e, REGULATOR_ROLE, by, "REGULATOR_ROLE")
        currency = currency_name(a["currency"])
        if not currency:
            self._breach("exchange.payment_token", e, f"{token} listed in no currency", token=token)
        known = self.state.payment_tokens.get(token)
        if known is not None and known.listed:
            self._breach("history.inconsistent", e, f"payment token {token} listed twice")
        acts = [] if known is None else known.acts
        acts.append([e.block_number, "listed", by])
        self.state.payment_tokens[token] = ListedToken(currency, a["decimals"], True, acts)

    def _token_delisted(self, e: Event, ts: int) -> None:
        token, by = e.args["token"], e.args["by"]
        self._require_role(e, REGULATOR_ROLE, by, "REGULATOR_ROLE")
        known = self.state.payment_tokens.get(token)
        if known is None or not known.listed:
            self._breach("history.inconsistent", e, f"payment token {token} delisted while not listed")
            if known is None:
                known = self.state.payment_tokens[token] = ListedToken("", 0, False)
        known.listed = False
        known.acts.append([e.block_number, "delisted", by])

    # Escrows ---------------------------------------------------------------------------------

    @property
    def _open(self) -> dict[int, Escrow]:
        if self._open_escrows is None:
            self._open_escrows = {i: x for i, x in self.state.escrows.items() if x.state == ESCROW_OPEN}
        return self._open_escrows

    @property
    def _refs(self) -> set[tuple[str, bytes]]:
        if self._payment_refs is None:
            settled = (x for x in self.state.escrows.values() if x.state == ESCROW_SETTLED)
            self._payment_refs = {(x.ended_by, x.payment_ref) for x in settled}
        return self._payment_refs

    def _escrow_for(self, iid: int, seller: str, recipient: str, amount: int) -> tuple[int, Escrow] | None:
        """The open escrow a delivery of these units is likely the settlement of (its buyer's wallet
        first): its EscrowSettled says which it was."""
        found = None
        for escrow_id, x in self._open.items():
            if (x.issuance_id, x.seller, x.amount) == (iid, seller, amount):
                if self.state.recovered_end(x.buyer) == recipient:
                    return escrow_id, x
                found = found or (escrow_id, x)
        return found

    def _hold(self, x: Escrow) -> None:
        iss = self._issuance(x.issuance_id)
        iss.escrowed[x.seller] = iss.escrowed.get(x.seller, 0) + x.amount

    def _release(self, x: Escrow) -> None:
        iss = self._issuance(x.issuance_id)
        left = iss.escrowed.get(x.seller, 0) - x.amount
        if left > 0:
            iss.escrowed[x.seller] = left
        else:
            iss.escrowed.pop(x.seller, None)

    def _escrow_opened(self, e: Event, ts: int) -> None:
        a = e.args
        escrow_id, iid, seller, buyer, agent = a["escrowId"], a["issuanceId"], a["seller"], a["buyer"], a["agent"]
        amount, price, deadline = a["amount"], a["price"], a["deadline"]
        state = self.state
        if escrow_id != len(state.escrows) + 1 or escrow_id in state.escrows:
            self._breach("history.inconsistent", e, f"escrow id {escrow_id} out of sequence")
        currency = currency_name(a["currency"])
        faults = []
        if not amount or not price:
            faults.append("of no units" if not amount else "at no price")
        if buyer in (seller, ZERO_ADDRESS):
            faults.append(f"for {buyer}, not another buyer")
        if agent in (seller, buyer):
            faults.append(f"under {agent}, a party to it")
        if not currency:
            faults.append("in no currency")
        if deadline <= ts:
            faults.append(f"until {deadline}, already past")
        elif deadline > ts + MAX_ESCROW_PERIOD:
            faults.append(f"until {deadline}, more than {MAX_ESCROW_PERIOD // 86_400} days ahead")
        if not state.has_role(SETTLEMENT_AGENT_ROLE, agent):
            faults.append(f"under {agent}, who lacks SETTLEMENT_AGENT_ROLE")
        iss = self._issuance(iid)
        if iss.operator == ZERO_ADDRESS:
            self._breach("issuance.unknown", e, f"escrow of issuance {iid}, never created", issuance_id=iid)
        else:
            # Held for the buyer: what a transfer from the seller to the buyer could not do now, this cannot.
            self._check_status(e, ts, STANDARD, iss, iid, seller, buyer)
            if buyer != iss.issuer and not self._covered(iid, iss, ts):
                self._undercollateralised(e, ts, iss, iid, f"escrow {escrow_id}")
        available = self._available(iss, seller)
        if amount > available:
            faults.append(f"of {amount} units of {iid}; {seller} had {max(available, 0)} free")
        if faults:
            self._breach("exchange.escrow", e, f"escrow {escrow_id} opened {'; '.join(faults)}", escrow_id=escrow_id)
        x = Escrow(iid, seller, buyer, agent, amount, price, currency, deadline, ESCROW_OPEN, e.block_number, e.tx_hash)
        state.escrows[escrow_id] = x
        self._open[escrow_id] = x
        self._hold(x)

    def _escrow_settled(self, e: Event, ts: int) -> None:
        a = e.args
        escrow_id, delivered, by = a["escrowId"], a["deliveredTo"], a["by"]
        pending, self._delivery = self._delivery, None
        x = self.state.escrows.get(escrow_id)
        if x is None:
            self._breach("history.inconsistent", e, f"EscrowSettled of unknown escrow {escrow_id}")
            self._delivery = pending
            self.flush_settlement()
            return
        faults = []
        was_open = x.state == ESCROW_OPEN
        if not was_open:
            faults.append(f"once {_ENDED.get(x.state, 'ended')}")
        if by != x.agent:
            faults.append(f"by {by}, not its agent {x.agent}")
        elif not self.state.has_role(SETTLEMENT_AGENT_ROLE, by):
            faults.append(f"by its agent {by}, no longer holding SETTLEMENT_AGENT_ROLE")
        if ts > x.deadline:
            faults.append(f"at {ts}, after its deadline {x.deadline}")
        ref = a["paymentRef"]
        if ref == _NO_REF:
            faults.append("against no payment reference")
        elif (by, ref) in self._refs:
            faults.append(f"against payment 0x{ref.hex()[:16]}, which already settled an escrow of {by}")
        buyer = self.state.recovered_end(x.buyer)
        if delivered != buyer:
            faults.append(f"delivered to {delivered}, not {buyer}, the buyer's wallet")
        claimed = pending is not None and pending.escrow_id == escrow_id
        if pending is None:
            faults.append("with no units moved by the exchange in its transaction")
        else:
            moved = (pending.issuance_id, pending.sender, pending.amount, pending.recipient)
            if moved != (x.issuance_id, x.seller, x.amount, delivered):
                faults.append(
                    f"moving {pending.amount} units of {pending.issuance_id} from {pending.sender} to "
                    f"{pending.recipient}; it held {x.amount} of {x.issuance_id} of {x.seller}"
                )
            if pending.escrow_id is not None and not claimed:
                self._hold(self.state.escrows[pending.escrow_id])  # taken for another: still open
        if faults:
            self._breach(
                "exchange.settlement", e, f"escrow {escrow_id} settled {'; '.join(faults)}", escrow_id=escrow_id
            )
        if not was_open:
            return
        if not claimed:
            self._release(x)
        self._open.pop(escrow_id, None)
        x.state, x.ended_block, x.ended_tx, x.ended_by = ESCROW_SETTLED, e.block_number, e.tx_hash, by
        x.delivered_to, x.payment_ref = delivered, ref
        if ref != _NO_REF:
            self._refs.add((by, ref))
        if self._notify_trade:
            trade = Trade(
                "escrow",
                e.block_number,
                ts,
                e.tx_hash,
                e.log_index,
                x.seller,
                delivered,
                x.issuance_id,
                x.amount,
                0,
                0,
                x.price,
                x.currency,
                None,
            )
            for notify in self._notify_trade:
                notify(trade)

    def _escrow_lapsed(self, e: Event, ts: int) -> None:
        escrow_id, by = e.args["escrowId"], e.args["by"]
        x = self.state.escrows.get(escrow_id)
        if x is None:
            self._breach("history.inconsistent", e, f"EscrowLapsed of unknown escrow {escrow_id}")
            return
        faults = []
        if x.state != ESCROW_OPEN:
            faults.append(f"once {_ENDED.get(x.state, 'ended')}")
        if ts <= x.deadline and self.state.has_role(SETTLEMENT_AGENT_ROLE, x.agent):
            # An agent that lost its role confirms nothing: its escrows need not wait.
            faults.append(f"at {ts}, before its deadline {x.deadline} had passed, its agent a settlement agent still")
        if faults:
            message = f"escrow {escrow_id} lapsed {'; '.join(faults)}"
            self._breach("exchange.settlement", e, message, escrow_id=escrow_id)
        if x.state != ESCROW_OPEN:
            return
        self._release(x)
        self._open.pop(escrow_id, None)
        x.state, x.ended_block, x.ended_tx, x.ended_by = ESCROW_LAPSED, e.block_number, e.tx_hash, by

    def _escrow_cancelled(self, e: Event, ts: int) -> None:
        """The regulator ended the escrow by order: its units are the seller's again."""
        escrow_id, by = e.args["escrowId"], e.args["by"]
        self._require_role(e, REGULATOR_ROLE, by, "REGULATOR_ROLE")
        x = self.state.escrows.get(escrow_id)
        if x is None:
            self._breach("history.inconsistent", e, f"EscrowCancelled of unknown escrow {escrow_id}")
            return
        if x.state != ESCROW_OPEN:
            ended = _ENDED.get(x.state, "ended")
            self._breach("exchange.settlement", e, f"escrow {escrow_id} cancelled once {ended}", escrow_id=escrow_id)
            return
        self._release(x)
        self._open.pop(escrow_id, None)
        x.state, x.ended_block, x.ended_tx, x.ended_by = ESCROW_CANCELLED, e.block_number, e.tx_hash, by
        x.payment_ref = e.args["orderHash"]

    # Trades for the monitors -----------------------------------------------------------------

    def _trade_of_offer(self, e: Event, offer: TakenOffer, ts: int) -> None:
        """The offer as a trade: a swap (units both ways) or units against a payment token."""
        asset = self.asset
        if offer.give_token == asset and offer.want_token == asset:
            trade = Trade(
                "swap",
                e.block_number,
                ts,
                e.tx_hash,
                e.log_index,
                offer.maker,
                offer.taker,
                offer.give_id,
                offer.give_amount,
                offer.want_id,
                offer.want_amount,
                0,
                "",
                None,
            )
        else:
            selling = offer.give_token == asset
            seller, buyer = (offer.maker, offer.taker) if selling else (offer.taker, offer.maker)
            iid, units = (offer.give_id, offer.give_amount) if selling else (offer.want_id, offer.want_amount)
            token, paid = (offer.want_token, offer.want_amount) if selling else (offer.give_token, offer.give_amount)
            listed = self.state.payment_tokens.get(token)
            currency, decimals = ("", None) if listed is None else (listed.currency, listed.decimals)
            trade = Trade(
                "dvp", e.block_number, ts, e.tx_hash, e.log_index, seller, buyer, iid, units, 0, 0, paid, currency,
                decimals,
            )  # fmt: skip
        for notify in self._notify_trade:
            notify(trade)
