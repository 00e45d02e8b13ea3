"""The auditor after the contracts' review of issue 14 (tests/contracts/review): the asset declares
itself a custodian (never a participant nor a recovery's replacement), the regulator takes over a
supervisor's pause, a revoked operator's pause does not stop redemption requests, and a suspended
issuer closes nothing. On the real contracts each is within the rules and audits clean; on the
permissive ones each way of breaking it is caught."""

from __future__ import annotations

import pytest
from eth_account.signers.local import LocalAccount

from sdap.audit.crosscheck import cross_check
from sdap.audit.replay import Replay
from sdap.audit.state import AuditState
from sdap.types import IssuerStatus
from tests.audit.conftest import YEAR, History, Permissive, build_clean_history, h
from tests.audit.test_rules import audit, found, said

ISSUANCE = 1


@pytest.fixture
def p(permissive: Permissive) -> Permissive:
    """Issuance 1 with collateral for 1,000 units, 600 minted to holder 0."""
    permissive.setup(holders=4)
    permissive.create(ISSUANCE)
    permissive.attest(ISSUANCE, 1_000)
    permissive.mint(ISSUANCE, permissive.holder(0), 600)
    assert audit(permissive) == []
    return permissive


def supervisor_of(hist: History) -> LocalAccount:
    supervisor = hist.accounts[15]
    r = hist.registry.functions
    hist.send(hist.regulator, r.grantRole(r.SUPERVISOR_ROLE().call(), supervisor.address))
    return supervisor


# The asset is a custodian, never a participant ------------------------------------------------


def test_a_real_deployment_declares_its_asset_a_custodian_and_audits_clean(history: History) -> None:
    build_clean_history(history)
    replay = Replay(history.platform).run()
    assert replay.breaches == [], [b.message for b in replay.breaches]
    assert replay.state.custodians == {history.asset.address}
    check = cross_check(history.platform, replay.state)
    assert check.ok, check.differences
    # Kept in the canonical form (so in checkpoints) and read back from it.
    canonical = replay.state.canonical()
    assert canonical["custodians"] == [history.asset.address]
    assert AuditState.from_canonical(canonical).digest() == replay.state.digest()
    assert "custodians" not in AuditState().canonical()  # none declared: the digest it always had
    # The cross-check asks the registry: a custodian it does not know is a difference.
    replay.state.custodians.add(history.holder(0).address)
    differences = cross_check(history.platform, replay.state).differences
    assert [(d.view, d.key) for d in differences] == [("isCustodian", history.holder(0).address)]


def test_R10_the_asset_registered_as_a_participant(p: Permissive) -> None:
    custody = p.asset.address
    registered = p.send(p.operator, p.pr.registerUnchecked(custody, h("the asset"), p.now() + YEAR))
    newcomer = p.send(p.operator, p.pr.registerUnchecked(p.accounts[13].address, h("someone"), p.now() + YEAR))
    breaches = audit(p)
    assert found(breaches, registered) == {"R10 participant.custodian"}
    assert said(breaches, registered) == [
        f"{custody} registered as a participant; it declared itself a custodian of units"
    ]
    assert found(breaches, newcomer) == set()


def test_R10_a_wallet_recovered_to_the_asset(p: Permissive) -> None:
    a, custody = p.holder(0), p.asset.address
    r = p.registry.functions
    p.send(p.compliance, r.freezeParticipant(a.address, h("wallet reported lost")))
    recovered = p.send(p.operator, p.pr.recoverUnchecked(a.address, custody, h("re-identified"), p.now() + YEAR, h("")))
    breaches = audit(p)
    assert found(breaches, recovered) == {"R10 participant.custodian"}
    assert said(breaches, recovered) == [
        f"{a.address} recovered to {custody}, which declared itself a custodian of units"
    ]


def test_R10_a_registered_or_lost_wallet_declared_a_custodian(p: Permissive) -> None:
    a, b, replacement = p.holder(0), p.holder(1), p.accounts[14]
    r = p.registry.functions
    p.send(p.compliance, r.freezeParticipant(a.address, h("wallet reported lost")))
    p.send(p.operator, r.recoverParticipant(a.address, replacement.address, h("again"), p.now() + YEAR, h("")))
    registered = p.send(b, p.pr.declareCustodianUnchecked(b.address))
    lost = p.send(a, p.pr.declareCustodianUnchecked(a.address))
    stranger = p.send(p.accounts[13], p.pr.declareCustodianUnchecked(p.accounts[13].address))
    breaches = audit(p)
    assert found(breaches, registered) == found(breaches, lost) == {"R10 participant.custodian"}
    assert said(breaches, registered) == [
        f"{b.address} declared itself a custodian of units; it was a participant's wallet"
    ]
    assert found(breaches, stranger) == set()


# The regulator takes over a supervisor's pause ------------------------------------------------


