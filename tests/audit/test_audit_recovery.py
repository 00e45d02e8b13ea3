"""Wallet recovery as the auditor sees it: on the real contracts a history with a chained recovery
audits clean and cross-checks; on the permissive ones every way of breaking it is caught."""

from __future__ import annotations

from pathlib import Path

import pytest

from sdap.audit.crosscheck import cross_check
from sdap.audit.html import render_html
from sdap.audit.lineage import trace
from sdap.audit.replay import Checkpoint, Replay
from sdap.audit.report import audit
from sdap.audit.rules import Breach
from sdap.audit.state import ZERO_ADDRESS
from sdap.transactions import Receipt
from tests.audit.conftest import YEAR, History, Permissive, build_recovery_history, h

ISSUANCE = 1


def test_a_recovery_history_audits_clean_with_a_stable_digest(history: History) -> None:
    built = build_recovery_history(history)
    a, b, c, d = (x.address for x in built["holders"])
    first, second = (x.address for x in built["replacements"])
    grain, cotton = built["issuances"]
    report = audit(history.platform)
    assert report.breaches == (), [b.message for b in report.breaches]
    assert report.cross_check is not None and report.cross_check.ok, report.cross_check.differences
    assert report.ok
    again = audit(history.platform, to_block=report.to_block)
    assert again.digest == report.digest and again.ok
    assert report.counts["wallet_recoveries"] == 2 and report.counts["holdings_recovered"] == 3
    assert [(r.lost, r.replacement, r.now_at) for r in report.recoveries] == [
        (a, first, second),
        (first, second, second),
    ]
    assert report.recoveries[0].moved == ((grain, 330, 20), (cotton, 50, 0), (cotton, 0, 0))
    page = render_html(report)
    assert '<section id="recoveries"><h2>Wallet recoveries (2)</h2>' in page
    assert f"330 of issuance {grain} (20 frozen)" in page

    state = Replay(history.platform).run().state
    # The register: the person goes on under the last wallet, identified by the same operator.
    moved = state.participants[second]
    assert moved.registered and moved.operator == history.operator.address and moved.identity_ref == h("again")
    assert moved.acknowledged_notice == 1 and not moved.frozen  # the freeze it inherited, lifted on review
    assert not state.participants[a].registered and state.participants[a].operator == ZERO_ADDRESS
    assert not state.participants[first].registered
    assert state.identified[history.operator.address][-2:] == [first, second]
    assert state.recovered_end(a) == state.recovered_end(first) == second
    assert state.recoveries[first].reason_hash == h("order") and state.recoveries[first].by == history.regulator.address
    # The asset: every unit, the frozen ones and the pledge followed to the last wallet.
    assert state.issuances[grain].balances == {second: 230, b: 70, c: 100}
    assert state.issuances[cotton].balances == {second: 40, c: 10}
    assert state.encumbrances[built["pledge"]].holder == second
    assert state.encumbrances[built["pledge"]].beneficiary == d
    assert not state.issuances[grain].frozen and not state.issuances[grain].encumbered


def test_a_replay_resumed_across_a_recovery_equals_the_full_replay(history: History, tmp_path: Path) -> None:
    built = build_recovery_history(history)
    full = Replay(history.platform).run()
    a, first = built["holders"][0].address, built["replacements"][0].address
    # Once both wallets are lost and nothing moved; then once the holdings moved.
    for middle in (full.state.recoveries[first].block, full.block - 3):
        partial = Replay(history.platform).run(middle)
        assert a in partial.state.recoveries
        path = partial.checkpoint().save(tmp_path / f"checkpoint-{middle}.json")
        resumed = Replay(history.platform, checkpoint=Checkpoint.load(path)).run(full.block)
        assert resumed.checkpoint() == full.checkpoint()
        assert resumed.state.recoveries == full.state.recoveries


def test_the_cross_check_reads_recoveries_back(history: History) -> None:
    built = build_recovery_history(history)
    a = built["holders"][0].address
    first, second = (x.address for x in built["replacements"])
    state = Replay(history.platform).run().state
    state.recoveries[first].replacement = a
    state.participants[second].identity_ref = h("someone else")
    del state.recoveries[a]
    differences = {(d.view, d.key, d.field) for d in cross_check(history.platform, state).differences}
    assert {
        ("recoveredTo", first, ""),
        ("recoveredTo", a, ""),
        ("participant", second, "identityRef"),
    } <= differences


