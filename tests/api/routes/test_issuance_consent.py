"""The issuer's consent to an issuance (Law art. 6.5) through the gateway: the creation carries it,
the gateway checks it as the contract will before it fetches or sends anything, each refusal with
the contract's own code; and what the issuer's wallet signs, with its next nonce."""

from __future__ import annotations

from typing import Any

import pytest
from eth_account.messages import encode_typed_data
from gateway_support import Api, Documents, consent_of, hx, issuance_body, terms_of
from world import World, advance, chain_time

PATH = "/v1/issuances"
#: secp256k1's order: `n - s` is the other, malleable, signature of the same message.
ORDER = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141


def posted(world: World) -> int:
    return world.queries.issuance_count()


def fetched(documents: Documents, body: dict[str, Any]) -> bool:
    return any(body["decision_uri"].endswith(path) for _, path in documents.requests)


def refused(api: Api, body: dict[str, Any], status: int, code: str, who: str = "operator") -> dict[str, Any]:
    answer = api.post(PATH, who, body)
    assert answer.status_code == status, answer.text
    problem: dict[str, Any] = answer.json()
    assert problem["code"] == code
    return problem


def test_the_consent_is_recorded_and_its_nonce_spent(api: Api, world: World, documents: Documents) -> None:
    body = issuance_body(world, documents)
    created = api.post(PATH, "operator", body)
    assert created.status_code == 201, created.text
    issuance_id = created.json()["id"]
    nonce = body["consent"]["nonce"]
    events = world.platform.contracts.asset.events.IssuerConsented.get_logs(from_block=0)
    (event,) = [e for e in events if e["args"]["id"] == issuance_id]
    assert (event["args"]["issuer"], event["args"]["nonce"]) == (world.issuer.address, nonce)
    assert world.queries.consent_nonce(world.issuer.address) == nonce + 1
    # The same consent again (a new request, not a retry): its nonce is spent, nothing is fetched or posted.
    documents.requests.clear()
    problem = refused(api, body, 409, "secured_asset_consent_nonce_invalid")
    assert problem["arguments"] == {"issuer": world.issuer.address, "nonce": nonce, "expected": nonce + 1}
    assert not fetched(documents, body) and posted(world) == issuance_id


def test_a_consent_not_signed_by_the_issuer_is_refused_before_anything_is_fetched(
    api: Api, world: World, documents: Documents
) -> None:
    before = posted(world)
    body = issuance_body(world, documents)
    forged = {**body, "consent": consent_of(world, body, signer=world.accounts[9])}
    documents.requests.clear()
    problem = refused(api, forged, 422, "secured_asset_consent_not_signed")
    assert problem["arguments"] == {"issuer": world.issuer.address}
    # Terms changed after signing, or another operator named: not what the issuer signed.
    refused(api, {**body, "max_supply": 1001}, 422, "secured_asset_consent_not_signed")
    other_operator = consent_of(world, body, operator=world.accounts[10].address)
    refused(api, {**body, "consent": other_operator}, 422, "secured_asset_consent_not_signed")
    assert not fetched(documents, body) and posted(world) == before
    assert api.post(PATH, "operator", body).status_code == 201  # the issuer's own still works


def test_a_malleable_signature_is_refused_as_the_contract_refuses_it(
    api: Api, world: World, documents: Documents
) -> None:
    body = issuance_body(world, documents)
    signature = bytes.fromhex(body["consent"]["signature"][2:])
    s = int.from_bytes(signature[32:64], "big")
    flipped = signature[:32] + (ORDER - s).to_bytes(32, "big") + bytes([55 - signature[64]])
    malleable = {**body, "consent": {**body["consent"], "signature": hx(flipped)}}
    refused(api, malleable, 422, "secured_asset_consent_not_signed")
    assert api.post(PATH, "operator", body).status_code == 201


def test_an_expired_consent_is_refused(api: Api, world: World, documents: Documents) -> None:
    before = posted(world)
    body = issuance_body(world, documents)
    expired = {**body, "consent": consent_of(world, body, deadline=chain_time(world.w3) - 1)}
    problem = refused(api, expired, 409, "secured_asset_consent_expired")
    assert problem["arguments"] == {"deadline": expired["consent"]["deadline"]}
    advance(world.w3, 86_401)
    refused(api, body, 409, "secured_asset_consent_expired")  # a day has passed
    assert posted(world) == before


def test_a_nonce_ahead_of_the_issuers_is_refused(api: Api, world: World, documents: Documents) -> None:
    body = issuance_body(world, documents)
    nonce = body["consent"]["nonce"]
    ahead = {**body, "consent": consent_of(world, body, nonce=nonce + 1)}
    problem = refused(api, ahead, 409, "secured_asset_consent_nonce_invalid")
    assert (problem["arguments"]["nonce"], problem["arguments"]["expected"]) == (nonce + 1, nonce)


