"""Two-sided redemption (Rules item 2.3; sdap/clients/holder.py, issuer.py, regulator.py,
queries.py): the holder asks and its units move into the asset's own custody, still in the supply;
the issuer confirms the delivery (burnt) or refuses (back to the holder, or to its new wallet if it
was recovered), the regulator refuses by order. Custody units are nobody's to move; a request
outlives the operator's permit; a holder may sign its request for a relayer."""

from __future__ import annotations

import pytest
from world import YEAR, States, World, chain_time, h

from sdap.contract_errors import (
    SecuredAssetIssuancePausedError,
    SecuredAssetSupplyOutstandingError,
    SecuredAssetUnitsUnavailableError,
)
from sdap.types import PermitState, RedemptionRequest, RedemptionState, Refusal

REPLACEMENT = 11  # the new wallet of a holder whose wallet is lost


@pytest.fixture
def w(states: States) -> World:
    return states.world()


def custody(w: World) -> str:
    return w.platform.deployment.asset


def test_a_request_moves_units_into_custody_and_the_confirmation_burns_them(w: World) -> None:
    q, a, iid = w.queries, w.a, w.issuance
    asked = a.request_redemption(iid, 40, h("deliver to elevator 7"))
    assert asked.id == 1 == q.redemption_count()
    names = [e.name for e in asked.receipt.events]
    assert names == ["RedemptionRequested", "TransferSingle"]
    moved = asked.receipt.event("TransferSingle")
    assert (moved["from"], moved["to"], moved["value"]) == (a.address, custody(w), 40)
    assert q.balance_of(a.address, iid) == 60 and q.balance_of(custody(w), iid) == 40
    assert q.total_supply(iid) == 100  # still owed: the collateral still covers it
    assert q.redemption_request(asked.id) == RedemptionRequest(
        asked.id, iid, a.address, RedemptionState.REQUESTED, 40, h("deliver to elevator 7")
    )

    confirmed = w.issuer.confirm_redemption(asked.id, h("delivery record 7"))
    # The burn is logged first, then its new count (against the supply it left).
    assert [e.name for e in confirmed.events][:3] == ["RedemptionConfirmed", "TransferSingle", "CoverageSynced"]
    assert confirmed.event("RedemptionConfirmed")["by"] == w.issuer.address
    burnt = confirmed.event("TransferSingle")
    assert (burnt["from"], burnt["to"], burnt["value"]) == (custody(w), "0x" + "00" * 20, 40)
    assert q.total_supply(iid) == 60 and q.balance_of(custody(w), iid) == 0
    assert q.redemption_request(asked.id).state is RedemptionState.CONFIRMED


def test_a_refusal_returns_the_units(w: World) -> None:
    q, a, iid = w.queries, w.a, w.issuance
    asked = a.request_redemption(iid, 30, h("deliver")).id
    refused = w.issuer.refuse_redemption(asked, h("no such lot"))
    event = refused.event("RedemptionRefused")
    assert (event["returnedTo"], event["by"], bytes(event["reasonHash"])) == (
        a.address,
        w.issuer.address,
        h("no such lot"),
    )
    assert q.balance_of(a.address, iid) == 100 and q.balance_of(custody(w), iid) == 0 and q.total_supply(iid) == 100
    assert q.redemption_request(asked).state is RedemptionState.REFUSED


def test_the_regulator_refuses_by_order(w: World) -> None:
    asked = w.a.request_redemption(w.issuance, 30, h("deliver")).id
    w.regulator.set_issuer_status(w.issuer.address, "suspended", h("the issuer cannot answer"))
    refused = w.regulator.refuse_redemption(asked, h("regulator's order 12"))
    assert refused.event("RedemptionRefused")["by"] == w.regulator.address
    assert w.queries.balance_of(w.a.address, w.issuance) == 100


def test_a_refusal_after_the_holders_wallet_was_recovered_returns_to_the_new_wallet(w: World) -> None:
    q, iid = w.queries, w.issuance
    asked = w.a.request_redemption(iid, 30, h("deliver")).id
    new = w.accounts[REPLACEMENT].address
    w.compliance.freeze_participant(w.a.address, h("wallet reported lost"))
    w.operator.recover_participant(w.a.address, new, h("kyc of the new wallet"), chain_time(w.w3) + YEAR, h("case 4"))
    refused = w.issuer.refuse_redemption(asked, h("cannot deliver"))
    assert refused.event("RedemptionRefused")["returnedTo"] == new  # the end of the recovery chain, frozen or not
    assert q.balance_of(new, iid) == 30 and q.balance_of(w.a.address, iid) == 70


