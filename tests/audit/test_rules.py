"""Every rule the auditor checks is caught on a history that breaks it.

The real SecuredAsset cannot be made to break its rules, so these histories are written through
PermissiveAsset (tests/contracts/utils), which emits the same events and enforces nothing, next to
the real registry and collateral contracts.
"""

from __future__ import annotations

import pytest

from sdap.audit.replay import Replay
from sdap.audit.rules import Breach, attestation_status, participant_status, permit_state
from sdap.transactions import Receipt
from tests.audit.conftest import Permissive, h

ISSUANCE = 1


def audit(p: Permissive) -> list[Breach]:
    return Replay(p.platform).run().breaches


def found(breaches: list[Breach], receipt: Receipt) -> set[str]:
    """The rules broken by the transaction of `receipt`, each checked to carry its block."""
    hits = [b for b in breaches if b.tx_hash == receipt.tx_hash]
    assert all(b.block == receipt.block_number for b in hits)
    return {f"{b.requirement} {b.rule}" for b in hits}


@pytest.fixture
def p(permissive: Permissive) -> Permissive:
    """A permissive platform where everything so far is within the rules: issuance 1 created,
    collateral for 1,000 units, 600 minted to holder 0."""
    permissive.setup(holders=4)
    permissive.create(ISSUANCE)
    permissive.attest(ISSUANCE, 1_000)
    permissive.mint(ISSUANCE, permissive.holder(0), 600)
    assert audit(permissive) == []
    return permissive


def test_R2_movement_while_the_permit_is_suspended(p: Permissive) -> None:
    p.send(p.regulator, p.registry.functions.suspendPermit(p.operator.address, h("inspection")))
    moved = p.move(p.holder(0), p.holder(1), ISSUANCE, 10)
    minted = p.mint(ISSUANCE, p.holder(1), 10)
    breaches = audit(p)
    assert found(breaches, moved) == {"R2 permit.inactive"}
    assert found(breaches, minted) == {"R2 permit.inactive"}


def test_R2_movement_while_the_issuance_is_paused(p: Permissive) -> None:
    p.send(p.operator, p.p.pause(ISSUANCE, False))
    moved = p.move(p.holder(0), p.holder(1), ISSUANCE, 10)
    assert found(audit(p), moved) == {"R2 issuance.paused"}


def test_R4_mint_of_a_delisted_type_and_issuance_of_an_unlisted_one(p: Permissive) -> None:
    p.send(p.regulator, p.registry.functions.delistAssetType(1))
    minted = p.mint(ISSUANCE, p.holder(1), 10)
    created = p.create(2, asset_type=7)
    breaches = audit(p)
    assert found(breaches, minted) == {"R4 asset_type.unlisted"}
    assert found(breaches, created) == {"R4 asset_type.unlisted"}


def test_R5_issuance_and_mint_without_a_decision_hash(p: Permissive) -> None:
    created = p.create(2, decision=b"\0" * 32)
    p.attest(2, 100)
    minted = p.mint(2, p.holder(1), 10)
    breaches = audit(p)
    assert found(breaches, created) == {"R5 decision.missing"}
    assert found(breaches, minted) == {"R5 decision.missing"}


def test_R5_supply_above_the_decisions_maximum(p: Permissive) -> None:
    p.create(2, max_supply=50)
    p.attest(2, 100)
    minted = p.mint(2, p.holder(1), 60)
    assert found(audit(p), minted) == {"R5 supply.above_max"}


def test_R6_mint_beyond_the_verified_collateral(p: Permissive) -> None:
    minted = p.mint(ISSUANCE, p.holder(1), 401)
    assert found(audit(p), minted) == {"R6 collateral.insufficient"}


def test_R6_mint_after_the_attestation_is_revoked(permissive: Permissive) -> None:
    p = permissive.setup(holders=2)
    p.create(ISSUANCE)
    attestation = p.attest(ISSUANCE, 1_000)
    p.send(p.verifier, p.collateral.functions.revoke(attestation, h("collateral sold")))
    minted = p.mint(ISSUANCE, p.holder(0), 1)
    assert found(audit(p), minted) == {"R6 collateral.insufficient"}


