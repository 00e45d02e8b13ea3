"""Offers through the gateway, on real anvil, signed as a wallet signs (eth-account): a maker signs
the EIP-712 offer the gateway hands it and publishes it, a taker finds it and takes it by a forward
request the operator relays (both legs in one transaction, no gas for either holder), the maker
cancels one the same way; each refusal answered early with the contract's own code, or the
`checkTransfer` code of the refused leg; the auditor finds the history clean."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from emoney import EMoney
from eth_account import Account
from eth_account.signers.local import LocalAccount
from gateway_support import Api, hx, sign_typed, walk
from sqlalchemy import func, select, update
from world import World, advance, chain_time, h

from api.chain.journal import Journal
from api.db.schema import idempotency_records, offers, transactions
from sdap.audit import audit

PATH = "/v1/offers"
ZERO = "0x" + "00" * 20


def wallet_signature(account: LocalAccount, typed_data: dict[str, Any]) -> str:
    """The signature a wallet's eth_signTypedData_v4 gives, made by eth-account's own typed-data API."""
    types = {k: v for k, v in typed_data["types"].items() if k != "EIP712Domain"}
    signed = Account.sign_typed_data(account.key, typed_data["domain"], types, typed_data["message"])
    return hx(bytes(signed.signature))


def make(api: Api, maker: LocalAccount, **terms: Any) -> dict[str, Any]:
    """The offer `maker` signs for `terms` (GET /v1/offers/typed-data), and its signature."""
    prepared = api.get(f"{PATH}/typed-data", maker, params=terms)
    assert prepared.status_code == 200, prepared.text
    body = prepared.json()
    return {"offer": body["fields"]["offer"], "signature": wallet_signature(maker, body["typed_data"])}


def publish(api: Api, maker: LocalAccount, key: str | None = None, **terms: Any) -> dict[str, Any]:
    answer = api.post(PATH, maker, make(api, maker, **terms), key=key)
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def take(api: Api, taker: LocalAccount, offer_hash: str, key: str | None = None) -> Any:
    """`taker` takes the offer: the forward request the gateway gives, signed and relayed."""
    prepared = api.get(f"{PATH}/{offer_hash}/take-request", taker)
    if prepared.status_code != 200:
        return prepared
    signed = {**prepared.json()["fields"], "signature": sign_typed(taker, prepared.json()["typed_data"])}
    return api.post(f"{PATH}/{offer_hash}/take", taker, signed, key=key)


def cancel(api: Api, maker: LocalAccount, offer_hash: str) -> Any:
    prepared = api.get(f"{PATH}/{offer_hash}/cancel-request", maker)
    if prepared.status_code != 200:
        return prepared
    signed = {**prepared.json()["fields"], "signature": sign_typed(maker, prepared.json()["typed_data"])}
    return api.post(f"{PATH}/{offer_hash}/cancellation", maker, signed)


def clean_audit(world: World) -> None:
    report = audit(world.platform)
    assert report.ok, [b.message for b in report.breaches]


def test_a_swap_between_two_holders_through_the_gateway(
    world: World, second: int, make_api: Callable[..., Api]
) -> None:
    api = make_api()
    a, b = world.accounts[6], world.accounts[7]
    gas = {x.address: world.w3.eth.get_balance(x.address) for x in (a, b)}

    signed = make(api, a, give_id=world.issuance, give_amount=10, want_id=second, want_amount=5)
    assert signed["offer"]["maker"] == a.address and signed["offer"]["taker"] == ZERO
    assert isinstance(signed["offer"]["nonce"], str) and int(signed["offer"]["nonce"]) < 2**128  # fresh, random
    published = api.post(PATH, a, signed, key="offer-1")
    assert published.status_code == 201, published.text
    offer_hash = published.json()["offer_hash"]
    assert published.json()["status"] == "open" and published.json()["offer"] == signed["offer"]
    # The same key and body: the first answer, once; the same offer again: refused, kept once.
    replay = api.post(PATH, a, signed, key="offer-1")
    assert replay.status_code == 201 and replay.headers["Idempotent-Replayed"] == "true"
    again = api.post(PATH, a, signed, key="offer-2")
    assert again.status_code == 409 and again.json()["code"] == "offer_already_published"

    # b finds it, and can take it; c, holding nothing of the second issuance, could not.
    found, _ = walk(api, PATH, taker=b.address, status="open")
    assert [o["offer_hash"] for o in found] == [offer_hash]
    assert walk(api, PATH, taker=a.address)[0] == []  # not its own
    check = api.get(f"{PATH}/{offer_hash}", params={"taker": b.address}).json()["check"]
    assert check == {"taker": b.address, "takeable": True, "offer_refusal": "none", "refusal": "none", "code": None}
    c = world.accounts[8]
    check = api.get(f"{PATH}/{offer_hash}", params={"taker": c.address}).json()["check"]
    assert (check["offer_refusal"], check["refusal"], check["code"]) == (
        "want_leg_refused",
        "insufficient_balance",
        "insufficient_balance",
    )
    refused = take(api, c, offer_hash)
    assert refused.status_code == 409 and refused.json()["code"] == "insufficient_balance"
    assert (refused.json()["leg"], refused.json()["offer_refusal"]) == ("want", "want_leg_refused")

    prepared = api.get(f"{PATH}/{offer_hash}/take-request", b).json()
    request = {**prepared["fields"], "signature": sign_typed(b, prepared["typed_data"])}
    assert prepared["typed_data"]["message"]["to"] == world.platform.deployment.exchange
    taken = api.post(f"{PATH}/{offer_hash}/take", b, request, key="take-1")
    assert taken.status_code == 201, taken.text
    assert (taken.json()["maker"], taken.json()["taker"]) == (a.address, b.address)
    assert taken.json()["offer_hash"] == offer_hash
    q = world.queries
    assert (q.balance_of(a.address, world.issuance), q.balance_of(a.address, second)) == (90, 5)
    assert (q.balance_of(b.address, world.issuance), q.balance_of(b.address, second)) == (10, 45)
    assert {x.address: world.w3.eth.get_balance(x.address) for x in (a, b)} == gas  # the operator paid
    # Replayed, not sent twice; taken, it is taken.
    replay = api.post(f"{PATH}/{offer_hash}/take", b, request, key="take-1")
    assert replay.status_code == 201 and replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json()["tx_hash"] == taken.json()["tx_hash"]
    assert q.balance_of(b.address, world.issuance) == 10
    shown = api.get(f"{PATH}/{offer_hash}").json()
    assert shown["status"] == "taken" and shown["taken"]["taker"] == b.address
    assert shown["taken"]["tx_hash"] == taken.json()["tx_hash"]
    twice = take(api, b, offer_hash)
    assert twice.status_code == 409 and twice.json()["code"] == "exchange_nonce_used"
    assert walk(api, PATH, status="open")[0] == [] and len(walk(api, PATH, status="taken")[0]) == 1

    clean_audit(world)


def test_a_take_interrupted_after_sending_is_sent_once(
    world: World, second: int, make_api: Callable[..., Api], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The gateway dies after relaying a take but before recording its answer: the retry with the
    same key, on the restarted gateway, answers that transaction (found by its hash in the journal)
    instead of checking again (the nonce is spent now) or sending a second one."""
    url = f"sqlite:///{tmp_path / 'take.db'}"
    api = make_api(url)
    a, b = world.accounts[6], world.accounts[7]
    offer_hash = publish(api, a, give_id=world.issuance, give_amount=10, want_id=second, want_amount=5)["offer_hash"]
    prepared = api.get(f"{PATH}/{offer_hash}/take-request", b).json()
    request = {**prepared["fields"], "signature": sign_typed(b, prepared["typed_data"])}

    def crash(*args: object) -> None:
        raise RuntimeError("the process died here")

    with monkeypatch.context() as patch:
        patch.setattr(Journal, "mark", crash)
        patch.setattr("api.idempotency.write_marks", crash)
        first = api.post(f"{PATH}/{offer_hash}/take", b, request, key="take-once")
    assert first.status_code == 201, first.text
    with api.gateway.db.write() as conn:  # what the crash leaves: the request running, its transaction pending
        conn.execute(update(idempotency_records).values(state="running"))
        conn.execute(update(transactions).values(state="pending", block_number=None))
    api.client.__exit__(None, None, None)

    restarted = make_api(url)
    retry = restarted.post(f"{PATH}/{offer_hash}/take", b, request, key="take-once")
    assert retry.status_code == 201, retry.text
    assert retry.json() == first.json()
    assert world.queries.balance_of(b.address, world.issuance) == 10  # taken once
    with restarted.gateway.db.read() as conn:
        assert conn.scalar(select(func.count()).select_from(transactions)) == 1


