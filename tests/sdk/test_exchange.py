"""The exchange through the SDK, on real anvil: offers signed exactly as the exchange hashes them,
swaps between holders, delivery against an e-money token and against a payment made off-chain,
gasless takes through the forwarder, and refusals raised as decoded errors before anything is sent."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from emoney import EMoney
from world import States, World, advance, chain_time, h

from sdap.clients import SettlementAgentClient
from sdap.contract_errors import (
    ERC1155InsufficientBalanceError,
    ExchangeEscrowExpiredError,
    ExchangeEscrowNotExpiredError,
    ExchangeEscrowNotOpenError,
    ExchangeInvalidCurrencyError,
    ExchangeInvalidDeadlineError,
    ExchangeInvalidEscrowError,
    ExchangeInvalidLegsError,
    ExchangeMissingRoleError,
    ExchangeNonceUsedError,
    ExchangeNotEscrowAgentError,
    ExchangeOfferExpiredError,
    ExchangeOfferNotSignedError,
    ExchangePaymentTokenNotListedError,
    ExchangeTakerNotAllowedError,
    SecuredAssetUnitsRestrictedError,
)
from sdap.errors import InvalidArgument, PaymentNotAvailable
from sdap.signing import (
    EXCHANGE_DOMAIN,
    offer_digest,
    offer_typed_data,
    recover_signer,
    sign_offer,
)
from sdap.types import (
    Escrow,
    EscrowState,
    Offer,
    OfferRefusal,
    PaymentToken,
    Refusal,
    Role,
    SignedOffer,
)

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


# --- helpers ------------------------------------------------------------------------------


def _second_issuance(w: World, holder: str, minted: int = 50) -> int:
    """Another issuance of the same issuer and operator, `minted` units to `holder`."""
    iid = w.create_issuance(w.params(unit_description="1 tonne of barley")).id
    w.attest(500, issuance=iid)
    w.operator.mint(iid, holder, minted)
    return iid


def _listed_emoney(w: World, emoney_artifact: dict[str, Any]) -> EMoney:
    token = EMoney(w.platform, w.accounts[0], emoney_artifact)
    w.regulator.list_payment_token(token.address, "KZT")
    return token


def _agent(w: World) -> SettlementAgentClient:
    agent = w.platform.settlement_agent(w.accounts[12])
    w.regulator.grant_role(Role.SETTLEMENT_AGENT, agent.address)
    return agent


# --- swaps ----------------------------------------------------------------------------------


def test_a_holder_to_holder_swap_moves_both_legs_in_one_transaction(w: World) -> None:
    q, a, b, first = w.queries, w.a, w.b, w.issuance
    second = _second_issuance(w, b.address)
    signed = a.make_offer(give_id=first, give_amount=10, want_id=second, want_amount=4, taker=b.address)
    assert q.check_offer(signed, b.address) == (OfferRefusal.NONE, Refusal.NONE)
    # Named taker only: anyone else is refused, with the reason.
    assert q.check_offer(signed, w.c.address) == (OfferRefusal.TAKER_NOT_ALLOWED, Refusal.NONE)
    receipt = b.take_offer(signed)
    taken = receipt.event("OfferTaken")
    assert bytes(taken["offerHash"]) == signed.offer_hash and taken["taker"] == b.address
    legs = receipt.events_named("TransferSingle")
    assert [(e["from"], e["to"], e["id"], e["value"]) for e in legs] == [
        (a.address, b.address, first, 10),
        (b.address, a.address, second, 4),
    ]
    assert all(e["operator"] == w.platform.deployment.exchange for e in legs)
    assert q.balances(a.address, [first, second]) == {first: 90, second: 4}
    assert q.balances(b.address, [first, second]) == {first: 10, second: 46}
    assert q.is_offer_nonce_used(a.address, signed.offer.nonce)
    assert q.check_offer(signed, b.address)[0] is OfferRefusal.NONCE_USED
    [filled] = q.offers_taken(maker=a.address)
    assert filled.offer == signed.offer and filled.taker == b.address and filled.tx_hash == receipt.tx_hash
    assert q.offers_taken(taker=a.address) == []
    with pytest.raises(ExchangeNonceUsedError) as refused:
        b.take_offer(signed)
    assert refused.value.arguments == {"maker": a.address, "nonce": signed.offer.nonce}


def test_a_gasless_take_through_the_forwarder(w: World) -> None:
    """The taker signs a forward request to the exchange; the operator relays it and pays the gas."""
    q, a, b, first = w.queries, w.a, w.b, w.issuance
    second = _second_issuance(w, b.address)
    signed = a.make_offer(give_id=first, give_amount=7, want_id=second, want_amount=3)
    request = b.sign_take_request(signed)
    assert request.request.to == w.platform.deployment.exchange and request.request.from_ == b.address
    receipt = w.operator.relay(request.request, request.signature)
    assert receipt.event("OfferTaken")["taker"] == b.address  # the holder, not the relayer
    assert q.balances(b.address, [first, second]) == {first: 7, second: 47}
    # A request the exchange would refuse raises the exchange's own error, unsigned and unrelayed.
    with pytest.raises(ExchangeNonceUsedError):
        b.sign_take_request(signed)
    # Relayed after the same offer was taken directly: the relayer's simulation shows why it fails.
    lot = a.make_offer(give_id=first, give_amount=1, want_id=second, want_amount=1)
    stale = b.sign_take_request(lot)
    b.take_offer(lot)
    with pytest.raises(ExchangeNonceUsedError):
        w.operator.relay(stale.request, stale.signature)


def test_a_cancelled_offer_cannot_be_taken_and_cancel_is_gasless_too(w: World) -> None:
    a, b, first = w.a, w.b, w.issuance
    second = _second_issuance(w, b.address)
    signed = a.make_offer(give_id=first, give_amount=5, want_id=second, want_amount=5)
    cancelled = a.cancel_offer(signed.offer.nonce).event("OfferCancelled")
    assert cancelled["maker"] == a.address and cancelled["nonce"] == signed.offer.nonce
    with pytest.raises(ExchangeNonceUsedError):
        b.take_offer(signed)
    other = a.make_offer(give_id=first, give_amount=5, want_id=second, want_amount=5)
    relayed = a.sign_cancel_offer_request(other.offer.nonce)
    w.operator.relay(relayed.request, relayed.signature)
    assert w.queries.check_offer(other, b.address)[0] is OfferRefusal.NONCE_USED


# --- delivery against an e-money token -------------------------------------------------------


def test_delivery_against_an_emoney_token(w: World, emoney_artifact: dict[str, Any]) -> None:
    q, a, b, iid = w.queries, w.a, w.b, w.issuance
    token = _listed_emoney(w, emoney_artifact)
    assert q.payment_token(token.address) == PaymentToken(token.address, "KZT", 2, True)
    token.mint(b.address, 1_000_000)  # 10,000.00 tenge
    signed = a.make_offer(give_id=iid, give_amount=10, want_token=token.address, want_amount=250_000)
    assert signed.offer.want_id == 0
    # Without the buyer's allowance to the exchange, the payment is not available.
    assert q.check_offer(signed, b.address) == (OfferRefusal.PAYMENT_NOT_AVAILABLE, Refusal.NONE)
    # The token would refuse with an error of its own: the SDK says which payment, unsent.
    with pytest.raises(PaymentNotAvailable) as refused:
        b.take_offer(signed)
    assert refused.value.arguments == {"payer": b.address, "token": token.address, "amount": 250_000}
    b.approve_payment(token.address, 250_000)
    receipt = b.take_offer(signed)
    assert receipt.event("TransferSingle")["value"] == 10
    assert token.balance_of(a.address) == 250_000 and token.balance_of(b.address) == 750_000
    assert q.balance_of(b.address, iid) == 10
    # The regulator stops accepting it: an offer paying in it is refused before it is signed.
    w.regulator.delist_payment_token(token.address)
    assert not q.payment_token(token.address).listed
    assert q.payment_tokens() == [PaymentToken(token.address, "KZT", 2, False)]
    with pytest.raises(ExchangePaymentTokenNotListedError) as refused:
        a.make_offer(give_id=iid, give_amount=1, want_token=token.address, want_amount=1)
    assert refused.value.arguments == {"token": token.address}


def test_a_buyer_paying_with_emoney_makes_the_offer(w: World, emoney_artifact: dict[str, Any]) -> None:
    """The maker gives the token and wants units: the seller takes, the maker's allowance pays."""
    q, a, b, iid = w.queries, w.a, w.b, w.issuance
    token = _listed_emoney(w, emoney_artifact)
    token.mint(b.address, 50_000)
    signed = b.make_offer(give_token=token.address, give_id=0, give_amount=50_000, want_id=iid, want_amount=2)
    # The maker's payment is missing its allowance: said before the seller signs or sends anything.
    for attempt in (a.take_offer, a.sign_take_request):
        with pytest.raises(PaymentNotAvailable) as refused:
            attempt(signed)
        assert refused.value.arguments == {"payer": b.address, "token": token.address, "amount": 50_000}
    b.approve_payment(token.address, 50_000)
    a.take_offer(signed)
    assert q.balance_of(b.address, iid) == 2 and token.balance_of(a.address) == 50_000