def test_R8_recipient_who_has_not_acknowledged_the_notice_in_force(p: Permissive) -> None:
    newcomer = p.accounts[12]
    p.onboard(newcomer, acknowledge=False)
    moved = p.move(p.holder(0), newcomer, ISSUANCE, 10)
    p.send(p.regulator, p.registry.functions.publishRiskNotice(h("notice 2"), "https://sdap.example/notice/2"))
    p.send(p.holder(0), p.registry.functions.acknowledgeRiskNotice(2))
    stale = p.move(p.holder(0), p.holder(1), ISSUANCE, 10)  # holder 1 acknowledged only notice 1
    breaches = audit(p)
    assert found(breaches, moved) == {"R8 recipient.notice"}
    assert found(breaches, stale) == {"R8 recipient.notice"}


def test_R10_frozen_and_unregistered_wallets(p: Permissive) -> None:
    p.send(p.compliance, p.registry.functions.freezeParticipant(p.holder(0).address, h("aml")))
    from_frozen = p.move(p.holder(0), p.holder(1), ISSUANCE, 10)
    to_stranger = p.move(p.holder(1), "0x" + "42" * 20, ISSUANCE, 5)
    breaches = audit(p)
    assert found(breaches, from_frozen) == {"R10 sender.ineligible"}
    assert found(breaches, to_stranger) == {"R10 recipient.ineligible"}


def test_R10_approved_operator_not_identified(p: Permissive) -> None:
    stranger = p.accounts[13]  # approved by the holder, never registered
    p.send(p.holder(0), p.p.setApprovalForAll(stranger.address, True))
    moved = p.send(stranger, p.p.move(p.holder(0).address, p.holder(1).address, ISSUANCE, 10))
    assert found(audit(p), moved) == {"R10 spender.ineligible"}


def test_R10_frozen_units_moved(p: Permissive) -> None:
    p.send(p.compliance, p.p.freezeUnits(ISSUANCE, p.holder(0).address, 500))
    moved = p.move(p.holder(0), p.holder(1), ISSUANCE, 200)
    assert found(audit(p), moved) == {"R10 units.frozen"}


def test_R10_a_regulators_order_to_the_same_wallet(p: Permissive) -> None:
    a, b = p.holder(0).address, p.holder(1).address
    p.send(p.compliance, p.p.freezeUnits(ISSUANCE, a, 500))
    to_itself = p.send(p.regulator, p.p.forcedTransfer(ISSUANCE, a, a, 300, 200))
    to_another = p.send(p.regulator, p.p.forcedTransfer(ISSUANCE, a, b, 100, 0))
    breaches = audit(p)
    assert found(breaches, to_itself) == {"R10 order.same_wallet"}
    assert found(breaches, to_another) == set()


def test_R11_encumbered_units_moved_other_than_by_release_or_enforcement(p: Permissive) -> None:
    a, b, beneficiary = p.holder(0), p.holder(1), p.holder(2)
    p.send(a, p.p.encumber(a.address, ISSUANCE, beneficiary.address, 500, 0))
    moved = p.move(a, b, ISSUANCE, 200)
    p.mint(ISSUANCE, a, 100)
    # Enforcement moves them lawfully; a release by someone other than the beneficiary does not.
    enforced = p.send(p.operator, p.p.enforce(1, a.address, beneficiary.address, ISSUANCE, 500))
    p.send(a, p.p.encumber(b.address, ISSUANCE, beneficiary.address, 100, 0))
    released = p.send(b, p.p.release(2))
    breaches = audit(p)
    assert found(breaches, moved) == {"R11 units.encumbered"}
    assert found(breaches, enforced) == set()
    assert found(breaches, released) == {"R11 encumbrance.invalid"}


def test_R12_mint_by_someone_other_than_the_issuances_operator(p: Permissive) -> None:
    minted = p.send(p.holder(3), p.p.mint(p.holder(1).address, ISSUANCE, 1))
    assert found(audit(p), minted) == {"R12 role.missing"}