def test_trace_follows_units_across_a_recovery(history: History) -> None:
    built = build_recovery_history(history)
    a, b = (x.address for x in built["holders"][:2])
    second = built["replacements"][1].address
    grain = built["issuances"][0]
    lineage = trace(history.platform, second, grain)
    assert lineage.balance == 230 == lineage.traced
    # First in, first out: the 100 sent on were a's own mint; what stays is the rest of it and b's 30.
    assert sorted((lot.amount, lot.origin.recipient) for lot in lineage.lots) == [(30, b), (200, a)]
    for lot in lineage.lots:
        hop = lot.hops[-1]
        assert (hop.kind, hop.sender, hop.recipient, hop.amount) == ("recovery", a, second, 330)


# Breaking histories, on the permissive contracts -----------------------------------------------


def breaches(p: Permissive) -> list[Breach]:
    return Replay(p.platform).run().breaches


def found(breaches: list[Breach], receipt: Receipt) -> dict[str, str]:
    """The rules broken by the transaction of `receipt`, with their messages."""
    hits = [b for b in breaches if b.tx_hash == receipt.tx_hash]
    assert all(b.block == receipt.block_number for b in hits)
    return {f"{b.requirement} {b.rule}": b.message for b in hits}


@pytest.fixture
def p(permissive: Permissive) -> Permissive:
    """Holder 0 holds 600 units of issuance 1; all within the rules so far."""
    permissive.setup(holders=4)
    permissive.create(ISSUANCE)
    permissive.attest(ISSUANCE, 1_000)
    permissive.mint(ISSUANCE, permissive.holder(0), 600)
    return permissive


def lose(p: Permissive, holder: int = 0, to: int = 14) -> None:
    """Holder 0 (or `holder`) loses its wallet: compliance freezes it and its operator recovers it, on
    the real registry, to account 14 (or `to`), which inherits the freeze."""
    lost, replacement = p.holder(holder).address, p.accounts[to].address
    registry = p.registry.functions
    p.send(p.compliance, registry.freezeParticipant(lost, h("wallet reported lost")))
    p.send(p.operator, registry.recoverParticipant(lost, replacement, h("re-identified"), p.now() + YEAR, h("")))
    assert breaches(p) == []


def recover_holdings(p: Permissive, to: str, amounts: list[int], frozen: list[int] | None = None) -> Receipt:
    lost = p.holder(0).address
    return p.send(p.holder(1), p.p.recoverHoldings(lost, to, [ISSUANCE], amounts, frozen or [0] * len(amounts)))


def test_the_whole_position_moved_to_the_replacement_is_no_breach(p: Permissive) -> None:
    lose(p)
    p.send(p.operator, p.p.pause(ISSUANCE, False))  # no rule of dealing: not even a pause
    recover_holdings(p, p.accounts[14].address, [600])
    assert breaches(p) == []


def test_R12_a_recovery_by_a_stranger(p: Permissive) -> None:
    stranger = p.accounts[16]
    expiry = p.now() + YEAR
    recovered = p.send(
        stranger, p.pr.recoverUnchecked(p.holder(1).address, p.accounts[17].address, h("x"), expiry, h(""))
    )
    assert found(breaches(p), recovered) == {
        "R12 recovery.authority": f"{p.holder(1).address} recovered by {stranger.address}, neither a regulator nor "
        f"{p.operator.address} that identified it"
    }


def test_R12_a_recovery_by_its_operator_without_an_active_permit(p: Permissive) -> None:
    p.send(p.regulator, p.registry.functions.suspendPermit(p.operator.address, h("inspection")))
    expiry = p.now() + YEAR
    recovered = p.send(
        p.operator, p.pr.recoverUnchecked(p.holder(1).address, p.accounts[17].address, h("x"), expiry, h(""))
    )
    assert found(breaches(p), recovered) == {
        "R12 recovery.authority": f"{p.holder(1).address} recovered by its operator {p.operator.address}, without "
        "OPERATOR_ROLE and an active permit"
    }


def test_R12_a_recovery_by_its_operator_of_a_wallet_compliance_had_not_frozen(p: Permissive) -> None:
    """Two hands, not one operator key: the freeze must stand at the block of the recovery."""
    registry, expiry = p.registry.functions, p.now() + YEAR
    never, lifted = p.holder(1).address, p.holder(2).address
    p.send(p.compliance, registry.freezeParticipant(lifted, h("wallet reported lost")))
    p.send(p.compliance, registry.unfreezeParticipant(lifted, h("found again")))
    recover = p.pr.recoverUnchecked
    unfrozen = [
        p.send(p.operator, recover(wallet, p.accounts[to].address, h("x"), expiry, h("")))
        for wallet, to in ((never, 17), (lifted, 18))
    ]
    by_regulator = p.send(p.regulator, recover(p.holder(3).address, p.accounts[19].address, h("x"), expiry, h("o")))
    found_breaches = breaches(p)
    for wallet, receipt in zip((never, lifted), unfrozen, strict=True):
        assert found(found_breaches, receipt) == {
            "R12 recovery.authority": f"{wallet} recovered by its operator {p.operator.address} without a "
            "compliance officer's freeze of it"
        }
    assert found(found_breaches, by_regulator) == {}  # the regulator's order needs no freeze


