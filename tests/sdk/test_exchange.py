"""The exchange through the SDK, on real anvil: offers signed exactly as the exchange hashes them,
swaps between holders, delivery against an e-money token and against a payment made off-chain,
gasless takes through the forwarder, and refusals raised as decoded errors before anything is sent."""

from __future__ import annotations

from dataclasses import replace

import pytest
from world import States, World, chain_time

from sdap.signing import EXCHANGE_DOMAIN, offer_digest, offer_typed_data, recover_signer, sign_offer
from sdap.types import Offer, SignedOffer

ZERO = "0x" + "00" * 20


@pytest.fixture
def w(states: States) -> World:
    return states.world()


def _offer(w: World, **overrides: object) -> Offer:
    fields: dict[str, object] = {
        "maker": w.a.address,
        "taker": ZERO,
        "give_token": w.platform.deployment.asset,
        "give_id": w.issuance,
        "give_amount": 10,
        "want_token": w.platform.deployment.asset,
        "want_id": w.issuance,
        "want_amount": 5,
        "nonce": 2**200 + 7,
        "expiry": chain_time(w.w3) + 3600,
    }
    fields.update(overrides)
    return Offer(**fields)  # type: ignore[arg-type]


def test_the_offer_digest_is_the_exchanges_offer_hash(w: World) -> None:
    d = w.platform.deployment
    offer = _offer(w)
    digest = offer_digest(offer, chain_id=d.chain_id, exchange=d.exchange)
    assert digest == bytes(w.platform.views.exchange.call("offerHash", offer.as_tuple()))
    assert w.platform.views.exchange.call("eip712Domain")[1] == EXCHANGE_DOMAIN
    for changed in (replace(offer, nonce=offer.nonce + 1), replace(offer, expiry=offer.expiry + 1)):
        assert offer_digest(changed, chain_id=d.chain_id, exchange=d.exchange) != digest
    signed = sign_offer(w.accounts[6], offer, chain_id=d.chain_id, exchange=d.exchange)
    assert signed.offer_hash == digest
    assert recover_signer(offer_typed_data(offer, chain_id=d.chain_id, exchange=d.exchange), signed.signature) == (
        w.a.address
    )


def test_a_signed_offer_round_trips_through_json(w: World) -> None:
    d = w.platform.deployment
    signed = sign_offer(w.accounts[6], _offer(w), chain_id=d.chain_id, exchange=d.exchange)
    text = signed.to_json()
    assert f'"{signed.offer.nonce}"' in text  # uint256 as a decimal string
    assert SignedOffer.from_json(text) == signed
    assert SignedOffer.from_json(signed.as_dict()) == signed
    assert Offer.from_json(signed.offer.to_json()) == signed.offer