def test_R5_burn_without_redemption_and_movement_after_closing(p: Permissive) -> None:
    burnt = p.send(p.holder(0), p.p.burn(p.holder(0).address, ISSUANCE, 100))
    redeemed = p.send(p.holder(0), p.p.redeem(ISSUANCE, p.holder(0).address, 500))
    p.send(p.operator, p.p.close(ISSUANCE, h("fulfilled")))
    minted = p.mint(ISSUANCE, p.holder(1), 1)
    breaches = audit(p)
    assert found(breaches, burnt) == {"R5 burn.unredeemed"}
    assert found(breaches, redeemed) == set()
    assert found(breaches, minted) == {"R5 issuance.closed"}


def test_R1_units_of_an_issuance_never_created(p: Permissive) -> None:
    minted = p.mint(99, p.holder(1), 1)
    assert found(audit(p), minted) == {"R1 issuance.unknown"}


def test_R14_an_enforcement_that_does_not_move_what_was_encumbered(p: Permissive) -> None:
    a, beneficiary = p.holder(0), p.holder(2)
    p.send(a, p.p.encumber(a.address, ISSUANCE, beneficiary.address, 300, 0))
    enforced = p.send(p.operator, p.p.enforce(1, a.address, beneficiary.address, ISSUANCE, 100))
    # Taken as a plain transfer, it is the operator moving a holder's units without approval.
    assert found(audit(p), enforced) == {"R14 history.inconsistent", "R12 role.missing"}


# Issue 11: collateral pledged once, coverage as a state, no key beyond its mandate ------------------


def test_R6_movement_while_under_collateralised(p: Permissive) -> None:
    a, b, c = p.holder(0), p.holder(1), p.holder(2)
    p.onboard(p.issuer)
    p.create(2)
    p.attest(2, 100, valid_for=3600)
    p.mint(2, a, 100)
    p.wait(2 * 3600)  # the attestation lapsed: nothing covers issuance 2 any more
    moved = p.move(a, b, 2, 10)
    encumbered = p.send(a, p.p.encumber(a.address, 2, c.address, 5, 0))
    # Back to the issuer, redeemed or by order: allowed while uncovered.
    to_issuer = p.move(a, p.issuer, 2, 10)
    redeemed = p.send(a, p.p.redeem(2, a.address, 10))
    ordered = p.send(p.regulator, p.p.forcedTransfer(2, a.address, c.address, 10, 0))
    # Re-collateralised: the same lot pledged again, as the lapsed pledge no longer counts.
    p.attest(2, 100, lot="2")
    again = p.move(a, b, 2, 10)
    breaches = audit(p)
    assert found(breaches, moved) == {"R6 collateral.undercollateralised"}
    assert found(breaches, encumbered) == {"R6 collateral.undercollateralised"}
    assert found(breaches, to_issuer) == found(breaches, redeemed) == found(breaches, ordered) == set()
    assert found(breaches, again) == set()
    [breach] = [x for x in breaches if x.tx_hash == moved.tx_hash]
    assert (breach.details["covered"], breach.details["supply"]) == (0, 100)


def test_R6_movement_after_the_collateral_is_revoked(p: Permissive) -> None:
    [attestation] = p.collateral.functions.attestationsOf(p.asset.address, ISSUANCE).call()
    p.send(p.verifier, p.collateral.functions.revoke(attestation, h("grain sold")))
    moved = p.move(p.holder(0), p.holder(1), ISSUANCE, 10)
    assert found(audit(p), moved) == {"R6 collateral.undercollateralised"}


def test_R6_collateral_pledged_twice(p: Permissive) -> None:
    p.create(2)
    p.attest(ISSUANCE, 100, lot="A")
    same = p.attach_unchecked(p.attestation(ISSUANCE, 100, lot="A"), by=p.operator)
    other = p.attach_unchecked(p.attestation(2, 100, lot="A"), by=p.operator)
    # A renewal names the live pledge; a revoked pledge frees the collateral.
    renewed = p.attest(ISSUANCE, 100, lot="B")
    renewal = p.attest(ISSUANCE, 100, lot="B", supersedes=renewed)
    p.send(p.verifier, p.collateral.functions.revoke(renewal, h("released")))
    fresh = p.attest(2, 100, lot="B")
    breaches = audit(p)
    assert found(breaches, same) == {"R6 collateral.pledged_twice"}
    assert found(breaches, other) == {"R6 collateral.pledged_twice"}
    assert [b for b in breaches if b.rule != "collateral.pledged_twice"] == []
    assert p.collateral.functions.pledgeOf(p.issuer.address, h("warehouse lot B")).call() == fresh


