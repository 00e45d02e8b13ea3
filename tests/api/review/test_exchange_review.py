"""Security review of the gateway's exchange routes (issue 15, against issue 12's hardening list),
on real anvil, signed as a wallet signs (eth-account). Each `test_finding_*` FAILS on the code
reviewed and passes once the finding is fixed; the comment above each says what is wrong and the
fix recommended."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from eth_account import Account
from eth_account.signers.local import LocalAccount
from gateway_support import ROLES, Api, hx, sign_typed
from world import World, chain_time, h

from sdap.types import Role

OFFERS = "/v1/offers"
ESCROWS = "/v1/escrows"


@pytest.fixture
def second(world: World) -> int:
    """A second issuance (same issuer and operator), 50 units of it minted to holder b."""
    world.platform.resync_nonces()
    issuance = world.create_issuance(world.params(decision_hash=h("review decision 2"))).id
    world.attest(500, issuance=issuance)
    world.operator.mint(issuance, world.b.address, 50)
    return issuance


@pytest.fixture
def agent(world: World) -> LocalAccount:
    account = world.accounts[ROLES["settlement_agent"]]
    world.platform.resync_nonces()
    world.regulator.grant_role(Role.SETTLEMENT_AGENT, account.address)
    return account


def wallet_signature(account: LocalAccount, typed_data: dict[str, Any]) -> str:
    types = {k: v for k, v in typed_data["types"].items() if k != "EIP712Domain"}
    signed = Account.sign_typed_data(account.key, typed_data["domain"], types, typed_data["message"])
    return hx(bytes(signed.signature))


def signed_offer(api: Api, maker: LocalAccount, **terms: Any) -> dict[str, Any]:
    prepared = api.get(f"{OFFERS}/typed-data", maker, params=terms)
    assert prepared.status_code == 200, prepared.text
    body = prepared.json()
    return {"offer": body["fields"]["offer"], "signature": wallet_signature(maker, body["typed_data"])}


def publish(api: Api, maker: LocalAccount, **terms: Any) -> str:
    answer = api.post(OFFERS, maker, signed_offer(api, maker, **terms))
    assert answer.status_code == 201, answer.text
    return str(answer.json()["offer_hash"])


def problem_codes(api: Api) -> set[str]:
    return {p["code"] for p in api.get("/v1/problems").json()}


# --- Finding 1 (medium): a signed forward request with too little gas is answered 503 -----------
# A taker (or any holder relaying through the exchange routes) who signs a forward request whose
# `gas` is below what the operator's transaction needs gets 503 `chain_unavailable` ("the node
# cannot be reached"): anvil refused the operator's transaction ("intrinsic gas too high --
# GasFloorMoreThanGasLimit") and the RpcError fell through to the outage mapping. A client
# (or a wallet integrator's retry loop) treats 503 as retryable and retries forever; the holder's
# relay gas budget was charged by `spend_gas` before the refusal. Nothing was wrong with the node.
# Fix: api/services/offers.py `Offers.take`/`Offers.cancel` and api/services/escrows.py
# `Escrows.open` (better: once, in the operator's `relay` in api/chain) refuse before
# `spend_gas` a request whose `gas` is below the forwarder's need, e.g. estimate
# `forwarder.execute(request)` (eth_estimateGas) and raise a new ApiError
# `forward_request_gas_too_low` (422, listed at /v1/problems, in RELAYED's responses) when
# `body.gas` < the estimate of the inner call; also map an RpcError "intrinsic gas too high" /
# "gas limit" from a relay to that 422, never to chain_unavailable.
def test_finding_underfunded_relayed_take_is_answered_as_a_node_outage(
    world: World, second: int, make_api: Callable[..., Api]
) -> None:
    api = make_api()
    a, b = world.accounts[6], world.accounts[7]
    offer_hash = publish(api, a, give_id=world.issuance, give_amount=10, want_id=second, want_amount=5)
    prepared = api.get(f"{OFFERS}/{offer_hash}/take-request", b).json()
    typed_data = {**prepared["typed_data"], "message": {**prepared["typed_data"]["message"], "gas": 30_000}}
    body = {**prepared["fields"], "gas": 30_000, "signature": sign_typed(b, typed_data)}
    answer = api.post(f"{OFFERS}/{offer_hash}/take", b, body)
    assert answer.status_code < 500, answer.text  # a client error, not an outage to retry
    assert answer.json()["code"] in problem_codes(api)
    # The offer is still open and takeable with a properly funded request.
    assert api.get(f"{OFFERS}/{offer_hash}").json()["status"] == "open"


# --- Finding 2 (medium): GET /v1/offers reads the chain once or more per stored offer -----------
# `Offers.find` filters `status` in Python after reading every row's status from the chain
# (`is_offer_nonce_used` per row, plus `offers_taken(maker=...)` — an eth_getLogs over the whole
# history — per spent nonce), and keeps reading batches until it has `limit` matches. An
# unauthenticated `GET /v1/offers?status=taken&limit=1` on a store of N offers none of which
# matches costs N+ RPC calls: public, unrate-limited amplification against the node, growing
# with a store anyone signed in can fill for free (finding 4).
# Fix: api/services/offers.py keeps an offer's on-chain state in the offers table (columns
# `status`, `taken_tx`, `taken_block`, `taker`), written by the event index
# (api/services/index.py: OfferTaken by offerHash, OfferCancelled by (maker, nonce) marks every
# row of that maker and nonce) and filter `status` in SQL (`expired` = open and expiry < chain
# time); `_view` then reads no chain state per row. Until then at least bound the rows read per
# page (stop after e.g. 2*limit rows and return a shorter page with its cursor).
def test_finding_offer_listing_costs_chain_reads_per_stored_offer(
    world: World, second: int, make_api: Callable[..., Api], gateway_behind: Any
) -> None:
    proxy, api = gateway_behind(settings={"rate_limit_wallet": ""})
    a = world.accounts[6]
    for amount in range(1, 31):
        publish(api, a, give_id=world.issuance, give_amount=amount, want_id=second, want_amount=1)
    proxy.asked.clear()
    answer = api.get(OFFERS, params={"status": "taken", "limit": 1})
    assert answer.status_code == 200 and answer.json() == []
    reads = [m for m in proxy.asked if m in ("eth_call", "eth_getLogs")]
    assert len(reads) <= 5, f"{len(reads)} chain reads for one public page of 30 stored offers"


# --- Finding 3 (medium): GET /v1/escrows with a filter reads every escrow from the chain --------
# `Escrows.find` calls `queries.escrow(id)` for every id from the cursor to `escrow_count()`
# until it has `limit` matches: `GET /v1/escrows?seller=<anyone>` (public, no rate limit) costs
# one eth_call per escrow ever opened. The brief's "a filtered page reads escrows in id order
# until it has found its items" is the amplification.
# Fix: api/services/escrows.py reads escrows from the event index (EscrowOpened carries
# seller, buyer, agent, issuance, amount, price, currency, deadline; EscrowSettled, EscrowLapsed,
# EscrowCancelled the state) into an `escrows` table filtered in SQL, or at least bound the ids
# scanned per page (e.g. 4*limit) and answer a shorter page with a `Next-Cursor`.
def test_finding_escrow_listing_reads_every_escrow(
    world: World, agent: LocalAccount, make_api: Callable[..., Api], gateway_behind: Any
) -> None:
    seller, buyer = world.accounts[6], world.accounts[7]
    world.platform.resync_nonces()
    holder = world.platform.holder(seller)
    deadline = chain_time(world.w3) + 3600
    for _ in range(20):
        holder.open_escrow(world.issuance, 1, buyer.address, agent.address, 100, currency="KZT", deadline=deadline)
    proxy, api = gateway_behind()
    proxy.asked.clear()
    nobody = world.accounts[9].address
    answer = api.get(ESCROWS, params={"seller": nobody, "limit": 1})
    assert answer.status_code == 200 and answer.json() == []
    reads = [m for m in proxy.asked if m in ("eth_call", "eth_getLogs")]
    assert len(reads) <= 5, f"{len(reads)} chain reads for one public page over 20 escrows"


# --- Finding 4 (medium-low): offers nobody can take are published and listed `open` ------------
# An offer to anyone is judged at publication against a stand-in taker (0x...dEaD) and only the
# offer-level refusals (OF_THE_OFFER) stop it: the maker's own side of the give leg is never
# checked. A signed-in wallet holding none of the units publishes "give 10^30 units" offers, with
# an expiry up to 2^64-1, and they are listed `open` forever (status is only taken / cancelled /
# expired). With no cap per maker (finding 5) this is free spam of the public order book.
# Fix: api/services/offers.py `Offers.publish` (and `typed_data`) refuse, for a give leg in
# units, what the sender side decides alone: `queries.available_units(maker, give_id) <
# give_amount` -> InsufficientBalance/UnitsRestricted with `leg: "give"`, the maker frozen ->
# `sender_frozen`; for a give leg in a payment token the maker's balance/allowance ->
# `payment_not_available`. Also cap `expiry` (e.g. chain time + 365 days, `offer_expiry_too_far`).
def test_finding_offer_from_a_maker_without_the_units_is_published_open(
    world: World, second: int, make_api: Callable[..., Api]
) -> None:
    api = make_api()
    c = world.accounts[8]  # registered, holds no units of either issuance
    assert world.queries.balance_of(c.address, world.issuance) == 0
    params = {"give_id": world.issuance, "give_amount": 10**30, "want_id": second, "want_amount": 1}
    prepared = api.get(f"{OFFERS}/typed-data", c, params=params)
    if prepared.status_code == 200:
        body = prepared.json()
        answer = api.post(
            OFFERS, c, {"offer": body["fields"]["offer"], "signature": wallet_signature(c, body["typed_data"])}
        )
    else:
        answer = prepared
    assert answer.status_code == 409, answer.text
    assert answer.json()["code"] in ("insufficient_balance", "units_restricted")
    assert answer.json().get("leg") == "give"


# --- Finding 5 (medium-low): no cap on the offers one maker keeps in the store ------------------
# Publishing costs the maker nothing (no transaction) and the only bound is the per-wallet
# request rate (default 600/minute): one wallet can add ~860k rows a day to the offers table,
# never pruned, each costing chain reads on every listing (finding 2).
# Fix: a setting `max_open_offers_per_maker` (api/settings.py, default e.g. 100) checked in
# `Offers.publish` by counting the maker's rows that are still open (unspent nonce, expiry >=
# chain time; from the indexed status of finding 2) and refusing with a new problem
# `too_many_open_offers` (429 or 409, listed at /v1/problems); prune rows expired/spent for longer
# than the idempotency retention.
def test_finding_no_cap_on_open_offers_per_maker(world: World, second: int, make_api: Callable[..., Api]) -> None:
    api = make_api(max_open_offers_per_maker=3, rate_limit_wallet="")
    a = world.accounts[6]
    for amount in (1, 2, 3):
        publish(api, a, give_id=world.issuance, give_amount=amount, want_id=second, want_amount=1)
    fourth = api.post(
        OFFERS, a, signed_offer(api, a, give_id=world.issuance, give_amount=4, want_id=second, want_amount=1)
    )
    assert fourth.status_code in (409, 429), fourth.text
    assert fourth.json()["code"] == "too_many_open_offers"


# --- Finding 6 (low): a replayed open-escrow request reaches the forwarder, answered "invalid signer"
# The seller's signed `openEscrow` forward request sent again under a new Idempotency-Key passes
# the gateway's checks (signature, escrow terms), is charged to the seller's relay gas budget and
# relayed; the forwarder refuses it and the answer is 409 `erc2771_forwarder_invalid_signer`
# (the nonce is spent, so the recovered signer differs): a wallet is told its signature is wrong
# when the request was already executed. Offers' take/cancel are saved by `checkOffer`/the nonce
# check, escrows are not.
# Fix: before `spend_gas`, in api/services/escrows.py `Escrows.open` (and for every relayed
# request, in one place: the operator's relay in api/chain), compare `body.nonce` with
# `forwarder.nonces(holder)`: lower -> a new problem `forward_request_used` (409, "this signed
# request was already executed; ask for a new one"), higher -> `forward_request_nonce_ahead`.
def test_finding_replayed_open_escrow_is_called_an_invalid_signer(
    world: World, agent: LocalAccount, make_api: Callable[..., Api]
) -> None:
    api = make_api()
    seller, buyer = world.accounts[6], world.accounts[7]
    params = {
        "issuance_id": world.issuance,
        "amount": 10,
        "buyer": buyer.address,
        "agent": agent.address,
        "price": 100,
        "currency": "KZT",
        "payment_deadline": chain_time(world.w3) + 3600,
    }
    prepared = api.get(f"{ESCROWS}/open-request", seller, params=params).json()
    request = {**prepared["fields"], "signature": sign_typed(seller, prepared["typed_data"])}
    assert api.post(ESCROWS, seller, request, key="open-1").status_code == 201
    replay = api.post(ESCROWS, seller, request, key="open-2")
    assert replay.status_code == 409, replay.text
    assert replay.json()["code"] == "forward_request_used"
    assert world.queries.escrow_count() == 1


# --- Finding 7 (medium-low): two takers racing for one offer: the operator sends both, the loser
# is answered `failed_call` ------------------------------------------------------------------
# Both takes pass `checkOffer` (nothing is taken yet), both are charged to their budgets and both
# are SENT: the second transaction reverts on-chain (the operator pays for a failed transaction)
# and, because HolderForwarder wraps the exchange's revert, the loser gets 409 `failed_call`
# ("FailedCall()") instead of `exchange_nonce_used`. Anyone holding two wallets can make the
# operator pay for reverting relays at will (one public offer, N simultaneous takes).
# Fix: api/services/offers.py `Offers.take`: serialise takes of one offer (claim the offer in the
# database before sending: e.g. `UPDATE offers SET taking_until=now+lease WHERE offer_hash=:h AND
# (taking_until IS NULL OR taking_until < now)`, and answer a loser with `offer_being_taken` 409
# or wait and re-run `_check_take`, which then gives `exchange_nonce_used` with no transaction);
# and, for every relay, when the forwarder answers FailedCall re-run the route's own check
# (`_check_take` / `_check_cancel` / `_check_open`) and raise what it finds, so a relayed
# refusal is never the opaque `failed_call`.
def test_finding_racing_takes_send_a_reverting_relay_answered_failed_call(
    world: World, second: int, make_api: Callable[..., Api]
) -> None:
    from gateway_support import at_once

    api = make_api()
    a, b, c = world.accounts[6], world.accounts[7], world.accounts[8]
    world.platform.resync_nonces()
    world.operator.mint(second, c.address, 50)
    offer_hash = publish(api, a, give_id=world.issuance, give_amount=10, want_id=second, want_amount=5)
    requests = []
    for taker in (b, c):
        prepared = api.get(f"{OFFERS}/{offer_hash}/take-request", taker).json()
        requests.append((taker, {**prepared["fields"], "signature": sign_typed(taker, prepared["typed_data"])}))
    operator = api.gateway.chain.operator_address
    sent = world.w3.eth.get_transaction_count(operator)
    answers = at_once([lambda x=x, r=r: api.post(f"{OFFERS}/{offer_hash}/take", x, r) for x, r in requests])
    assert sorted(r.status_code for r in answers) == [201, 409], [r.text for r in answers]
    loser = next(r for r in answers if r.status_code == 409)
    assert loser.json()["code"] in ("exchange_nonce_used", "offer_being_taken"), loser.text
    assert world.w3.eth.get_transaction_count(operator) - sent == 1  # no reverting relay paid for


# --- Finding 8 (low, SDK): a SignedOffer whose offer_hash is not its offer's is taken anyway ----
# `SignedOffer.from_json` keeps whatever `offer_hash` the JSON says, and `HolderClient.take_offer`
# / `sign_take_request` never compare it with the offer's digest: a wallet integrator that shows
# (or tracks the fill by) `signed.offer_hash` can be shown the hash of one offer while taking
# another's terms. The CLI checks it (sdap/cli/offers.py `read_offer`), the SDK does not.
# Fix: sdap/clients/holder.py `_take_args` (used by take_offer and sign_take_request): raise
# InvalidArgument unless `offer_digest(signed.offer, chain_id=d.chain_id, exchange=d.exchange) ==
# signed.offer_hash` (and `PlatformQueries.check_offer` likewise), then drop the CLI's copy.
def test_finding_sdk_takes_an_offer_whose_hash_is_not_its_own(world: World, second: int) -> None:
    from sdap.errors import InvalidArgument
    from sdap.types import SignedOffer

    world.platform.resync_nonces()
    maker = world.platform.holder(world.accounts[6])
    signed = maker.make_offer(give_id=world.issuance, give_amount=10, want_id=second, want_amount=5)
    lying = SignedOffer(signed.offer, signed.signature, b"\x42" * 32)
    taker = world.b  # a HolderClient
    with pytest.raises(InvalidArgument):
        taker.sign_take_request(lying)
