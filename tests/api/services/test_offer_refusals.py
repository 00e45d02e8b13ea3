"""api.services.offer_refusals: why an offer cannot be taken, as the gateway answers it. The
exchange's own refusals become the custom error the exchange would revert with, its arguments as
decoded errors carry them (integers past 2^53 as decimal strings); a payment the payer cannot make
names the payer (the maker when it gives the payment token, else the taker) and the token; a leg
refused in units is the asset's code of that leg, a permit's state refined. Every code it raises is
one the routes list, and `error_of` names the same code without raising."""

from __future__ import annotations

from typing import Any, cast

import pytest
from eth_utils import to_checksum_address
from world import World, h

from api import contract_problems as contract
from api import errors
from api.errors import ApiError, ContractRefusal, PaymentNotAvailable
from api.services.offer_refusals import (
    MAKER_ERRORS,
    OF_THE_OFFER,
    OF_THE_TERMS,
    OFFER_TERMS_ERRORS,
    PUBLISH_ERRORS,
    TAKE_ERRORS,
    error_of,
    plain,
    refuse_offer,
)
from api.services.refusals import PERMIT_STATES, REFUSALS, TRANSFER_ERRORS
from sdap.clients import PlatformQueries
from sdap.types import Offer, OfferRefusal, Refusal

ASSET = to_checksum_address("0x" + "a5" * 20)
TOKEN = to_checksum_address("0x" + "7e" * 20)  # a listed payment token
MAKER = to_checksum_address("0x" + "01" * 20)
TAKER = to_checksum_address("0x" + "02" * 20)
ZERO = "0x" + "00" * 20
LEGS = (OfferRefusal.GIVE_LEG_REFUSED, OfferRefusal.WANT_LEG_REFUSED)
#: The exchange's own refusals, each answered by the custom error the exchange reverts with.
OWN = tuple(r for r in OfferRefusal if r not in (OfferRefusal.NONE, *LEGS, OfferRefusal.PAYMENT_NOT_AVAILABLE))
#: No chain is read but for a leg's permit or coverage refusal.
NO_QUERIES = cast(PlatformQueries, None)


def offer(**changed: Any) -> Offer:
    """Units of issuance 3 for 250 of the payment token, by MAKER, for anyone."""
    terms: dict[str, Any] = {
        "maker": MAKER,
        "taker": ZERO,
        "give_token": ASSET,
        "give_id": 3,
        "give_amount": 10,
        "want_token": TOKEN,
        "want_id": 0,
        "want_amount": 250,
        "nonce": 7,
        "expiry": 1_900_000_000,
    }
    return Offer(**{**terms, **changed})


def raised(
    offer_refusal: OfferRefusal,
    refusal: Refusal = Refusal.NONE,
    terms: Offer | None = None,
    queries: PlatformQueries = NO_QUERIES,
) -> ApiError:
    with pytest.raises(ApiError) as caught:
        refuse_offer(queries, ASSET, terms or offer(), offer_refusal, refusal, TAKER)
    return caught.value


@pytest.mark.parametrize(
    ("offer_refusal", "error", "arguments"),
    [
        (OfferRefusal.INVALID_LEGS, contract.ExchangeInvalidLegs, {}),
        (OfferRefusal.PAYMENT_TOKEN_NOT_LISTED, contract.ExchangePaymentTokenNotListed, {"token": TOKEN}),
        (OfferRefusal.EXPIRED, contract.ExchangeOfferExpired, {"expiry": 1_900_000_000}),
        (OfferRefusal.NONCE_USED, contract.ExchangeNonceUsed, {"maker": MAKER, "nonce": 7}),
        (OfferRefusal.TAKER_NOT_ALLOWED, contract.ExchangeTakerNotAllowed, {"taker": TAKER}),
        (OfferRefusal.NOT_SIGNED, contract.ExchangeOfferNotSigned, {"maker": MAKER}),
    ],
)
def test_the_exchanges_own_refusal_is_its_custom_error_with_its_arguments(
    offer_refusal: OfferRefusal, error: type[ContractRefusal], arguments: dict[str, Any]
) -> None:
    problem = raised(offer_refusal)
    assert type(problem) is error and problem.problem_code == error.code
    assert problem.extensions["error"] == error.error
    assert problem.extensions["arguments"] == arguments
    assert problem.extensions["offer_refusal"] == offer_refusal.name.lower()
    assert "leg" not in problem.extensions