def test_the_regulator_takes_over_a_supervisors_pause_on_the_real_contracts(history: History) -> None:
    history.setup(holders=1)
    iid = history.create_issuance()
    supervisor = supervisor_of(history)
    asset = history.asset.functions
    history.send(supervisor, asset.pause(iid))
    history.send(history.regulator, asset.pause(iid))  # now the regulator's own: no supervisor lifts it
    history.send(history.regulator, asset.unpause(iid))
    replay = Replay(history.platform).run()
    assert replay.breaches == [], [b.message for b in replay.breaches]
    assert cross_check(history.platform, replay.state).ok


def test_R2_a_supervisors_pause_taken_over_by_the_regulator_is_lifted_only_by_it(p: Permissive) -> None:
    supervisor = supervisor_of(p)
    p.send(supervisor, p.p.pause(ISSUANCE, True))
    taken_over = p.send(p.regulator, p.p.pause(ISSUANCE, True))
    lifted_by_supervisor = p.send(supervisor, p.p.unpause(ISSUANCE))
    # A supervisor's pause is taken over by the regulator only, never by another supervisor...
    p.send(supervisor, p.p.pause(ISSUANCE, True))
    by_supervisor = p.send(supervisor, p.p.pause(ISSUANCE, True))
    # ... and the regulator's own pause is taken over by nobody.
    p.send(supervisor, p.p.unpause(ISSUANCE))
    p.send(p.regulator, p.p.pause(ISSUANCE, True))
    twice = p.send(p.regulator, p.p.pause(ISSUANCE, True))
    replay = Replay(p.platform).run()
    breaches = replay.breaches
    assert found(breaches, taken_over) == set()
    assert found(breaches, lifted_by_supervisor) == {"R2 pause.regulator"}
    assert said(breaches, lifted_by_supervisor) == [
        f"the regulator's pause of {ISSUANCE} lifted by {supervisor.address}"
    ]
    assert found(breaches, by_supervisor) == found(breaches, twice) == {"R14 history.inconsistent"}
    assert replay.state.issuances[ISSUANCE].paused_by_regulator and not replay.state.supervisor_pauses


# A revoked operator's pause does not stop redemption requests ----------------------------------


def test_a_request_under_a_revoked_operators_pause_on_the_real_contracts(history: History) -> None:
    history.setup(holders=1)
    a = history.holder(0)
    iid = history.create_issuance()
    history.attest(iid, 1_000)
    history.mint(iid, a, 100)
    history.send(history.operator, history.asset.functions.pause(iid))
    history.send(history.regulator, history.registry.functions.revokePermit(history.operator.address, h("withdrawn")))
    history.redeem(a, iid, 30)
    replay = Replay(history.platform).run()
    assert replay.breaches == [], [b.message for b in replay.breaches]
    assert cross_check(history.platform, replay.state).ok


def test_R2_a_request_under_a_pause_is_caught_unless_the_operators_permit_is_not_in_force(p: Permissive) -> None:
    a, b = p.holder(0), p.holder(1)
    p.send(p.operator, p.p.pause(ISSUANCE, False))
    while_in_force = p.send(a, p.p.requestRedemption(ISSUANCE, a.address, 10))
    p.send(p.regulator, p.registry.functions.suspendPermit(p.operator.address, h("inspection")))
    while_suspended = p.send(a, p.p.requestRedemption(ISSUANCE, a.address, 10))
    moved = p.move(a, b, ISSUANCE, 10)  # a transfer is stopped by the pause all the same
    p.send(p.regulator, p.p.pause(ISSUANCE, True))  # the regulator takes the pause over
    under_regulator = p.send(a, p.p.requestRedemption(ISSUANCE, a.address, 10))
    breaches = audit(p)
    assert found(breaches, while_in_force) == {"R2 issuance.paused"}
    assert found(breaches, while_suspended) == set()
    assert found(breaches, moved) == {"R2 issuance.paused", "R2 permit.inactive"}
    assert found(breaches, under_regulator) == {"R2 issuance.paused"}


# A suspended issuer closes nothing -------------------------------------------------------------


def test_R3_an_issuance_closed_by_its_issuer_no_longer_active(p: Permissive) -> None:
    changes = (
        (IssuerStatus.SUSPENDED, "suspended"),
        (IssuerStatus.ACTIVE, "reinstated"),
        (IssuerStatus.REMOVED, "removed"),
    )
    for iid in range(2, 2 + len(changes)):
        p.create(iid)
    closed = {}
    for iid, (status, name) in enumerate(changes, start=2):
        p.send(p.regulator, p.registry.functions.setIssuerStatus(p.issuer.address, status, h(name)))
        closed[name] = p.send(p.issuer, p.p.close(iid, h("fulfilled")))
    breaches = audit(p)
    assert found(breaches, closed["reinstated"]) == set()
    for name in ("suspended", "removed"):
        assert found(breaches, closed[name]) == {"R3 issuer.inactive"}
    assert said(breaches, closed["suspended"]) == [
        f"issuance 2 closed by its issuer {p.issuer.address}, not active in the register"
    ]
