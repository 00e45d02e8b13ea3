"""What api/web.py serves: the ERC-1155 metadata each token's `uri(id)` names, the chain's
addresses for the app, a holder's encumbrances, the decision check, the docs page from the
gateway's own files, and the app itself."""

from __future__ import annotations

from gateway_support import Api, walk
from world import YEAR, World, chain_time, h

from api.web import WEB_DIST


def test_metadata_of_an_issuance_by_decimal_and_by_erc1155_hex_id(api: Api, world: World) -> None:
    issuance = world.queries.issuance(world.issuance)
    answer = api.get(f"/v1/metadata/{world.issuance}.json")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["decimals"] == 0
    assert body["name"] == "Warehouse receipt for grain — issuance 1"
    assert "1 tonne of wheat" in body["description"]
    properties = body["properties"]
    assert properties["unit"] == issuance.unit_description
    assert properties["issuer"] == {
        "wallet": world.issuer.address,
        "legal_name": "Astana Grain LLP",
        "business_id": "123456789012",
    }
    assert properties["asset_type"] == {
        "id": world.asset_type,
        "name": "Warehouse receipt for grain",
        "category": "goods",
    }
    assert properties["decision_uri"] == issuance.decision_uri
    assert properties["decision_hash"] == "0x" + h("decision").hex()
    assert properties["evidence_hash"] == "0x" + h("evidence").hex()
    assert properties["max_supply"] == 1_000
    assert api.get(f"/v1/metadata/{world.issuance:064x}.json").json() == body


def test_metadata_of_no_issuance_is_a_problem(api: Api, world: World) -> None:
    for token in ("99", f"{99:064x}", "0x01", "1" * 30):
        answer = api.get(f"/v1/metadata/{token}.json")
        assert answer.status_code == 404, token
        assert answer.json()["code"] == "issuance_not_found"


def test_the_app_learns_the_chain_and_contracts(api: Api, world: World) -> None:
    body = api.get("/v1/web/config").json()
    deployment = world.platform.deployment
    assert body["chain_id"] == deployment.chain_id == 31337
    assert (body["asset"], body["forwarder"], body["registry"]) == (
        deployment.asset,
        deployment.forwarder,
        deployment.registry,
    )
    assert body["operator"] == world.operator.address
    assert body["metadata_uri"] == "https://sdap.example/meta/{id}.json"


def test_a_holder_sees_only_its_live_encumbrances(api: Api, world: World) -> None:
    pledge = world.a.encumber(world.issuance, 30, world.b.address, h("loan 7")).id
    released = world.a.encumber(world.issuance, 5, world.b.address, h("loan 8")).id
    world.b.release(released)
    answer = api.get("/v1/holders/me/encumbrances", world.accounts[6])
    assert answer.status_code == 200, answer.text
    assert answer.json() == [
        {
            "id": pledge,
            "issuance_id": world.issuance,
            "amount": 30,
            "beneficiary": world.b.address,
            "expiry": 0,
            "reference_hash": "0x" + h("loan 7").hex(),
        }
    ]
    assert api.get("/v1/holders/me/encumbrances", world.accounts[7]).json() == []
    assert api.get("/v1/holders/me/encumbrances").status_code == 401


def test_a_holders_encumbrances_page_and_follow_enforcement_and_recovery(api: Api, world: World) -> None:
    """From the event index, a page at a time: an enforced encumbrance is no longer live, and a
    recovered wallet's encumbrances are its replacement's."""
    pledges = [world.a.encumber(world.issuance, 10, world.b.address, h(f"loan {n}")).id for n in range(3)]
    world.operator.enforce(pledges[1], h("court ruling"))
    items, pages = walk(api, "/v1/holders/me/encumbrances", world.accounts[6], limit=1)
    assert [e["id"] for e in items] == [pledges[0], pledges[2]] and pages == 2
    replacement = world.accounts[11]
    expiry = chain_time(world.w3) + YEAR
    world.regulator.recover_wallet(world.a.address, replacement.address, h("kyc"), expiry, h("recovery order"))
    moved = api.get("/v1/holders/me/encumbrances", replacement).json()
    assert [(e["id"], e["amount"], e["beneficiary"]) for e in moved] == [
        (pledges[0], 10, world.b.address),
        (pledges[2], 10, world.b.address),
    ]


def test_the_decision_check_before_and_after_the_watch_runs(api: Api, world: World) -> None:
    assert api.get("/v1/issuances/1/decision-check").json()["status"] == "unchecked"
    api.gateway.decisions.run()  # issuer.example does not resolve here: the copy is unavailable
    body = api.get("/v1/issuances/1/decision-check").json()
    assert body["status"] == "unavailable" and body["checked_at"] is not None


def test_the_docs_page_loads_swagger_ui_from_the_gateway(api: Api) -> None:
    page = api.get("/v1/docs")
    assert page.status_code == 200
    assert "cdn." not in page.text and "https://" not in page.text
    assert '"/app/docs/swagger-ui-bundle.js"' in page.text or "'/app/docs/swagger-ui-bundle.js'" in page.text
    if (WEB_DIST / "docs" / "swagger-ui-bundle.js").exists():
        assert api.get("/app/docs/swagger-ui-bundle.js").status_code == 200
        assert api.get("/app/docs/swagger-ui.css").status_code == 200
        assert "app.js" in api.get("/app/").text
    assert api.get("/", follow_redirects=False).headers["location"] == "/app/"