# --- delivery against a payment made off-chain -----------------------------------------------


def test_an_escrow_settled_by_the_settlement_agent(w: World) -> None:
    q, a, b, iid = w.queries, w.a, w.b, w.issuance
    agent = _agent(w)
    deadline = chain_time(w.w3) + 3_600
    opened = a.open_escrow(iid, 20, b.address, agent.address, 1_500_000, deadline=deadline)
    assert q.escrow(opened.id) == Escrow(
        opened.id, iid, a.address, b.address, agent.address, 20, 1_500_000, "KZT", deadline, EscrowState.OPEN
    )
    assert q.escrowed_units(iid, a.address) == 20 and q.available_units(iid, a.address) == 80
    # Escrowed units move by no other route.
    with pytest.raises(SecuredAssetUnitsRestrictedError):
        a.transfer(w.c.address, iid, 81)
    # Only the escrow's agent confirms.
    with pytest.raises(ExchangeNotEscrowAgentError):
        w.platform.settlement_agent(w.accounts[13]).confirm_payment(opened.id, h("bank transfer 1"))
    settled = agent.confirm_payment(opened.id, h("bank transfer 1")).event("EscrowSettled")
    assert settled["deliveredTo"] == b.address and bytes(settled["paymentRef"]) == h("bank transfer 1")
    assert q.balance_of(b.address, iid) == 20 and q.escrowed_units(iid, a.address) == 0
    assert q.escrow(opened.id).state is EscrowState.SETTLED
    assert [e.escrow_id for e in q.escrows(agent=agent.address)] == [opened.id]
    assert q.escrows(agent=agent.address, state=EscrowState.OPEN) == []
    with pytest.raises(ExchangeEscrowNotOpenError):
        agent.confirm_payment(opened.id, h("bank transfer 1"))