def test_R6_renewal_of_an_attestation_that_is_not_the_current_pledge(p: Permissive) -> None:
    first = p.attest(ISSUANCE, 100, lot="A")
    p.attest(ISSUANCE, 100, lot="A", supersedes=first)
    stale = p.attach_unchecked(p.attestation(ISSUANCE, 100, lot="A", supersedes=first), by=p.operator)
    assert found(audit(p), stale) == {"R6 collateral.pledged_twice", "R14 history.inconsistent"}


def test_R6_attestation_counted_after_its_verifiers_withdrawal(p: Permissive) -> None:
    second = p.accounts[15]
    role = p.registry.functions.VERIFIER_ROLE().call()
    p.send(p.regulator, p.registry.functions.grantRole(role, second.address))
    p.attest(ISSUANCE, 500, verifier=second)  # 1,000 + 500 units cover 600
    p.send(p.regulator, p.registry.functions.revokeRole(role, second.address))
    until = p.now() + 3600
    overcounted = p.send(p.operator, p.p.reportCoverage(ISSUANCE, 1_500, 600, until))
    invented = p.send(p.operator, p.p.reportCoverage(ISSUANCE, 5_000, 600, until))
    minted = p.mint(ISSUANCE, p.holder(1), 500)  # 1,100 needs the withdrawn verifier's 500
    # A new accreditation is a new epoch: what the verifier signed before stays withdrawn.
    p.send(p.regulator, p.registry.functions.grantRole(role, second.address))
    again = p.mint(ISSUANCE, p.holder(1), 1)
    breaches = audit(p)
    assert found(breaches, overcounted) == {"R6 attestation.withdrawn"}
    assert found(breaches, invented) == {"R14 history.inconsistent"}
    assert found(breaches, minted) == {"R6 attestation.withdrawn"}
    assert found(breaches, again) == {"R6 attestation.withdrawn"}


def test_R2_a_regulators_pause_lifted_by_the_operator(p: Permissive) -> None:
    p.send(p.regulator, p.p.pause(ISSUANCE, True))
    lifted = p.send(p.operator, p.p.unpause(ISSUANCE))
    # The operator's own pause, taken over by the regulator and lifted by it: within the rules.
    own = p.send(p.operator, p.p.pause(ISSUANCE, False))
    taken_over = p.send(p.regulator, p.p.pause(ISSUANCE, True))
    by_regulator = p.send(p.regulator, p.p.unpause(ISSUANCE))
    claimed = p.send(p.operator, p.p.pause(ISSUANCE, True))  # an operator's pause said to be the regulator's
    breaches = audit(p)
    assert found(breaches, lifted) == {"R2 pause.regulator"}
    assert found(breaches, own) == found(breaches, taken_over) == found(breaches, by_regulator) == set()
    assert found(breaches, claimed) == {"R14 history.inconsistent"}


def test_R2_a_supervisor_pauses_with_the_regulators_authority_and_lifts_only_a_supervisors_pause(
    p: Permissive,
) -> None:
    supervisor = p.accounts[15]
    r = p.registry.functions
    p.send(p.regulator, r.grantRole(r.SUPERVISOR_ROLE().call(), supervisor.address))
    paused = p.send(supervisor, p.p.pause(ISSUANCE, True))
    lifted_own = p.send(supervisor, p.p.unpause(ISSUANCE))
    p.send(supervisor, p.p.pause(ISSUANCE, True))
    lifted_by_operator = p.send(p.operator, p.p.unpause(ISSUANCE))
    p.send(p.regulator, p.p.pause(ISSUANCE, True))
    lifted_regulators = p.send(supervisor, p.p.unpause(ISSUANCE))  # the council's decision, not one key's
    stranger = p.send(p.holder(3), p.p.pause(ISSUANCE, False))
    breaches = audit(p)
    assert found(breaches, paused) == found(breaches, lifted_own) == set()
    assert found(breaches, lifted_by_operator) == {"R2 pause.regulator"}
    assert found(breaches, lifted_regulators) == {"R2 pause.regulator"}
    assert found(breaches, stranger) == {"R12 role.missing"}


