"""The read-only audit endpoint replays the chain and finds the history clean."""

from __future__ import annotations

from gateway_support import Api
from world import World


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