def test_an_escrow_not_confirmed_by_its_deadline_lapses(w: World) -> None:
    q, a, b, iid = w.queries, w.a, w.b, w.issuance
    agent = _agent(w)
    deadline = chain_time(w.w3) + 600
    # Opened gaslessly: the seller signs, the operator relays.
    request = a.sign_open_escrow_request(iid, 30, b.address, agent.address, 900_000, deadline=deadline)
    escrow_id = int(w.operator.relay(request.request, request.signature).event("EscrowOpened")["escrowId"])
    assert q.escrow(escrow_id).seller == a.address
    with pytest.raises(ExchangeEscrowNotExpiredError):
        w.c.lapse_escrow(escrow_id)
    advance(w.w3, 601)
    with pytest.raises(ExchangeEscrowExpiredError):
        agent.confirm_payment(escrow_id, h("too late"))
    lapsed = w.c.lapse_escrow(escrow_id).event("EscrowLapsed")  # anyone may
    assert lapsed["by"] == w.c.address
    assert q.escrow(escrow_id).state is EscrowState.LAPSED
    assert q.escrowed_units(iid, a.address) == 0 and q.available_units(iid, a.address) == 100
    assert q.balance_of(b.address, iid) == 0


# --- refusals -------------------------------------------------------------------------------