def test_R2_an_operator_acting_without_an_active_permit(p: Permissive) -> None:
    a, b, newcomer = p.holder(0), p.holder(1), p.accounts[12]
    eid = int(p.send(a, p.p.encumber(a.address, ISSUANCE, b.address, 50, 0)).event("Encumbered")["encumbranceId"])
    p.send(p.regulator, p.registry.functions.suspendPermit(p.operator.address, h("inspection")))
    acts = {
        "registration": p.send(p.operator, p.pr.registerUnchecked(newcomer.address, h("id"), p.now() + 3600)),
        "re-identification": p.send(p.operator, p.pr.updateIdentityUnchecked(a.address, h("id 2"), p.now() + 3600)),
        "relay": p.send(p.operator, p.pr.relayUnchecked(b.address, 1, h("notice 1"))),
        "attachment": p.attach_unchecked(p.attestation(ISSUANCE, 100), by=p.operator),
        "creation": p.create(2),
        "mint": p.mint(ISSUANCE, b, 1),
        "pause": p.send(p.operator, p.p.pause(ISSUANCE, False)),
        "unpause": p.send(p.operator, p.p.unpause(ISSUANCE)),
        "closing": p.send(p.operator, p.p.close(2, h("nothing issued"))),
        "enforcement": p.send(p.operator, p.p.enforce(eid, a.address, b.address, ISSUANCE, 50)),
    }
    # A key without OPERATOR_ROLE at all.
    stranger = p.send(p.accounts[13], p.pr.registerUnchecked(p.accounts[14].address, h("id"), p.now() + 3600))
    breaches = audit(p)
    assert {act: found(breaches, receipt) for act, receipt in acts.items()} == {
        act: {"R2 permit.inactive"} for act in acts
    }
    assert found(breaches, stranger) == {"R12 role.missing"}


def test_R12_a_participant_reidentified_by_another_operator(p: Permissive) -> None:
    other = p.accounts[14]
    r = p.registry.functions
    p.send(p.regulator, r.grantRole(r.OPERATOR_ROLE().call(), other.address))
    p.send(p.regulator, r.grantPermit(other.address, 0, p.now() + 3600, h("permit 2")))
    customer = p.accounts[12]
    p.send(other, r.registerParticipant(customer.address, h("customer"), p.now() + 3600))
    taken = p.send(other, p.pr.updateIdentityUnchecked(p.holder(0).address, h("shorter"), p.now() + 60))
    own = p.send(other, r.updateParticipantIdentity(customer.address, h("customer 2"), p.now() + 7200))
    by_regulator = p.send(p.regulator, r.updateParticipantIdentity(p.holder(0).address, h("id"), p.now() + 7200))
    breaches = audit(p)
    assert found(breaches, taken) == {"R12 participant.operator"}
    assert found(breaches, own) == found(breaches, by_regulator) == set()


def test_R8_dealing_without_acknowledging_the_notice_in_force(p: Permissive) -> None:
    a, b, c = p.holder(0), p.holder(1), p.holder(2)
    r = p.registry.functions
    p.send(a, p.p.encumber(a.address, ISSUANCE, b.address, 20, 0))
    p.send(p.regulator, r.publishRiskNotice(h("notice 2"), "https://sdap.example/notice/2"))
    for acknowledging in (b, c):
        p.send(acknowledging, r.acknowledgeRiskNotice(2))
    enforced = p.send(p.operator, p.p.enforce(1, a.address, b.address, ISSUANCE, 20))
    sent = p.move(a, b, ISSUANCE, 10)
    encumbered = p.send(a, p.p.encumber(a.address, ISSUANCE, b.address, 5, 0))
    redeemed = p.send(a, p.p.redeem(ISSUANCE, a.address, 5))
    ordered = p.send(p.regulator, p.p.forcedTransfer(ISSUANCE, a.address, b.address, 10, 0))
    # A spender who has not acknowledged it, moving for a holder who has.
    p.mint(ISSUANCE, c, 20)
    p.send(c, p.p.setApprovalForAll(a.address, True))
    spent = p.send(a, p.p.move(c.address, b.address, ISSUANCE, 5))
    # The notice is the regulator's: an operator's publication is outside its mandate.
    published = p.send(p.operator, p.pr.publishUnchecked(3, h("notice 3"), "https://sdap.example/notice/3"))
    breaches = audit(p)
    assert found(breaches, sent) == found(breaches, encumbered) == found(breaches, redeemed) == {"R8 sender.notice"}
    assert found(breaches, ordered) == found(breaches, enforced) == set()  # orders and enforcement aside
    assert found(breaches, spent) == {"R8 sender.notice"}
    assert found(breaches, published) == {"R12 role.missing"}


