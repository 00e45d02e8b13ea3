"""Why an offer cannot be taken, as the gateway's problems: the exchange's `checkOffer` verdict
(OfferRefusal) answered with the custom error the exchange itself would revert with, a payment
the payer cannot make with `payment_not_available`, and a refused leg in units with the asset's
`checkTransfer` code of that leg (`leg`: `give`, maker to taker; `want`, taker to maker)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn

from api import contract_problems as contract
from api.errors import (
    ApiError,
    ContractRefusal,
    IssuanceNotFound,
    NotOwnAccount,
    OfferAlreadyPublished,
    OfferExpiryTooFar,
    PaymentNotAvailable,
    TooManyOpenOffers,
)
from api.schemas.common import name_of
from api.services.refusals import REFUSALS, TRANSFER_ERRORS, refuse
from sdap.clients import PlatformQueries
from sdap.types import Offer, OfferRefusal, Refusal

#: Refusals the terms alone bring on themselves, before anything is signed.
OF_THE_TERMS = (
    OfferRefusal.INVALID_LEGS,
    OfferRefusal.PAYMENT_TOKEN_NOT_LISTED,
    OfferRefusal.EXPIRED,
    OfferRefusal.TAKER_NOT_ALLOWED,
)
#: Refusals whose cause is the offer itself, whoever takes it: refused at publication.
OF_THE_OFFER = (
    OfferRefusal.INVALID_LEGS,
    OfferRefusal.PAYMENT_TOKEN_NOT_LISTED,
    OfferRefusal.EXPIRED,
    OfferRefusal.NONCE_USED,
    OfferRefusal.TAKER_NOT_ALLOWED,
    OfferRefusal.NOT_SIGNED,
)

#: Every code the terms alone may be refused with, before anything is signed.
OFFER_TERMS_ERRORS: tuple[type[ApiError], ...] = (
    IssuanceNotFound,
    contract.ExchangeInvalidLegs,
    contract.ExchangePaymentTokenNotListed,
    contract.ExchangeOfferExpired,
    contract.ExchangeTakerNotAllowed,
)
#: Every code a take may be refused with early (`checkOffer`), for the routes' `responses=`.
TAKE_ERRORS: tuple[type[ApiError], ...] = (
    contract.ExchangeInvalidLegs,
    contract.ExchangePaymentTokenNotListed,
    contract.ExchangeOfferExpired,
    contract.ExchangeNonceUsed,
    contract.ExchangeTakerNotAllowed,
    contract.ExchangeOfferNotSigned,
    PaymentNotAvailable,
    *TRANSFER_ERRORS,
)
#: Every code the maker's side alone may be refused with (an expiry too far, the give leg).
MAKER_ERRORS: tuple[type[ApiError], ...] = (OfferExpiryTooFar, PaymentNotAvailable, *TRANSFER_ERRORS)
#: Every code a publication may be refused with.
PUBLISH_ERRORS: tuple[type[ApiError], ...] = (
    IssuanceNotFound,
    NotOwnAccount,
    OfferAlreadyPublished,
    TooManyOpenOffers,
    OfferExpiryTooFar,
    *TAKE_ERRORS,
)


def refuse_offer(
    queries: PlatformQueries, asset: str, offer: Offer, offer_refusal: OfferRefusal, refusal: Refusal, taker: str
) -> NoReturn:
    """Raises the problem a take of `offer` by `taker` would meet (`offer_refusal`, never NONE): the
    exchange's own error, or for a refused leg in units the asset's `checkTransfer` code of that leg."""
    context: dict[str, object] = {"offer_refusal": name_of(offer_refusal)}
    if offer_refusal in (OfferRefusal.GIVE_LEG_REFUSED, OfferRefusal.WANT_LEG_REFUSED):
        give = offer_refusal is OfferRefusal.GIVE_LEG_REFUSED
        issuance_id = offer.give_id if give else offer.want_id
        operator = queries.issuance(issuance_id).operator if refusal is Refusal.PERMIT_NOT_ACTIVE else ""
        context["leg"] = "give" if give else "want"
        refuse(refusal, queries, operator, issuance_id=issuance_id, **context)
    raise _problem(offer, offer_refusal, taker, asset, context)


def plain(arguments: dict[str, Any]) -> dict[str, Any]:
    """Arguments as the decoded errors carry them: integers past 2^53 as decimal strings."""
    return {k: str(v) if isinstance(v, int) and abs(v) > 2**53 else v for k, v in arguments.items()}


def _payment_token(offer: Offer, asset: str) -> str:
    return offer.want_token if offer.give_token == asset else offer.give_token


#: The exchange's own refusals: the error the contract would revert with, and its arguments.
_PROBLEMS: dict[OfferRefusal, tuple[type[ContractRefusal], str, Callable[[Offer, str, str], dict[str, Any]]]] = {
    OfferRefusal.INVALID_LEGS: (
        contract.ExchangeInvalidLegs,
        "an offer gives and wants a positive amount, at least one side in units, the other units of another "
        "issuance or a listed payment token",
        lambda o, t, a: {},
    ),
    OfferRefusal.PAYMENT_TOKEN_NOT_LISTED: (
        contract.ExchangePaymentTokenNotListed,
        "the payment token is not listed by the regulator",
        lambda o, t, a: {"token": _payment_token(o, a)},
    ),
    OfferRefusal.EXPIRED: (
        contract.ExchangeOfferExpired,
        "the offer's expiry has passed",
        lambda o, t, a: {"expiry": o.expiry},
    ),
    OfferRefusal.NONCE_USED: (
        contract.ExchangeNonceUsed,
        "the offer's nonce was already spent: it was taken or cancelled",
        lambda o, t, a: {"maker": o.maker, "nonce": o.nonce},
    ),
    OfferRefusal.TAKER_NOT_ALLOWED: (
        contract.ExchangeTakerNotAllowed,
        "the offer is for another taker, or the taker is its maker",
        lambda o, t, a: {"taker": t},
    ),
    OfferRefusal.NOT_SIGNED: (
        contract.ExchangeOfferNotSigned,
        "the signature is not the maker's over exactly these terms, this chain and this exchange",
        lambda o, t, a: {"maker": o.maker},
    ),
}


def error_of(offer_refusal: OfferRefusal, refusal: Refusal) -> type[ApiError]:
    if offer_refusal in (OfferRefusal.GIVE_LEG_REFUSED, OfferRefusal.WANT_LEG_REFUSED):
        return REFUSALS[refusal]
    if offer_refusal is OfferRefusal.PAYMENT_NOT_AVAILABLE:
        return PaymentNotAvailable
    return _PROBLEMS[offer_refusal][0]


def _problem(offer: Offer, offer_refusal: OfferRefusal, taker: str, asset: str, context: dict[str, object]) -> ApiError:
    if offer_refusal is OfferRefusal.PAYMENT_NOT_AVAILABLE:
        payer = offer.maker if offer.give_token != asset else taker
        return PaymentNotAvailable(
            f"the balance of {payer} in the payment token {_payment_token(offer, asset)}, or its allowance to the "
            "exchange, does not cover the payment",
            payer=payer,
            token=_payment_token(offer, asset),
            **context,
        )
    error, detail, arguments = _PROBLEMS[offer_refusal]
    problem = error(error.error, detail, plain(arguments(offer, taker, asset)))
    problem.extensions.update(context)
    return problem
