"""Who is calling: one kind of credentials per request. A key header beside a session, even an
empty one, is refused rather than ignored; a revoked key is no one at once; a session token is
never a key nor a key a session, and each is admitted only where its role is."""

from __future__ import annotations

from gateway_support import Api

from api.auth import revoke_api_key


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


def test_a_revoked_key_is_refused_at_once(api: Api) -> None:
    key = api.key("auditor")
    assert api.client.get("/v1/decisions/watch", headers=key).status_code == 200
    key_id = api.keys["auditor"].split("_")[1]
    assert revoke_api_key(api.gateway.db, key_id)
    answer = api.client.get("/v1/decisions/watch", headers=key)
    assert answer.status_code == 401 and answer.json()["code"] == "unauthenticated"


def test_each_credential_counts_only_as_itself_and_only_where_its_role_is_admitted(api: Api) -> None:
    session = api.holder(api.accounts[6])
    token = session["Authorization"].partition(" ")[2]
    # A holder on a key-only route, a key on a holder route: known callers, the wrong role.
    assert api.client.get("/v1/decisions/watch", headers=session).json()["code"] == "forbidden"
    assert api.client.get("/v1/holders/me", headers=api.key("regulator")).json()["code"] == "forbidden"
    # A session token as a key, a key as a session, a truncated token, another scheme: no one.
    for headers in (
        {"X-API-Key": token},
        {"Authorization": f"Bearer {api.keys['regulator']}"},
        {"Authorization": f"Bearer {token[:-1]}"},
        {"Authorization": f"Bearer {token[:12]}"},
        {"Authorization": f"Basic {token}"},
        {"Authorization": "Bearer"},
    ):
        assert api.client.get("/v1/holders/me", headers=headers).status_code == 401, headers
    # The scheme is case-insensitive (RFC 9110).
    assert api.client.get("/v1/holders/me", headers={"Authorization": f"bearer {token}"}).status_code == 200
