"""Every route, from the application's own route table: a protected one answers 401 without
credentials (and with unknown ones) and 403 to every role it does not admit; a public one needs
nothing. A route added without a role decision fails `test_every_route_is_classified`."""

from __future__ import annotations

import re

import pytest
from gateway_support import ROLES, Api

from api.openapi import api_routes, route_roles

#: Routes anyone may call. Everything else must name its roles.
PUBLIC = {
    ("GET", "/v1/health"),
    ("GET", "/v1/ready"),
    ("GET", "/v1/problems"),
    ("GET", "/v1/auth/nonce"),
    ("POST", "/v1/auth/sign-in"),
    ("GET", "/v1/permits/{operator}"),
    ("GET", "/v1/issuers"),
    ("GET", "/v1/issuers/{wallet}"),
    ("GET", "/v1/operators"),
    ("GET", "/v1/operators/{operator}/participants"),
    ("GET", "/v1/asset-types"),
    ("GET", "/v1/risk-notice"),
    ("GET", "/v1/risk-notices/texts/{content_hash}"),
    ("GET", "/v1/issuances"),
    ("GET", "/v1/issuances/{issuance_id}"),
    ("GET", "/v1/issuances/{issuance_id}/coverage"),
    ("GET", "/v1/issuances/{issuance_id}/holders"),
    ("GET", "/v1/issuances/{issuance_id}/attestations"),
    ("GET", "/v1/attestations/{attestation_id}"),
    ("GET", "/v1/issuances/{issuance_id}/decision-check"),
    ("GET", "/v1/metadata/{token_id}.json"),
    ("GET", "/v1/web/config"),
    ("GET", "/v1/redemptions"),
    ("GET", "/v1/redemptions/{request_id}"),
    ("GET", "/v1/offers"),
    ("GET", "/v1/offers/{offer_hash}"),
    ("GET", "/v1/payment-tokens"),
    ("GET", "/v1/escrows"),
    ("GET", "/v1/escrows/{escrow_id}"),
}

ADDRESS = "0x90F79bf6EB2c4f870365E785982E1f101E93b906"
SAMPLE = {
    "operator": ADDRESS,
    "wallet": ADDRESS,
    "issuance_id": "1",
    "content_hash": "0x" + "11" * 32,
    "attestation_id": "0x" + "22" * 32,
    "token_id": "1",
    "request_id": "1",
    "offer_hash": "0x" + "33" * 32,
    "escrow_id": "1",
}


def routes(api: Api) -> list[tuple[str, str, tuple[str, ...] | None]]:
    found = []
    for path, route in api_routes(api.client.app):  # type: ignore[arg-type]
        if path.startswith("/v1") and path not in ("/v1/openapi.json", "/v1/docs"):
            for method in sorted(route.methods):
                found.append((method, path, route_roles(route)))
    assert len(found) > 30
    return found


def concrete(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: SAMPLE[m.group(1)], path)


def call(api: Api, method: str, path: str, headers: dict[str, str]) -> int:
    return int(
        api.client.request(method, concrete(path), headers=headers, json={} if method == "POST" else None).status_code
    )


def test_every_route_is_classified(api: Api) -> None:
    for method, path, roles in routes(api):
        if (method, path) in PUBLIC:
            assert roles is None, f"{method} {path} is public but requires {roles}"
        else:
            assert roles, f"{method} {path} has no role requirement and is not listed as public"


def test_protected_routes_answer_401_without_credentials(api: Api) -> None:
    checked = 0
    for method, path, roles in routes(api):
        if roles is None:
            continue
        assert call(api, method, path, {}) == 401, f"{method} {path} without credentials"
        assert call(api, method, path, {"X-API-Key": "sdap_nope_nope"}) == 401, f"{method} {path} unknown key"
        assert call(api, method, path, {"Authorization": "Bearer sdaps_nope"}) == 401, f"{method} {path} unknown token"
        checked += 1
    assert checked >= 20


def test_protected_routes_answer_403_to_every_other_role(api: Api) -> None:
    holder = api.holder(api.accounts[7])
    for method, path, roles in routes(api):
        if roles is None:
            continue
        for role in [*ROLES, "holder"]:
            if role in roles:
                continue
            headers = holder if role == "holder" else api.key(role)
            assert call(api, method, path, headers) == 403, f"{method} {path} as {role}"


def test_401_carries_a_problem_and_a_challenge(api: Api) -> None:
    answer = api.client.post("/v1/permits", json={})
    assert answer.status_code == 401
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["code"] == "unauthenticated" and "WWW-Authenticate" in answer.headers


def test_the_openapi_document_names_roles_and_problems(api: Api) -> None:
    document = api.client.get("/v1/openapi.json").json()
    mint = document["paths"]["/v1/issuances/{issuance_id}/mint"]["post"]
    assert mint["x-roles"] == ["issuer"]
    described = " ".join(r["description"] for r in mint["responses"].values())
    for code in (
        "not_issuance_issuer",
        "permit_expired",
        "recipient_notice_not_acknowledged",
        "collateral_insufficient",
    ):
        assert code in described
    assert "Problem" in document["components"]["schemas"]
    paths = document["paths"]
    assert paths["/v1/risk-notices"]["post"]["x-roles"] == ["regulator"]
    assert paths["/v1/issuances/{issuance_id}/pause"]["post"]["x-roles"] == ["regulator", "operator", "supervisor"]
    assert paths["/v1/issuances/{issuance_id}/unpause"]["post"]["x-roles"] == ["regulator", "operator", "supervisor"]
    assert set(paths["/v1/issuances/{issuance_id}/coverage/sync"]["post"]["x-roles"]) == {*ROLES, "holder"}
    assert paths["/v1/issuances/{issuance_id}/coverage"]["get"]["x-roles"] == ["public"]
    unpause = " ".join(
        r["description"] for r in paths["/v1/issuances/{issuance_id}/unpause"]["post"]["responses"].values()
    )
    assert "secured_asset_paused_by_regulator" in unpause
    # What the regulator's key would sign is refused on a governed deployment, and says so.
    assert "regulator_governed" in paths["/v1/permits"]["post"]["responses"]["409"]["x-problem-codes"]
    assert "regulator_governed" in unpause
    assert "regulator_governed" not in str(paths["/v1/participants/{wallet}/freeze"]["post"]["responses"])
    assert "regulator_governed" not in str(paths["/v1/issuances/{issuance_id}/coverage/sync"]["post"]["responses"])
    attach = paths["/v1/issuances/{issuance_id}/attestations"]["post"]["responses"]
    described = " ".join(r["description"] for r in attach.values())
    for code in ("collateral_already_pledged", "collateral_not_current_pledge", "collateral_supersedes_other_issuance"):
        assert code in described
    transfer = " ".join(r["description"] for r in paths["/v1/transfers"]["post"]["responses"].values())
    assert "undercollateralised" in transfer and "sender_notice_not_acknowledged" in transfer
    assert document["paths"]["/v1/health"]["get"]["x-roles"] == ["public"]
    schemes = document["components"]["securitySchemes"]
    assert {"APIKeyHeader", "HTTPBearer"} <= set(schemes)


@pytest.mark.parametrize("role", ["regulator", "operator"])
def test_a_revoked_key_is_refused(api: Api, role: str) -> None:
    from api.auth import list_api_keys, revoke_api_key

    key_id = next(k.id for k in list_api_keys(api.gateway.db) if k.role.value == role)
    assert revoke_api_key(api.gateway.db, key_id)
    assert api.client.get("/v1/decisions/watch", headers=api.key(role)).status_code == 401
