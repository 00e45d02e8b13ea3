"""The register of operators through the gateway: anyone lists the operators with their permits and
details, and the wallets each identified, page by page; the regulator records an operator's details."""

from __future__ import annotations

from typing import Any

from gateway_support import Api, walk
from world import YEAR, World, chain_time, h

from sdap.types import Role


def hx(value: bytes) -> str:
    return "0x" + value.hex()


DETAILS = {
    "legal_name": "Kazakh Digital Assets Operator LLP",
    "business_id": "201140012345",
    "jurisdiction": "KZ (AIFC)",
    "details_hash": hx(h("operator details")),
}


def second_operator(world: World, index: int = 10) -> str:
    """Account `index` as an operator with a permit in force."""
    world.platform.resync_nonces()
    address = world.accounts[index].address
    world.regulator.grant_role(Role.OPERATOR, address)
    world.regulator.grant_permit(address, 0, chain_time(world.w3) + YEAR, h(f"permit of {address}"))
    return address


def test_operators_are_listed_with_their_permit_and_details_to_anyone(api: Api, world: World) -> None:
    listed = api.get("/v1/operators")  # no credentials
    assert listed.status_code == 200, listed.text
    (entry,) = listed.json()
    assert entry["operator"] == world.operator.address and entry["details"] is None
    assert entry["permit"]["state"] == "active" and entry["permit"]["document_hash"] == hx(h("permit No. 1"))
    assert "next-cursor" not in listed.headers

    recorded = api.post(f"/v1/operators/{world.operator.address}/details", "regulator", DETAILS, key="details-1")
    assert recorded.status_code == 200, recorded.text
    assert api.get("/v1/operators").json()[0]["details"] == DETAILS
    corrected = {**DETAILS, "legal_name": "KDAO LLP"}
    assert api.post(f"/v1/operators/{world.operator.address}/details", "regulator", corrected).status_code == 200
    assert api.get("/v1/operators").json()[0]["details"]["legal_name"] == "KDAO LLP"
    replay = api.post(f"/v1/operators/{world.operator.address}/details", "regulator", DETAILS, key="details-1")
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert api.get("/v1/operators").json()[0]["details"]["legal_name"] == "KDAO LLP"  # nothing sent again

    world.platform.resync_nonces()
    world.regulator.suspend_permit(world.operator.address, h("inspection"))
    assert api.get("/v1/operators").json()[0]["permit"]["state"] == "suspended"


def test_details_may_name_an_operator_before_its_permit(api: Api, world: World) -> None:
    """The register lists every address given details or a permit, once, in order of the first."""
    applicant = world.accounts[11].address
    assert api.post(f"/v1/operators/{applicant}/details", "regulator", DETAILS).status_code == 200
    later = second_operator(world, 10)
    operators = api.get("/v1/operators").json()
    assert [o["operator"] for o in operators] == [world.operator.address, applicant, later]
    assert operators[1]["permit"]["state"] == "none" and operators[1]["details"]["business_id"] == "201140012345"
    assert operators[2]["details"] is None


def test_recording_details_is_the_regulators_and_checked(api: Api, world: World) -> None:
    path = f"/v1/operators/{world.operator.address}/details"
    assert api.post(path, "operator", DETAILS).json()["code"] == "forbidden"
    assert api.client.post(path, json=DETAILS).status_code == 401
    empty = api.post(path, "regulator", {**DETAILS, "legal_name": ""})
    assert empty.status_code == 422 and empty.json()["code"] == "validation_failed"
    unknown = api.post(path, "regulator", {**DETAILS, "licence": "x"})
    assert unknown.status_code == 422
    zero = api.post(f"/v1/operators/0x{'00' * 20}/details", "regulator", DETAILS)
    assert zero.status_code == 422 and zero.json()["code"] == "registry_zero_address"
    assert api.get("/v1/operators").json()[0]["details"] is None
    # The refusal is one the document names for this route, so a client knows to expect it.
    documented = api.get("/v1/openapi.json").json()["paths"]["/v1/operators/{operator}/details"]["post"]
    assert "registry_zero_address" in documented["responses"]["422"]["x-problem-codes"]
    assert "registry_invalid_operator_details" in documented["responses"]["422"]["x-problem-codes"]
    body = api.get("/v1/openapi.json").json()["components"]["schemas"]["OperatorDetailsRecord"]["properties"]
    assert body["business_id"]["examples"] == ["210240012345"] and body["details_hash"]["description"]


def test_operators_page_by_position(api: Api, world: World) -> None:
    others = [second_operator(world, i) for i in (10, 11)]
    items, pages = walk(api, "/v1/operators", limit=2)
    assert [o["operator"] for o in items] == [world.operator.address, *others] and pages == 2
    first = api.get("/v1/operators", params={"limit": 1})
    assert len(first.json()) == 1
    rest = api.get("/v1/operators", params={"cursor": first.headers["next-cursor"]}).json()
    assert [o["operator"] for o in rest] == others
    exact = api.get("/v1/operators", params={"limit": 3})  # the whole list in one page: none follows
    assert len(exact.json()) == 3 and "next-cursor" not in exact.headers and "link" not in exact.headers
    assert api.get("/v1/operators", params={"limit": 0}).json()["code"] == "validation_failed"
    assert api.get("/v1/operators", params={"cursor": "bm9wZQ"}).json()["code"] == "validation_failed"  # "nope"


def test_an_operators_participants_page_with_their_status(api: Api, world: World) -> None:
    path = f"/v1/operators/{world.operator.address}/participants"
    world.platform.resync_nonces()
    world.compliance.freeze_participant(world.b.address, h("court order"))
    items, pages = walk(api, path, limit=3)
    assert [p["wallet"] for p in items] == [holder.address for holder in world.holders] and pages == 2
    by_wallet: dict[str, Any] = {p["wallet"]: p for p in items}
    assert by_wallet[world.a.address]["status"] == "eligible"
    assert by_wallet[world.b.address]["status"] == "frozen"
    # The public register says whether each wallet may take part, never who the person is.
    assert {frozenset(p) for p in items} == {frozenset({"wallet", "registered", "frozen", "status"})}
    assert not any("identity_ref" in p or "identity_expiry" in p for p in items)
    assert by_wallet[world.b.address]["frozen"] is True and by_wallet[world.a.address]["registered"] is True
    assert api.get(f"/v1/operators/{world.accounts[10].address}/participants").json() == []
    assert api.get("/v1/operators/0x123/participants").json()["code"] == "validation_failed"


def test_the_register_is_read_without_credentials(api: Api, world: World) -> None:
    for path in (
        "/v1/issuers",
        "/v1/operators",
        f"/v1/operators/{world.operator.address}/participants",
        f"/v1/issuances?operator={world.operator.address}",
    ):
        answer = api.client.get(path)
        assert answer.status_code == 200, f"{path}: {answer.text}"
        assert answer.json(), path
    document = api.get("/v1/openapi.json").json()["paths"]
    assert document["/v1/operators"]["get"]["x-roles"] == ["public"]
    assert document["/v1/operators/{operator}/participants"]["get"]["x-roles"] == ["public"]
    assert document["/v1/operators/{operator}/details"]["post"]["x-roles"] == ["regulator"]