def test_the_rebuilt_states_are_the_sdks_enums_and_what_the_chain_answers(p: Permissive) -> None:
    state = Replay(p.platform).run().state
    q = p.platform.queries
    now = q.chain_time()
    assert state.permits and state.participants and state.attestations
    for operator in state.permits:
        assert permit_state(state, operator, now) is q.permit_state(operator)
    for wallet in state.participants:
        assert participant_status(state, wallet, now) is q.participant_status(wallet)
    for attestation_id, attestation in state.attestations.items():
        assert attestation_status(state, attestation, now) is q.attestation_status(attestation_id)


# Issue 14: succession, redemption beyond the permit, the decision's URI, fulfilment, the register ---


def successor_of(p: Permissive, *, permit: bool = True) -> str:
    """A second operator (account 12) with OPERATOR_ROLE and, unless told not to, an active permit."""
    successor = p.accounts[12].address
    r = p.registry.functions
    p.send(p.regulator, r.grantRole(r.OPERATOR_ROLE().call(), successor))
    if permit:
        p.send(p.regulator, r.grantPermit(successor, 0, p.now() + 3600, h("permit 2")))
    return successor


def said(breaches: list[Breach], receipt: Receipt) -> list[str]:
    return [b.message for b in breaches if b.tx_hash == receipt.tx_hash]


def test_R12_a_succession_not_ordered_by_the_regulator(p: Permissive) -> None:
    successor = successor_of(p)
    by_regulator = p.send(p.regulator, p.p.succeed(ISSUANCE, p.operator.address, successor, h("order")))
    by_operator = p.send(p.operator, p.p.succeed(ISSUANCE, successor, p.operator.address, h("taken back")))
    breaches = audit(p)
    assert found(breaches, by_regulator) == set()
    assert found(breaches, by_operator) == {"R12 succession.regulator"}
    assert said(breaches, by_operator) == [
        f"issuance {ISSUANCE} handed to {p.operator.address} by {p.operator.address}, not a regulator"
    ]


def test_R2_a_succession_to_an_operator_without_the_role_or_an_active_permit(p: Permissive) -> None:
    stranger = p.accounts[13].address
    to_stranger = p.send(p.regulator, p.p.succeed(ISSUANCE, p.operator.address, stranger, h("order")))
    unlicensed = successor_of(p, permit=False)
    to_unlicensed = p.send(p.regulator, p.p.succeed(ISSUANCE, stranger, unlicensed, h("order")))
    r = p.registry.functions
    p.send(p.regulator, r.grantPermit(unlicensed, 0, p.now() + 3600, h("permit 2")))
    p.send(p.regulator, r.suspendPermit(unlicensed, h("inspection")))
    back = p.send(p.regulator, p.p.succeed(ISSUANCE, unlicensed, p.operator.address, h("order")))
    to_suspended = p.send(p.regulator, p.p.succeed(ISSUANCE, p.operator.address, unlicensed, h("order")))
    breaches = audit(p)
    assert found(breaches, to_stranger) == found(breaches, to_unlicensed) == {"R2 succession.successor"}
    assert found(breaches, to_suspended) == {"R2 succession.successor"}
    assert said(breaches, to_stranger) == [f"issuance {ISSUANCE} handed to {stranger}, who lacks OPERATOR_ROLE"]
    assert said(breaches, to_unlicensed) == [f"issuance {ISSUANCE} handed to {unlicensed}, who holds no permit"]
    assert said(breaches, to_suspended) == [f"issuance {ISSUANCE} handed to {unlicensed}, whose permit is suspended"]
    # Back to the first operator, whose permit is active, by the regulator: within the rules.
    assert found(breaches, back) == set()


