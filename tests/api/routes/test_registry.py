"""The issuer register (its entries and their list), asset types and risk notices through the gateway."""

from __future__ import annotations

import hashlib

from gateway_support import Api, Documents, walk
from world import World, h


def hx(value: bytes) -> str:
    return "0x" + value.hex()


def test_issuer_register(api: Api, world: World) -> None:
    wallet = world.accounts[9].address
    details = {
        "legal_name": "Steppe Cotton JSC",
        "business_id": "990440001234",
        "jurisdiction": "KZ",
        "details_hash": hx(h("d")),
    }
    answer = api.post("/v1/issuers", "regulator", {"wallet": wallet, **details})
    assert answer.status_code == 201, answer.text
    assert api.get(f"/v1/issuers/{wallet}").json()["status"] == "active"
    renamed = api.post(f"/v1/issuers/{wallet}/details", "regulator", {**details, "legal_name": "Steppe Cotton"})
    assert renamed.status_code == 200
    assert api.get(f"/v1/issuers/{wallet}").json()["legal_name"] == "Steppe Cotton"
    suspended = api.post(
        f"/v1/issuers/{wallet}/status", "regulator", {"status": "suspended", "reason_hash": hx(h("r"))}
    )
    assert suspended.status_code == 200
    assert api.get(f"/v1/issuers/{wallet}").json()["status"] == "suspended"


def test_issuer_suspension_stops_minting(api: Api, world: World) -> None:
    api.post(
        f"/v1/issuers/{world.issuer.address}/status", "regulator", {"status": "suspended", "reason_hash": hx(h("r"))}
    )
    answer = api.post(f"/v1/issuances/{world.issuance}/mint", "issuer", {"to": world.b.address, "amount": 1})
    assert answer.status_code == 409 and answer.json()["code"] == "issuer_not_active"


def test_asset_types(api: Api, world: World) -> None:
    listed = api.post("/v1/asset-types", "regulator", {"name": "Cotton lint receipt", "category": "goods"})
    assert listed.status_code == 201, listed.text
    type_id = listed.json()["type_id"]
    assert {"type_id": type_id, "name": "Cotton lint receipt", "category": "goods", "listed": True} in api.get(
        "/v1/asset-types"
    ).json()
    money = api.post("/v1/asset-types", "regulator", {"name": "Tenge", "category": "money"})
    assert money.status_code == 409 and money.json()["code"] == "registry_category_not_allowed"
    assert api.post("/v1/asset-types", "regulator", {"name": "x", "category": "cars"}).status_code == 422


def test_notice_texts_are_served_by_hash(api: Api, world: World) -> None:
    text = "Notice: units may become illiquid."
    published = api.post("/v1/risk-notices", "regulator", {"text": text}).json()
    content_hash = hx(hashlib.sha256(text.encode()).digest())
    assert published["content_hash"] == content_hash
    served = api.get(f"/v1/risk-notices/texts/{content_hash}")
    assert served.status_code == 200 and served.text == text
    assert published["uri"].endswith(f"/v1/risk-notices/texts/{content_hash}")
    assert api.get(f"/v1/risk-notices/texts/0x{'00' * 32}").status_code == 404


def test_the_notice_is_the_regulators_to_publish(api: Api, world: World) -> None:
    """One notice for the platform, the regulator's: an operator publishing one could make every
    other operator's participants ineligible (Law art. 6.4)."""
    refused = api.post("/v1/risk-notices", "operator", {"text": "An operator's own notice."})
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    assert world.queries.notice_in_force() == world.notice
    published = api.post("/v1/risk-notices", "regulator", {"text": "The regulator's notice, second version."})
    assert published.status_code == 201, published.text
    version = published.json()["version"]
    assert version == world.notice + 1 and world.queries.notice_in_force() == version
    assert world.queries.risk_notice(version).content_hash.hex() == published.json()["content_hash"][2:]


def test_notice_text_fetched_from_its_uri(api: Api, world: World, documents: Documents) -> None:
    text = b"Risk notice hosted by the operator's website."
    uri = documents.publish("/notice-2.txt", text)
    world.platform.resync_nonces()
    world.regulator.publish_risk_notice(hashlib.sha256(text).digest(), uri)
    assert api.get("/v1/risk-notice").json()["text"] is None  # asked for, fetched in the background
    api.gateway.notices.fetch_texts()
    notice = api.get("/v1/risk-notice").json()
    assert notice["text"] == text.decode() and notice["text_verified"] is True


def test_no_notice_in_force(make_api: object, platform: object) -> None:
    api = make_api()  # type: ignore[operator]
    answer = api.get("/v1/risk-notice")
    assert answer.status_code == 404 and answer.json()["code"] == "no_notice_in_force"


def test_the_register_of_issuers_lists_every_entry_to_anyone(api: Api, world: World) -> None:
    world.platform.resync_nonces()
    wallets = [world.accounts[i].address for i in (10, 11)]
    for n, wallet in enumerate(wallets):
        world.regulator.register_issuer(wallet, f"Issuer {n} LLP", f"99044000{n}", "KZ", h(f"details {n}"))
    world.regulator.set_issuer_status(wallets[0], "suspended", h("inspection"))
    everyone = api.client.get("/v1/issuers")  # no credentials
    assert everyone.status_code == 200, everyone.text
    entries = everyone.json()
    assert [e["wallet"] for e in entries] == [world.issuer.address, *wallets]  # in order of registration
    assert [e["status"] for e in entries] == ["active", "suspended", "active"]
    assert entries[0] == api.get(f"/v1/issuers/{world.issuer.address}").json()
    assert entries[2]["legal_name"] == "Issuer 1 LLP" and entries[2]["details_hash"] == hx(h("details 1"))
    items, pages = walk(api, "/v1/issuers", limit=2)
    assert items == entries and pages == 2
    last = api.get("/v1/issuers", params={"limit": 3})
    assert len(last.json()) == 3 and "next-cursor" not in last.headers
