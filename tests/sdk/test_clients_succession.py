"""Succession, redemption beyond the permit, the decision's URI and the fulfilment record
(sdap/clients/regulator.py, issuer.py, holder.py): the writes of issue 14's first slice and their
refusals, each a typed error raised by the simulation before anything is sent."""

from __future__ import annotations

import pytest
from world import YEAR, States, World, chain_time, h

from sdap.clients import OperatorClient
from sdap.contract_errors import (
    AccessControlUnauthorizedAccountError,
    RegistryInvalidOperatorDetailsError,
    RegistryZeroAddressError,
    SecuredAssetAlreadyIssuanceOperatorError,
    SecuredAssetEmptyBatchError,
    SecuredAssetEmptyDecisionError,
    SecuredAssetEmptyFulfilmentError,
    SecuredAssetIssuanceClosedError,
    SecuredAssetIssuancePausedError,
    SecuredAssetIssuanceUnknownError,
    SecuredAssetIssuerNotActiveError,
    SecuredAssetMissingRoleError,
    SecuredAssetNotIssuanceIssuerError,
    SecuredAssetNotIssuanceOperatorError,
    SecuredAssetPermitNotActiveError,
)
from sdap.errors import InvalidArgument
from sdap.types import IssuerStatus, PermitState, Role

ZERO_HASH = b"\x00" * 32
ZERO = "0x" + "00" * 20


@pytest.fixture
def w(states: States) -> World:
    return states.world()


def permitted_successor(w: World, index: int = 10) -> OperatorClient:
    """Another operator with OPERATOR_ROLE and a permit in force."""
    successor = w.client_of(OperatorClient, index)
    w.regulator.grant_role(Role.OPERATOR, successor.address)
    w.regulator.grant_permit(successor.address, 0, chain_time(w.w3) + YEAR, h(f"permit of {successor.address}"))
    return successor


def sent_nothing(w: World, account: str, before: int) -> bool:
    return w.w3.eth.get_transaction_count(account) == before  # type: ignore[arg-type]


# --- succession ---------------------------------------------------------------------------


def test_the_regulator_hands_issuances_to_a_successor(w: World) -> None:
    successor = permitted_successor(w)
    second = w.create_issuance(w.params(unit_description="1 tonne of barley")).id
    receipt = w.regulator.succeed_issuances([w.issuance, second], successor.address, h("order No. 7"))
    events = receipt.events_named("IssuanceSucceeded")
    assert [e["id"] for e in events] == [w.issuance, second]
    assert {(e["predecessor"], e["successor"], bytes(e["orderHash"]), e["by"]) for e in events} == {
        (w.operator.address, successor.address, h("order No. 7"), w.regulator.address)
    }
    assert w.queries.issuance(w.issuance).operator == successor.address
    # The successor runs them now; the predecessor no longer does.
    successor.mint(w.issuance, w.b.address, 5)
    with pytest.raises(SecuredAssetNotIssuanceOperatorError):
        w.operator.mint(w.issuance, w.b.address, 5)
    assert w.queries.balance_of(w.b.address, w.issuance) == 5


def test_succession_refusals_are_typed(w: World) -> None:
    successor = w.client_of(OperatorClient, 10)
    reg = w.regulator
    with pytest.raises(SecuredAssetMissingRoleError):  # no OPERATOR_ROLE yet
        reg.succeed_issuances([w.issuance], successor.address, h("order"))
    reg.grant_role(Role.OPERATOR, successor.address)
    with pytest.raises(SecuredAssetPermitNotActiveError) as no_permit:
        reg.succeed_issuances([w.issuance], successor.address, h("order"))
    assert (no_permit.value.operator, no_permit.value.state) == (successor.address, PermitState.NONE)
    reg.grant_permit(successor.address, 0, chain_time(w.w3) + YEAR, h("permit No. 2"))
    with pytest.raises(SecuredAssetEmptyBatchError):
        reg.succeed_issuances([], successor.address, h("order"))
    with pytest.raises(SecuredAssetIssuanceUnknownError) as unknown:
        reg.succeed_issuances([w.issuance, 99], successor.address, h("order"))
    assert unknown.value.id == 99
    with pytest.raises(SecuredAssetAlreadyIssuanceOperatorError) as already:
        reg.succeed_issuances([w.issuance], w.operator.address, h("order"))
    assert (already.value.id, already.value.operator) == (w.issuance, w.operator.address)
    with pytest.raises(SecuredAssetMissingRoleError) as not_regulator:
        w.client_of(type(reg), 2).succeed_issuances([w.issuance], successor.address, h("order"))
    assert (not_regulator.value.account, not_regulator.value.role) == (w.operator.address, Role.REGULATOR.id)
    # Nothing moved.
    assert w.queries.issuance(w.issuance).operator == w.operator.address


