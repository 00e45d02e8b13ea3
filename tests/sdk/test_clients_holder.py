"""The holder's client (sdap/clients/holder.py): a holder deals only once it acknowledged the risk
notice in force, by its own transaction or a signature an operator relays."""

from __future__ import annotations

import pytest
from world import States, World, h

from sdap.contract_errors import (
    SecuredAssetParticipantNotEligibleError,
)
from sdap.types import ParticipantStatus, Refusal


@pytest.fixture
def w(states: States) -> World:
    return states.world()


def test_a_holder_deals_only_once_it_acknowledged_the_notice_in_force(w: World) -> None:
    q, a, b, iid = w.queries, w.a, w.b, w.issuance
    w.regulator.publish_risk_notice(h("risk notice v2"), "https://sdap.example/risk/2")
    b.acknowledge_risk_notice()
    assert q.check_transfer(a.address, b.address, iid, 1) is Refusal.SENDER_NOTICE_NOT_ACKNOWLEDGED
    for deal in (
        lambda: a.transfer(b.address, iid, 1),
        lambda: a.encumber(iid, 1, b.address, h("pledge")),
        lambda: a.request_redemption(iid, 1, h("deliver")),
        lambda: a.sign_transfer_request(b.address, iid, 1),  # nothing is signed for a refused move
    ):
        with pytest.raises(SecuredAssetParticipantNotEligibleError) as refused:
            deal()
        assert refused.value.arguments == {"account": a.address, "status": ParticipantStatus.NOTICE_NOT_ACKNOWLEDGED}
    a.acknowledge_risk_notice()
    a.transfer(b.address, iid, 1)
    a.request_redemption(iid, 1, h("deliver"))
    assert q.balance_of(a.address, iid) == 98
