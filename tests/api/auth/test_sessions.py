"""Holder sessions: a sign-in message is refused once expired, before it is valid, or when its URI
is on another origin than the gateway's; a session is refused once expired; a nonce stays used
until it expires, signed out or not; a sign-out ends the session it is sent with, whatever
Idempotency-Key comes with it."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from eth_account.messages import encode_defunct
from eth_account.signers.local import LocalAccount
from gateway_support import SESSION_SECRET, Api

from api.auth.sessions import SessionStore
from api.auth.siwe import SiweMessage
from api.errors import SignInFailed


def offered(api: Api, account: LocalAccount) -> SiweMessage:
    """The message the gateway offers `account` (with a fresh nonce of its own)."""
    nonce = api.client.get("/v1/auth/nonce").json()["nonce"]
    return api.gateway.sessions.message(account.address, nonce)


def sign_in(api: Api, account: LocalAccount, message: SiweMessage | str) -> Any:
    text = message if isinstance(message, str) else message.text()
    signature = "0x" + bytes(account.sign_message(encode_defunct(text=text)).signature).hex()
    return api.client.post("/v1/auth/sign-in", json={"message": text, "signature": signature})


def test_an_expired_message_is_refused(api: Api) -> None:
    account = api.accounts[6]
    stale = replace(offered(api, account), expiration_time=datetime.now(UTC) - timedelta(minutes=5))
    answer = sign_in(api, account, stale)
    assert answer.status_code == 401 and answer.json()["code"] == "sign_in_failed"
    assert "expired" in answer.json()["detail"]


def test_a_uri_of_another_origin_is_refused(api: Api) -> None:
    account = api.accounts[6]
    for uri in ("https://testserver", "http://testserver:8443/", "http://evil.example/login", "testserver"):
        answer = sign_in(api, account, replace(offered(api, account), uri=uri))
        assert answer.status_code == 401, uri
        assert "origin" in answer.json()["detail"], uri
    assert sign_in(api, account, replace(offered(api, account), uri="http://testserver/login")).status_code == 201


def test_a_captured_sign_in_cannot_be_replayed_after_sign_out(api: Api) -> None:
    account = api.accounts[6]
    message = offered(api, account).text()
    first = sign_in(api, account, message)
    assert first.status_code == 201
    headers = {"Authorization": f"Bearer {first.json()['token']}"}
    assert api.client.post("/v1/auth/sign-out", headers=headers).status_code == 204
    assert api.client.get("/v1/holders/me", headers=headers).status_code == 401
    replay = sign_in(api, account, message)  # the same message and signature, captured
    assert replay.status_code == 401 and "already used" in replay.json()["detail"]


def test_a_second_device_signs_out_with_a_reused_idempotency_key(api: Api) -> None:
    account = api.accounts[6]
    devices = [
        {"Authorization": f"Bearer {sign_in(api, account, offered(api, account)).json()['token']}"} for _ in "ab"
    ]
    for device in devices:
        answer = api.client.post("/v1/auth/sign-out", headers={**device, "Idempotency-Key": "sign-out"})
        assert answer.status_code == 204 and "Idempotent-Replayed" not in answer.headers
    for device in devices:
        assert api.client.get("/v1/holders/me", headers=device).status_code == 401


def test_a_message_issued_in_the_future_or_not_valid_yet_is_refused(api: Api) -> None:
    account = api.accounts[6]
    later = datetime.now(UTC) + timedelta(minutes=5)
    for message, reason in (
        (replace(offered(api, account), issued_at=later), "future"),
        (replace(offered(api, account), not_before=later), "not valid yet"),
    ):
        answer = sign_in(api, account, message)
        assert answer.status_code == 401 and reason in answer.json()["detail"], reason


def test_a_session_is_refused_once_expired(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    session = sign_in(api, api.accounts[6], offered(api, api.accounts[6])).json()
    headers = {"Authorization": f"Bearer {session['token']}"}
    assert api.client.get("/v1/holders/me", headers=headers).status_code == 200
    monkeypatch.setattr("api.auth.sessions.now", lambda: session["expires_at"] + 1)
    answer = api.client.get("/v1/holders/me", headers=headers)
    assert answer.status_code == 401 and answer.json()["code"] == "unauthenticated"


def test_a_signed_out_sign_in_stays_spent_while_its_nonce_lives_whatever_the_nonce_lifetime_now(
    make_api: Callable[..., Api], accounts: list[LocalAccount]
) -> None:
    # The row that spends a nonce was kept for the lifetime nonces have now, not for the nonce's
    # own: after a restart with a shorter one, a captured sign-in opened a session again.
    api = make_api(nonce_ttl=300)
    holder = accounts[8]
    message = api.client.get("/v1/auth/nonce", params={"address": holder.address}).json()["message"]
    signature = bytes(holder.sign_message(encode_defunct(text=message)).signature)
    token = api.gateway.sessions.sign_in(message, signature).token
    api.gateway.sessions.sign_out(token)
    store = api.gateway.sessions
    restarted = SessionStore(
        api.gateway.db,
        SESSION_SECRET.encode(),
        domain=store.domain,
        public_url=store.public_url,
        chain_id=store.chain_id,
        ttl=store.ttl,
        nonce_ttl=1,
    )
    time.sleep(2.1)  # longer than nonces live now: the old rule dropped the row by now
    restarted.sign_in(*offered_to(restarted, accounts[9]))  # any sign-in clears what has gone stale
    with pytest.raises(SignInFailed, match="already used"):
        restarted.sign_in(message, signature)


def offered_to(store: SessionStore, account: LocalAccount) -> tuple[str, bytes]:
    nonce, _ = store.new_nonce()
    text = store.message(account.address, nonce).text()
    return text, bytes(account.sign_message(encode_defunct(text=text)).signature)