@pytest.mark.parametrize(
    ("ids", "successor", "order", "message"),
    [
        ("1", None, h("o"), "ids must be a list"),
        ([-1], None, h("o"), "ids\\[\\] must not be negative"),
        ([1], "nobody", h("o"), "successor must be an address"),
        ([1], None, b"short", "order_hash must be 32 bytes"),
    ],
)
def test_succession_arguments_are_checked_before_sending(
    w: World, ids: object, successor: str | None, order: bytes, message: str
) -> None:
    with pytest.raises(InvalidArgument, match=message):
        w.regulator.succeed_issuances(ids, successor or w.operator.address, order)  # type: ignore[arg-type]


# --- operator details -----------------------------------------------------------------------


def test_operator_details_refusals_are_typed(w: World) -> None:
    reg = w.regulator
    with pytest.raises(RegistryInvalidOperatorDetailsError):
        reg.record_operator_details(w.operator.address, "Astana Exchange JSC", "", "KZ", h("details"))
    with pytest.raises(RegistryInvalidOperatorDetailsError):
        reg.record_operator_details(w.operator.address, "Astana Exchange JSC", "555", "KZ", ZERO_HASH)
    with pytest.raises(RegistryZeroAddressError):
        reg.record_operator_details(ZERO, "Astana Exchange JSC", "555", "KZ", h("details"))
    with pytest.raises(AccessControlUnauthorizedAccountError):
        w.client_of(type(reg), 2).record_operator_details(w.operator.address, "Self JSC", "1", "KZ", h("d"))
    with pytest.raises(InvalidArgument, match="operator must be an address"):
        reg.record_operator_details("exchange", "Astana Exchange JSC", "555", "KZ", h("details"))
    receipt = reg.record_operator_details(w.operator.address, "Astana Exchange JSC", "555", "KZ", h("details"))
    recorded = receipt.event("OperatorDetailsRecorded")
    assert (recorded["operator"], recorded["legalName"], recorded["by"]) == (
        w.operator.address,
        "Astana Exchange JSC",
        w.regulator.address,
    )


# --- the decision's URI ------------------------------------------------------------------------


def test_the_issuer_moves_its_decision_and_no_one_else_does(w: World) -> None:
    receipt = w.issuer.update_decision_uri(w.issuance, "https://new.example/decision.pdf")
    moved = receipt.event("DecisionUriUpdated")
    assert (moved["id"], moved["decisionUri"], moved["by"]) == (
        w.issuance,
        "https://new.example/decision.pdf",
        w.issuer.address,
    )
    issuance = w.queries.issuance(w.issuance)
    assert issuance.decision_uri == "https://new.example/decision.pdf"
    assert issuance.decision_hash == h("decision")  # the anchor never moves
    with pytest.raises(SecuredAssetNotIssuanceIssuerError) as not_issuer:
        w.client_of(type(w.issuer), 2).update_decision_uri(w.issuance, "https://operator.example/d.pdf")
    assert (not_issuer.value.id, not_issuer.value.account) == (w.issuance, w.operator.address)
    with pytest.raises(SecuredAssetEmptyDecisionError):
        w.issuer.update_decision_uri(w.issuance, "")
    with pytest.raises(SecuredAssetIssuanceUnknownError):
        w.issuer.update_decision_uri(99, "https://new.example/decision.pdf")
    with pytest.raises(InvalidArgument, match="uri must be a string"):
        w.issuer.update_decision_uri(w.issuance, None)  # type: ignore[arg-type]


def test_a_suspended_or_removed_issuer_moves_no_decision(w: World) -> None:
    """Its key may be why it was suspended: it must not point holders to a new document."""
    before = w.queries.issuance(w.issuance).decision_uri
    w.regulator.set_issuer_status(w.issuer.address, IssuerStatus.SUSPENDED, h("inspection"))
    with pytest.raises(SecuredAssetIssuerNotActiveError) as refused:
        w.issuer.update_decision_uri(w.issuance, "https://elsewhere.example/decision.pdf")
    assert refused.value.arguments == {"issuer": w.issuer.address}
    sent = w.w3.eth.get_transaction_count(w.issuer.address)  # type: ignore[arg-type]
    with pytest.raises(SecuredAssetIssuerNotActiveError):  # known before the document is fetched
        w.issuer.check_decision_uri_update(w.issuance, "https://elsewhere.example/decision.pdf")
    assert w.queries.issuance(w.issuance).decision_uri == before
    w.regulator.set_issuer_status(w.issuer.address, IssuerStatus.ACTIVE, h("inspection closed"))
    w.issuer.check_decision_uri_update(w.issuance, "https://new.example/decision.pdf")
    assert w.w3.eth.get_transaction_count(w.issuer.address) == sent  # type: ignore[arg-type]
    w.issuer.update_decision_uri(w.issuance, "https://new.example/decision.pdf")
    assert w.queries.issuance(w.issuance).decision_uri == "https://new.example/decision.pdf"


