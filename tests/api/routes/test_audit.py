"""The read-only audit endpoint replays the chain and finds the history clean."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from gateway_support import Api
from web3.types import RPCEndpoint
from world import World

from api.routes import audit as audit_route
from sdap.audit import audit
from sdap.audit.report import AuditReport
from sdap.audit.rules import RULES, Breach


def test_audit_of_a_clean_history(api: Api, world: World) -> None:
    assert (
        api.post(f"/v1/issuances/{world.issuance}/mint", "issuer", {"to": world.b.address, "amount": 5}).status_code
        == 201
    )
    report = api.get("/v1/audit", "auditor")
    assert report.status_code == 200, report.text
    body = report.json()
    assert body["ok"] is True and body["breaches"] == [] and body["events"] > 0 and len(body["digest"]) == 64
    assert api.get("/v1/audit", "regulator").status_code == 200


def test_a_block_the_chain_has_not_reached_is_refused(api: Api, world: World) -> None:
    head = world.w3.eth.block_number
    for block in (head + 1, 2**63 - 1):
        answer = api.get("/v1/audit", "auditor", params={"to_block": block})
        assert answer.status_code == 422 and answer.json()["code"] == "invalid_argument", answer.text
    assert api.get("/v1/audit", "auditor", params={"to_block": head}).status_code == 200


def test_the_breaches_come_in_pages_of_one_report(api: Api, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """A history the contracts never allow cannot be written through them, so the real report of
    this chain gets five breaches added (the auditor's own tests break histories for real); the
    pages must give each once, in order, every page replayed to the first page's block."""
    audited_to: list[int] = []

    def with_breaches(platform: Any, *, to_block: int | None = None) -> AuditReport:
        report = audit(platform, to_block=to_block)
        audited_to.append(report.to_block)
        rule = next(iter(RULES))
        found = tuple(Breach.of(rule, report.to_block, "0x" + "00" * 32, n, f"breach {n}") for n in range(5))
        return replace(report, breaches=found)

    monkeypatch.setattr(audit_route, "audit", with_breaches)
    first = api.get("/v1/audit", "auditor", params={"limit": 2})
    assert first.status_code == 200, first.text
    world.w3.provider.make_request(RPCEndpoint("evm_mine"), [])  # the head moves between pages
    messages = [b["message"] for b in first.json()["breaches"]]
    cursor = first.headers.get("Next-Cursor")
    while cursor:
        page = api.get("/v1/audit", "auditor", params={"limit": 2, "cursor": cursor})
        assert page.status_code == 200, page.text
        assert page.json()["breaches_total"] == 5 and page.json()["ok"] is False
        messages += [b["message"] for b in page.json()["breaches"]]
        cursor = page.headers.get("Next-Cursor")
    assert messages == [f"breach {n}" for n in range(5)]
    assert len(audited_to) == 3 and len(set(audited_to)) == 1
    forged = api.get("/v1/audit", "auditor", params={"cursor": "bm90LWEtY3Vyc29y"})
    assert forged.status_code == 422, forged.text
