"""Every rule the auditor checks is caught on a history that breaks it.

The real SecuredAsset cannot be made to break its rules, so these histories are written through
PermissiveAsset (tests/contracts/utils), which emits the same events and enforces nothing, next to
the real registry and collateral contracts.
"""

from __future__ import annotations

import pytest

from sdap.audit.replay import Replay
from sdap.audit.rules import Breach
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
    p.send(p.operator, p.p.pause(ISSUANCE))
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
    p.send(p.operator, p.registry.functions.publishRiskNotice(h("notice 2"), "https://sdap.example/notice/2"))
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