def test_the_payment_token_named_is_the_side_that_is_not_the_asset() -> None:
    swapped = offer(give_token=TOKEN, give_id=0, give_amount=250, want_token=ASSET, want_id=3, want_amount=10)
    for terms in (offer(), swapped):
        assert raised(OfferRefusal.PAYMENT_TOKEN_NOT_LISTED, terms=terms).extensions["arguments"] == {"token": TOKEN}


def test_a_nonce_past_2_53_is_carried_as_a_decimal_string() -> None:
    problem = raised(OfferRefusal.NONCE_USED, terms=offer(nonce=2**64 + 1))
    assert problem.extensions["arguments"]["nonce"] == str(2**64 + 1)
    assert plain({"a": 2**53, "b": 2**53 + 1, "c": -(2**53) - 1, "d": "x"}) == {
        "a": 2**53,
        "b": str(2**53 + 1),
        "c": str(-(2**53) - 1),
        "d": "x",
    }


def test_a_payment_not_available_names_the_payer_and_the_token() -> None:
    # The maker wants the payment token: the taker pays it.
    taker_pays = raised(OfferRefusal.PAYMENT_NOT_AVAILABLE)
    assert type(taker_pays) is PaymentNotAvailable
    assert (taker_pays.extensions["payer"], taker_pays.extensions["token"]) == (TAKER, TOKEN)
    assert taker_pays.extensions["offer_refusal"] == "payment_not_available"
    # The maker gives the payment token: the maker pays it.
    swapped = offer(give_token=TOKEN, give_id=0, give_amount=250, want_token=ASSET, want_id=3, want_amount=10)
    maker_pays = raised(OfferRefusal.PAYMENT_NOT_AVAILABLE, terms=swapped)
    assert (maker_pays.extensions["payer"], maker_pays.extensions["token"]) == (MAKER, TOKEN)


def test_a_leg_refused_in_units_is_the_assets_code_of_that_leg() -> None:
    units_for_units = offer(want_token=ASSET, want_id=4, want_amount=5)
    give = raised(OfferRefusal.GIVE_LEG_REFUSED, Refusal.SENDER_FROZEN, units_for_units)
    assert type(give) is errors.SenderFrozen
    assert (give.extensions["leg"], give.extensions["issuance_id"]) == ("give", 3)
    assert give.extensions["offer_refusal"] == "give_leg_refused" and give.extensions["refusal"] == "sender_frozen"
    want = raised(OfferRefusal.WANT_LEG_REFUSED, Refusal.RECIPIENT_NOT_REGISTERED, units_for_units)
    assert type(want) is errors.RecipientNotRegistered
    assert (want.extensions["leg"], want.extensions["issuance_id"]) == ("want", 4)


def test_a_leg_refused_for_the_permit_says_the_permit_of_that_legs_operator(world: World) -> None:
    world.regulator.suspend_permit(world.operator.address, h("inspection"))
    terms = offer(want_token=world.platform.deployment.asset, want_id=world.issuance, want_amount=5)
    problem = raised(OfferRefusal.WANT_LEG_REFUSED, Refusal.PERMIT_NOT_ACTIVE, terms, world.queries)
    assert type(problem) is errors.PermitSuspended
    assert problem.extensions["operator"] == world.operator.address
    assert (problem.extensions["permit_state"], problem.extensions["leg"]) == ("suspended", "want")
    assert problem.extensions["issuance_id"] == world.issuance


def test_error_of_names_the_code_refuse_offer_raises() -> None:
    for offer_refusal in (*OWN, OfferRefusal.PAYMENT_NOT_AVAILABLE):
        assert type(raised(offer_refusal)) is error_of(offer_refusal, Refusal.NONE), offer_refusal
    for refusal in (Refusal.INSUFFICIENT_BALANCE, Refusal.UNITS_RESTRICTED, Refusal.RECIPIENT_FROZEN):
        for leg in LEGS:
            assert type(raised(leg, refusal)) is error_of(leg, refusal) is REFUSALS[refusal]


def test_every_code_a_take_may_meet_is_listed_for_the_routes() -> None:
    assert set(OF_THE_TERMS) <= set(OF_THE_OFFER)
    assert {error_of(r, Refusal.NONE) for r in OF_THE_TERMS} <= set(OFFER_TERMS_ERRORS)
    listed = set(TAKE_ERRORS)
    assert {error_of(r, Refusal.NONE) for r in (*OWN, OfferRefusal.PAYMENT_NOT_AVAILABLE)} <= listed
    # A leg in units carries the asset's transfer codes, a permit's refined state among them.
    assert set(TRANSFER_ERRORS) | set(PERMIT_STATES.values()) <= listed
    assert listed <= set(PUBLISH_ERRORS) and set(TRANSFER_ERRORS) <= set(MAKER_ERRORS)