def test_offers_nobody_could_take_are_refused_before_they_are_signed(w: World) -> None:
    a, iid = w.a, w.issuance
    with pytest.raises(ExchangeInvalidLegsError):
        a.make_offer(give_id=iid, give_amount=1, want_id=iid, want_amount=1)  # one issuance both sides
    with pytest.raises(ExchangeInvalidLegsError):
        a.make_offer(give_id=iid, give_amount=0, want_id=iid + 1, want_amount=1)  # nothing for something
    with pytest.raises(ExchangePaymentTokenNotListedError):
        a.make_offer(give_id=iid, give_amount=1, want_token=w.platform.deployment.registry, want_amount=1)
    with pytest.raises(ExchangeOfferExpiredError):
        a.make_offer(give_id=iid, give_amount=1, want_id=iid + 1, want_amount=1, expiry=chain_time(w.w3) - 1)
    with pytest.raises(InvalidArgument, match="want_id"):
        a.make_offer(give_id=iid, give_amount=1, want_amount=1)
    with pytest.raises(InvalidArgument, match="currency"):
        a.open_escrow(iid, 1, w.b.address, w.c.address, 1, currency="tenge", deadline=chain_time(w.w3) + 60)


def test_takes_the_exchange_refuses_raise_its_errors(w: World) -> None:
    q, a, b, c, first = w.queries, w.a, w.b, w.c, w.issuance
    second = _second_issuance(w, b.address)
    d = w.platform.deployment
    signed = a.make_offer(give_id=first, give_amount=5, want_id=second, want_amount=5, taker=b.address)
    with pytest.raises(ExchangeTakerNotAllowedError) as refused:
        c.take_offer(signed)
    assert refused.value.arguments == {"taker": c.address}
    # Altered after signing: the signature is not the maker's over these terms.
    altered = SignedOffer(replace(signed.offer, give_amount=1), signed.signature, signed.offer_hash)
    assert q.check_offer(altered, b.address)[0] is OfferRefusal.NOT_SIGNED
    # Its recorded hash is not its terms': the SDK refuses before anything is signed or sent...
    with pytest.raises(InvalidArgument, match="does not match its terms"):
        b.take_offer(altered)
    # ...and under its own hash, the exchange refuses the signature.
    relabelled = SignedOffer(
        altered.offer, altered.signature, offer_digest(altered.offer, chain_id=d.chain_id, exchange=d.exchange)
    )
    with pytest.raises(ExchangeOfferNotSignedError):
        b.take_offer(relabelled)
    # Signed for another chain: not the maker's signature on this one.
    foreign = sign_offer(w.accounts[6], signed.offer, chain_id=d.chain_id + 1, exchange=d.exchange)
    with pytest.raises(InvalidArgument, match="does not match its terms"):
        b.take_offer(foreign)
    here = offer_digest(foreign.offer, chain_id=d.chain_id, exchange=d.exchange)
    with pytest.raises(ExchangeOfferNotSignedError):
        b.take_offer(SignedOffer(foreign.offer, foreign.signature, here))
    # A leg the asset refuses: the maker lacks the units; the asset's own reason comes with it.
    too_much = a.make_offer(give_id=first, give_amount=1_000, want_id=second, want_amount=1)
    assert q.check_offer(too_much, b.address) == (OfferRefusal.GIVE_LEG_REFUSED, Refusal.INSUFFICIENT_BALANCE)
    with pytest.raises(ERC1155InsufficientBalanceError):
        b.take_offer(too_much)
    # The taker's leg: frozen units are not the taker's to give.
    w.compliance.freeze_units(second, b.address, 50, h("case 1"))
    assert q.check_offer(signed, b.address) == (OfferRefusal.WANT_LEG_REFUSED, Refusal.UNITS_RESTRICTED)
    with pytest.raises(SecuredAssetUnitsRestrictedError):
        b.take_offer(signed)
    # Expiry passes.
    advance(w.w3, 25 * 3_600)
    assert q.check_offer(signed, b.address)[0] is OfferRefusal.EXPIRED
    with pytest.raises(ExchangeOfferExpiredError):
        b.take_offer(signed)