def test_relayed_takes_count_against_the_holders_gas_budget(
    world: World, second: int, make_api: Callable[..., Api]
) -> None:
    """The operator pays for a take as for a transfer: within the taker's relay gas budget."""
    a, b = world.accounts[6], world.accounts[7]
    terms = {"give_id": world.issuance, "give_amount": 1, "want_id": second, "want_amount": 1}
    probe = make_api()
    offers = [publish(probe, a, **terms)["offer_hash"] for _ in range(2)]
    gas = probe.get(f"{PATH}/{offers[0]}/take-request", b).json()["fields"]["gas"]
    api = make_api(relay_gas_budget=gas + gas // 2)  # one take's worth, not two (its own records: republished)
    for offer_hash in offers:
        offer = probe.get(f"{PATH}/{offer_hash}").json()
        assert api.post(PATH, a, {"offer": offer["offer"], "signature": offer["signature"]}).status_code == 201
    assert take(api, b, offers[0]).status_code == 201
    second_take = take(api, b, offers[1])
    assert second_take.status_code == 429 and second_take.json()["code"] == "gas_budget_exceeded"
    assert world.queries.balance_of(b.address, world.issuance) == 1  # the second was not sent


def test_the_maker_cancels_and_offers_expire(world: World, second: int, make_api: Callable[..., Api]) -> None:
    api = make_api()
    a, b = world.accounts[6], world.accounts[7]
    terms = {"give_id": world.issuance, "give_amount": 10, "want_id": second, "want_amount": 5}
    first = publish(api, a, **terms)["offer_hash"]
    soon = publish(api, a, expiry=chain_time(world.w3) + 60, **terms)["offer_hash"]

    assert cancel(api, b, first).json()["code"] == "not_own_account"
    prepared = api.get(f"{PATH}/{first}/cancel-request", a).json()
    assert prepared["typed_data"]["message"]["to"] == world.platform.deployment.exchange
    request = {**prepared["fields"], "signature": sign_typed(a, prepared["typed_data"])}
    cancelled = api.post(f"{PATH}/{first}/cancellation", a, request, key="cancel-1")
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["maker"] == a.address and cancelled.json()["offer_hash"] == first
    replay = api.post(f"{PATH}/{first}/cancellation", a, request, key="cancel-1")
    assert replay.headers["Idempotent-Replayed"] == "true" and replay.json() == cancelled.json()
    assert api.get(f"{PATH}/{first}").json()["status"] == "cancelled"
    assert cancel(api, a, first).json()["code"] == "exchange_nonce_used"
    assert take(api, b, first).json()["code"] == "exchange_nonce_used"

    advance(world.w3, 120)
    assert api.get(f"{PATH}/{soon}").json()["status"] == "expired"
    late = take(api, b, soon)
    assert late.status_code == 409 and late.json()["code"] == "exchange_offer_expired"
    statuses = [(o["offer_hash"], o["status"]) for o in walk(api, PATH, maker=a.address)[0]]
    assert statuses == [(first, "cancelled"), (soon, "expired")]
    assert world.queries.balance_of(a.address, world.issuance) == 100
    clean_audit(world)


def test_offers_are_refused_with_the_contracts_codes(world: World, second: int, make_api: Callable[..., Api]) -> None:
    api = make_api()
    a, b, c = world.accounts[6], world.accounts[7], world.accounts[8]
    terms = {"give_id": world.issuance, "give_amount": 10, "want_id": second, "want_amount": 5}

    def terms_code(**overrides: Any) -> str:
        answer = api.get(f"{PATH}/typed-data", a, params={**terms, **overrides})
        assert answer.status_code in (409, 422), answer.text
        return str(answer.json()["code"])

    assert terms_code(want_id=world.issuance) == "exchange_invalid_legs"  # units for units of the same issuance
    assert terms_code(want_token=c.address, want_id=0) == "exchange_payment_token_not_listed"
    assert terms_code(expiry=chain_time(world.w3) - 1) == "exchange_offer_expired"
    assert terms_code(taker=a.address) == "exchange_taker_not_allowed"  # an offer to itself
    assert api.get(f"{PATH}/typed-data", a, params={**terms, "want_id": 99}).json()["code"] == "issuance_not_found"
    assert api.get(f"{PATH}/typed-data", "issuer", params=terms).json()["code"] == "forbidden"

    # Publishing: only the maker's own offer, signed by it over exactly these terms.
    signed = make(api, a, **terms)
    assert api.post(PATH, b, signed).json()["code"] == "not_own_account"
    typed_data = api.get(f"{PATH}/typed-data", a, params=terms).json()["typed_data"]
    forged = {**signed, "signature": wallet_signature(b, typed_data)}
    assert api.post(PATH, a, forged).json()["code"] == "invalid_signature"
    changed = {**signed, "offer": {**signed["offer"], "give_amount": "11"}}
    assert api.post(PATH, a, changed).json()["code"] == "invalid_signature"
    assert api.post(PATH, a, {**signed, "extra": 1}).json()["code"] == "validation_failed"

    # An offer to b alone: c may not take it, nor the maker itself.
    to_b = publish(api, a, taker=b.address, **terms)["offer_hash"]
    assert take(api, c, to_b).json()["code"] == "exchange_taker_not_allowed"
    assert take(api, a, to_b).json()["code"] == "exchange_taker_not_allowed"
    assert walk(api, PATH, taker=c.address)[0] == []
    # One naming its taker is judged for that taker at publication: c holds none of what a wants.
    to_c = api.post(PATH, a, make(api, a, taker=c.address, **terms))
    assert to_c.status_code == 409 and to_c.json()["code"] == "insufficient_balance"
    assert to_c.json()["leg"] == "want"

    # The maker's units frozen: the give leg is refused with the asset's code.
    offer_hash = api.post(PATH, a, signed).json()["offer_hash"]
    frozen = api.post(f"/v1/participants/{a.address}/freeze", "compliance", {"reason_hash": hx(h("aml"))})
    assert frozen.status_code == 200, frozen.text
    refused = take(api, b, offer_hash)
    assert refused.status_code == 409 and refused.json()["code"] == "sender_frozen"
    assert refused.json()["leg"] == "give"
    assert api.get(f"{PATH}/{'0x' + '44' * 32}").json()["code"] == "offer_not_found"
    assert world.queries.balance_of(b.address, world.issuance) == 0


def test_payment_tokens_page_in_the_order_first_listed(
    world: World, make_api: Callable[..., Api], emoney_artifact: dict[str, Any]
) -> None:
    """From the event index, a page at a time: a delisted token stays in the list (listed False),
    and one listed again keeps the place of its first listing."""
    world.platform.resync_nonces()
    tenge, dollar = (EMoney(world.platform, world.accounts[0], emoney_artifact) for _ in range(2))
    for token, currency in ((tenge, "KZT"), (dollar, "USD")):
        world.regulator.list_payment_token(token.address, currency)
    world.regulator.delist_payment_token(tenge.address)
    api = make_api()
    items, pages = walk(api, "/v1/payment-tokens", limit=1)
    assert [(t["token"], t["currency"], t["listed"]) for t in items] == [
        (tenge.address, "KZT", False),
        (dollar.address, "USD", True),
    ]
    assert pages == 2
    world.regulator.list_payment_token(tenge.address, "KZT")
    again, _ = walk(api, "/v1/payment-tokens", limit=1)
    assert [(t["token"], t["listed"]) for t in again] == [(tenge.address, True), (dollar.address, True)]


def test_delivery_against_a_payment_token(
    world: World, make_api: Callable[..., Api], emoney_artifact: dict[str, Any]
) -> None:
    """Units for a listed e-money token (2 decimals: tiyn), atomically; the payer approves the
    exchange from its own wallet first, or the take is refused with `payment_not_available`."""
    world.platform.resync_nonces()
    token = EMoney(world.platform, world.accounts[0], emoney_artifact)
    api = make_api()
    a, b = world.accounts[6], world.accounts[7]
    assert api.get("/v1/payment-tokens").json() == []
    world.platform.resync_nonces()
    world.regulator.list_payment_token(token.address, "KZT")
    assert api.get("/v1/payment-tokens").json() == [
        {"token": token.address, "currency": "KZT", "decimals": 2, "listed": True}
    ]
    token.mint(b.address, 200_000_00)
    terms = {"give_id": world.issuance, "give_amount": 10, "want_token": token.address, "want_amount": 150_000_00}
    offer_hash = publish(api, a, **terms)["offer_hash"]
    short = take(api, b, offer_hash)
    assert short.status_code == 409 and short.json()["code"] == "payment_not_available"
    world.platform.resync_nonces()
    world.platform.holder(b).approve_payment(token.address, 150_000_00)
    world.platform.resync_nonces()
    taken = take(api, b, offer_hash)
    assert taken.status_code == 201, taken.text
    assert (token.balance_of(a.address), token.balance_of(b.address)) == (150_000_00, 50_000_00)
    assert world.queries.balance_of(b.address, world.issuance) == 10
    clean_audit(world)


def test_the_openapi_document_shows_the_exchange(api: Api) -> None:
    paths = api.client.get("/v1/openapi.json").json()["paths"]
    roles = {
        ("get", "/v1/offers/typed-data"): ["holder"],
        ("post", "/v1/offers"): ["holder"],
        ("get", "/v1/offers"): ["public"],
        ("get", "/v1/offers/{offer_hash}"): ["public"],
        ("get", "/v1/offers/{offer_hash}/take-request"): ["holder"],
        ("post", "/v1/offers/{offer_hash}/take"): ["holder"],
        ("get", "/v1/offers/{offer_hash}/cancel-request"): ["holder"],
        ("post", "/v1/offers/{offer_hash}/cancellation"): ["holder"],
        ("get", "/v1/payment-tokens"): ["public"],
    }
    for (method, path), expected in roles.items():
        assert paths[path][method]["x-roles"] == expected, path
    responses = paths["/v1/offers/{offer_hash}/take"]["post"]["responses"].values()
    take_codes = {code for response in responses for code in response.get("x-problem-codes", [])}
    assert {
        "exchange_nonce_used",
        "exchange_offer_expired",
        "exchange_taker_not_allowed",
        "exchange_offer_not_signed",
        "payment_not_available",
        "sender_frozen",
        "recipient_notice_not_acknowledged",
        "gas_budget_exceeded",
        "invalid_signature",
        "offer_not_found",
    } <= take_codes
    catalogue = {p["code"] for p in api.get("/v1/problems").json()}
    assert {"offer_not_found", "offer_already_published", "payment_not_available", "escrow_not_found"} <= catalogue


def test_the_makers_own_side_is_judged_before_an_offer_to_anyone_is_published(
    world: World, second: int, make_api: Callable[..., Api], emoney_artifact: dict[str, Any]
) -> None:
    """Whoever would take it, an offer the maker's side cannot honour is refused with a take's code
    (`leg: "give"`), and one whose expiry is too far ahead keeps no place in the book."""
    api = make_api()
    a, b = world.accounts[6], world.accounts[7]
    terms = {"give_id": world.issuance, "give_amount": 10, "want_id": second, "want_amount": 5}

    far = api.get(f"{PATH}/typed-data", a, params={**terms, "expiry": chain_time(world.w3) + 400 * 86_400})
    assert far.status_code == 422 and far.json()["code"] == "offer_expiry_too_far"
    more = api.get(f"{PATH}/typed-data", a, params={**terms, "give_amount": 101})
    assert more.status_code == 409 and more.json()["code"] == "insufficient_balance"
    assert (more.json()["leg"], more.json()["offer_refusal"]) == ("give", "give_leg_refused")
    signed = make(api, a, **terms)
    frozen = api.post(f"/v1/participants/{a.address}/freeze", "compliance", {"reason_hash": hx(h("aml"))})
    assert frozen.status_code == 200, frozen.text
    refused = api.post(PATH, a, signed)
    assert refused.status_code == 409 and refused.json()["code"] == "sender_frozen"
    assert refused.json()["leg"] == "give"

    # A payment given: the maker's balance and its allowance to the exchange, before signing.
    world.platform.resync_nonces()
    token = EMoney(world.platform, world.accounts[0], emoney_artifact)
    world.platform.resync_nonces()
    world.regulator.list_payment_token(token.address, "KZT")
    token.mint(b.address, 100_00)
    paying = {"give_token": token.address, "give_id": 0, "give_amount": 100_00, "want_id": second, "want_amount": 1}
    short = api.get(f"{PATH}/typed-data", b, params=paying)
    assert short.status_code == 409 and short.json()["code"] == "payment_not_available"
    assert short.json()["payer"] == b.address
    world.platform.resync_nonces()
    world.platform.holder(b).approve_payment(token.address, 100_00)
    assert publish(api, b, **paying)["status"] == "open"


def test_the_book_follows_the_chain_and_forgets_closed_offers(
    world: World, second: int, make_api: Callable[..., Api]
) -> None:
    """Two offers of one maker's nonce: taking one spends the nonce, so the other is listed
    cancelled; offers closed longer ago than the idempotency retention are pruned."""
    api = make_api()
    a, b = world.accounts[6], world.accounts[7]
    maker = world.platform.holder(a)
    world.platform.resync_nonces()
    lots = [
        maker.make_offer(give_id=world.issuance, give_amount=n, want_id=second, want_amount=1, nonce=77) for n in (1, 2)
    ]
    hashes = []
    for lot in lots:
        answer = api.post(PATH, a, {"offer": lot.offer.as_dict(), "signature": hx(lot.signature)})
        assert answer.status_code == 201, answer.text
        hashes.append(answer.json()["offer_hash"])
    assert take(api, b, hashes[0]).status_code == 201
    listed = {o["offer_hash"]: o for o in walk(api, PATH, maker=a.address)[0]}
    assert (listed[hashes[0]]["status"], listed[hashes[1]]["status"]) == ("taken", "cancelled")
    assert listed[hashes[0]]["taken"]["taker"] == b.address
    assert [o["offer_hash"] for o in walk(api, PATH, status="cancelled")[0]] == [hashes[1]]

    assert api.gateway.offers.prune(3600) == 0  # closed just now
    with api.gateway.db.write() as conn:
        conn.execute(update(offers).values(closed_at=1))
    assert api.gateway.offers.prune(3600) == 2
    assert walk(api, PATH, maker=a.address)[0] == []
