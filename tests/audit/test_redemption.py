"""Redemption's two sides as the auditor sees them (redemption.*): the holder's request moves units
into the asset's custody, the issuer's confirmation burns them, a refusal returns them to where the
holder is. On the real contracts such a history audits clean, cross-checks and is reported with each
request's state; on the permissive asset every way of breaking it is caught."""

from __future__ import annotations

import pytest

from sdap.audit.html import render_html
from sdap.audit.lineage import trace
from sdap.audit.replay import Replay
from sdap.audit.report import audit
from sdap.transactions import Receipt
from sdap.types import IssuerStatus, RedemptionState
from tests.audit.conftest import YEAR, History, Permissive, h
from tests.audit.test_rules import audit as breaches_of
from tests.audit.test_rules import found, said

ISSUANCE = 1


@pytest.fixture
def p(permissive: Permissive) -> Permissive:
    """Issuance 1 with collateral for 1,000 units, 600 minted to holder 0, 100 to holder 1."""
    permissive.setup(holders=4)
    permissive.create(ISSUANCE)
    permissive.attest(ISSUANCE, 1_000)
    permissive.mint(ISSUANCE, permissive.holder(0), 600)
    permissive.mint(ISSUANCE, permissive.holder(1), 100)
    assert breaches_of(permissive) == []
    return permissive


def request(p: Permissive, holder_index: int, amount: int) -> tuple[int, Receipt]:
    holder = p.holder(holder_index)
    receipt = p.send(holder, p.p.requestRedemption(ISSUANCE, holder.address, amount))
    return int(receipt.event("RedemptionRequested")["requestId"]), receipt


def test_redemptions_on_the_real_contracts_audit_clean_and_are_reported(history: History) -> None:
    history.setup(holders=2)
    a, b = history.holder(0), history.holder(1)
    iid = history.create_issuance()
    history.attest(iid, 1_000)
    history.mint(iid, a, 300)
    confirmed = history.redeem(a, iid, 100)
    refused = history.request_redemption(a, iid, 50)
    history.refuse(refused)
    pending = history.request_redemption(a, iid, 20)
    history.transfer(a, b, iid, 10)
    report = audit(history.platform)
    assert report.breaches == (), [x.message for x in report.breaches]
    assert report.cross_check is not None and report.cross_check.ok, report.cross_check.differences
    assert [(r.request_id, r.state, r.amount) for r in report.redemptions] == [
        (confirmed, "confirmed", 100),
        (refused, "refused", 50),
        (pending, "requested", 20),
    ]
    assert report.redemptions[1].returned_to == a.address and report.redemptions[0].settled_by == history.issuer.address
    [summary] = report.issuances
    # The custody holds the pending request's units; it is no holder.
    assert (summary.supply, summary.in_custody, summary.holders) == (200, 20, 2)
    assert history.asset.address not in dict(summary.top_holders)
    assert report.counts["redemption_requests"] == 3
    assert (report.counts["redemptions_requested"], report.counts["redemptions_confirmed"]) == (1, 1)
    page = render_html(report)
    assert '<section id="redemptions"><h2>Redemption requests (3)</h2>' in page
    assert "20 units in custody pending redemption" in page
    state = Replay(history.platform).run().state
    assert state.redemptions[refused].state == RedemptionState.REFUSED
    assert state.redemptions[confirmed].settlement_ref == h("delivered")
    # The holder's lineage: its units came back from the refusal with their history; its requests listed.
    lineage = trace(history.platform, a.address, iid)
    assert lineage.traced == lineage.balance == 170
    returned = [(lot.amount, [hop.kind for hop in lot.hops]) for lot in lineage.lots if lot.hops]
    assert returned == [(50, ["redemption_request", "redemption_refused"])]
    assert [(r.request_id, r.state) for r in lineage.redemptions] == [
        (confirmed, "confirmed"),
        (refused, "refused"),
        (pending, "requested"),
    ]
    assert lineage.lots[0].origin.consent_digest.startswith("0x")