def test_a_closed_issuance_keeps_its_decision_uri(w: World) -> None:
    w.redeem(w.a, 100)
    w.issuer.close(w.issuance, h("fulfilment record"))
    with pytest.raises(SecuredAssetIssuanceClosedError):
        w.issuer.update_decision_uri(w.issuance, "https://new.example/decision.pdf")


# --- close needs a fulfilment record -------------------------------------------------------------


def test_close_refuses_a_zero_fulfilment_hash_before_sending(w: World) -> None:
    w.redeem(w.a, 100)
    for closer in (w.issuer, w.operator):
        before = w.w3.eth.get_transaction_count(closer.address)  # type: ignore[arg-type]
        with pytest.raises(SecuredAssetEmptyFulfilmentError):
            closer.close(w.issuance, ZERO_HASH)
        assert sent_nothing(w, closer.address, before)
    assert not w.queries.issuance(w.issuance).closed
    w.issuer.close(w.issuance, h("fulfilment record"))
    assert w.queries.issuance(w.issuance).fulfilment_hash == h("fulfilment record")


# --- redemption outlives the permit ----------------------------------------------------------------


@pytest.mark.parametrize("act", ["suspend_permit", "revoke_permit"])
def test_holders_redeem_while_the_operators_permit_is_not_in_force(w: World, act: str) -> None:
    getattr(w.regulator, act)(w.operator.address, h("order"))
    w.redeem(w.a, 30)  # asked and confirmed
    refused = w.a.request_redemption(w.issuance, 20, h("deliver 20")).id
    w.issuer.refuse_redemption(refused, h("cannot deliver there"))  # the units come back
    assert w.queries.balance_of(w.a.address, w.issuance) == 70
    assert w.queries.total_supply(w.issuance) == 70
    # Transfers and minting still need the permit.
    with pytest.raises(SecuredAssetPermitNotActiveError):
        w.a.transfer(w.b.address, w.issuance, 1)
    with pytest.raises(SecuredAssetPermitNotActiveError):
        w.operator.mint(w.issuance, w.a.address, 1)


def test_an_expired_permit_does_not_stop_redemption_but_a_pause_does(w: World) -> None:
    w.regulator.update_identity(w.a.address, h("kyc a, renewed"), chain_time(w.w3) + 3 * YEAR)
    w.w3.provider.make_request("evm_increaseTime", [2 * YEAR])  # type: ignore[arg-type]
    w.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
    assert w.queries.permit_state(w.operator.address) is PermitState.EXPIRED
    w.redeem(w.a, 10)
    w.regulator.pause(w.issuance)
    with pytest.raises(SecuredAssetIssuancePausedError):
        w.a.request_redemption(w.issuance, 10, h("deliver"))


# --- end to end -----------------------------------------------------------------------------


def test_a_revoked_operators_issuances_pass_to_a_successor_and_run_to_their_close(w: World) -> None:
    """The permit is revoked; the regulator lists every issuance of the operator through the SDK and
    hands them all to a successor, which mints again; a holder redeems everything and the issuer
    closes with a fulfilment record."""
    second = w.create_issuance(w.params(unit_description="1 tonne of barley")).id
    w.regulator.register_issuer(w.c.address, "Other LLP", "999", "KZ", h("other"))
    other_operator = permitted_successor(w, 11)
    unrelated = w.create_issuance(w.params(issuer=w.c.address), by=other_operator).id
    w.regulator.revoke_permit(w.operator.address, h("revocation order"))
    with pytest.raises(SecuredAssetPermitNotActiveError):
        w.operator.mint(w.issuance, w.a.address, 1)

    successor = permitted_successor(w)
    orphaned = [i.id for i in w.queries.issuances(operator=w.operator.address)]
    assert orphaned == [w.issuance, second]
    w.regulator.succeed_issuances(orphaned, successor.address, h("succession order"))
    assert w.queries.issuances(operator=w.operator.address) == []
    assert [i.id for i in w.queries.issuances(operator=successor.address)] == orphaned
    assert w.queries.issuance(unrelated).operator == other_operator.address

    successor.mint(w.issuance, w.a.address, 50)
    w.a.transfer(w.b.address, w.issuance, 30)  # the successor's permit is the one transfers need
    w.redeem(w.a, 120)
    w.redeem(w.b, 30)
    assert w.queries.total_supply(w.issuance) == 0
    w.issuer.close(w.issuance, h("fulfilment record"))
    closed = w.queries.issuance(w.issuance)
    assert closed.closed and closed.fulfilment_hash == h("fulfilment record")
    assert closed.operator == successor.address
