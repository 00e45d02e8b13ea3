"""The whole life of an issuance across its operator's end (issue 14), on the real contracts through
the SDK: issuer-signed creation, the operator's permit revoked, succession, a holder's lost key
recovered by regulator order, redemption asked by the holders and confirmed by the issuer, a
refusal, the close; the audit of that history passes."""

from __future__ import annotations

import pytest
from world import YEAR, States, World, chain_time, h

from sdap.audit.report import audit
from sdap.clients import HolderClient, OperatorClient
from sdap.contract_errors import SecuredAssetPermitNotActiveError
from sdap.types import ParticipantStatus, RedemptionState, Role


@pytest.fixture
def w(states: States) -> World:
    return states.world()


def test_an_operators_end_a_lost_key_and_the_last_delivery_audit_clean(w: World) -> None:
    # The world's issuance: created with the issuer's consent, 100 units minted to a.
    w.operator.mint(w.issuance, w.b.address, 50)

    # The operator's permit is revoked: it can no longer act, its holders are not locked in.
    w.regulator.revoke_permit(w.operator.address, h("licence withdrawn"))
    with pytest.raises(SecuredAssetPermitNotActiveError):
        w.operator.mint(w.issuance, w.a.address, 1)
    successor = w.client_of(OperatorClient, 10)
    w.regulator.grant_role(Role.OPERATOR, successor.address)
    w.regulator.grant_permit(successor.address, 0, chain_time(w.w3) + YEAR, h("permit of the successor"))
    w.regulator.succeed_issuances([w.issuance], successor.address, h("succession order"))
    assert w.queries.issuance(w.issuance).operator == successor.address

    # a loses its key. Its identifying operator has no permit any more, so the regulator recovers
    # it by order to the new wallet of the same person, and anyone moves its position there.
    lost = w.a
    replacement = w.client_of(HolderClient, 14)
    w.regulator.recover_wallet(
        lost.address, replacement.address, h("re-identified"), chain_time(w.w3) + YEAR, h("recovery order")
    )
    assert w.queries.recovered_to(lost.address) == replacement.address
    assert w.queries.balance_of(replacement.address, w.issuance) == 100
    assert w.queries.balance_of(lost.address, w.issuance) == 0
    assert w.queries.participant_status(lost.address) == ParticipantStatus.NOT_REGISTERED

    # Redemption has two sides: the holders ask, the issuer confirms delivery or refuses.
    refused = w.b.request_redemption(w.issuance, 50, h("deliver to b")).id
    w.issuer.refuse_redemption(refused, h("wrong delivery address"))
    assert w.queries.redemption_request(refused).state == RedemptionState.REFUSED
    assert w.queries.balance_of(w.b.address, w.issuance) == 50
    b_request = w.b.request_redemption(w.issuance, 50, h("deliver to b, Kostanay")).id
    a_request = replacement.request_redemption(w.issuance, 100, h("deliver to a")).id
    assert w.queries.balance_of(w.platform.deployment.asset, w.issuance) == 150  # in custody
    for request in (a_request, b_request):
        w.issuer.confirm_redemption(request, h(f"delivered under request {request}"))
    assert w.queries.total_supply(w.issuance) == 0

    successor.close(w.issuance, h("all delivered"))
    closed = w.queries.issuance(w.issuance)
    assert closed.closed and closed.operator == successor.address

    report = audit(w.platform)
    assert report.breaches == (), [b.message for b in report.breaches]
    assert report.ok