def test_R5_units_into_or_out_of_custody_without_a_request_or_its_settlement(p: Permissive) -> None:
    a, b = p.holder(0), p.holder(1)
    custody = p.asset.address
    into = p.move(a, custody, ISSUANCE, 10)
    ordered = p.send(p.regulator, p.p.forcedTransfer(ISSUANCE, custody, b.address, 4, 0))
    out = p.send(p.operator, p.p.move(custody, b.address, ISSUANCE, 6))
    burnt = p.send(p.issuer, p.p.confirmRedemption(7, ISSUANCE, 0))  # a request never made
    breaches = breaches_of(p)
    assert found(breaches, into) == found(breaches, ordered) == found(breaches, out) == {"R5 redemption.custody"}
    assert said(breaches, into) == [
        f"10 units of {ISSUANCE} moved into the asset's custody from {a.address} without a redemption request"
    ]
    assert said(breaches, out) == [
        f"6 units of {ISSUANCE} moved out of the asset's custody to {b.address} other than by a request's "
        "confirmation or refusal"
    ]
    assert found(breaches, burnt) == {"R5 redemption.settlement", "R5 burn.unredeemed", "R5 redemption.custody"}


def test_R5_a_request_that_does_not_move_what_it_asks(p: Permissive) -> None:
    a, b = p.holder(0).address, p.holder(1).address
    custody = p.asset.address
    announce, move = p.call("announceRedemption", ISSUANCE, a, 10), p.call("move", a, custody, ISSUANCE, 7)
    fewer = p.send(p.holder(0), p.p.multicall([announce, move]))
    announce, move = p.call("announceRedemption", ISSUANCE, a, 5), p.call("move", b, custody, ISSUANCE, 5)
    others = p.send(p.holder(0), p.p.multicall([announce, move]))
    nothing = p.send(p.holder(0), p.p.announceRedemption(ISSUANCE, a, 5))
    breaches = breaches_of(p)
    assert found(breaches, fewer) == found(breaches, nothing) == {"R5 redemption.custody"}
    assert found(breaches, others) == {"R5 redemption.custody", "R12 role.missing"}  # and b's units, unapproved
    assert said(breaches, fewer) == [
        f"RedemptionRequested of request 1 moves 10 units of {ISSUANCE} from {a} to {custody}; 7 units of "
        f"{ISSUANCE} moved from {a} to {custody}"
    ]
    assert said(breaches, nothing) == ["RedemptionRequested not followed by the movement it announces"]


def test_R5_a_request_confirmed_by_another_than_the_issuer_or_settled_twice(p: Permissive) -> None:
    first, _ = request(p, 0, 50)
    second, _ = request(p, 0, 30)
    request(p, 1, 40)  # stays pending: its units are what a second settlement would take
    by_operator = p.send(p.operator, p.p.confirmRedemption(first, ISSUANCE, 50))
    p.send(p.regulator, p.p.pause(ISSUANCE, True))  # a pause stops dealing, not the settling of a request
    by_issuer = p.send(p.issuer, p.p.confirmRedemption(second, ISSUANCE, 30))
    again = p.send(p.issuer, p.p.refuseRedemption(second, ISSUANCE, p.holder(0).address, 30))
    breaches = breaches_of(p)
    assert found(breaches, by_operator) == {"R5 redemption.confirmation"}
    assert said(breaches, by_operator) == [
        f"redemption request {first} confirmed by {p.operator.address}, not the issuer {p.issuer.address}"
    ]
    assert found(breaches, by_issuer) == set()
    # Settled twice, the custody no longer holds the pending requests' units.
    assert found(breaches, again) == {"R5 redemption.settlement", "R5 redemption.custody"}
    assert said(breaches, again)[0] == (
        f"RedemptionRefused of redemption request {second}, already confirmed at block {by_issuer.block_number}"
    )


def test_R5_a_request_confirmed_by_a_suspended_issuer(p: Permissive) -> None:
    rid, _ = request(p, 0, 50)
    suspend = p.registry.functions.setIssuerStatus(p.issuer.address, IssuerStatus.SUSPENDED, h("inspection"))
    p.send(p.regulator, suspend)
    confirmed = p.send(p.issuer, p.p.confirmRedemption(rid, ISSUANCE, 50))
    breaches = breaches_of(p)
    assert found(breaches, confirmed) == {"R5 redemption.confirmation"}
    assert said(breaches, confirmed) == [
        f"redemption request {rid} confirmed by the issuer {p.issuer.address}, not active in the register"
    ]