def test_escrows_the_exchange_refuses(w: World) -> None:
    a, b, iid = w.a, w.b, w.issuance
    soon = chain_time(w.w3) + 60
    with pytest.raises(ExchangeMissingRoleError) as refused:
        a.open_escrow(iid, 1, b.address, w.c.address, 100, deadline=soon)
    assert refused.value.arguments == {"account": w.c.address, "role": Role.SETTLEMENT_AGENT.id}
    agent = _agent(w)
    with pytest.raises(ExchangeInvalidEscrowError):
        a.open_escrow(iid, 1, a.address, agent.address, 100, deadline=soon)  # to itself
    with pytest.raises(ExchangeInvalidDeadlineError):
        a.open_escrow(iid, 1, b.address, agent.address, 100, deadline=chain_time(w.w3) - 1)
    with pytest.raises(ExchangeInvalidCurrencyError):
        # The SDK checks the form of a code; the chain refuses the zero one the SDK cannot send.
        open_escrow = w.platform.contracts.exchange.functions.openEscrow
        w.platform.transactor(w.accounts[6]).send(open_escrow(iid, 1, b.address, agent.address, 1, b"\0\0\0", soon))
    escrow_id = a.open_escrow(iid, 100, b.address, agent.address, 100, deadline=soon).id
    # Every unit escrowed: none can be given in an offer either.
    signed = a.make_offer(give_id=iid, give_amount=1, want_id=iid + 1, want_amount=1)
    assert w.queries.check_offer(signed, b.address)[0] is OfferRefusal.GIVE_LEG_REFUSED
    w.regulator.revoke_role(Role.SETTLEMENT_AGENT, agent.address)
    with pytest.raises(ExchangeMissingRoleError):
        agent.confirm_payment(escrow_id, h("paid"))


def test_erc7943_frozen_tokens_may_exceed_the_balance(w: World) -> None:
    """ERC-7943's setFrozenTokens overwrites the frozen total, beyond the balance: units received
    later stay frozen up to it, and canTransfer says so."""
    q, a, b, iid = w.queries, w.a, w.b, w.issuance
    frozen = w.compliance.set_frozen_tokens(b.address, iid, 30).event("Frozen")
    assert (frozen["account"], frozen["tokenId"], frozen["amount"]) == (b.address, iid, 30)
    a.transfer(b.address, iid, 40)
    assert q.frozen_units(iid, b.address) == 30 and q.available_units(iid, b.address) == 10
    assert q.can_transfer(b.address, a.address, iid, 10) and not q.can_transfer(b.address, a.address, iid, 11)
    assert q.can_transfer(a.address, b.address, iid, 1_000)  # a short balance alone is not a refusal here


def test_the_regulator_cancels_an_escrow_by_order_and_a_withdrawn_agent_lets_it_lapse(w: World) -> None:
    q, a, b, iid = w.queries, w.a, w.b, w.issuance
    agent = _agent(w)
    deadline = chain_time(w.w3) + 3_600
    first = a.open_escrow(iid, 10, b.address, agent.address, 100_000, deadline=deadline).id
    cancelled = w.regulator.cancel_escrow(first, h("order 15")).event("EscrowCancelled")
    assert bytes(cancelled["orderHash"]) == h("order 15") and cancelled["by"] == w.regulator.address
    assert q.escrow(first).state is EscrowState.CANCELLED and q.escrowed_units(iid, a.address) == 0
    with pytest.raises(ExchangeEscrowNotOpenError):
        w.regulator.cancel_escrow(first, h("order 15"))
    # The agent loses its role: it can confirm nothing, so the escrow may lapse before its deadline.
    second = a.open_escrow(iid, 10, b.address, agent.address, 100_000, deadline=deadline).id
    w.regulator.revoke_role(Role.SETTLEMENT_AGENT, agent.address)
    w.c.lapse_escrow(second)
    assert q.escrow(second).state is EscrowState.LAPSED
    assert [e.escrow_id for e in q.escrows(state=EscrowState.CANCELLED)] == [first]
