"""PlatformQueries (sdap/clients/queries.py): typed, immutable answers read from the chain."""

from __future__ import annotations

import pytest
from eth_account import Account
from world import YEAR, States, World, chain_time, h

from sdap.contract_errors import CollateralAttestationUnknownError, SecuredAssetIssuanceUnknownError
from sdap.types import (
    AssetCategory,
    AssetType,
    AttestationStatus,
    Coverage,
    Issuance,
    IssuerStatus,
    ParticipantStatus,
    Permit,
    PermitState,
    PermitStatus,
    Refusal,
    RiskNotice,
)


@pytest.fixture
def w(states: States) -> World:
    return states.world()


def test_registry_reads(w: World) -> None:
    q = w.queries
    permit = q.permit(w.operator.address)
    assert isinstance(permit, Permit) and permit.operator == w.operator.address
    assert permit.status is PermitStatus.GRANTED and permit.document_hash == h("permit No. 1")
    assert q.permit_state(w.operator.address) is PermitState.ACTIVE
    assert q.permit_state(w.a.address) is PermitState.NONE
    issuer = q.issuer(w.issuer.address.lower())
    assert issuer.wallet == w.issuer.address and issuer.status is IssuerStatus.ACTIVE
    assert (issuer.legal_name, issuer.business_id, issuer.jurisdiction) == ("Astana Grain LLP", "123456789012", "KZ")
    assert q.is_issuer_active(w.issuer.address) and not q.is_issuer_active(w.a.address)
    assert q.asset_types() == [AssetType(1, AssetCategory.GOODS, True, "Warehouse receipt for grain")]
    assert q.notice_in_force() == 1
    notice = q.risk_notice(1)
    assert isinstance(notice, RiskNotice) and notice.content_hash == h("risk notice v1") and notice.published_at > 0
    participant = q.participant(w.a.address)
    assert participant.registered and not participant.frozen and participant.acknowledged_notice == 1
    assert participant.operator == w.operator.address  # who identified it
    assert q.participant_status(w.a.address) is ParticipantStatus.ELIGIBLE
    assert q.participant_status(Account.create().address) is ParticipantStatus.NOT_REGISTERED


def test_asset_reads(w: World) -> None:
    q = w.queries
    issuance = q.issuance(w.issuance)
    assert isinstance(issuance, Issuance)
    assert (issuance.id, issuance.operator, issuance.issuer) == (w.issuance, w.operator.address, w.issuer.address)
    assert (issuance.max_supply, issuance.paused, issuance.paused_by_regulator, issuance.closed) == (
        1_000,
        False,
        False,
        False,
    )
    assert issuance.asset_type == w.asset_type and issuance.unit_description.startswith("1 tonne of wheat")
    # Covered until the world's one attestation expires, counted under no withdrawal yet.
    assert issuance.covered_until == q.attestation(w.attestation).valid_until
    assert issuance.coverage_revision == 0 == q.accreditation_revision()
    assert issuance.fulfilment_hash == b"\x00" * 32
    assert q.issuance_count() == 1 and q.total_supply(w.issuance) == 100
    assert q.balances(w.a.address, [w.issuance, 2]) == {w.issuance: 100, 2: 0}
    with pytest.raises(SecuredAssetIssuanceUnknownError) as raised:
        q.issuance(2)
    assert raised.value.id == 2


def test_collateral_reads(w: World) -> None:
    q = w.queries
    assert q.covered_units(w.issuance) == 500
    assert q.covered_units(w.issuance, w.a.address) == 0
    assert q.attestations_of(w.issuance) == [w.attestation]
    record = q.attestation(w.attestation)
    assert (record.verifier, record.owner, record.units, record.revoked, record.superseded_by) == (
        w.verifier.address,
        w.issuer.address,
        500,
        False,
        None,
    )
    assert record.accreditation == q.accreditation_of(w.verifier.address) == 1
    assert q.accreditation_of(w.a.address) == 0
    assert q.attestation_status(w.attestation) is AttestationStatus.LIVE
    assert q.attestation_status(h("never attached")) is AttestationStatus.UNKNOWN
    assert q.pledge_of(w.issuer.address, record.collateral_ref) == w.attestation
    assert q.pledge_of(w.issuer.address, h("never pledged")) is None
    assert q.coverage(w.issuance) == Coverage(500, 100, record.valid_until, False)
    with pytest.raises(CollateralAttestationUnknownError) as unknown:
        q.attestation(h("never attached"))
    assert unknown.value.attestation_id == h("never attached")
    assert not q.is_nonce_used(w.verifier.address, 5)
    w.verifier.invalidate_nonce(5)
    assert q.is_nonce_used(w.verifier.address, 5)


def test_checks_report_the_first_refusal(w: World) -> None:
    q = w.queries
    stranger = Account.create().address
    assert q.check_transfer(w.a.address, w.b.address, w.issuance, 100) is Refusal.NONE
    assert q.check_transfer(w.a.address, w.b.address, w.issuance, 101) is Refusal.INSUFFICIENT_BALANCE
    assert q.check_transfer(w.a.address, stranger, w.issuance, 1) is Refusal.RECIPIENT_NOT_REGISTERED
    assert q.check_transfer(stranger, w.a.address, w.issuance, 1) is Refusal.SENDER_NOT_REGISTERED
    assert q.check_transfer(w.a.address, w.b.address, 9, 1) is Refusal.ISSUANCE_UNKNOWN
    assert q.check_mint(w.issuance, w.b.address, 400) is Refusal.NONE
    assert q.check_mint(w.issuance, w.b.address, 401) is Refusal.COLLATERAL_INSUFFICIENT
    assert q.check_mint(w.issuance, w.b.address, 901) is Refusal.MAX_SUPPLY_EXCEEDED
    w.regulator.publish_risk_notice(h("risk notice v2"), "https://sdap.example/risk/2")
    # Dealing needs the notice in force acknowledged, sending as well as receiving (Law art. 6.4).
    assert q.check_transfer(w.a.address, w.b.address, w.issuance, 1) is Refusal.SENDER_NOTICE_NOT_ACKNOWLEDGED
    w.a.acknowledge_risk_notice()
    assert q.check_transfer(w.a.address, w.b.address, w.issuance, 1) is Refusal.RECIPIENT_NOTICE_NOT_ACKNOWLEDGED
    w.b.acknowledge_risk_notice()
    assert q.check_transfer(w.a.address, w.b.address, w.issuance, 1) is Refusal.NONE


def test_encumbrance_reads(w: World) -> None:
    q = w.queries
    expiry = chain_time(w.w3) + YEAR
    pledge = w.a.encumber(w.issuance, 30, w.b.address, h("pledge"), expiry)
    e = q.encumbrance(pledge.id)
    assert (e.id, e.issuance_id, e.holder, e.beneficiary) == (pledge.id, w.issuance, w.a.address, w.b.address)
    assert (e.amount, e.expiry, e.active, e.reference_hash) == (30, expiry, True, h("pledge"))
    assert q.encumbrance_count() == 1
    assert (q.encumbered_units(w.issuance, w.a.address), q.available_units(w.issuance, w.a.address)) == (30, 70)
    w.compliance.freeze_units(w.issuance, w.a.address, 20, h("case"))
    assert (q.frozen_units(w.issuance, w.a.address), q.available_units(w.issuance, w.a.address)) == (20, 50)
