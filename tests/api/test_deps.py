"""Who is calling: one kind of credentials per request. A key header beside a session, even an
empty one, is refused rather than ignored."""

from __future__ import annotations

from gateway_support import Api


def test_an_empty_api_key_beside_a_session_is_refused(api: Api) -> None:
    session = api.holder(api.accounts[6])
    assert api.client.get("/v1/holders/me", headers=session).status_code == 200
    answer = api.client.get("/v1/holders/me", headers={**session, "X-API-Key": ""})
    assert answer.status_code == 401 and answer.json()["code"] == "ambiguous_credentials"


def test_a_key_and_a_session_together_are_refused(api: Api) -> None:
    both = {**api.holder(api.accounts[6]), **api.key("regulator")}
    answer = api.client.get("/v1/decisions/watch", headers=both)
    assert answer.status_code == 401 and answer.json()["code"] == "ambiguous_credentials"
    assert api.client.get("/v1/decisions/watch", headers=api.key("regulator")).status_code == 200
