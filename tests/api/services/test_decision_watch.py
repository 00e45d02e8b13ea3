"""The decision watch's last report once an issuer moved its decision through the gateway: the
entry of that issuance is the check just made, at the new URI; nothing else changes."""

from __future__ import annotations

from typing import Any, cast

from api.services.decisions import DecisionStatus, DecisionWatch, WatchReport

ANCHOR = bytes.fromhex("11" * 32)


def watch() -> DecisionWatch:
    return DecisionWatch(cast(Any, None), cast(Any, None))  # `verified` reads neither the chain nor the web


def test_a_moved_decision_replaces_its_entry_and_nothing_else() -> None:
    decisions = watch()
    other = DecisionStatus(2, "https://b.example/d.pdf", ANCHOR, "ok", ANCHOR, None)
    gone = DecisionStatus(1, "https://a.example/d.pdf", ANCHOR, "unavailable", None, "HTTP 404")
    decisions.last = WatchReport(1_700_000_000, 42, (gone, other))
    assert not decisions.last.ok
    decisions.verified(1, "https://a.example/new/d.pdf", ANCHOR)
    last = decisions.last
    assert (last.checked_at, last.block_number) == (1_700_000_000, 42)
    assert last.issuances == (
        DecisionStatus(1, "https://a.example/new/d.pdf", ANCHOR, "ok", ANCHOR, None),
        other,
    )
    assert last.ok


def test_before_any_check_there_is_no_report_to_correct() -> None:
    decisions = watch()
    decisions.verified(1, "https://a.example/d.pdf", ANCHOR)
    assert decisions.last == WatchReport(None, None, ())  # the first check fetches it like every other