def test_R10_a_recovery_to_a_registered_or_a_lost_wallet(p: Permissive) -> None:
    lose(p)
    expiry = p.now() + YEAR
    registered, lost = p.holder(2).address, p.holder(0).address
    to_registered = p.send(p.regulator, p.pr.recoverUnchecked(p.holder(1).address, registered, h("x"), expiry, h("o")))
    to_lost = p.send(p.regulator, p.pr.recoverUnchecked(p.holder(3).address, lost, h("x"), expiry, h("o")))
    found_breaches = breaches(p)
    assert found(found_breaches, to_registered) == {
        "R10 recovery.replacement": f"{p.holder(1).address} recovered to {registered}, which is not a new wallet"
    }
    assert found(found_breaches, to_lost) == {
        "R10 recovery.replacement": f"{p.holder(3).address} recovered to {lost}, itself a lost wallet"
    }


def test_R10_a_recovery_of_an_unregistered_wallet_or_with_its_identification_expired(p: Permissive) -> None:
    stranger, new = p.accounts[16].address, p.accounts[17].address
    unregistered = p.send(p.regulator, p.pr.recoverUnchecked(stranger, new, h("x"), p.now() + YEAR, h("o")))
    expired = p.send(p.regulator, p.pr.recoverUnchecked(p.holder(1).address, p.accounts[18].address, h("x"), 1, h("o")))
    found_breaches = breaches(p)
    assert found(found_breaches, unregistered) == {
        "R10 recovery.replacement": f"recovery of {stranger}, which is not registered"
    }
    assert found(found_breaches, expired) == {
        "R10 recovery.replacement": f"{p.holder(1).address} recovered to {p.accounts[18].address} with its "
        "identification expired"
    }


def test_R10_a_lost_wallet_registered_again(p: Permissive) -> None:
    lose(p)
    lost = p.holder(0).address
    registered = p.send(p.operator, p.pr.registerUnchecked(lost, h("again"), p.now() + YEAR))
    assert found(breaches(p), registered) == {
        "R10 recovery.lost_wallet": f"{lost} registered again after it was lost (recovered to {p.accounts[14].address})"
    }


def test_R10_units_to_and_from_a_lost_wallet(p: Permissive) -> None:
    lose(p)
    lost, replacement = p.holder(0), p.accounts[14].address
    p.mint(ISSUANCE, p.holder(1), 100)
    received = p.move(p.holder(1), lost, ISSUANCE, 10)
    sent = p.move(lost, p.holder(1), ISSUANCE, 10)
    found_breaches = breaches(p)
    assert found(found_breaches, received) == {
        "R10 recovery.lost_wallet": f"{lost.address} received units of {ISSUANCE} after it was lost (recovered to "
        f"{replacement})"
    }
    assert found(found_breaches, sent) == {
        "R10 recovery.lost_wallet": f"{lost.address} dealt in units of {ISSUANCE} after it was lost (recovered to "
        f"{replacement})"
    }


def test_a_pledge_enforced_against_a_lost_wallet_or_a_regulators_order_from_it_is_no_breach(p: Permissive) -> None:
    """The pledge and the order outrank the holder, as they outrank a freeze: losing a key does not
    shield the units from the creditor or the court until the recovery moves them."""
    lost, creditor = p.holder(0), p.holder(1)
    pledged = p.send(lost, p.p.encumber(lost.address, ISSUANCE, creditor.address, 50, 0))
    pledge = int(pledged.event("Encumbered")["encumbranceId"])
    lose(p)
    p.send(p.operator, p.p.enforce(pledge, lost.address, creditor.address, ISSUANCE, 50))
    p.send(p.regulator, p.p.forcedTransfer(ISSUANCE, lost.address, creditor.address, 10, 0))
    assert breaches(p) == []


def test_a_beneficiary_that_lost_its_wallet_releases_and_receives_at_its_new_one(p: Permissive) -> None:
    holder, creditor = p.holder(0), p.holder(3)
    pledges = [
        int(
            p.send(holder, p.p.encumber(holder.address, ISSUANCE, creditor.address, 50, 0)).event("Encumbered")[
                "encumbranceId"
            ]
        )
        for _ in range(2)
    ]
    lose(p, holder=3)
    new = p.accounts[14]
    p.send(p.compliance, p.registry.functions.unfreezeParticipant(new.address, h("reviewed")))
    p.send(new, p.p.release(pledges[0]))
    p.send(p.operator, p.p.enforce(pledges[1], holder.address, new.address, ISSUANCE, 50))
    replay = Replay(p.platform).run()
    assert replay.breaches == []
    assert replay.state.issuances[ISSUANCE].balances == {holder.address: 550, new.address: 50}
    assert [replay.state.encumbrances[i].outcome for i in pledges] == ["released", "enforced"]


