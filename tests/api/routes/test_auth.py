"""Holder sign-in (api/routes/auth.py): a nonce is new on every call, never cached, and comes with
the EIP-4361 message to sign when an address is given; a signed message opens a session for its
signer, once, and for the session's lifetime; a sign-in is never answered from an Idempotency-Key.
(The session store's own rules, expiry, origin and sign-out: tests/api/auth/test_sessions.py.)"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from eth_account.messages import encode_defunct
from eth_account.signers.local import LocalAccount
from gateway_support import Api


def signed(account: LocalAccount, message: str) -> dict[str, str]:
    """The sign-in body of `message` signed by `account`, as its wallet would sign it."""
    signature = "0x" + bytes(account.sign_message(encode_defunct(text=message)).signature).hex()
    return {"message": message, "signature": signature}


def test_sign_in_and_out(api: Api, accounts: list[LocalAccount]) -> None:
    holder = api.holder(accounts[6])
    me = api.client.get("/v1/holders/me", headers=holder)
    assert me.status_code == 200 and me.json()["address"] == accounts[6].address
    assert api.client.post("/v1/auth/sign-out", headers=holder).status_code == 204
    assert api.client.get("/v1/holders/me", headers=holder).status_code == 401


def test_sign_in_refusals(api: Api, accounts: list[LocalAccount]) -> None:
    account = accounts[6]
    message = api.client.get("/v1/auth/nonce", params={"address": account.address}).json()["message"]

    def attempt(text: str, signer: LocalAccount = account) -> Any:
        signature = "0x" + bytes(signer.sign_message(encode_defunct(text=text)).signature).hex()
        return api.client.post("/v1/auth/sign-in", json={"message": text, "signature": signature})

    assert attempt(message, accounts[7]).json()["code"] == "sign_in_failed"  # someone else's signature
    assert attempt(message.replace("testserver", "evil.example")).status_code == 401  # another domain
    assert attempt(message.replace("Chain ID: 31337", "Chain ID: 1")).status_code == 401
    nonce = message.split("Nonce: ")[1].split("\n")[0]
    forged = nonce[:-1] + ("0" if nonce[-1] != "0" else "1")
    assert attempt(message.replace(nonce, forged)).status_code == 401  # a nonce the gateway did not issue
    assert attempt("hello").status_code == 401
    assert attempt(message).status_code == 201
    replay = attempt(message)
    assert replay.status_code == 401 and "already used" in replay.json()["detail"]


def test_a_nonce_is_new_each_time_never_cached_and_expires_after_its_ttl(make_api: Callable[..., Api]) -> None:
    api = make_api(nonce_ttl=120)
    before = int(time.time())
    first, second = api.client.get("/v1/auth/nonce"), api.client.get("/v1/auth/nonce")
    assert first.status_code == second.status_code == 200
    # A cached nonce would be handed to two wallets: only one of them could sign in.
    assert first.headers["cache-control"] == "no-store"
    assert first.json()["nonce"] != second.json()["nonce"]
    assert first.json()["message"] is None  # no address, no message to sign
    assert before + 120 <= first.json()["expires_at"] <= int(time.time()) + 120


def test_the_message_offered_names_the_checksummed_address_the_nonce_and_the_chain(
    make_api: Callable[..., Api], accounts: list[LocalAccount]
) -> None:
    api = make_api()
    account = accounts[8]
    # A wallet may send its address in lower case; EIP-4361 requires the EIP-55 form in the message.
    answer = api.client.get("/v1/auth/nonce", params={"address": account.address.lower()})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    lines = body["message"].splitlines()
    assert lines[0].endswith("testserver wants you to sign in with your Ethereum account:")
    assert lines[1] == account.address
    assert f"Nonce: {body['nonce']}" in lines and "Chain ID: 31337" in lines
    assert api.client.get("/v1/auth/nonce", params={"address": "0x1234"}).json()["code"] == "validation_failed"


def test_a_session_is_opened_for_the_signer_for_the_session_lifetime(
    make_api: Callable[..., Api], accounts: list[LocalAccount]
) -> None:
    api = make_api(session_ttl=600)
    account = accounts[8]
    message = api.client.get("/v1/auth/nonce", params={"address": account.address}).json()["message"]
    before = int(time.time())
    answer = api.client.post("/v1/auth/sign-in", json=signed(account, message))
    assert answer.status_code == 201, answer.text
    session = answer.json()
    assert session["address"] == account.address
    assert before + 600 <= session["expires_at"] <= int(time.time()) + 600
    me = api.client.get("/v1/holders/me", headers={"Authorization": f"Bearer {session['token']}"})
    assert me.status_code == 200 and me.json()["address"] == account.address


def test_a_sign_in_is_never_answered_from_an_idempotency_key(
    make_api: Callable[..., Api], accounts: list[LocalAccount]
) -> None:
    """Replaying a stored answer would hand the session token out again (and keep it stored): the
    nonce makes a sign-in single-use by itself."""
    api = make_api()
    account = accounts[8]

    def sign_in() -> Any:
        message = api.client.get("/v1/auth/nonce", params={"address": account.address}).json()["message"]
        body = signed(account, message)
        return body, api.client.post("/v1/auth/sign-in", json=body, headers={"Idempotency-Key": "sign-in"})

    body, first = sign_in()
    assert first.status_code == 201, first.text
    again = api.client.post("/v1/auth/sign-in", json=body, headers={"Idempotency-Key": "sign-in"})
    assert again.status_code == 401 and "Idempotent-Replayed" not in again.headers
    assert first.json()["token"] not in again.text
    _, fresh = sign_in()  # a new message under the same key is a new sign-in
    assert fresh.status_code == 201 and fresh.json()["token"] != first.json()["token"]


def test_a_sign_out_ends_the_session_it_was_authenticated_with(
    make_api: Callable[..., Api], accounts: list[LocalAccount]
) -> None:
    # The bearer scheme's parser trims spaces around the token; a sign-out that read the header
    # itself ended nothing for "Bearer  <token>" and still answered 204.
    api = make_api()
    holder = accounts[8]
    message = api.client.get("/v1/auth/nonce", params={"address": holder.address}).json()["message"]
    token = api.client.post("/v1/auth/sign-in", json=signed(holder, message)).json()["token"]
    spaced = {"Authorization": f"Bearer  {token}"}
    assert api.client.get("/v1/holders/me", headers=spaced).status_code == 200
    assert api.client.post("/v1/auth/sign-out", headers=spaced).status_code == 204
    assert api.client.get("/v1/holders/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("URI: http://testserver", "URI: http://[::1"),
        ("URI: http://testserver", "URI: http://[abc]/"),
        ("Chain ID: 31337", "Chain ID: \u00b2"),
        ("Chain ID: 31337", "Chain ID: \uff13\uff11\uff13\uff13\uff17"),  # full-width digits: 31337 to int()
    ],
)
def test_a_malformed_sign_in_message_is_refused_not_a_server_error(
    make_api: Callable[..., Api], accounts: list[LocalAccount], old: str, new: str
) -> None:
    api = make_api()
    holder = accounts[8]
    message = api.client.get("/v1/auth/nonce", params={"address": holder.address}).json()["message"]
    text = message.replace(old, new)
    assert text != message
    answer = api.client.post("/v1/auth/sign-in", json=signed(holder, text))
    assert answer.status_code == 401 and answer.json()["code"] == "sign_in_failed", answer.text