def test_R14_a_succession_that_names_another_predecessor_or_the_operator_itself(p: Permissive) -> None:
    successor = successor_of(p)
    misnamed = p.send(p.regulator, p.p.succeed(ISSUANCE, successor, successor, h("order")))
    to_itself = p.send(p.regulator, p.p.succeed(ISSUANCE, successor, successor, h("order")))
    unknown = p.send(p.regulator, p.p.succeed(7, p.operator.address, successor, h("order")))
    breaches = audit(p)
    assert found(breaches, misnamed) == found(breaches, to_itself) == {"R14 succession.predecessor"}
    assert said(breaches, misnamed) == [
        f"succession of {ISSUANCE} names {successor} as its operator; it was {p.operator.address}"
    ]
    assert said(breaches, to_itself) == [f"issuance {ISSUANCE} handed to {successor}, who already ran it"]
    assert found(breaches, unknown) == {"R1 issuance.unknown"}


def test_after_a_succession_the_successor_runs_the_issuance_and_its_permit_counts(p: Permissive) -> None:
    successor = successor_of(p)
    a, b = p.holder(0), p.holder(1)
    r = p.registry.functions
    p.send(p.regulator, r.revokePermit(p.operator.address, h("licence withdrawn")))
    p.send(p.regulator, p.p.succeed(ISSUANCE, p.operator.address, successor, h("order")))
    by_successor = p.send(p.accounts[12], p.p.mint(b.address, ISSUANCE, 10))
    moved = p.move(a, b, ISSUANCE, 10)  # the predecessor's revoked permit no longer matters
    by_predecessor = p.mint(ISSUANCE, b, 10)
    p.send(p.regulator, r.suspendPermit(successor, h("inspection")))
    under_suspension = p.move(a, b, ISSUANCE, 10)
    paused = p.send(p.operator, p.p.pause(ISSUANCE, False))
    closed = p.send(p.operator, p.p.close(ISSUANCE, h("fulfilled")))
    breaches = audit(p)
    assert found(breaches, by_successor) == found(breaches, moved) == set()
    assert found(breaches, by_predecessor) == found(breaches, paused) == {"R12 role.missing"}
    assert said(breaches, by_predecessor) == [f"mint of {ISSUANCE} by {p.operator.address}, not its operator"]
    assert found(breaches, closed) == {"R12 role.missing", "R5 issuance.close"}  # and units are outstanding
    assert found(breaches, under_suspension) == {"R2 permit.inactive"}
    assert said(breaches, under_suspension) == [f"permit of {successor} not active"]


def test_R2_redemption_outlives_the_permit_but_nothing_else_does(p: Permissive) -> None:
    a, b = p.holder(0), p.holder(1)
    p.send(p.regulator, p.registry.functions.revokePermit(p.operator.address, h("licence withdrawn")))
    redeemed = p.send(a, p.p.redeem(ISSUANCE, a.address, 50))
    moved = p.move(a, b, ISSUANCE, 10)
    minted = p.mint(ISSUANCE, b, 10)
    burnt = p.send(a, p.p.burn(a.address, ISSUANCE, 5))  # a burn is not a redemption, permit or not
    breaches = audit(p)
    assert found(breaches, redeemed) == set()
    assert found(breaches, moved) == found(breaches, minted) == {"R2 permit.inactive"}
    assert found(breaches, burnt) == {"R5 burn.unredeemed"}


