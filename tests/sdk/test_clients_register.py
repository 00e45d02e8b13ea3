"""The public register lists itself (sdap/clients/queries.py): issuers, operators with their permits
and details, each operator's participants, and the issuances of an operator or issuer, in pages."""

from __future__ import annotations

import pytest
from eth_account import Account
from world import YEAR, States, World, chain_time, h

from sdap.errors import InvalidArgument
from sdap.types import (
    Issuer,
    IssuerStatus,
    Operator,
    OperatorDetails,
    Participant,
    PermitState,
    PermitStatus,
    Role,
)

NO_DETAILS = OperatorDetails("", "", "", b"\x00" * 32)


@pytest.fixture
def w(states: States) -> World:
    return states.world()


def test_an_empty_register_lists_nothing(states: States) -> None:
    q = states.bare().queries
    assert (q.issuer_count(), q.operator_count(), q.issuance_count()) == (0, 0, 0)
    assert q.issuers() == [] and q.operators() == [] and q.issuances() == []
    assert q.participant_count_of(states.accounts[2].address) == 0
    assert q.participants_of(states.accounts[2].address) == []


def test_issuers_in_order_of_registration_whatever_their_status(w: World) -> None:
    w.regulator.register_issuer(w.c.address, "Shymkent Cotton LLP", "222", "KZ", h("cotton"))
    w.regulator.register_issuer(w.b.address, "Aktobe Oil LLP", "333", "KZ", h("oil"))
    w.regulator.set_issuer_status(w.c.address, IssuerStatus.REMOVED, h("removal order"))
    q = w.queries
    assert q.issuer_count() == 3
    listed = q.issuers()
    assert [i.wallet for i in listed] == [w.issuer.address, w.c.address, w.b.address]
    assert all(isinstance(i, Issuer) for i in listed)
    assert listed[1].status is IssuerStatus.REMOVED and listed[2].legal_name == "Aktobe Oil LLP"
    assert q.issuers(1, 1) == [listed[1]]
    assert q.issuers(2, 50) == [listed[2]]  # the last page holds what is left
    assert q.issuers(3) == [] and q.issuers(10**9) == []  # past the end


def test_operators_with_their_permit_state_and_details(w: World) -> None:
    successor, pending = w.accounts[10].address, w.accounts[11].address
    w.regulator.grant_permit(successor, 0, chain_time(w.w3) + YEAR, h("permit No. 2"))
    w.regulator.record_operator_details(pending, "Pending Operator JSC", "444", "KZ", h("pending details"))
    w.regulator.record_operator_details(w.operator.address, "Astana Exchange JSC", "555", "KZ", h("op details"))
    w.regulator.suspend_permit(w.operator.address, h("suspension order"))
    q = w.queries
    assert q.operator_count() == 3
    first, second, third = q.operators()
    assert isinstance(first, Operator)
    assert first.address == w.operator.address and first.permit == q.permit(w.operator.address)
    assert first.permit.status is PermitStatus.SUSPENDED and first.permit_state is PermitState.SUSPENDED
    assert first.details == OperatorDetails("Astana Exchange JSC", "555", "KZ", h("op details"))
    assert first.details.recorded
    assert (second.address, second.permit_state, second.details) == (successor, PermitState.ACTIVE, NO_DETAILS)
    assert not second.details.recorded
    # Details alone list an operator; it has no permit yet.
    assert (third.address, third.permit.status, third.permit_state) == (pending, PermitStatus.NONE, PermitState.NONE)
    assert third.details.legal_name == "Pending Operator JSC"
    assert q.operators(1, 1) == [second] and q.operators(2, 5) == [third] and q.operators(3) == []
    # Recorded again: corrected in place, still listed once.
    w.regulator.record_operator_details(pending, "Pending Operator JSC", "444", "KZ", h("corrected"))
    assert q.operator_count() == 3 and q.operator_details(pending).details_hash == h("corrected")
    assert q.operator_details(w.a.address) == NO_DETAILS


def test_participants_of_each_operator_in_order_of_registration(w: World) -> None:
    other = w.client_of(type(w.operator), 10)
    w.regulator.grant_role(Role.OPERATOR, other.address)
    w.regulator.grant_permit(other.address, 0, chain_time(w.w3) + YEAR, h("permit No. 2"))
    newcomer = Account.create().address
    other.register_participant(newcomer, h("kyc newcomer"), chain_time(w.w3) + YEAR)
    q = w.queries
    holders = [x.address for x in w.holders]
    assert q.participant_count_of(w.operator.address) == len(holders)
    listed = q.participants_of(w.operator.address)
    assert [p.wallet for p in listed] == holders
    assert all(isinstance(p, Participant) and p.operator == w.operator.address for p in listed)
    assert [p.wallet for p in q.participants_of(w.operator.address, 1, 2)] == holders[1:3]
    assert q.participants_of(w.operator.address, len(holders)) == []
    assert q.participant_count_of(other.address) == 1
    assert [p.wallet for p in q.participants_of(other.address.lower())] == [newcomer]
    assert q.participants_of(w.a.address) == []  # not an operator: identified no one


def test_issuances_filtered_by_operator_and_issuer_in_pages(w: World) -> None:
    w.regulator.register_issuer(w.c.address, "Other LLP", "999", "KZ", h("other"))
    second = w.create_issuance(w.params(issuer=w.c.address)).id
    third = w.create_issuance(w.params(unit_description="1 tonne of barley")).id
    successor = w.client_of(type(w.operator), 10)
    w.regulator.grant_role(Role.OPERATOR, successor.address)
    w.regulator.grant_permit(successor.address, 0, chain_time(w.w3) + YEAR, h("permit No. 2"))
    w.regulator.succeed_issuances([second], successor.address, h("succession order"))
    q = w.queries
    assert [i.id for i in q.issuances()] == [w.issuance, second, third]
    assert [i.id for i in q.issuances(operator=w.operator.address)] == [w.issuance, third]
    assert [i.id for i in q.issuances(operator=successor.address)] == [second]
    assert [i.id for i in q.issuances(issuer=w.issuer.address)] == [w.issuance, third]
    assert q.issuances(operator=successor.address, issuer=w.issuer.address) == []
    assert [i.id for i in q.issuances(after=w.issuance, limit=1)] == [second]
    assert [i.id for i in q.issuances(operator=w.operator.address, after=w.issuance)] == [third]
    assert [i.id for i in q.issuances(limit=2)] == [w.issuance, second]
    assert q.issuances(after=third) == [] and q.issuances(after=10**6) == []
    assert q.issuances(operator=w.a.address) == []
    assert q.issuances()[1] == q.issuance(second)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda q: q.issuers(-1), "start must not be negative"),
        (lambda q: q.issuers(0, 0), "limit must be at least 1"),
        (lambda q: q.operators(0, -5), "limit must not be negative"),
        (lambda q: q.participants_of("0x1234", 0, 1), "operator must be an address"),
        (lambda q: q.participants_of(ZERO, -1), "start must not be negative"),
        (lambda q: q.operator_details("bank"), "operator must be an address"),
        (lambda q: q.issuances(limit=0), "limit must be at least 1"),
        (lambda q: q.issuances(after=-1), "after must not be negative"),
        (lambda q: q.issuances(operator="nobody"), "operator must be an address"),
        (lambda q: q.issuances(issuer=42), "issuer must be an address"),
    ],
)
def test_bad_arguments_are_refused_before_any_call(w: World, call: object, message: str) -> None:
    with pytest.raises(InvalidArgument, match=message):
        call(w.queries)  # type: ignore[operator]


ZERO = "0x" + "00" * 20
