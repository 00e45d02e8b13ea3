"""The offers service (api.services.offers), called directly on a running test gateway: the terms a
maker signs get the defaults filled and a fresh random nonce; a published offer is its maker's own,
kept once, within the maker's cap of open offers; the book is searched by the terms, by who may
take an offer and by its status now; a take claims its offer while it is relayed, so a second one
meanwhile is refused with nothing sent; only the maker cancels, and a spent nonce is refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from eth_account.signers.local import LocalAccount
from gateway_support import Api, hx, sign_typed
from sqlalchemy import select
from world import World, advance, chain_time

from api import contract_problems as contract
from api.db.schema import offers as table
from api.db.schema import transactions
from api.errors import NotOwnAccount, OfferAlreadyPublished, OfferBeingTaken, TooManyOpenOffers
from api.schemas.offers import OfferView, RelayedCall, SignedOfferBody
from api.services.offers import DEFAULT_OFFER_TTL, ZERO, Offers
from sdap.signing import offer_digest


def signed_offer(world: World, maker: LocalAccount, second: int, **terms: Any) -> SignedOfferBody:
    """An offer of 10 of the first issuance for 5 of the second, signed by the maker's own client."""
    values: dict[str, Any] = {"give_id": world.issuance, "give_amount": 10, "want_id": second, "want_amount": 5}
    lot = world.platform.holder(maker).make_offer(**{**values, **terms})
    return SignedOfferBody(offer=lot.offer.as_dict(), signature=hx(lot.signature))


def relayed(offers: Offers, taker: LocalAccount, offer_hash: str) -> RelayedCall:
    prepared = offers.take_request(taker.address, offer_hash)
    return RelayedCall(**prepared.fields, signature=sign_typed(taker, prepared.typed_data.model_dump()))


def test_the_terms_to_sign_get_the_defaults_and_a_fresh_nonce(api: Api, world: World, second: int) -> None:
    offers, d = api.gateway.offers, world.platform.deployment
    terms: dict[str, Any] = {
        "give_token": None, "give_id": world.issuance, "give_amount": 10,
        "want_token": None, "want_id": second, "want_amount": 5, "taker": None, "expiry": None,
    }  # fmt: skip
    first, again = (offers.typed_data(world.a.address, **terms) for _ in range(2))
    offer = first.fields["offer"]
    assert (offer["give_token"], offer["want_token"], offer["taker"]) == (d.asset, d.asset, ZERO)
    assert offer["expiry"] == chain_time(world.w3) + DEFAULT_OFFER_TTL
    assert offer["nonce"] != again.fields["offer"]["nonce"] and int(offer["nonce"]) < 2**128
    signed = world.platform.holder(world.accounts[6]).make_offer(
        give_id=world.issuance, give_amount=10, want_id=second, want_amount=5,
        nonce=int(offer["nonce"]), expiry=offer["expiry"],
    )  # fmt: skip
    assert first.digest == hx(offer_digest(signed.offer, chain_id=d.chain_id, exchange=d.exchange))
    with pytest.raises(contract.ExchangeInvalidLegs):  # units for units of the same issuance
        offers.typed_data(world.a.address, **{**terms, "want_id": world.issuance})


def test_an_offer_is_published_once_by_its_maker_within_the_cap(
    world: World, second: int, make_api: Callable[..., Api]
) -> None:
    world.platform.resync_nonces()
    offers = make_api(max_open_offers_per_maker=2).gateway.offers
    a, b = world.accounts[6], world.accounts[7]
    first = signed_offer(world, a, second)
    with pytest.raises(NotOwnAccount):
        offers.publish(b.address, first)
    shown = offers.publish(a.address, first)
    assert (shown.status, shown.offer, shown.taken) == ("open", first.offer, None)
    with pytest.raises(OfferAlreadyPublished):
        offers.publish(a.address, first)
    offers.publish(a.address, signed_offer(world, a, second, give_amount=1))
    with pytest.raises(TooManyOpenOffers):
        offers.publish(a.address, signed_offer(world, a, second, give_amount=2))
    with pytest.raises(OfferAlreadyPublished):  # at the cap, an offer published already is that
        offers.publish(a.address, first)
    # Another maker has a cap of its own.
    assert (
        offers.publish(b.address, signed_offer(world, b, world.issuance, give_id=second, give_amount=1)).status
        == "open"
    )


