"""api.services.relaying: the one sequence every relayed route follows. A holder's signed forward
request is checked in this order, each refusal before anything is sent or charged: the signature is
the holder's, the route's own check passes, the nonce is the holder's next (used and ahead told
apart), the gas it grants covers the call; only then is the holder's relay gas budget charged and
the request relayed, paid by the operator and recorded as the holder's act. A relay the forwarder
fails anyway is answered by the route's check run again, and a node refusing the relay's gas is
the holder's request granting too little, not an outage."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace

import pytest
from eth_account.signers.local import LocalAccount
from gateway_support import Api
from world import World, chain_time, h

from api.errors import (
    ApiError,
    ForwardRequestGasTooLow,
    ForwardRequestNonceAhead,
    ForwardRequestUsed,
    GasBudgetExceeded,
    InvalidSignature,
)
from api.rate_limits import RateLimits
from api.services.refusals import refuse
from api.services.relaying import relay
from sdap.clients import build_forward_request
from sdap.errors import ForwardRequestGasTooLow as SdkGasTooLow
from sdap.signing import sign_forward_request
from sdap.types import ForwardRequest, Refusal

HOUR = 3600


class Check:
    """The route's own check of a transfer (as Holders has it), counting how often it ran."""

    def __init__(self, world: World, holder: str, to: str, amount: int) -> None:
        self.world, self.holder, self.to, self.amount = world, holder, to, amount
        self.runs = 0

    def __call__(self) -> None:
        self.runs += 1
        queries = self.world.queries
        refusal = queries.check_transfer(self.holder, self.to, self.world.issuance, self.amount)
        if refusal is not Refusal.NONE:
            operator = queries.issuance(self.world.issuance).operator if refusal is Refusal.PERMIT_NOT_ACTIVE else ""
            refuse(refusal, queries, operator, issuance_id=self.world.issuance)


def budget(gas: int) -> RateLimits:
    """A holder's relay gas budget of `gas` an hour; 0: none."""
    return RateLimits(
        per_api_key="", per_wallet="", sign_in_per_address="", relay_gas_budget=gas, relay_gas_window=HOUR
    )


def transfer(api: Api, world: World, holder: LocalAccount, amount: int, **changed: int) -> ForwardRequest:
    """`holder`'s forward request sending `amount` of its units to holder b, as built for signing
    (its gas estimated, its nonce the holder's next), with `changed` fields."""
    chain = api.gateway.chain
    data = chain.platform.contracts.asset.encode_abi(
        "safeTransferFrom", args=[holder.address, world.b.address, world.issuance, amount, b""]
    )
    request = build_forward_request(
        chain.platform,
        holder.address,
        bytes.fromhex(data[2:]),
        deadline=chain_time(world.w3) + HOUR,
        gas=None,
    )
    return replace(request, **changed)


def signed(api: Api, account: LocalAccount, request: ForwardRequest) -> str:
    d = api.gateway.chain.deployment
    return "0x" + sign_forward_request(account, request, chain_id=d.chain_id, forwarder=d.forwarder).signature.hex()


def test_a_request_is_relayed_as_the_holders_act_and_charged_to_its_budget(api: Api, world: World) -> None:
    holder = world.accounts[6]
    request = transfer(api, world, holder, 5)
    limits = budget(request.gas)  # room for this request, not one more
    check = Check(world, holder.address, world.b.address, 5)
    receipt = relay(api.gateway.chain, limits, request, signed(api, holder, request), "transfer request", check, None)
    assert receipt.block_number == world.w3.eth.block_number
    assert world.queries.balance_of(world.b.address, world.issuance) == 5 and check.runs == 1
    (moved,) = world.platform.contracts.asset.events.TransferSingle.get_logs(from_block=receipt.block_number)
    assert moved["args"]["from"] == holder.address  # the holder acted; the operator only paid
    assert world.w3.eth.get_transaction(receipt.tx_hash)["from"] == api.gateway.chain.operator_address
    # The budget held this request's gas: the next is refused after its checks, before it is sent.
    following = transfer(api, world, holder, 5)
    block = world.w3.eth.block_number
    with pytest.raises(GasBudgetExceeded):
        relay(api.gateway.chain, limits, following, signed(api, holder, following), "transfer request", check, None)
    assert world.w3.eth.block_number == block and check.runs == 2