def test_a_request_while_the_operators_permit_is_revoked_is_confirmed(w: World) -> None:
    w.regulator.revoke_permit(w.operator.address, h("licence withdrawn"))
    assert w.queries.permit_state(w.operator.address) is PermitState.REVOKED
    assert w.queries.check_transfer(w.a.address, w.b.address, w.issuance, 1) is Refusal.PERMIT_NOT_ACTIVE
    assert w.queries.check_redemption(w.issuance, w.a.address, 100) is Refusal.NONE
    asked = w.a.request_redemption(w.issuance, 100, h("deliver everything")).id
    w.issuer.confirm_redemption(asked, h("delivered"))
    assert w.queries.total_supply(w.issuance) == 0


def test_a_request_is_signed_by_the_holder_and_relayed_by_the_operator(w: World) -> None:
    block = w.w3.eth.block_number
    signed = w.a.sign_redemption_request(w.issuance, 25, h("deliver"))
    assert w.w3.eth.block_number == block
    relayed = w.operator.relay(signed.request, signed.signature)
    requested = relayed.event("RedemptionRequested")
    assert (requested["holder"], requested["by"], requested["amount"]) == (w.a.address, w.a.address, 25)
    assert w.queries.redemption_request(int(requested["requestId"])).state is RedemptionState.REQUESTED


def test_requests_are_found_by_issuance_holder_and_state(w: World) -> None:
    q, iid = w.queries, w.issuance
    second = w.create_issuance(w.params(unit_description="1 tonne of barley")).id
    w.attest(50, issuance=second)
    w.operator.mint(second, w.b.address, 20)
    one = w.a.request_redemption(iid, 10, h("a 1")).id
    two = w.b.request_redemption(second, 5, h("b 1")).id
    three = w.a.request_redemption(iid, 10, h("a 2")).id
    w.issuer.confirm_redemption(one, h("done"))
    assert [r.id for r in q.redemption_requests(issuance_id=iid)] == [one, three]
    assert [r.id for r in q.redemption_requests(issuance_id=iid, state=RedemptionState.REQUESTED)] == [three]
    assert [r.id for r in q.redemption_requests(holder=w.b.address)] == [two]
    assert [r.id for r in q.redemption_requests(after=one, limit=1)] == [two]
    assert q.redemption_request(99).state is RedemptionState.NONE


def test_check_redemption_says_why_before_anything_is_sent(w: World) -> None:
    q, a, iid = w.queries, w.a, w.issuance
    assert q.check_redemption(iid, a.address, 100) is Refusal.NONE
    assert q.check_redemption(iid, a.address, 101) is Refusal.INSUFFICIENT_BALANCE
    a.encumber(iid, 60, w.b.address, h("pledge"))
    assert q.check_redemption(iid, a.address, 50) is Refusal.UNITS_RESTRICTED
    w.verifier.revoke(w.attestation, h("collateral gone"))  # under-collateralised: redemption still passes
    assert q.check_redemption(iid, a.address, 40) is Refusal.NONE
    w.operator.pause(iid)
    assert q.check_redemption(iid, a.address, 40) is Refusal.ISSUANCE_PAUSED
    with pytest.raises(SecuredAssetIssuancePausedError):
        a.request_redemption(iid, 40, h("deliver"))


def test_units_in_custody_are_nobodys_to_move_and_keep_the_issuance_open(w: World) -> None:
    q, iid = w.queries, w.issuance
    w.a.request_redemption(iid, 100, h("deliver all"))
    assert q.available_units(iid, custody(w)) == 0
    with pytest.raises(SecuredAssetUnitsUnavailableError):
        w.compliance.freeze_units(iid, custody(w), 1, h("case"))
    with pytest.raises(SecuredAssetUnitsUnavailableError):
        w.regulator.forced_transfer(iid, custody(w), w.b.address, 1, h("order"))
    with pytest.raises(SecuredAssetSupplyOutstandingError):
        w.issuer.close(iid, h("fulfilment"))  # the pending request is still owed
