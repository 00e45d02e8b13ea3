"""Permits through the gateway: the regulator writes with its own key, anyone reads."""

from __future__ import annotations

from gateway_support import Api
from world import YEAR, World, chain_time, h


def hx(value: bytes) -> str:
    return "0x" + value.hex()


def test_permit_lifecycle(api: Api, world: World) -> None:
    operator = world.accounts[9].address
    now = chain_time(world.w3)
    granted = api.post(
        "/v1/permits",
        "regulator",
        {"operator": operator, "valid_from": 0, "valid_until": now + YEAR, "document_hash": hx(h("permit 9"))},
    )
    assert granted.status_code == 201, granted.text
    assert api.get(f"/v1/permits/{operator}").json()["state"] == "active"
    for action, state in (("suspension", "suspended"), ("reinstatement", "active"), ("revocation", "revoked")):
        answer = api.post(f"/v1/permits/{operator}/{action}", "regulator", {"reason_hash": hx(h(action))})
        assert answer.status_code == 200, answer.text
        assert api.get(f"/v1/permits/{operator}").json()["state"] == state
    again = api.post(f"/v1/permits/{operator}/revocation", "regulator", {"reason_hash": hx(h("again"))})
    assert again.status_code == 409 and again.json()["code"] == "registry_permit_not_granted"


def test_renewal(api: Api, world: World) -> None:
    until = chain_time(world.w3) + 2 * YEAR
    answer = api.post(
        f"/v1/permits/{world.operator.address}/renewal",
        "regulator",
        {"valid_until": until, "document_hash": hx(h("renewed"))},
    )
    assert answer.status_code == 200, answer.text
    assert api.get(f"/v1/permits/{world.operator.address}").json()["valid_until"] == until


def test_requests_refuse_unknown_fields_and_bad_values(api: Api, world: World) -> None:
    body = {"operator": world.accounts[9].address, "valid_from": 0, "valid_until": 1, "document_hash": hx(h("p"))}
    unknown = api.post("/v1/permits", "regulator", {**body, "note": "extra"})
    assert unknown.status_code == 422 and unknown.json()["code"] == "validation_failed"
    assert unknown.json()["errors"][0]["type"] == "extra_forbidden"
    assert "input" not in unknown.json()["errors"][0]  # the input is never echoed
    bad = api.post("/v1/permits", "regulator", {**body, "document_hash": "0x12"})
    assert bad.status_code == 422
    assert api.post("/v1/permits", "regulator", {**body, "operator": "0xnope"}).status_code == 422
