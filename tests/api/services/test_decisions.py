"""api.services.decisions: a decision is verified against its anchored hash (a mismatch names both
hashes); a check of the decisions (Law art. 7.1) fetches every issuance not yet closed and reports
each as ok, changed (with the hash found) or unavailable (with why), stamped with the chain's time
and block; a decision found unavailable is not asked for again until the fetcher's failure_ttl has
passed; the watch keeps the last report. (`DecisionWatch.verified`: test_decision_watch.py.)"""

from __future__ import annotations

import hashlib

import pytest
from gateway_support import Documents
from world import World, chain_time, h

from api.errors import DecisionHashMismatch, DecisionUnavailable
from api.services.decisions import DecisionWatch, check_decisions, verify_decision
from api.services.documents import Fetcher


def sha256(content: bytes) -> bytes:
    return hashlib.sha256(content).digest()


def fetcher(**options: float) -> Fetcher:
    return Fetcher(timeout=2, allow_private=True, **options)


def issue(world: World, documents: Documents, path: str, content: bytes) -> int:
    """An issuance whose decision `content` is published at `path` (and stays so unless changed)."""
    uri = documents.publish(path, content)
    return world.create_issuance(world.params(decision_uri=uri, decision_hash=sha256(content))).id


def test_a_decision_is_verified_against_its_anchored_hash(documents: Documents) -> None:
    uri = documents.publish("/verify/decision.pdf", b"Decision No. 12")
    assert verify_decision(fetcher(), uri, sha256(b"Decision No. 12")) == sha256(b"Decision No. 12")
    with pytest.raises(DecisionHashMismatch) as mismatch:
        verify_decision(fetcher(), uri, sha256(b"Decision No. 11"))
    assert mismatch.value.extensions == {
        "expected": "0x" + sha256(b"Decision No. 11").hex(),
        "found": "0x" + sha256(b"Decision No. 12").hex(),
    }
    # A document that cannot be fetched is not a mismatch: the fetch's own problem is raised.
    with pytest.raises(DecisionUnavailable, match="HTTP 404"):
        verify_decision(fetcher(), documents.base + "/verify/missing.pdf", sha256(b"Decision No. 12"))


def test_a_check_reports_each_open_issuance_and_skips_closed_ones(world: World, documents: Documents) -> None:
    kept = issue(world, documents, "/check/kept.pdf", b"kept")
    edited = issue(world, documents, "/check/edited.pdf", b"original")
    documents.publish("/check/edited.pdf", b"edited afterwards")
    # Closed: its obligations are met, so its decision, gone from the web, need not be published.
    closed = issue(world, documents, "/check/closed.pdf", b"closed")
    documents.files.pop("/check/closed.pdf")
    world.operator.close(closed, h("everything delivered"))

    report = check_decisions(world.queries, fetcher())
    assert report.block_number == world.w3.eth.block_number and report.checked_at == chain_time(world.w3)
    by_id = {s.issuance_id: s for s in report.issuances}
    assert sorted(by_id) == [world.issuance, kept, edited]
    assert (by_id[kept].status, by_id[kept].found_hash, by_id[kept].detail) == ("ok", sha256(b"kept"), None)
    assert by_id[edited].status == "changed" and by_id[edited].found_hash == sha256(b"edited afterwards")
    assert by_id[edited].decision_hash == sha256(b"original")  # the anchor, beside what was found
    unserved = by_id[world.issuance]  # world's decision URI (issuer.example) is not served
    assert unserved.status == "unavailable" and unserved.found_hash is None and unserved.detail
    assert unserved.decision_uri == "https://issuer.example/decision.pdf"
    assert not report.ok


def test_an_unavailable_decision_is_not_asked_for_again_until_the_failure_ttl(
    world: World, documents: Documents
) -> None:
    """The periodic check does not hammer a site that failed; once the failure is old, it looks again."""
    late = world.create_issuance(
        world.params(decision_uri=documents.base + "/late/decision.pdf", decision_hash=sha256(b"late"))
    ).id
    remembering = fetcher(failure_ttl=60)
    first = {s.issuance_id: s.status for s in check_decisions(world.queries, remembering).issuances}
    assert first[late] == "unavailable"
    documents.publish("/late/decision.pdf", b"late")
    asked = len(documents.requests)
    again = {s.issuance_id: s for s in check_decisions(world.queries, remembering).issuances}
    assert again[late].status == "unavailable" and "HTTP 404" in (again[late].detail or "")
    assert len(documents.requests) == asked  # the remembered failure, without asking
    forgetting = fetcher(failure_ttl=0)
    assert {s.issuance_id: s.status for s in check_decisions(world.queries, forgetting).issuances}[late] == "ok"


def test_the_watch_keeps_the_last_report(world: World, documents: Documents) -> None:
    watch = DecisionWatch(world.queries, fetcher())
    assert watch.last.checked_at is None and watch.last.issuances == ()  # nothing checked yet
    ran = watch.run()
    assert watch.last is ran and [s.issuance_id for s in ran.issuances] == [world.issuance]
    assert not ran.ok  # world's decision is not served
    served = issue(world, documents, "/watch/decision.pdf", b"watched")
    rerun = watch.run()
    assert rerun is watch.last and [s.issuance_id for s in rerun.issuances] == [world.issuance, served]
    assert rerun.block_number is not None and ran.block_number is not None
    assert rerun.block_number > ran.block_number
