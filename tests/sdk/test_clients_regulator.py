"""The regulator's client (sdap/clients/regulator.py): what only the regulator may do, the risk
notice and lifting its own pause, and that nobody else may."""

from __future__ import annotations

import pytest
from world import States, World, h

from sdap.clients import RegulatorClient
from sdap.contract_errors import (
    AccessControlUnauthorizedAccountError,
    SecuredAssetIssuancePausedError,
    SecuredAssetPausedByRegulatorError,
)
from sdap.types import ParticipantStatus, Role


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
