"""The verifier's client (sdap/clients/verifier.py) and the collateral lifecycle it drives, on a
real chain (Law art. 5.2, 6.8): a collateral is pledged once, renewed explicitly, stops counting when
it expires or its verifier loses its accreditation, and the issuance is under-collateralised while
its live collateral falls short of its supply."""

from __future__ import annotations

import pytest
from world import YEAR, States, World, advance, chain_time, h

from sdap.contract_errors import (
    CollateralAlreadyPledgedError,
    CollateralAttestationUnknownError,
    CollateralNotCurrentPledgeError,
    SecuredAssetCollateralInsufficientError,
    SecuredAssetUndercollateralisedError,
)
from sdap.signing import attestation_digest
from sdap.types import AttestationStatus, Coverage, Refusal, Role


@pytest.fixture
def w(states: States) -> World:
    return states.world()


def test_a_renewal_supersedes_the_pledge_in_the_same_transaction(w: World) -> None:
    q, old = w.queries, w.attestation
    ref = q.attestation(old).collateral_ref
    valid_until = chain_time(w.w3) + 2 * YEAR
    renewal = w.verifier.renewal(old, units=600, valid_until=valid_until)
    assert (renewal.issuance_id, renewal.owner, renewal.collateral_ref) == (w.issuance, w.issuer.address, ref)
    assert renewal.supersedes == old and renewal.value == q.attestation(old).value
    signed = w.verifier.sign_attestation(renewal)
    d = w.platform.deployment
    onchain = bytes(w.platform.contracts.collateral.functions.attestationDigest(renewal.as_tuple()).call())
    assert signed.digest == attestation_digest(renewal, chain_id=d.chain_id, collateral=d.collateral) == onchain

    attached = w.operator.attach(signed)
    superseded = attached.receipt.event("AttestationSuperseded")
    assert (superseded["attestationId"], superseded["supersededBy"]) == (old, attached.id)
    synced = attached.receipt.event("CoverageSynced")
    assert (synced["id"], synced["covered"], synced["supply"], synced["coveredUntil"]) == (
        w.issuance,
        600,
        100,
        valid_until,
    )
    # The old attestation no longer counts: 600 units covered, not 1,100.
    assert q.attestation_status(old) is AttestationStatus.SUPERSEDED
    assert q.attestation(old).superseded_by == attached.id
    assert q.attestation_status(attached.id) is AttestationStatus.LIVE
    assert q.pledge_of(w.issuer.address, ref) == attached.id
    assert q.covered_units(w.issuance) == 600
    assert q.coverage(w.issuance) == Coverage(600, 100, valid_until, False)
    assert q.issuance(w.issuance).covered_until == valid_until

    # A renewal of what is no longer the pledge is refused, before anything is sent.
    stale = w.verifier.sign_attestation(w.verifier.renewal(old, units=700, valid_until=valid_until))
    block = w.w3.eth.block_number
    with pytest.raises(CollateralNotCurrentPledgeError) as refused:
        w.verifier.attach(stale)
    assert (refused.value.supersedes, refused.value.current) == (old, attached.id)
    assert w.w3.eth.block_number == block
    with pytest.raises(CollateralAttestationUnknownError):
        w.verifier.renewal(h("never attached"), units=1, valid_until=valid_until)


def test_a_collateral_pledged_twice_is_refused_before_sending(w: World) -> None:
    """The same warehouse receipt pledged to a second issuance would back units twice."""
    q, live = w.queries, w.attestation
    ref = q.attestation(live).collateral_ref
    second = w.create_issuance(w.params(unit_description="1 tonne of barley")).id
    again = w.verifier.attestation(second, w.issuer.address, ref, 5_000_000, 500, chain_time(w.w3) + YEAR)
    signed = w.verifier.sign_attestation(again)
    block, nonce = w.w3.eth.block_number, w.w3.eth.get_transaction_count(w.verifier.address)
    with pytest.raises(CollateralAlreadyPledgedError) as refused:
        w.verifier.attach(signed)
    assert refused.value.arguments == {"owner": w.issuer.address, "collateral_ref": ref, "live_attestation_id": live}
    assert (w.w3.eth.block_number, w.w3.eth.get_transaction_count(w.verifier.address)) == (block, nonce)
    assert q.covered_units(second) == 0

    # Once the first pledge is revoked, the collateral is free for the second issuance.
    w.verifier.revoke(live, h("receipt moved to issuance 2"))
    moved = w.verifier.attach(signed).id
    assert q.pledge_of(w.issuer.address, ref) == moved and q.covered_units(second) == 500
    assert q.attestation_status(live) is AttestationStatus.REVOKED