def test_R5_a_decision_uri_moved_by_a_stranger_emptied_or_after_closing(p: Permissive) -> None:
    moved = "https://issuer.example/moved.pdf"
    by_issuer = p.send(p.issuer, p.p.updateDecisionUri(ISSUANCE, moved))
    by_operator = p.send(p.operator, p.p.updateDecisionUri(ISSUANCE, "https://operator.example/decision.pdf"))
    emptied = p.send(p.issuer, p.p.updateDecisionUri(ISSUANCE, ""))
    p.create(2)
    p.send(p.issuer, p.p.close(2, h("nothing issued")))
    after_close = p.send(p.issuer, p.p.updateDecisionUri(2, moved))
    replay = Replay(p.platform).run()
    breaches = replay.breaches
    assert found(breaches, by_issuer) == set()
    assert (
        found(breaches, by_operator) == found(breaches, emptied) == found(breaches, after_close) == {"R5 decision.uri"}
    )
    assert said(breaches, by_operator) == [
        f"decision URI of {ISSUANCE} moved by {p.operator.address}, not its issuer {p.issuer.address}"
    ]
    assert said(breaches, emptied) == [f"decision URI of {ISSUANCE} emptied"]
    assert said(breaches, after_close) == ["decision URI of 2 moved after it was closed"]
    # The rebuilt decision follows every move, as the chain's view would.
    assert replay.state.issuances[2].decision_uri == moved
    assert replay.state.issuances[ISSUANCE].decision_uri == ""


def test_R5_a_decision_uri_moved_by_an_issuer_no_longer_active(p: Permissive) -> None:
    """A suspended or removed issuer's key may be why it was: it points the public nowhere new."""
    moved = {}
    for status, name in ((2, "suspended"), (1, "reinstated"), (3, "removed")):
        p.send(p.regulator, p.registry.functions.setIssuerStatus(p.issuer.address, status, h(name)))
        moved[name] = p.send(p.issuer, p.p.updateDecisionUri(ISSUANCE, f"https://issuer.example/{name}.pdf"))
    reinstated = moved.pop("reinstated")
    breaches = audit(p)
    for receipt in moved.values():
        assert found(breaches, receipt) == {"R5 decision.uri"}
        assert said(breaches, receipt) == [
            f"decision URI of {ISSUANCE} moved by its issuer {p.issuer.address}, not active in the register"
        ]
    assert found(breaches, reinstated) == set()


def test_R5_a_close_without_a_fulfilment_record(p: Permissive) -> None:
    p.create(2)
    p.create(3)
    unrecorded = p.send(p.operator, p.p.close(2, b"\0" * 32))
    recorded = p.send(p.issuer, p.p.close(3, h("fulfilled")))
    breaches = audit(p)
    assert found(breaches, unrecorded) == {"R5 issuance.fulfilment"}
    assert said(breaches, unrecorded) == ["issuance 2 closed without a fulfilment record"]
    assert found(breaches, recorded) == set()


def test_R2_operator_details_recorded_by_another_than_the_regulator_or_incomplete(p: Permissive) -> None:
    operator = p.operator.address
    by_regulator = p.send(p.regulator, p.registry.functions.recordOperatorDetails(operator, "Op", "1", "KZ", h("d")))
    by_operator = p.send(p.operator, p.pr.recordOperatorDetailsUnchecked(operator, "Op", "1", "KZ", h("d")))
    nameless = p.send(p.regulator, p.pr.recordOperatorDetailsUnchecked(operator, "", "1", "KZ", h("d")))
    unhashed = p.send(p.regulator, p.pr.recordOperatorDetailsUnchecked(operator, "Op", "1", "KZ", b"\0" * 32))
    nobody = p.send(p.regulator, p.pr.recordOperatorDetailsUnchecked("0x" + "00" * 20, "Op", "1", "KZ", h("d")))
    replay = Replay(p.platform).run()
    breaches = replay.breaches
    assert found(breaches, by_regulator) == set()
    assert {found(breaches, r).pop() for r in (by_operator, nameless, unhashed, nobody)} == {"R2 operator.details"}
    assert said(breaches, by_operator) == [f"details of {operator} recorded by {operator}, not a regulator"]
    assert said(breaches, nameless) == said(breaches, unhashed) == [f"details of {operator} recorded incomplete"]
    assert said(breaches, nobody) == ["details recorded for the zero address"]
    # The register lists each operator once, from its permit; details only add the zero address here.
    assert replay.state.operator_list == [operator, "0x" + "00" * 20]
