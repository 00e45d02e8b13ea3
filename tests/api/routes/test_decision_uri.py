"""POST /v1/issuances/{id}/decision-uri (api/routes/issuances.py): the issuer moves its decision's
URI, and the gateway sends it only once the document at the new URI hashes to the anchored decision
hash, as at creation; the decision watch follows the new URI."""

from __future__ import annotations

import hashlib
from typing import Any

from gateway_support import Api, Documents
from world import World, h

from api.auth import create_api_key
from sdap.types import IssuerStatus

DECISION = b"Decision to issue No. 31, as published by the issuer"


def hx(value: bytes) -> str:
    return "0x" + value.hex()


def issued(world: World, documents: Documents, path: str = "/old/decision-31.pdf") -> int:
    """An issuance of the world's issuer whose decision is `DECISION`, published at `path`."""
    world.platform.resync_nonces()
    uri = documents.publish(path, DECISION)
    return world.create_issuance(world.params(decision_uri=uri, decision_hash=hashlib.sha256(DECISION).digest())).id


def move(api: Api, issuance_id: int, uri: str, who: str = "issuer", **kw: Any) -> Any:
    return api.post(f"/v1/issuances/{issuance_id}/decision-uri", who, {"decision_uri": uri}, **kw)


def test_the_issuer_moves_its_decision_and_the_watch_follows(api: Api, world: World, documents: Documents) -> None:
    issuance_id = issued(world, documents)
    documents.files.pop("/old/decision-31.pdf")  # the old website is gone
    report = api.get("/v1/decisions/watch", "regulator", params={"refresh": True}).json()
    assert {c["issuance_id"]: c["status"] for c in report["issuances"]}[issuance_id] == "unavailable"

    new_uri = documents.publish("/new/decision-31.pdf", DECISION)
    moved = move(api, issuance_id, new_uri, key="move-31")
    assert moved.status_code == 200, moved.text
    body = moved.json()
    assert body["decision_uri"] == new_uri and body["decision_hash"] == hx(hashlib.sha256(DECISION).digest())
    on_chain = world.queries.issuance(issuance_id)
    assert on_chain.decision_uri == new_uri and on_chain.decision_hash == hashlib.sha256(DECISION).digest()
    assert api.get(f"/v1/issuances/{issuance_id}").json()["decision_uri"] == new_uri
    # The watch's last report already says so, and every later check reads the new URI.
    check = api.get(f"/v1/issuances/{issuance_id}/decision-check").json()
    assert check["status"] == "ok"
    last = {c["issuance_id"]: c for c in api.get("/v1/decisions/watch", "auditor").json()["issuances"]}
    assert (last[issuance_id]["decision_uri"], last[issuance_id]["status"]) == (new_uri, "ok")
    again = api.get("/v1/decisions/watch", "regulator", params={"refresh": True}).json()
    rechecked = {c["issuance_id"]: c for c in again["issuances"]}[issuance_id]
    assert (rechecked["decision_uri"], rechecked["status"]) == (new_uri, "ok")

    fetched = len(documents.requests)
    replay = move(api, issuance_id, new_uri, key="move-31")
    assert replay.headers["Idempotent-Replayed"] == "true" and replay.json() == body
    assert len(documents.requests) == fetched  # nothing fetched or sent again


def test_a_document_that_does_not_hash_as_anchored_is_refused(api: Api, world: World, documents: Documents) -> None:
    issuance_id = issued(world, documents)
    old_uri = world.queries.issuance(issuance_id).decision_uri
    other = documents.publish("/new/other.pdf", b"A different decision")
    answer = move(api, issuance_id, other)
    assert answer.status_code == 422 and answer.json()["code"] == "decision_hash_mismatch"
    assert answer.json()["expected"] == hx(hashlib.sha256(DECISION).digest())
    assert answer.json()["found"] == hx(hashlib.sha256(b"A different decision").digest())
    unpublished = move(api, issuance_id, documents.base + "/new/nowhere.pdf")
    assert unpublished.status_code == 422 and unpublished.json()["code"] == "decision_unavailable"
    not_a_url = move(api, issuance_id, "ftp://issuer.example/d.pdf")
    assert not_a_url.status_code == 422 and not_a_url.json()["code"] == "validation_failed"
    assert world.queries.issuance(issuance_id).decision_uri == old_uri  # nothing was sent


def test_a_private_address_is_refused_unless_allowed(world: World, make_api: Any, documents: Documents) -> None:
    issuance_id = issued(world, documents)
    api = make_api(decision_allow_private=False)
    answer = move(api, issuance_id, documents.publish("/new/decision-31.pdf", DECISION))
    assert answer.status_code == 422 and answer.json()["code"] == "decision_uri_not_allowed"


def test_only_the_issuer_of_an_open_issuance_moves_its_decision(api: Api, world: World, documents: Documents) -> None:
    issuance_id = issued(world, documents)
    new_uri = documents.publish("/new/decision-31.pdf", DECISION)
    stranger = create_api_key(api.gateway.db, "issuer", world.accounts[9].address).token
    answer = api.client.post(
        f"/v1/issuances/{issuance_id}/decision-uri", json={"decision_uri": new_uri}, headers={"X-API-Key": stranger}
    )
    assert answer.status_code == 403 and answer.json()["code"] == "not_issuance_issuer"
    assert move(api, issuance_id, new_uri, who="operator").json()["code"] == "forbidden"
    assert move(api, 99, new_uri).json()["code"] == "issuance_not_found"
    fetched = len(documents.requests)
    world.platform.resync_nonces()
    world.issuer.close(issuance_id, h("every holder delivered"))
    closed = move(api, issuance_id, new_uri)
    assert closed.status_code == 409 and closed.json()["code"] == "secured_asset_issuance_closed"
    assert len(documents.requests) == fetched  # refused before anything was fetched


def test_a_suspended_issuer_moves_no_decision(api: Api, world: World, documents: Documents) -> None:
    """The chain refuses an issuer the register no longer lists as active; the gateway says so
    before fetching anything, and again once the regulator lifts the suspension it moves."""
    issuance_id = issued(world, documents)
    new_uri = documents.publish("/new/decision-31.pdf", DECISION)
    world.regulator.set_issuer_status(world.issuer.address, IssuerStatus.SUSPENDED, h("inspection"))
    fetched = len(documents.requests)
    refused = move(api, issuance_id, new_uri)
    assert refused.status_code == 409, refused.text
    assert refused.json()["code"] == "secured_asset_issuer_not_active"
    assert refused.json()["arguments"] == {"issuer": world.issuer.address}
    assert len(documents.requests) == fetched and world.queries.issuance(issuance_id).decision_uri != new_uri

    world.regulator.set_issuer_status(world.issuer.address, IssuerStatus.ACTIVE, h("inspection closed"))
    assert move(api, issuance_id, new_uri).status_code == 200
    assert world.queries.issuance(issuance_id).decision_uri == new_uri


def test_the_document_names_the_refusals_of_a_decision_move(api: Api) -> None:
    route = api.get("/v1/openapi.json").json()["paths"]["/v1/issuances/{issuance_id}/decision-uri"]["post"]
    assert {"secured_asset_issuer_not_active", "secured_asset_issuance_closed"} <= set(
        route["responses"]["409"]["x-problem-codes"]
    )