def test_R5_a_refusal_by_a_stranger_or_returning_units_elsewhere_than_to_the_holder(p: Permissive) -> None:
    a, b = p.holder(0), p.holder(1)
    by_stranger, by_regulator, elsewhere, to_lost_wallet, to_new_wallet = (request(p, 0, 10)[0] for _ in range(5))
    refusals = {
        "stranger": p.send(b, p.p.refuseRedemption(by_stranger, ISSUANCE, a.address, 10)),
        "regulator": p.send(p.regulator, p.p.refuseRedemption(by_regulator, ISSUANCE, a.address, 10)),
        "elsewhere": p.send(p.issuer, p.p.refuseRedemption(elsewhere, ISSUANCE, b.address, 10)),
    }
    # The holder lost its wallet since asking: its units go back to the new one, not the lost one.
    replacement = p.accounts[14]
    r = p.registry.functions
    p.send(p.compliance, r.freezeParticipant(a.address, h("wallet reported lost")))
    p.send(p.operator, r.recoverParticipant(a.address, replacement.address, h("again"), p.now() + YEAR, h("")))
    to_lost = p.send(p.issuer, p.p.refuseRedemption(to_lost_wallet, ISSUANCE, a.address, 10))
    to_new = p.send(p.issuer, p.p.refuseRedemption(to_new_wallet, ISSUANCE, replacement.address, 10))
    breaches = breaches_of(p)
    assert found(breaches, refusals["stranger"]) == {"R5 redemption.refusal"}
    assert said(breaches, refusals["stranger"]) == [
        f"redemption request {by_stranger} refused by {b.address}, neither the issuer {p.issuer.address} nor a "
        "regulator"
    ]
    assert found(breaches, refusals["regulator"]) == set()
    assert found(breaches, refusals["elsewhere"]) == {"R5 redemption.refusal"}
    assert said(breaches, refusals["elsewhere"]) == [
        f"redemption request {elsewhere} of {a.address} returned to {b.address}, not to {a.address} where the holder is"
    ]
    assert found(breaches, to_lost) == {"R5 redemption.refusal"}
    assert said(breaches, to_lost)[0].endswith(f"not to {replacement.address} where the holder is")
    assert found(breaches, to_new) == set()  # the new wallet, frozen until reviewed, gets them whatever its status


def test_a_request_is_dealing_for_the_holder_and_custody_units_are_never_available(p: Permissive) -> None:
    a, b = p.holder(0), p.holder(1)
    custody = p.asset.address
    stranger = p.accounts[13]  # never registered, never approved
    p.send(p.operator, p.p.pause(ISSUANCE, False))
    _, paused = request(p, 1, 5)
    p.send(p.operator, p.p.unpause(ISSUANCE))
    p.send(p.compliance, p.p.freezeUnits(ISSUANCE, a.address, 600))
    _, frozen = request(p, 0, 10)
    for_another = p.send(stranger, p.p.requestRedemption(ISSUANCE, b.address, 5))
    # Under-collateralised and with the operator's permit revoked, a holder still asks to redeem.
    [attestation] = p.collateral.functions.attestationsOf(custody, ISSUANCE).call()
    p.send(p.verifier, p.collateral.functions.revoke(attestation, h("grain sold")))
    p.send(p.regulator, p.registry.functions.revokePermit(p.operator.address, h("licence withdrawn")))
    _, uncovered = request(p, 1, 5)
    # What waits in custody is its requests': no freeze and no pledge reaches it.
    held = p.send(p.compliance, p.p.freezeUnits(ISSUANCE, custody, 1))
    pledged = p.send(b, p.p.encumber(custody, ISSUANCE, b.address, 1, 0))
    breaches = breaches_of(p)
    assert found(breaches, paused) == {"R2 issuance.paused"}
    assert found(breaches, frozen) == {"R10 units.frozen"}
    assert found(breaches, for_another) == {"R12 role.missing"}
    assert found(breaches, uncovered) == set()
    assert found(breaches, held) == {"R10 units.frozen"}
    assert said(breaches, held) == [f"froze 1 units of {custody}, 0 were free"]
    assert said(breaches, pledged)[-1] == f"encumbrance 1 locks 1, {custody} had 0 free"
