"""The compliance officer's client (sdap/clients/compliance.py): accounts and units frozen and
unfrozen, by the officer only."""

from __future__ import annotations

import pytest
from world import States, World, h

from sdap.clients import ComplianceClient
from sdap.contract_errors import AccessControlUnauthorizedAccountError, SecuredAssetUnitsRestrictedError
from sdap.types import ParticipantStatus, Refusal


@pytest.fixture
def w(states: States) -> World:
    return states.world()


def test_a_frozen_account_neither_sends_nor_receives_until_unfrozen(w: World) -> None:
    q, a, b = w.queries, w.a.address, w.b.address
    w.compliance.freeze_participant(a, h("case 1"))
    assert q.participant_status(a) is ParticipantStatus.FROZEN
    assert q.check_transfer(a, b, w.issuance, 1) is Refusal.SENDER_FROZEN
    assert q.check_transfer(b, a, w.issuance, 0) is Refusal.RECIPIENT_FROZEN
    w.compliance.unfreeze_participant(a, h("case 1 closed"))
    assert q.participant_status(a) is ParticipantStatus.ELIGIBLE


def test_frozen_units_stay_put_while_the_rest_move(w: World) -> None:
    q, a, b = w.queries, w.a.address, w.b.address
    w.compliance.freeze_units(w.issuance, a, 60, h("case 2"))
    assert (q.frozen_units(w.issuance, a), q.available_units(w.issuance, a)) == (60, 40)
    with pytest.raises(SecuredAssetUnitsRestrictedError):
        w.a.transfer(b, w.issuance, 41)
    w.a.transfer(b, w.issuance, 40)
    w.compliance.unfreeze_units(w.issuance, a, 60, h("case 2 closed"))
    assert q.available_units(w.issuance, a) == 60


def test_only_the_compliance_officer_freezes(w: World) -> None:
    operator_as_officer = w.client_of(ComplianceClient, 2)
    with pytest.raises(AccessControlUnauthorizedAccountError):
        operator_as_officer.freeze_participant(w.a.address, h("not mine to freeze"))
