"""The operator's client (sdap/clients/operator.py) within its mandate, on a real chain: an operator
acts only with its role and a permit in force, and re-identifies only its own participants."""

from __future__ import annotations

import pytest
from world import YEAR, States, World, chain_time, h

from sdap.clients import OperatorClient
from sdap.contract_errors import (
    AccessControlUnauthorizedAccountError,
    CollateralNotAuthorisedError,
    RegistryNotParticipantOperatorError,
    RegistryPermitNotActiveError,
    SecuredAssetMissingRoleError,
    SecuredAssetPermitNotActiveError,
)
from sdap.types import PermitState, Role


@pytest.fixture
def w(states: States) -> World:
    return states.world()


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
        lambda: w.create_issuance(w.params()),  # the issuer consented: the permit is still missing
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
