"""Every failure is a documented problem: a method the path does not take names those it does
(`Allow`), a body that cannot be read gets its own listed code, and a protected route tells nothing
about its body to a caller it would not admit."""

from __future__ import annotations

from gateway_support import Api

NOT_UTF8 = b'{"operator": "\xff\xfe"}'
JSON = {"content-type": "application/json"}


def test_a_method_not_allowed_names_every_method_of_the_path(api: Api) -> None:
    answer = api.client.put("/v1/issuances")
    assert answer.status_code == 405 and answer.json()["code"] == "method_not_allowed"
    assert answer.headers["allow"] == "GET, POST"  # two routes share the path
    assert api.client.delete("/v1/issuances/1/mint").headers["allow"] == "POST"


def test_a_body_that_is_not_utf8_has_a_listed_code(api: Api) -> None:
    answer = api.client.post("/v1/auth/sign-in", content=NOT_UTF8, headers=JSON)
    assert answer.status_code == 400 and answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["code"] == "malformed_body"
    assert "malformed_body" in {p["code"] for p in api.client.get("/v1/problems").json()}


def test_a_protected_route_authenticates_before_it_says_anything_of_its_body(api: Api) -> None:
    anonymous = api.client.post("/v1/permits", content=NOT_UTF8, headers=JSON)
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "unauthenticated"
    wrong_role = api.client.post("/v1/permits", content=NOT_UTF8, headers={**JSON, **api.key("issuer")})
    assert wrong_role.status_code == 403
    invalid = api.client.post("/v1/permits", json={"operator": 1}, headers=api.key("issuer"))
    assert invalid.status_code == 403
    admitted = api.client.post("/v1/permits", content=NOT_UTF8, headers={**JSON, **api.key("regulator")})
    assert admitted.status_code == 400 and admitted.json()["code"] == "malformed_body"
    unknown = api.client.post("/v1/permits", json={"operator": 1}, headers={"X-API-Key": "sdap_nope_nope"})
    assert unknown.status_code == 401
