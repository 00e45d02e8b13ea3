"""Gasless calls: a holder signs, any relayer submits, the holder is recorded as the one who acted,
and a call the asset would refuse is refused with the asset's own error, never a bare FailedCall."""

from __future__ import annotations

import pytest
from eth_account import Account
from world import States, World, h

from sdap.clients import OperatorClient
from sdap.contract_errors import (
    ERC2771ForwarderInvalidSignerError,
    SecuredAssetParticipantNotEligibleError,
    SecuredAssetUnitsUnavailableError,
)
from sdap.errors import ForwardRequestGasTooLow


@pytest.fixture
def w(states: States) -> World:
    return states.world()


def test_any_relayer_may_submit_and_the_holder_is_the_actor(w: World) -> None:
    relayer = OperatorClient(w.platform, w.accounts[15])  # no role at all: the forwarder is open
    holder_eth = w.w3.eth.get_balance(w.a.address)
    signed = w.a.sign_encumber_request(w.issuance, 25, w.b.address, h("pledge by signature"))
    receipt = relayer.relay(signed.request, signed.signature)
    encumbered = receipt.event("Encumbered")
    assert (encumbered["holder"], encumbered["beneficiary"], encumbered["amount"]) == (w.a.address, w.b.address, 25)
    assert w.queries.encumbrance(encumbered["encumbranceId"]).holder == w.a.address
    assert w.w3.eth.get_balance(w.a.address) == holder_eth  # the holder paid no gas


def test_a_refused_call_is_not_signed(w: World) -> None:
    stranger = Account.create().address
    with pytest.raises(SecuredAssetParticipantNotEligibleError):
        w.a.sign_transfer_request(stranger, w.issuance, 1)
    with pytest.raises(SecuredAssetUnitsUnavailableError):
        w.a.sign_encumber_request(w.issuance, 101, w.b.address, h("too much"))


def test_a_request_refused_at_relay_time_raises_the_assets_error_unsent(w: World) -> None:
    signed = w.a.sign_transfer_request(w.b.address, w.issuance, 10)
    w.compliance.freeze_participant(w.b.address, h("case"))  # the state moved after signing
    block = w.w3.eth.block_number
    with pytest.raises(SecuredAssetParticipantNotEligibleError) as raised:
        w.operator.relay(signed.request, signed.signature)
    assert raised.value.account == w.b.address
    assert w.w3.eth.block_number == block


def test_a_request_signed_by_another_key_is_refused(w: World) -> None:
    signed = w.a.sign_transfer_request(w.b.address, w.issuance, 10)
    forged = w.b.sign_request(signed.request)  # b signs a request in a's name
    with pytest.raises(ERC2771ForwarderInvalidSignerError) as raised:
        w.operator.relay(forged.request, forged.signature)
    assert (raised.value.signer, raised.value.from_) == (w.b.address, w.a.address)


def test_a_request_granting_too_little_gas_is_refused_unsent(w: World) -> None:
    enough = w.a.sign_transfer_request(w.b.address, w.issuance, 10)
    signed = w.a.sign_transfer_request(w.b.address, w.issuance, 10, gas=25_000)
    block = w.w3.eth.block_number
    with pytest.raises(ForwardRequestGasTooLow) as raised:
        w.operator.relay(signed.request, signed.signature)
    assert raised.value.gas == 25_000 and 25_000 < raised.value.needed <= enough.request.gas
    assert w.w3.eth.block_number == block
    w.operator.relay(enough.request, enough.signature)  # same nonce: the refused one was never sent