def test_expired_collateral_leaves_the_issuance_undercollateralised(w: World) -> None:
    q, a, b, issuer = w.queries, w.a, w.b, w.issuer.address
    # Redemption goes back to the issuer, who must be an identified participant to receive.
    w.operator.register_participant(issuer, h("kyc issuer"), chain_time(w.w3) + 2 * YEAR)
    w.platform.holder(w.accounts[5]).acknowledge_risk_notice()
    second = w.create_issuance(w.params(unit_description="1 tonne of barley")).id
    short = w.attest(50, issuance=second, valid_for=3_600)
    w.operator.mint(second, a.address, 40)
    valid_until = q.attestation(short).valid_until
    assert q.coverage(second) == Coverage(50, 40, valid_until, False)

    advance(w.w3, 3_601)  # expiry needs no transaction: the recorded coverage ends with it
    assert q.attestation_status(short) is AttestationStatus.EXPIRED
    assert q.coverage(second) == Coverage(0, 40, 0, True)
    assert q.issuance(second).covered_until == valid_until < chain_time(w.w3)
    assert q.check_transfer(a.address, b.address, second, 1) is Refusal.UNDERCOLLATERALISED
    block = w.w3.eth.block_number
    with pytest.raises(SecuredAssetUndercollateralisedError) as refused:
        a.transfer(b.address, second, 1)
    assert refused.value.arguments == {"id": second, "covered": 0, "supply": 40}
    assert w.w3.eth.block_number == block
    with pytest.raises(SecuredAssetCollateralInsufficientError):
        w.operator.mint(second, a.address, 1)
    # Units still go back to the issuer, and are redeemed: asked for, then delivered and burnt.
    assert q.check_transfer(a.address, issuer, second, 5) is Refusal.NONE
    a.transfer(issuer, second, 5)
    assert q.check_redemption(second, a.address, 5) is Refusal.NONE
    w.issuer.confirm_redemption(a.request_redemption(second, 5, h("deliver")).id, h("delivered"))
    assert (q.balance_of(issuer, second), q.total_supply(second)) == (5, 35)

    # A renewal of the lapsed pledge restores the coverage; units circulate again.
    renewed = w.verifier.attach(
        w.verifier.sign_attestation(w.verifier.renewal(short, units=50, valid_until=chain_time(w.w3) + YEAR))
    )
    assert not q.coverage(second).undercollateralised
    assert q.attestation_status(short) is AttestationStatus.SUPERSEDED
    assert q.attestation_status(renewed.id) is AttestationStatus.LIVE
    a.transfer(b.address, second, 1)


def test_a_withdrawn_accreditation_stops_every_attestation_of_the_verifier(w: World) -> None:
    q, verifier = w.queries, w.verifier.address
    assert q.accreditation_of(verifier) == 1 and q.accreditation_revision() == 0
    withdrawn = w.regulator.revoke_role(Role.VERIFIER, verifier)
    event = withdrawn.event("AccreditationWithdrawn")
    assert (event["verifier"], event["revision"], event["by"]) == (verifier, 1, w.regulator.address)
    assert q.accreditation_of(verifier) == 0 and q.accreditation_revision() == 1
    assert q.attestation_status(w.attestation) is AttestationStatus.VERIFIER_WITHDRAWN
    assert q.coverage(w.issuance) == Coverage(0, 100, 0, True)
    # The issuance still shows the count made before the withdrawal, until someone counts again.
    recorded = q.issuance(w.issuance)
    assert recorded.coverage_revision == 0 and recorded.covered_until > chain_time(w.w3)
    assert q.check_transfer(w.a.address, w.b.address, w.issuance, 1) is Refusal.UNDERCOLLATERALISED

    # Anyone may have it counted: here a holder.
    assert w.c.sync_coverage(w.issuance) == Coverage(0, 100, 0, True)
    recorded = q.issuance(w.issuance)
    assert (recorded.coverage_revision, recorded.covered_until) == (1, 0)
    with pytest.raises(SecuredAssetUndercollateralisedError):
        w.a.transfer(w.b.address, w.issuance, 1)

    # Accredited again, the verifier starts a new epoch: what it signed before stays withdrawn.
    w.regulator.grant_role(Role.VERIFIER, verifier)
    assert q.accreditation_of(verifier) == 2
    assert q.attestation_status(w.attestation) is AttestationStatus.VERIFIER_WITHDRAWN
    w.attest(500)
    assert q.coverage(w.issuance).covered == 500
    w.a.transfer(w.b.address, w.issuance, 1)