def test_R10_R11_a_pledge_released_by_or_enforced_to_its_beneficiarys_lost_wallet(p: Permissive) -> None:
    holder, creditor = p.holder(0), p.holder(3)
    for _ in range(2):
        p.send(holder, p.p.encumber(holder.address, ISSUANCE, creditor.address, 50, 0))
    lose(p, holder=3)
    new = p.accounts[14].address
    released = p.send(creditor, p.p.release(1))
    enforced = p.send(p.operator, p.p.enforce(2, holder.address, creditor.address, ISSUANCE, 50))
    found_breaches = breaches(p)
    assert found(found_breaches, released) == {
        "R10 recovery.lost_wallet": f"encumbrance 1 released by {creditor.address}, its beneficiary's lost wallet "
        f"(recovered to {new})"
    }
    assert found(found_breaches, enforced) == {
        "R11 encumbrance.invalid": f"encumbrance 2 enforced to {creditor.address}, not to {new} where its "
        "beneficiary is",
        "R10 recovery.lost_wallet": f"{creditor.address} received units of {ISSUANCE} after it was lost (recovered "
        f"to {new})",
    }


def test_R10_holdings_recovered_to_another_wallet_than_the_replacement(p: Permissive) -> None:
    lose(p)
    lost, elsewhere = p.holder(0).address, p.holder(1).address
    moved = recover_holdings(p, elsewhere, [600])
    assert found(breaches(p), moved) == {
        "R10 recovery.holdings": f"HoldingsRecovered from {lost} to {elsewhere}, not to {p.accounts[14].address} "
        "where its recovery leads"
    }


def test_R10_holdings_recovered_to_a_replacement_lost_in_turn(p: Permissive) -> None:
    lose(p)
    first, second = p.accounts[14].address, p.accounts[15].address
    recover = p.registry.functions.recoverParticipant
    p.send(p.regulator, recover(first, second, h("again"), p.now() + YEAR, h("order")))
    moved = recover_holdings(p, first, [600])
    assert found(breaches(p), moved) == {
        "R10 recovery.holdings": f"HoldingsRecovered from {p.holder(0).address} to {first}, not to {second} where "
        "its recovery leads"
    }


def test_R10_holdings_recovered_in_part_or_without_their_frozen_units(p: Permissive) -> None:
    lost = p.holder(0).address
    p.send(p.compliance, p.p.freezeUnits(ISSUANCE, lost, 50))
    lose(p)
    moved = recover_holdings(p, p.accounts[14].address, [500], [0])
    assert set(found(breaches(p), moved)) == {"R10 recovery.holdings"}
    messages = [b.message for b in breaches(p) if b.tx_hash == moved.tx_hash]
    assert messages == [
        f"recovery of {lost} moves 500 units of {ISSUANCE}; it held 600",
        f"recovery of {lost} moves 0 frozen units of {ISSUANCE}; 50 were frozen",
    ]
    # What was left behind can only leave by another recovery.
    rest = recover_holdings(p, p.accounts[14].address, [100], [50])
    assert found(breaches(p), rest) == {}


def test_R10_holdings_recovered_leaving_an_encumbrance_behind(p: Permissive) -> None:
    lost, replacement = p.holder(0).address, p.accounts[14].address
    p.send(p.holder(0), p.p.encumber(lost, ISSUANCE, p.holder(3).address, 40, 0))
    lose(p)
    moved = recover_holdings(p, replacement, [600])
    assert found(breaches(p), moved) == {
        "R10 recovery.holdings": f"recovery of {lost} leaves 40 encumbered units of {ISSUANCE} behind"
    }


def test_R10_an_encumbrance_moved_that_the_lost_wallet_did_not_hold(p: Permissive) -> None:
    lose(p)
    lost, replacement = p.holder(0).address, p.accounts[14].address
    p.mint(ISSUANCE, p.holder(1), 100)
    p.send(p.holder(1), p.p.encumber(p.holder(1).address, ISSUANCE, p.holder(3).address, 40, 0))
    moved = p.send(p.holder(2), p.p.recoverEncumbrance(1, lost, replacement))
    assert found(breaches(p), moved) == {
        "R10 recovery.holdings": f"encumbrance 1 of {p.holder(1).address} moved as if {lost} held it"
    }
