"""Offers (issue 15): a holder makes an offer by signing its EIP-712 terms (the gateway hands it
the typed data with a fresh nonce), publishes it here for takers to find (the chain keeps no
offers), and a taker takes it by a forward request the operator relays (both legs in one
transaction); the maker cancels it the same way. Every step is checked first with the exchange's
own `checkOffer`, one problem code per reason; the chain checks it all again. Where each offer
stands (open, taken, cancelled) is kept in its row by the event index (api.services.index): a
listing reads no chain state per offer."""

from __future__ import annotations

import secrets
import time
from functools import partial
from typing import Any, NoReturn

from sqlalchemy import Row, and_, func, or_, select
from sqlalchemy.exc import IntegrityError

from api import contract_problems as contract
from api.chain.operation import Operation
from api.chain.platform import Chain
from api.db import Database, is_unique_violation, now
from api.db.schema import offers as table
from api.errors import (
    NotOwnAccount,
    OfferAlreadyPublished,
    OfferBeingTaken,
    OfferExpiryTooFar,
    OfferNotFound,
    TooManyOpenOffers,
)
from api.rate_limits import RateLimits
from api.schemas import offers as schema
from api.schemas.common import hex32, name_of
from api.schemas.holders import SigningRequest
from api.services.index import EventIndex
from api.services.offer_refusals import OF_THE_OFFER, OF_THE_TERMS, error_of, plain, refuse_offer
from api.services.relaying import relay
from api.services.signatures import require_signer, typed_data
from sdap.clients import FORWARD_REQUEST_TTL, build_forward_request
from sdap.erc20 import ERC20_ABI
from sdap.errors import TransactionTimeout
from sdap.signing import forward_request_digest, forward_request_message, offer_digest, offer_typed_data
from sdap.transactions import rpc
from sdap.types import ForwardRequest, Offer, OfferRefusal, Refusal, SignedOffer

ZERO = "0x" + "00" * 20
#: How long an offer stays takeable when its maker names no expiry, and the longest it may.
DEFAULT_OFFER_TTL = 7 * 24 * 3600
LONGEST_OFFER_TTL = 365 * 24 * 3600
#: The taker an offer to anyone is checked against when publishing: a wallet that is not the
#: maker, so the terms, the expiry, the nonce and the signature are judged (its legs are judged
#: for each taker: GET /v1/offers/{offer_hash}?taker=).
_ANYONE = "0x000000000000000000000000000000000000dEaD"