def test_the_chain_answers_a_forged_consent_with_the_same_code(
    api: Api, world: World, documents: Documents, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the gateway's check, the contract refuses the consent itself: the same code and status."""
    monkeypatch.setattr(api.gateway.issuances.consents, "check", lambda params, consent: None)
    body = issuance_body(world, documents)
    forged = {**body, "consent": consent_of(world, body, signer=world.accounts[9])}
    problem = refused(api, forged, 422, "secured_asset_consent_not_signed")
    assert problem["error"] == "SecuredAsset_ConsentNotSigned"


# --- what the issuer signs -------------------------------------------------------------------


def terms(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != "consent"}


def test_the_issuers_wallet_signs_the_message_the_gateway_gives(api: Api, world: World, documents: Documents) -> None:
    body = terms(issuance_body(world, documents))
    answer = api.post(f"{PATH}/consent-message", "issuer", body)
    assert answer.status_code == 200, answer.text
    request = answer.json()
    assert request["operator"] == api.gateway.chain.operator_address
    assert request["nonce"] == world.queries.consent_nonce(world.issuer.address)
    assert request["deadline"] > chain_time(world.w3)
    typed = request["typed_data"]
    assert typed["primaryType"] == "IssuanceConsent"
    assert typed["domain"]["verifyingContract"] == world.platform.deployment.asset
    assert typed["message"]["maxSupply"] == 1000 and typed["message"]["decisionHash"] == body["decision_hash"]
    issuer = world.accounts[5]
    signed = issuer.sign_message(encode_typed_data(full_message=typed))
    assert hx(bytes(signed.message_hash)) == request["digest"]
    consent = {"nonce": request["nonce"], "deadline": request["deadline"], "signature": hx(bytes(signed.signature))}
    created = api.post(PATH, "issuer", {**body, "consent": consent})
    assert created.status_code == 201, created.text


def test_a_keyed_nonce_is_given_as_wallets_read_it(api: Api, world: World, documents: Documents) -> None:
    """A nonce under key 5 is past 2^53: a decimal string in the typed data (JavaScript would round
    a number), an integer in the answer; the consent signed over it is used in turn."""
    body = terms(issuance_body(world, documents))
    body_nonce = world.queries.consent_nonce(world.issuer.address)
    request = api.post(f"{PATH}/consent-message", "operator", {**body, "key": 5, "deadline": 2**40}).json()
    assert request["nonce"] == 5 << 64 and request["deadline"] == 2**40
    assert request["typed_data"]["message"]["nonce"] == str(5 << 64)
    signed = world.accounts[5].sign_message(encode_typed_data(full_message=request["typed_data"]))
    consent = {"nonce": request["nonce"], "deadline": request["deadline"], "signature": hx(bytes(signed.signature))}
    assert api.post(PATH, "operator", {**body, "consent": consent}).status_code == 201
    assert world.queries.consent_nonce(world.issuer.address, 5) == (5 << 64) + 1
    assert world.queries.consent_nonce(world.issuer.address) == body_nonce  # key 0 untouched


def test_an_issuer_asks_only_for_its_own_consent(api: Api, world: World, documents: Documents) -> None:
    body = terms(issuance_body(world, documents, issuer=world.a.address))
    answer = api.post(f"{PATH}/consent-message", "issuer", body)
    assert answer.status_code == 403 and answer.json()["code"] == "not_issuance_issuer"
    assert api.post(f"{PATH}/consent-message", world.accounts[6], body).json()["code"] == "forbidden"


def test_the_message_is_what_the_sdk_signs(api: Api, world: World, documents: Documents) -> None:
    body = terms(issuance_body(world, documents))
    request = api.post(f"{PATH}/consent-message", "issuer", body).json()
    signed = world.issuer.sign_consent(terms_of(body), world.operator.address, deadline=request["deadline"])
    assert hx(signed.digest) == request["digest"] and signed.consent.nonce == request["nonce"]


def test_the_issuer_withdraws_a_consent_before_it_is_used(api: Api, world: World, documents: Documents) -> None:
    body = issuance_body(world, documents)
    nonce = body["consent"]["nonce"]
    ahead = api.post(f"{PATH}/consent-withdrawal", "issuer", {"nonce": nonce + 1})
    assert ahead.status_code == 409 and ahead.json()["code"] == "secured_asset_consent_nonce_invalid"
    answer = api.post(f"{PATH}/consent-withdrawal", "issuer", {"nonce": nonce}, key="w-1")
    assert answer.status_code == 200, answer.text
    assert (answer.json()["issuer"], answer.json()["nonce"]) == (world.issuer.address, nonce)
    (event,) = world.platform.contracts.asset.events.IssuerConsentWithdrawn.get_logs(from_block=0)
    assert event["args"]["nonce"] == nonce
    refused(api, body, 409, "secured_asset_consent_nonce_invalid")
    assert api.post(f"{PATH}/consent-withdrawal", "operator", {"nonce": nonce + 1}).json()["code"] == "forbidden"