def test_the_refusals_come_in_order_each_before_anything_is_charged_or_sent(api: Api, world: World) -> None:
    holder, stranger = world.accounts[6], world.accounts[9]
    chain = api.gateway.chain
    good = transfer(api, world, holder, 5)
    limits = budget(good.gas)
    block = world.w3.eth.block_number

    def attempt(request: ForwardRequest, signature: str, check: Callable[[], None]) -> None:
        relay(chain, limits, request, signature, "transfer request", check, None)

    refusing = Check(world, holder.address, world.b.address, 10_000)  # more than the holder has
    ahead = replace(good, nonce=good.nonce + 1, gas=21_000)
    # Another wallet's signature: refused before the route's check is even run.
    with pytest.raises(InvalidSignature, match="the transfer request was not signed by the signed-in wallet"):
        attempt(ahead, signed(api, stranger, ahead), refusing)
    assert refusing.runs == 0
    # The route's check before the nonce.
    with pytest.raises(ApiError) as refused:
        attempt(ahead, signed(api, holder, ahead), refusing)
    assert refused.value.code == "insufficient_balance" and refusing.runs == 1
    # The nonce before the gas.
    passing = Check(world, holder.address, world.b.address, 5)
    with pytest.raises(ForwardRequestNonceAhead) as nonce_ahead:
        attempt(ahead, signed(api, holder, ahead), passing)
    assert nonce_ahead.value.extensions == {"expected": good.nonce}
    # The gas last: the forwarder would fail a call granted less than it needs.
    short = replace(good, gas=21_000)
    with pytest.raises(SdkGasTooLow):
        attempt(short, signed(api, holder, short), passing)
    assert world.w3.eth.block_number == block  # nothing sent
    # Nothing charged either: the budget still holds the whole of the good request.
    attempt(good, signed(api, holder, good), passing)
    # Sent once, the same request again is told apart from one that is ahead.
    with pytest.raises(ForwardRequestUsed, match=f"nonce {good.nonce} was already used") as used:
        attempt(good, signed(api, holder, good), passing)
    assert used.value.extensions == {"expected": good.nonce + 1}


@pytest.mark.parametrize("blocks", ["own block", "same block"])
def test_a_relay_the_forwarder_fails_is_answered_by_the_routes_check(api: Api, world: World, blocks: str) -> None:
    """The state moves between the checks and the relay's inclusion: here the holder is frozen by a
    transaction that outbids the relay and is included just before it, in a block of its own or
    first in the relay's. The forwarder answers only a bare `FailedCall()`, and a revert caused
    by an earlier transaction of the same block does not happen again when the writer replays the
    relay on its parent block's state (an unknown revert); either way the route's check, run again,
    says what the chain refused."""
    holder = world.accounts[6]
    request = transfer(api, world, holder, 5)
    signature = signed(api, holder, request)
    check = Check(world, holder.address, world.b.address, 5)
    operator = api.gateway.chain.operator_address
    w3 = world.w3
    outcome: list[BaseException] = []

    def relayed() -> None:
        try:
            relay(api.gateway.chain, budget(0), request, signature, "transfer request", check, None)
        except BaseException as exc:  # noqa: BLE001 - handed to the test's thread
            outcome.append(exc)

    freeze = world.platform.contracts.registry.functions.freezeParticipant(holder.address, h("case 7"))
    limit = w3.eth.get_block("latest")["gasLimit"]
    w3.provider.make_request("evm_setAutomine", [False])  # type: ignore[arg-type]
    try:
        sent = w3.eth.get_transaction_count(operator)
        thread = threading.Thread(target=relayed)
        thread.start()
        deadline = time.monotonic() + 20
        while w3.eth.get_transaction_count(operator, "pending") == sent:  # the relay, checked, waits in the pool
            assert time.monotonic() < deadline and thread.is_alive(), outcome
            time.sleep(0.05)
        fee = {"maxPriorityFeePerGas": 10**12, "maxFeePerGas": 10**13, "gas": 100_000}
        freeze.transact({"from": world.compliance.address, **fee})  # type: ignore[arg-type]
        if blocks == "own block":  # the relay does not fit in a block this small
            w3.provider.make_request("evm_setBlockGasLimit", [hex(100_000)])  # type: ignore[arg-type]
            w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
            w3.provider.make_request("evm_setBlockGasLimit", [hex(limit)])  # type: ignore[arg-type]
        w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
        thread.join(30)
    finally:  # the node's settings outlive the chain's rewind after the test
        w3.provider.make_request("evm_setBlockGasLimit", [hex(limit)])  # type: ignore[arg-type]
        w3.provider.make_request("evm_setAutomine", [True])  # type: ignore[arg-type]
    (refused,) = outcome
    assert isinstance(refused, ApiError) and refused.code == "sender_frozen", repr(refused)
    assert check.runs == 2
    included = w3.eth.get_block("latest")["transactions"]
    assert len(included) == (1 if blocks == "own block" else 2)
    assert w3.eth.get_transaction_receipt(included[-1])["status"] == 0  # sent, paid for, and reverted on-chain
    assert world.queries.balance_of(world.b.address, world.issuance) == 0


def test_a_node_refusing_the_relays_gas_is_the_requests_fault(api: Api, world: World) -> None:
    """A request granting its call almost a whole block's gas (the forwarder keeps 1/63 of it back)
    makes the operator's transaction larger than a block: the node refuses it, and the answer is
    the request's gas, not a node outage a client would retry."""
    holder = world.accounts[6]
    gas = (world.w3.eth.get_block("latest")["gasLimit"] - 2_000_000) * 63
    greedy = transfer(api, world, holder, 5, gas=gas)
    check = Check(world, holder.address, world.b.address, 5)
    block = world.w3.eth.block_number
    with pytest.raises(ForwardRequestGasTooLow, match="the node refused the relay's gas") as refused:
        relay(api.gateway.chain, budget(0), greedy, signed(api, holder, greedy), "transfer request", check, None)
    assert refused.value.extensions == {"gas": gas}
    assert world.w3.eth.block_number == block