def test_the_book_is_searched_by_who_may_take_and_by_status_now(api: Api, world: World, second: int) -> None:
    offers = api.gateway.offers
    a, b, c = world.accounts[6], world.accounts[7], world.accounts[8]
    to_anyone = offers.publish(a.address, signed_offer(world, a, second)).offer_hash
    to_b = offers.publish(a.address, signed_offer(world, a, second, taker=b.address)).offer_hash
    soon = offers.publish(a.address, signed_offer(world, a, second, expiry=chain_time(world.w3) + 60)).offer_hash
    of_b = offers.publish(b.address, signed_offer(world, b, world.issuance, give_id=second, give_amount=1)).offer_hash

    def listed(**filters: Any) -> list[tuple[int, OfferView]]:
        query: dict[str, Any] = {
            "maker": None, "taker": None, "give_token": None, "give_id": None, "want_token": None,
            "want_id": None, "status": None, "after": 0, "limit": 10,
        }  # fmt: skip
        return offers.find(**{**query, **filters})

    def found(**filters: Any) -> list[str]:
        return [view.offer_hash for _, view in listed(**filters)]

    assert found() == [to_anyone, to_b, soon, of_b]  # in publication order
    assert found(taker=b.address) == [to_anyone, to_b, soon]  # not its own, and those named to it
    assert found(taker=c.address) == [to_anyone, soon, of_b]
    assert found(give_id=second) == [of_b] and found(want_id=second, maker=b.address) == []
    positions = [position for position, _ in listed()]
    assert positions == sorted(positions)
    assert found(after=positions[1], limit=1) == [soon]

    advance(world.w3, 120)
    assert found(status="expired") == [soon]
    assert found(status="open") == [to_anyone, to_b, of_b]
    assert offers.get(soon).status == "expired"
    check = offers.get(to_b, taker=c.address).check
    assert check is not None and not check.takeable and check.code == "exchange_taker_not_allowed"


def test_a_take_being_relayed_refuses_another_with_nothing_sent(api: Api, world: World, second: int) -> None:
    offers = api.gateway.offers
    a, b = world.accounts[6], world.accounts[7]
    offer_hash = offers.publish(a.address, signed_offer(world, a, second)).offer_hash
    request = relayed(offers, b, offer_hash)

    offers._claim(offer_hash)  # another take of it, being relayed now
    with pytest.raises(OfferBeingTaken):
        offers.take(b.address, offer_hash, request)
    with api.gateway.db.read() as conn:
        assert list(conn.scalars(select(transactions.c.state))) == []
    offers._release(offer_hash)

    taken = offers.take(b.address, offer_hash, request)
    assert (taken.maker, taken.taker, taken.offer_hash) == (a.address, b.address, offer_hash)
    with api.gateway.db.read() as conn:  # the take's own claim is let go once it is answered
        assert conn.scalar(select(table.c.taking_until).where(table.c.offer_hash == offer_hash)) is None
    view: OfferView = offers.get(offer_hash)
    assert view.status == "taken" and view.taken is not None and view.taken.tx_hash == taken.tx_hash


def test_only_the_maker_cancels_an_offer_whose_nonce_is_unspent(api: Api, world: World, second: int) -> None:
    offers = api.gateway.offers
    a, b = world.accounts[6], world.accounts[7]
    kept = offers.publish(a.address, signed_offer(world, a, second)).offer_hash
    taken = offers.publish(a.address, signed_offer(world, a, second, give_amount=1)).offer_hash
    with pytest.raises(NotOwnAccount):
        offers.cancel_request(b.address, kept)

    prepared = offers.cancel_request(a.address, kept)
    body = RelayedCall(**prepared.fields, signature=sign_typed(a, prepared.typed_data.model_dump()))
    cancelled = offers.cancel(a.address, kept, body)
    assert (cancelled.maker, cancelled.offer_hash) == (a.address, kept)
    assert offers.get(kept).status == "cancelled"
    offers.take(b.address, taken, relayed(offers, b, taken))
    for spent in (kept, taken):
        with pytest.raises(contract.ExchangeNonceUsed):
            offers.cancel_request(a.address, spent)
