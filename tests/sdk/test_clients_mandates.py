"""No key beyond its mandate, through the SDK on a real chain: the regulator alone publishes the risk
notice and lifts its own pause; an operator acts only with its role and a permit in force, and
re-identifies only its own participants; a holder deals only once it acknowledged the notice."""

from __future__ import annotations

import pytest
from world import YEAR, States, World, chain_time, h

from sdap.clients import OperatorClient, RegulatorClient
from sdap.contract_errors import (
    AccessControlUnauthorizedAccountError,
    CollateralNotAuthorisedError,
    RegistryNotParticipantOperatorError,
    RegistryPermitNotActiveError,
    SecuredAssetIssuancePausedError,
    SecuredAssetMissingRoleError,
    SecuredAssetParticipantNotEligibleError,
    SecuredAssetPausedByRegulatorError,
    SecuredAssetPermitNotActiveError,
)
from sdap.types import ParticipantStatus, PermitState, Refusal, Role


@pytest.fixture
def w(states: States) -> World:
    return states.world()


def test_the_regulator_publishes_the_notice_and_an_operator_may_not(w: World) -> None:
    q = w.queries
    as_operator: RegulatorClient = w.client_of(RegulatorClient, 2)
    with pytest.raises(AccessControlUnauthorizedAccountError) as refused:
        as_operator.publish_risk_notice(h("risk notice v2"), "https://sdap.example/risk/2")
    assert refused.value.account == w.operator.address and refused.value.needed_role == Role.REGULATOR.id
    published = w.regulator.publish_risk_notice(h("risk notice v2"), "https://sdap.example/risk/2")
    assert published.id == 2 == q.notice_in_force()
    assert published.receipt.event("RiskNoticePublished")["by"] == w.regulator.address
    assert {q.participant_status(x.address) for x in w.holders} == {ParticipantStatus.NOTICE_NOT_ACKNOWLEDGED}


def test_a_holder_deals_only_once_it_acknowledged_the_notice_in_force(w: World) -> None:
    q, a, b, iid = w.queries, w.a, w.b, w.issuance
    w.regulator.publish_risk_notice(h("risk notice v2"), "https://sdap.example/risk/2")
    b.acknowledge_risk_notice()
    assert q.check_transfer(a.address, b.address, iid, 1) is Refusal.SENDER_NOTICE_NOT_ACKNOWLEDGED
    for deal in (
        lambda: a.transfer(b.address, iid, 1),
        lambda: a.encumber(iid, 1, b.address, h("pledge")),
        lambda: a.redeem(iid, 1, h("delivered")),
        lambda: a.sign_transfer_request(b.address, iid, 1),  # nothing is signed for a refused move
    ):
        with pytest.raises(SecuredAssetParticipantNotEligibleError) as refused:
            deal()
        assert refused.value.arguments == {"account": a.address, "status": ParticipantStatus.NOTICE_NOT_ACKNOWLEDGED}
    a.acknowledge_risk_notice()
    a.transfer(b.address, iid, 1)
    a.redeem(iid, 1, h("delivered"))
    assert q.balance_of(a.address, iid) == 98


def test_an_operator_without_a_permit_in_force_acts_nowhere(w: World) -> None:
    op, now = w.operator, chain_time(w.w3)
    w.regulator.suspend_permit(op.address, h("inspection"))
    newcomer = w.accounts[12].address
    signed_ack = w.a.sign_acknowledgement()
    for act in (
        lambda: op.register_participant(newcomer, h("kyc"), now + YEAR),
        lambda: op.update_identity(w.a.address, h("kyc renewed"), now + YEAR),
        lambda: op.relay_acknowledgement(w.a.address, w.notice, signed_ack.acknowledgement.deadline,
                                         signed_ack.signature),
    ):  # fmt: skip
        with pytest.raises(RegistryPermitNotActiveError) as refused:
            act()
        assert refused.value.arguments == {"account": op.address, "state": PermitState.SUSPENDED}
    for act in (
        lambda: op.create_issuance(w.params()),
        lambda: op.mint(w.issuance, w.a.address, 1),
        lambda: op.pause(w.issuance),
        lambda: op.close(w.issuance, h("fulfilled")),
    ):
        with pytest.raises(SecuredAssetPermitNotActiveError) as not_permitted:
            act()
        assert not_permitted.value.arguments == {"operator": op.address, "state": PermitState.SUSPENDED}
    with pytest.raises(CollateralNotAuthorisedError):
        op.attach(w.verifier.sign_attestation(w.verifier.attestation(w.issuance, w.issuer.address, h("lot 9"), 1, 1,
                                                                     now + YEAR)))  # fmt: skip

    # Without the role, even with the permit reinstated.
    w.regulator.reinstate_permit(op.address, h("inspection closed"))
    w.regulator.revoke_role(Role.OPERATOR, op.address)
    with pytest.raises(AccessControlUnauthorizedAccountError):
        op.register_participant(newcomer, h("kyc"), now + YEAR)
    with pytest.raises(SecuredAssetMissingRoleError):
        op.pause(w.issuance)


def test_only_the_identifying_operator_or_the_regulator_re_identifies_a_participant(w: World) -> None:
    q, now = w.queries, chain_time(w.w3)
    other: OperatorClient = w.client_of(OperatorClient, 12)
    w.regulator.grant_role(Role.OPERATOR, other.address)
    w.regulator.grant_permit(other.address, 0, now + YEAR, h("permit No. 2"))
    with pytest.raises(RegistryNotParticipantOperatorError) as refused:
        other.update_identity(w.a.address, h("kyc by another"), now + 60)
    assert refused.value.arguments == {"wallet": w.a.address, "operator": w.operator.address, "account": other.address}
    w.operator.update_identity(w.a.address, h("kyc renewed"), now + 2 * YEAR)
    w.regulator.update_identity(w.a.address, h("kyc by the regulator"), now + YEAR)
    participant = q.participant(w.a.address)
    assert participant.identity_ref == h("kyc by the regulator") and participant.operator == w.operator.address
    # A participant the other operator registers is its own.
    other.register_participant(w.accounts[13].address, h("kyc 13"), now + YEAR)
    assert q.participant(w.accounts[13].address).operator == other.address


def test_a_regulator_pause_is_lifted_only_by_the_regulator(w: World) -> None:
    q, op, reg, iid = w.queries, w.operator, w.regulator, w.issuance
    paused = op.pause(iid).event("IssuancePaused")
    assert (paused["by"], paused["byRegulator"]) == (op.address, False)
    taken_over = reg.pause(iid).event("IssuancePaused")  # the regulator takes the operator's pause over
    assert (taken_over["by"], taken_over["byRegulator"]) == (reg.address, True)
    issuance = q.issuance(iid)
    assert issuance.paused and issuance.paused_by_regulator
    with pytest.raises(SecuredAssetPausedByRegulatorError) as refused:
        op.unpause(iid)
    assert refused.value.id == iid
    with pytest.raises(SecuredAssetIssuancePausedError):
        op.pause(iid)
    reg.unpause(iid)
    issuance = q.issuance(iid)
    assert not issuance.paused and not issuance.paused_by_regulator
    # An operator's own pause it lifts itself.
    op.pause(iid)
    op.unpause(iid)
