"""An operator's end on the real contracts: succession, redemption beyond the permit, the decision's
new URI, the close with its fulfilment record, and the register's lists, audited and cross-checked."""

from __future__ import annotations

from sdap.audit.crosscheck import cross_check
from sdap.audit.html import render_html
from sdap.audit.replay import Replay
from sdap.audit.report import audit
from tests.audit.conftest import History, build_succession_history, h


def test_a_succession_history_audits_clean_with_a_stable_digest(history: History) -> None:
    built = build_succession_history(history)
    first, successor = (o.address for o in built["operators"])
    iid = built["issuance"]
    report = audit(history.platform)
    assert report.breaches == (), [b.message for b in report.breaches]
    assert report.cross_check is not None and report.cross_check.ok, report.cross_check.differences
    assert report.ok
    again = audit(history.platform, to_block=report.to_block)
    assert again.digest == report.digest and again.ok
    # What the history went through, as rebuilt and reported.
    summary = report.issuances[iid - 1]
    assert summary.operator == successor and summary.closed and summary.supply == 0
    assert [(before, after) for _, before, after, _ in summary.successions] == [(first, successor)]
    assert report.counts["successions"] == 1
    assert f"from {first} to {successor} at block {summary.successions[0][0]}" in render_html(report)
    assert report.counts["operators"] == report.counts["operators_with_details"] == 2
    state = Replay(history.platform).run().state
    iss = state.issuances[iid]
    assert iss.decision_uri == built["uri"] and iss.fulfilment_hash == h("all delivered")
    assert [s.order_hash for s in iss.successions] == [h("succession order")]
    assert state.operator_list == [first, successor]
    assert state.operator_details[successor].legal_name == "Successor JSC"
    assert state.issuer_list == [history.issuer.address]
    assert state.identified[first] == [history.holder(i).address for i in range(3)]
    assert state.identified[successor] == [built["holders"][3].address]


def test_the_cross_check_reads_the_registers_lists_back(history: History) -> None:
    built = build_succession_history(history)
    first, successor = (o.address for o in built["operators"])
    replay = Replay(history.platform).run()
    state = replay.state
    state.operator_list.reverse()
    state.operator_details[first].jurisdiction = "UZ"
    state.identified[successor].append(history.holder(0).address)
    state.issuer_list.append(history.holder(1).address)
    state.issuances[built["issuance"]].decision_uri = "https://issuer.example/decision.pdf"
    differences = {(d.view, d.key, d.field) for d in cross_check(history.platform, state).differences}
    assert {
        ("operators", "[0..1]", ""),
        ("operatorDetails", first, "jurisdiction"),
        ("participantCountOf", successor, ""),
        ("participantsOf", f"{successor}[0..1]", ""),
        ("issuerCount", "", ""),
        ("issuers", "[0..1]", ""),
        ("issuance", str(built["issuance"]), "decisionUri"),
    } <= differences
