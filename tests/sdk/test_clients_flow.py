"""Every role end to end through the SDK, on a real chain: the regulator sets up, the operator
onboards and posts an issuance, the verifier attests, units are minted, move, are encumbered,
frozen, moved by order, redeemed, and the issuance is closed."""

from __future__ import annotations

import pytest
from world import YEAR, advance, chain_time, clients, h

from sdap.contract_errors import RegistryLastRegulatorError
from sdap.platform import Platform
from sdap.transactions import Receipt
from sdap.types import (
    AssetCategory,
    IssuerStatus,
    ParticipantStatus,
    PermitState,
    PermitStatus,
    RedemptionState,
    Refusal,
    Role,
)


def test_every_role_end_to_end(platform: Platform, accounts) -> None:
    w = clients(platform, accounts, holders=4)
    q = w.queries
    a, b, c, d = w.holders
    now = chain_time(w.w3)

    # The regulator: roles, permit, state register of issuers, recognised asset type.
    reg = w.regulator
    reg.grant_role(Role.OPERATOR, w.operator.address)
    reg.grant_role("verifier", w.verifier.address)
    reg.grant_role("compliance", w.compliance.address)
    assert q.has_role("operator", w.operator.address)
    granted = reg.grant_permit(w.operator.address, 0, now + YEAR, h("permit"))
    assert isinstance(granted, Receipt) and granted.event("PermitGranted")["operator"] == w.operator.address
    assert q.permit_state(w.operator.address) is PermitState.ACTIVE
    assert q.permit(w.operator.address).status is PermitStatus.GRANTED
    reg.register_issuer(w.issuer.address, "Astana Grain LLP", "123456789012", "KZ", h("issuer"))
    reg.update_issuer(w.issuer.address, "Astana Grain LLP", "123456789012", "KZ", h("issuer v2"))
    assert q.issuer(w.issuer.address).details_hash == h("issuer v2")
    assert q.issuer(w.issuer.address).status is IssuerStatus.ACTIVE
    listed = reg.list_asset_type("Warehouse receipt", AssetCategory.GOODS)
    assert listed.id == 1 and q.asset_type(1).name == "Warehouse receipt"
    reg.delist_asset_type(listed.id)
    assert not q.asset_type(listed.id).listed
    reg.relist_asset_type(listed.id)
    w.asset_type = listed.id

    # The operator: participants and their acknowledgements (by signature and by transaction) of
    # the risk notice the regulator publishes.
    op = w.operator
    for holder in w.holders:
        op.register_participant(holder.address, h(f"kyc {holder.address}"), now + YEAR)
    op.update_identity(d.address, h("kyc d renewed"), now + 2 * YEAR)
    assert q.participant(d.address).identity_ref == h("kyc d renewed")
    notice = reg.publish_risk_notice(h("risk notice v1"), "https://sdap.example/risk/1")
    assert notice.id == 1 == q.notice_in_force()
    assert q.participant_status(a.address) is ParticipantStatus.NOTICE_NOT_ACKNOWLEDGED
    signed = a.sign_acknowledgement()
    relayed = op.relay_acknowledgement(a.address, signed.acknowledgement.version, signed.acknowledgement.deadline,
                                       signed.signature)  # fmt: skip
    assert relayed.event("RiskNoticeAcknowledged")["relayer"] == op.address
    for holder in (b, c, d):
        holder.acknowledge_risk_notice()
    assert {q.participant_status(x.address) for x in w.holders} == {ParticipantStatus.ELIGIBLE}

    # The issuance: posted, attested by the verifier, minted within the collateral.
    issuance = w.create_issuance(w.params(max_supply=1_000))
    iid = issuance.id
    assert issuance.receipt.event("IssuanceCreated")["issuer"] == w.issuer.address
    assert q.issuance(iid).decision_hash == h("decision")
    assert q.check_mint(iid, a.address, 1) is Refusal.COLLATERAL_INSUFFICIENT
    attestation = w.verifier.attestation(iid, w.issuer.address, h("receipt 7"), 9_000_000, 600, now + YEAR)
    signed_attestation = w.verifier.sign_attestation(attestation)
    attached = op.attach(signed_attestation)  # the operator may submit the verifier's signature
    assert attached.id == signed_attestation.digest
    assert q.attestation(attached.id).verifier == w.verifier.address
    assert q.covered_units(iid) == 600
    assert q.check_mint(iid, a.address, 600) is Refusal.NONE
    op.mint(iid, a.address, 500)
    assert q.balance_of(a.address, iid) == 500 and q.total_supply(iid) == 500
    assert [i.id for i in w.issuer.issuances()] == [iid]

    # Movements: transfer, batch, gasless transfer relayed by the operator.
    a.transfer(b.address, iid, 50)
    a.batch_transfer(c.address, [iid, iid], [10, 20])
    gasless = a.sign_transfer_request(d.address, iid, 5)
    forwarded = op.relay(gasless.request, gasless.signature)
    assert forwarded.event("TransferSingle")["operator"] == a.address  # the holder acted, not the relayer
    assert q.balances(a.address, [iid]) == {iid: 415}
    assert q.balance_of(c.address, iid) == 30 and q.balance_of(d.address, iid) == 5
    b.set_approval(c.address)  # c may now move b's units
    c.transfer_from(b.address, a.address, iid, 5)
    b.set_approval(c.address, approved=False)
    assert not q.is_approved_for_all(b.address, c.address)

    # Encumbrance: pledged, released by the beneficiary; pledged again, enforced by the operator;
    # a gasless one with an expiry, released by the holder once lapsed.
    pledge = a.encumber(iid, 100, b.address, h("pledge 1"))
    assert q.encumbered_units(iid, a.address) == 100 and q.available_units(iid, a.address) == 320
    assert q.check_transfer(a.address, b.address, iid, 400) is Refusal.UNITS_RESTRICTED
    b.release(pledge.id)
    assert not q.encumbrance(pledge.id).active
    lien = a.encumber(iid, 40, b.address, h("lien 2"))
    op.enforce(lien.id, h("court order 2"))
    assert q.balance_of(b.address, iid) == 85
    signed_pledge = a.sign_encumber_request(iid, 15, c.address, h("pledge 3"), chain_time(w.w3) + 600)
    relayed_pledge = op.relay(signed_pledge.request, signed_pledge.signature)
    pledge3 = int(relayed_pledge.event("Encumbered")["encumbranceId"])
    assert q.encumbrance(pledge3).holder == a.address and q.encumbrance_count() == 3
    advance(w.w3, 601)
    a.release(pledge3)
    assert q.encumbered_units(iid, a.address) == 0

    # Compliance: units and accounts frozen; the regulator's order moves frozen units.
    w.compliance.freeze_units(iid, c.address, 25, h("case 9"))
    assert q.check_transfer(c.address, d.address, iid, 10) is Refusal.UNITS_RESTRICTED
    w.compliance.freeze_participant(d.address, h("case 10"))
    assert q.check_transfer(a.address, d.address, iid, 1) is Refusal.RECIPIENT_FROZEN
    w.compliance.unfreeze_participant(d.address, h("case 10 closed"))
    forced = reg.forced_transfer(iid, c.address, d.address, 30, h("order 11"))
    assert forced.event("TransferOrdered")["unfrozen"] == 25
    assert q.frozen_units(iid, c.address) == 0 and q.balance_of(d.address, iid) == 35
    w.compliance.freeze_units(iid, d.address, 5, h("case 12"))
    w.compliance.unfreeze_units(iid, d.address, 5, h("case 12 closed"))

    # Pause by the operator and by the regulator.
    op.pause(iid)
    assert q.check_transfer(a.address, b.address, iid, 1) is Refusal.ISSUANCE_PAUSED
    op.unpause(iid)
    reg.pause(iid)
    reg.unpause(iid)

    # Redemption (Rules item 2.3): a holder asks, its units wait in the asset's custody, and the
    # issuer confirms the delivery (they are burnt) or refuses (they come back); then closing.
    custody = w.platform.deployment.asset
    asked = d.request_redemption(iid, 35, h("deliver to d"))
    assert q.balance_of(d.address, iid) == 0 and q.balance_of(custody, iid) == 35
    assert q.redemption_request(asked.id).state is RedemptionState.REQUESTED
    w.issuer.refuse_redemption(asked.id, h("d's address is outside the region"))
    assert q.balance_of(d.address, iid) == 35 and q.balance_of(custody, iid) == 0
    for holder in (a, b, d):
        request = holder.request_redemption(iid, q.balance_of(holder.address, iid), h(f"deliver to {holder.address}"))
        w.issuer.confirm_redemption(request.id, h(f"delivered to {holder.address}"))
    assert q.total_supply(iid) == 0
    states = [r.state for r in q.redemption_requests(issuance_id=iid)]
    assert states == [RedemptionState.REFUSED] + [RedemptionState.CONFIRMED] * 3
    closed = w.issuer.close(iid, h("all obligations met"))
    assert closed.event("IssuanceClosed")["by"] == w.issuer.address
    assert q.issuance(iid).closed and q.issuance(iid).fulfilment_hash == h("all obligations met")

    # Wind-down: the collateral revoked, the issuer suspended, the permit suspended and revoked.
    w.verifier.revoke(attached.id, h("collateral released"))
    assert q.attestation(attached.id).revoked
    reg.set_issuer_status(w.issuer.address, IssuerStatus.SUSPENDED, h("inspection"))
    reg.renew_permit(op.address, now + 2 * YEAR, h("permit renewed"))
    reg.suspend_permit(op.address, h("inspection"))
    assert q.permit_state(op.address) is PermitState.SUSPENDED
    reg.reinstate_permit(op.address, h("inspection closed"))
    reg.revoke_permit(op.address, h("licence withdrawn"))
    assert q.permit_state(op.address) is PermitState.REVOKED
    reg.revoke_role(Role.OPERATOR, op.address)
    assert not q.has_role(Role.OPERATOR, op.address)
    # The last regulator stays: without one nobody could grant a permit or a role again.
    assert q.regulator_count() == 1
    with pytest.raises(RegistryLastRegulatorError) as refused:
        reg.revoke_role(Role.REGULATOR, reg.address)
    assert refused.value.account == reg.address and q.has_role(Role.REGULATOR, reg.address)
