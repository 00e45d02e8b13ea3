"""Cursor pagination of the lists that grow with the chain: each page holds at most `limit` items,
the next page is named by `Next-Cursor` and `Link: <...>; rel="next"`, the last page names none,
and walking the pages gives each item once."""

from __future__ import annotations

import hashlib
from typing import Any

from gateway_support import Api, walk
from test_openapi import document
from world import World


def test_issuances_page_by_id(api: Api, world: World) -> None:
    world.platform.resync_nonces()
    for n in range(2):
        content = f"decision {n}".encode()
        world.create_issuance(world.params(decision_hash=hashlib.sha256(content).digest()))
    items, pages = walk(api, "/v1/issuances", limit=2)
    assert [i["id"] for i in items] == [1, 2, 3] and pages == 2
    assert [i["id"] for i in api.get("/v1/issuances").json()] == [1, 2, 3]


def test_asset_types_page_by_id(api: Api, world: World) -> None:
    world.platform.resync_nonces()
    from sdap.types import AssetCategory

    world.regulator.list_asset_type("Second type", AssetCategory.SERVICES)
    items, pages = walk(api, "/v1/asset-types")
    assert [t["type_id"] for t in items] == [1, 2] and pages == 2


def test_a_holders_history_pages_newest_first(api: Api, world: World) -> None:
    world.platform.resync_nonces()
    holder = world.accounts[6]
    for amount in (1, 2, 3):
        world.platform.holder(holder).transfer(world.b.address, world.issuance, amount)
    whole = api.get("/v1/holders/me/history", holder).json()
    items, pages = walk(api, "/v1/holders/me/history", holder, limit=2)
    assert items == whole and len(whole) == 4 and pages == 2
    assert [m["amount"] for m in items] == [3, 2, 1, 100]


def test_an_issuances_holders_and_attestations_page(api: Api, world: World) -> None:
    world.platform.resync_nonces()
    world.platform.holder(world.accounts[6]).transfer(world.b.address, world.issuance, 10)
    holders, pages = walk(api, f"/v1/issuances/{world.issuance}/holders")
    assert {h["holder"]: h["balance"] for h in holders} == {world.accounts[6].address: 90, world.b.address: 10}
    assert pages == 2 and holders == sorted(holders, key=lambda h: h["holder"])
    attestations, _ = walk(api, f"/v1/issuances/{world.issuance}/attestations")
    assert len(attestations) == 1 and attestations[0]["status"] == "live"
    assert api.get("/v1/issuances/99/holders").status_code == 404


def test_balances_page_by_issuance(api: Api, world: World) -> None:
    items, pages = walk(api, "/v1/holders/me/balances", world.accounts[6])
    assert [b["issuance_id"] for b in items] == [world.issuance] and pages == 1


def test_a_cursor_the_list_did_not_give_is_refused(api: Api) -> None:
    answer = api.get("/v1/issuances", params={"cursor": "bm90LWEtbnVtYmVy"})  # "not-a-number"
    assert answer.status_code == 422 and answer.json()["code"] == "validation_failed"
    assert api.get("/v1/issuances", params={"limit": 1001}).status_code == 422


def test_the_document_states_the_paging(api: Api) -> None:
    operation = api.get("/v1/openapi.json").json()["paths"]["/v1/issuances"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"limit", "cursor"}
    assert {"Link", "Next-Cursor"} <= set(operation["responses"]["200"]["headers"])


def test_block_numbers_past_what_the_index_holds_are_refused(api: Api, world: World) -> None:
    answer = api.get("/v1/holders/me/history", world.accounts[6], params={"before_block": 2**63})
    assert answer.status_code == 422 and answer.json()["code"] == "validation_failed"


def test_an_issuance_read_carries_the_first_page_and_names_the_rest(api: Api, world: World, monkeypatch: Any) -> None:
    from api.services import issuances

    world.platform.resync_nonces()
    world.platform.holder(world.accounts[6]).transfer(world.b.address, world.issuance, 10)
    monkeypatch.setattr(issuances, "DETAIL_PAGE", 1)
    detail = api.get(f"/v1/issuances/{world.issuance}").json()
    assert len(detail["holders"]) == 1 and detail["holders_next"]
    assert len(detail["attestations"]) == 1 and detail["attestations_next"] is None  # one attestation only
    rest = api.get(f"/v1/issuances/{world.issuance}/holders", params={"cursor": detail["holders_next"]}).json()
    assert {h["holder"] for h in detail["holders"] + rest} == {world.accounts[6].address, world.b.address}


def test_an_operators_or_issuers_issuances_page_by_id(api: Api, world: World) -> None:
    """The filters keep the list's cursor: the last id of the page before, whichever ids were
    passed over for another operator or issuer."""
    from world import YEAR, chain_time, h

    from sdap.types import Role

    world.platform.resync_nonces()
    other = world.accounts[10].address
    world.regulator.grant_role(Role.OPERATOR, other)
    world.regulator.grant_permit(other, 0, chain_time(world.w3) + YEAR, h("permit No. 2"))
    ids = [world.create_issuance(world.params()).id for _ in range(4)]  # 2, 3, 4, 5
    world.regulator.succeed_issuances([ids[0], ids[2]], other, h("order"))
    of_other, pages = walk(api, "/v1/issuances", limit=1, operator=other)
    assert [i["id"] for i in of_other] == [2, 4] and pages == 2
    assert {i["operator"] for i in of_other} == {other}
    of_ours, pages = walk(api, "/v1/issuances", limit=2, operator=world.operator.address)
    assert [i["id"] for i in of_ours] == [1, 3, 5] and pages == 2
    of_issuer, _ = walk(api, "/v1/issuances", limit=2, issuer=world.issuer.address, operator=other)
    assert [i["id"] for i in of_issuer] == [2, 4]
    assert api.get("/v1/issuances", params={"issuer": world.accounts[11].address}).json() == []
    after_three = api.get("/v1/issuances", params={"operator": other, "cursor": "Mw"})  # "3"
    assert [i["id"] for i in after_three.json()] == [4] and "next-cursor" not in after_three.headers
    assert api.get("/v1/issuances", params={"operator": "0xnope"}).json()["code"] == "validation_failed"


def test_every_list_the_gateway_serves_is_paginated() -> None:
    """Lists grow with the chain, so every GET that answers one takes `limit` and `cursor` and
    states the paging headers; only the problem types, fixed by the code, come whole."""
    lists = {}
    for path, operations in document()["paths"].items():
        get = operations.get("get", {})
        answer = get.get("responses", {}).get("200", {})
        if answer.get("content", {}).get("application/json", {}).get("schema", {}).get("type") == "array":
            lists[path] = ({p["name"] for p in get.get("parameters", [])}, set(answer.get("headers", {})))
    assert {"/v1/issuances", "/v1/holders/me/encumbrances", "/v1/payment-tokens"} <= set(lists)
    unpaged = [path for path, (params, headers) in lists.items() if not ({"limit", "cursor"} <= params)]
    assert unpaged == ["/v1/problems"]
    assert all({"Link", "Next-Cursor"} <= headers for path, (_, headers) in lists.items() if path not in unpaged)