class Offers:
    def __init__(
        self,
        chain: Chain,
        db: Database,
        limits: RateLimits,
        index: EventIndex,
        *,
        max_open_per_maker: int,
        take_lease: float,
    ) -> None:
        self._chain = chain
        self._db = db
        self._limits = limits
        self._index = index
        #: The open offers one maker may keep (0: no cap).
        self._max_open = max_open_per_maker
        #: How long a take's claim on its offer holds (a process stopped mid-take leaves one behind).
        self._take_lease = take_lease

    # --- making an offer ------------------------------------------------------------------

    def typed_data(
        self,
        maker: str,
        *,
        give_token: str | None,
        give_id: int,
        give_amount: int,
        want_token: str | None,
        want_id: int,
        want_amount: int,
        taker: str | None,
        expiry: int | None,
    ) -> SigningRequest:
        """What `maker` signs to offer these terms, with a fresh random nonce; the terms are checked
        first as `checkOffer` judges them whoever takes (legs, payment token listed, expiry, a taker
        other than the maker), then as the maker's side alone decides (`_check_makers_side`)."""
        d = self._chain.deployment
        offer = Offer(
            maker=maker,
            taker=taker or ZERO,
            give_token=give_token or d.asset,
            give_id=give_id,
            give_amount=give_amount,
            want_token=want_token or d.asset,
            want_id=want_id,
            want_amount=want_amount,
            nonce=secrets.randbits(128),
            expiry=expiry if expiry is not None else self._chain.queries.chain_time() + DEFAULT_OFFER_TTL,
        )
        self._require_issuances(offer)
        unsigned = self._signed(offer, "0x" + "00" * 65)
        offer_refusal, _ = self._chain.queries.check_offer(unsigned, self._stand_in(offer))
        if offer_refusal in OF_THE_TERMS:
            self._refuse(offer, offer_refusal, Refusal.NONE, maker)
        self._check_makers_side(offer)
        message = offer_typed_data(offer, chain_id=d.chain_id, exchange=d.exchange)
        return SigningRequest(
            typed_data=typed_data(message),
            digest=hex32(offer_digest(offer, chain_id=d.chain_id, exchange=d.exchange)),
            fields={"offer": offer.as_dict()},
        )

    def publish(self, maker: str, body: schema.SignedOfferBody) -> schema.OfferView:
        """Keeps `maker`'s signed offer for takers to find, once checked: its own wallet's, signed
        by it, takeable as far as the offer and its maker's side alone decide (and by its named
        taker, if any), and the maker within its cap of open offers."""
        offer = _offer(body.offer)
        if offer.maker != maker:
            raise NotOwnAccount(f"the offer's maker is {offer.maker}, not the signed-in wallet {maker}")
        d = self._chain.deployment
        message = offer_typed_data(offer, chain_id=d.chain_id, exchange=d.exchange)
        require_signer(message, body.signature, maker, "offer")
        self._require_issuances(offer)
        signed = self._signed(offer, body.signature)
        offer_refusal, refusal = self._chain.queries.check_offer(signed, self._stand_in(offer))
        if offer_refusal in OF_THE_OFFER or (offer.taker != ZERO and offer_refusal is not OfferRefusal.NONE):
            self._refuse(offer, offer_refusal, refusal, offer.taker)
        self._check_makers_side(offer)
        offer_hash = hex32(signed.offer_hash)
        # Before the cap: an offer published already is that, even for a maker at the cap.
        self._require_room(maker, unless_published=offer_hash)
        row = {"offer_hash": offer_hash, **offer.as_dict(), "signature": body.signature.lower(), "published_at": now()}
        try:
            with self._db.write() as conn:
                conn.execute(table.insert().values(**row))
        except IntegrityError as exc:
            if not is_unique_violation(exc):
                raise
            raise OfferAlreadyPublished(f"offer {offer_hash} is already published", offer_hash=offer_hash) from None
        return self.get(offer_hash)

    # --- reading offers -------------------------------------------------------------------

    def get(self, offer_hash: str, taker: str | None = None) -> schema.OfferView:
        """The published offer and its status now; with `taker`, whether that wallet could take it."""
        self._index.sync()
        view = self._view(self._row(offer_hash), self._chain.queries.chain_time())
        if taker is None:
            return view
        return view.model_copy(update={"check": self._check(self._signed_of(view), taker)})

    def find(
        self,
        *,
        maker: str | None,
        taker: str | None,
        give_token: str | None,
        give_id: int | None,
        want_token: str | None,
        want_id: int | None,
        status: schema.OfferStatus | None,
        after: int,
        limit: int,
    ) -> list[tuple[int, schema.OfferView]]:
        """At most `limit` offers published after position `after`, in publication order, with their
        positions, filtered by the terms and by their status now (as the event index keeps it)."""
        query = select(table).where(table.c.id > after).order_by(table.c.id).limit(limit)
        if maker is not None:
            query = query.where(table.c.maker == maker)
        if taker is not None:  # offers this wallet may take: named to it, or to anyone
            query = query.where(or_(table.c.taker == taker, table.c.taker == ZERO), table.c.maker != taker)
        for column, value in (("give_token", give_token), ("want_token", want_token)):
            if value is not None:
                query = query.where(table.c[column] == value)
        for column, number in (("give_id", give_id), ("want_id", want_id)):
            if number is not None:
                query = query.where(table.c[column] == str(number))
        self._index.sync()
        chain_now = self._chain.queries.chain_time()
        if status == "open":
            query = query.where(_open(chain_now))
        elif status == "expired":
            query = query.where(table.c.status == "open", table.c.expiry < chain_now)
        elif status is not None:
            query = query.where(table.c.status == status)
        with self._db.read() as conn:
            rows = conn.execute(query).all()
        return [(int(row.id), self._view(row, chain_now)) for row in rows]

    def _row(self, offer_hash: str) -> Row[Any]:
        with self._db.read() as conn:
            row = conn.execute(select(table).where(table.c.offer_hash == offer_hash.lower())).first()
        if row is None:
            raise OfferNotFound(f"no offer {offer_hash} was published through this gateway", offer_hash=offer_hash)
        return row

    @staticmethod
    def _view(row: Row[Any], chain_now: int) -> schema.OfferView:
        status: schema.OfferStatus = row.status
        if status == "open" and row.expiry < chain_now:
            status = "expired"
        fill = None
        if status == "taken":
            fill = schema.OfferFill(taker=row.filled_by, tx_hash=row.fill_tx, block_number=row.fill_block)
        return schema.OfferView(
            offer_hash=row.offer_hash,
            offer=_terms_of(row),
            signature=row.signature,
            status=status,
            published_at=row.published_at,
            taken=fill,
        )

    def _check(self, signed: SignedOffer, taker: str) -> schema.OfferCheck:
        offer_refusal, refusal = self._chain.queries.check_offer(signed, taker)
        code = None
        if offer_refusal is not OfferRefusal.NONE:
            code = error_of(offer_refusal, refusal).code
        return schema.OfferCheck(
            taker=taker,
            takeable=offer_refusal is OfferRefusal.NONE,
            offer_refusal=name_of(offer_refusal),
            refusal=name_of(refusal),
            code=code,
        )

    def payment_tokens(self, after: tuple[int, int] | None, limit: int) -> list[tuple[schema.PaymentTokenView, str]]:
        """At most `limit` of the tokens the regulator listed, in the order first listed (from the
        event index), each as the exchange records it now (delisted ones too); each with its
        position in that order (`block.log` of its first listing)."""
        self._index.sync()
        found = []
        for row in self._index.payment_tokens(after, limit):
            t = self._chain.queries.payment_token(row["token"])
            view = schema.PaymentTokenView(token=t.token, currency=t.currency, decimals=t.decimals, listed=t.listed)
            found.append((view, f"{row['block_number']}.{row['log_index']}"))
        return found

    # --- taking and cancelling, relayed ---------------------------------------------------

    def take_request(self, taker: str, offer_hash: str) -> SigningRequest:
        """The forward request `taker` signs to take the offer, checked first with `checkOffer`."""
        row = self._row(offer_hash)
        signed = self._signed(_offer(_terms_of(row)), row.signature)
        self._check_take(signed, taker)
        return self._signing_request(taker, self._take_calldata(signed))

    def take(
        self, taker: str, offer_hash: str, body: schema.RelayedCall, op: Operation | None = None
    ) -> schema.OfferTaken:
        """Relays the taker's signed request to `take(offer, signature)`: both legs in one transaction,
        paid by the operator."""
        row = self._row(offer_hash)
        terms = _terms_of(row)
        signed = self._signed(_offer(terms), row.signature)
        request = self._request(taker, body, self._take_calldata(signed))
        check = partial(self._check_take, signed, taker)
        claimed = not self._chain.resumes(op)
        if claimed:
            self._claim(row.offer_hash)
        try:
            receipt = relay(self._chain, self._limits, request, body.signature, "take request", check, op)
        except TransactionTimeout:
            claimed = False  # sent, not included yet: the claim holds until its lease ends
            raise
        finally:
            if claimed:
                self._release(row.offer_hash)
        event = receipt.event("OfferTaken")
        return schema.OfferTaken(
            offer_hash=hex32(bytes(event["offerHash"])),
            maker=event["maker"],
            taker=event["taker"],
            offer=terms,
            tx_hash=receipt.tx_hash,
            block_number=receipt.block_number,
        )

    def cancel_request(self, maker: str, offer_hash: str) -> SigningRequest:
        """The forward request the offer's maker signs to cancel it (`cancelOffer(nonce)`)."""
        offer = self._own(maker, offer_hash)
        self._check_cancel(offer)
        return self._signing_request(maker, self._cancel_calldata(offer))

    def cancel(
        self, maker: str, offer_hash: str, body: schema.RelayedCall, op: Operation | None = None
    ) -> schema.OfferCancelled:
        offer = self._own(maker, offer_hash)
        request = self._request(maker, body, self._cancel_calldata(offer))
        check = partial(self._check_cancel, offer)
        receipt = relay(self._chain, self._limits, request, body.signature, "cancellation request", check, op)
        event = receipt.event("OfferCancelled")
        return schema.OfferCancelled(
            offer_hash=offer_hash.lower(),
            maker=event["maker"],
            nonce=str(event["nonce"]),
            tx_hash=receipt.tx_hash,
            block_number=receipt.block_number,
        )

    # --- the pieces -----------------------------------------------------------------------

    def _claim(self, offer_hash: str) -> None:
        """Claims the offer for one take while it is relayed: a second take meanwhile is refused
        (`offer_being_taken`) with nothing sent, instead of a transaction that would revert."""
        moment = time.time()
        free = or_(table.c.taking_until.is_(None), table.c.taking_until < moment)
        with self._db.write() as conn:
            claim = (
                table.update()
                .where(table.c.offer_hash == offer_hash, free)
                .values(taking_until=moment + self._take_lease)
            )
            if conn.execute(claim).rowcount == 1:
                return
        raise OfferBeingTaken(f"another take of offer {offer_hash} is being relayed", offer_hash=offer_hash)

    def _release(self, offer_hash: str) -> None:
        with self._db.write() as conn:
            conn.execute(table.update().where(table.c.offer_hash == offer_hash).values(taking_until=None))

    def _check_makers_side(self, offer: Offer) -> None:
        """Refuses what the maker's side alone decides, whoever takes: an expiry too far ahead, and
        the give leg: units the maker could not send now (judged as a transfer to itself: the
        issuance, its eligibility, its free units), or a payment it has not the balance or the
        allowance for. The codes are a take's, with `leg: "give"`."""
        queries = self._chain.queries
        longest = queries.chain_time() + LONGEST_OFFER_TTL
        if offer.expiry > longest:
            raise OfferExpiryTooFar(
                f"an offer may be taken at most {LONGEST_OFFER_TTL // 86_400} days ahead: until {longest}",
                longest=LONGEST_OFFER_TTL,
                latest=longest,
            )
        if offer.give_token == self._chain.deployment.asset:
            refusal = queries.check_transfer(offer.maker, offer.maker, offer.give_id, offer.give_amount)
            if refusal is not Refusal.NONE:
                self._refuse(offer, OfferRefusal.GIVE_LEG_REFUSED, refusal, offer.maker)
            return
        token = self._chain.w3.eth.contract(address=offer.give_token, abi=ERC20_ABI)  # type: ignore[call-overload]
        exchange = self._chain.deployment.exchange
        balance = int(rpc(lambda: token.functions.balanceOf(offer.maker).call()))
        allowance = int(rpc(lambda: token.functions.allowance(offer.maker, exchange).call()))
        if min(balance, allowance) < offer.give_amount:
            self._refuse(offer, OfferRefusal.PAYMENT_NOT_AVAILABLE, Refusal.NONE, offer.maker)

    def _require_room(self, maker: str, *, unless_published: str) -> None:
        """The maker keeps fewer open offers than the cap (as the event index knows them now), or
        the offer `unless_published` is one of them already (OfferAlreadyPublished)."""
        if not self._max_open:
            return
        self._index.sync()
        count = select(func.count()).select_from(table)
        count = count.where(table.c.maker == maker, _open(self._chain.queries.chain_time()))
        published = select(table.c.offer_hash).where(table.c.offer_hash == unless_published)
        with self._db.read() as conn:
            open_now = int(conn.execute(count).scalar_one())
            if open_now >= self._max_open and conn.execute(published).first() is not None:
                raise OfferAlreadyPublished(
                    f"offer {unless_published} is already published", offer_hash=unless_published
                )
        if open_now >= self._max_open:
            raise TooManyOpenOffers(
                f"{maker} keeps {open_now} offers open: take, cancel or let one expire first", limit=self._max_open
            )

    def prune(self, retention: float) -> int:
        """Forgets the offers taken, cancelled or expired more than `retention` seconds ago."""
        cutoff = now() - retention
        closed = and_(table.c.status != "open", table.c.closed_at < cutoff)
        expired = and_(table.c.status == "open", table.c.expiry < cutoff)
        with self._db.write() as conn:
            return int(conn.execute(table.delete().where(or_(closed, expired))).rowcount)

    def _require_issuances(self, offer: Offer) -> None:
        """Each side in units names an issuance that exists (`issuance_not_found` otherwise): an offer
        to anyone has its legs judged only when a taker comes, so a mistyped id is caught here."""
        asset = self._chain.deployment.asset
        for token, issuance_id in ((offer.give_token, offer.give_id), (offer.want_token, offer.want_id)):
            if token == asset:
                self._chain.queries.issuance(issuance_id)

    def _own(self, maker: str, offer_hash: str) -> Offer:
        offer = _offer(_terms_of(self._row(offer_hash)))
        if offer.maker != maker:
            raise NotOwnAccount(f"offer {offer_hash} is {offer.maker}'s: only its maker cancels it")
        return offer

    def _check_cancel(self, offer: Offer) -> None:
        if self._chain.queries.is_offer_nonce_used(offer.maker, offer.nonce):
            raise contract.ExchangeNonceUsed(
                "Exchange_NonceUsed",
                f"the offer's nonce was already spent (taken or cancelled): {offer.nonce}",
                plain({"maker": offer.maker, "nonce": offer.nonce}),
            )

    def _check_take(self, signed: SignedOffer, taker: str) -> None:
        offer_refusal, refusal = self._chain.queries.check_offer(signed, taker)
        if offer_refusal is not OfferRefusal.NONE:
            self._refuse(signed.offer, offer_refusal, refusal, taker)

    def _refuse(self, offer: Offer, offer_refusal: OfferRefusal, refusal: Refusal, taker: str) -> NoReturn:
        refuse_offer(self._chain.queries, self._chain.deployment.asset, offer, offer_refusal, refusal, taker)

    def _signed(self, offer: Offer, signature: str) -> SignedOffer:
        d = self._chain.deployment
        return SignedOffer(
            offer, bytes.fromhex(signature[2:]), offer_digest(offer, chain_id=d.chain_id, exchange=d.exchange)
        )

    def _signed_of(self, view: schema.OfferView) -> SignedOffer:
        return self._signed(_offer(view.offer), view.signature)

    @staticmethod
    def _stand_in(offer: Offer) -> str:
        return offer.taker if offer.taker != ZERO else _ANYONE

    def _take_calldata(self, signed: SignedOffer) -> bytes:
        exchange = self._chain.platform.contracts.exchange
        return bytes.fromhex(exchange.encode_abi("take", args=[signed.offer.as_tuple(), signed.signature])[2:])

    def _cancel_calldata(self, offer: Offer) -> bytes:
        exchange = self._chain.platform.contracts.exchange
        return bytes.fromhex(exchange.encode_abi("cancelOffer", args=[offer.nonce])[2:])

    def _signing_request(self, holder: str, data: bytes) -> SigningRequest:
        d = self._chain.deployment
        deadline = self._chain.queries.chain_time() + FORWARD_REQUEST_TTL
        request = build_forward_request(self._chain.platform, holder, data, deadline=deadline, gas=None, to=d.exchange)
        return SigningRequest(
            typed_data=typed_data(forward_request_message(request, chain_id=d.chain_id, forwarder=d.forwarder)),
            digest=hex32(forward_request_digest(request, chain_id=d.chain_id, forwarder=d.forwarder)),
            fields={"gas": request.gas, "nonce": request.nonce, "deadline": request.deadline},
        )

    def _request(self, holder: str, body: schema.RelayedCall, data: bytes) -> ForwardRequest:
        return ForwardRequest(
            from_=holder,
            to=self._chain.deployment.exchange,
            value=0,
            gas=body.gas,
            nonce=body.nonce,
            deadline=body.deadline,
            data=data,
        )


def _open(chain_now: int) -> Any:
    """An offer still takeable as far as its own state goes: not taken or cancelled, not expired."""
    return and_(table.c.status == "open", table.c.expiry >= chain_now)


def _terms_of(row: Row[Any]) -> schema.OfferTerms:
    return schema.OfferTerms(**{k: getattr(row, k) for k in schema.OfferTerms.model_fields})


def _offer(terms: schema.OfferTerms) -> Offer:
    return Offer(
        maker=terms.maker,
        taker=terms.taker,
        give_token=terms.give_token,
        give_id=int(terms.give_id),
        give_amount=int(terms.give_amount),
        want_token=terms.want_token,
        want_id=int(terms.want_id),
        want_amount=int(terms.want_amount),
        nonce=int(terms.nonce),
        expiry=terms.expiry,
    )
