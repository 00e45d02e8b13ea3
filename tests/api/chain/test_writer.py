"""One key's write path (api.chain.writer), through the gateway and at the writer itself:

- concurrent writes reach the node in nonce order, those ready together in one JSON-RPC batch, from
  the event loop (mints) and from worker threads (other writes) alike;
- on nodes that are not anvil at its best: one without `eth_sendRawTransactionSync` (Hyperledger
  Besu, geth), where transactions are sent with `eth_sendRawTransaction` and their receipts
  polled; one without batches; one that answers a send after the gateway stopped waiting, where
  the transaction is found by its hash instead of being reported lost; one that never got the
  transaction, where the retried request sends the very same bytes again at once;
- a refusal inside a batch reaches only its own request; a request that stops waiting before its
  turn uses no nonce; a nonce another sender of the key took is retried with a fresh one.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import pytest
from gateway_support import Api, Behind, at_once
from sqlalchemy import select
from world import YEAR, World, chain_time, h

from api.chain.journal import JournalEntry
from api.chain.node import Node
from api.chain.operation import Operation
from api.chain.writer import KeyWriter
from api.db.schema import transactions
from sdap.contract_errors import SecuredAssetParticipantNotEligibleError
from sdap.errors import ConnectionFailed, OutOfGas, RpcError, TransactionTimeout
from sdap.transactions import Call


def test_mints_through_a_node_without_the_synchronous_send(world: World, gateway_behind: Behind) -> None:
    old_node, api = gateway_behind(without=("eth_sendRawTransactionSync",))
    path = f"/v1/issuances/{world.issuance}/mint"
    for n, amount in enumerate((3, 4)):
        answer = api.post(path, "issuer", {"to": world.b.address, "amount": amount}, key=f"old-node-{n}")
        assert answer.status_code == 201, answer.text
    assert world.queries.balance_of(world.b.address, world.issuance) == 7
    # Asked once, then remembered; each transaction sent the classic way and its receipt polled.
    assert old_node.asked.count("eth_sendRawTransactionSync") == 1
    assert old_node.asked.count("eth_sendRawTransaction") == 2
    assert old_node.asked.count("eth_getTransactionReceipt") >= 2
    with api.gateway.db.read() as conn:
        states = list(conn.scalars(select(transactions.c.state)))
    assert states == ["mined", "mined"]


@pytest.mark.parametrize("write", ["mint", "onboard"])
def test_a_send_answered_too_late_is_found_by_its_hash(world: World, gateway_behind: Behind, write: str) -> None:
    late_node, api = gateway_behind({"rpc_timeout": 1.0}, answer_first_send_late=2.5)
    if write == "mint":  # from the event loop
        path, who = f"/v1/issuances/{world.issuance}/mint", "issuer"
        body: dict[str, object] = {"to": world.b.address, "amount": 2}
    else:  # from a worker thread
        path, who = "/v1/participants", "operator"
        expiry = chain_time(world.w3) + YEAR
        body = {"wallet": world.accounts[12].address, "identity_ref": "0x" + h("kyc").hex(), "identity_expiry": expiry}
    answer = api.post(path, who, body, key=f"late-{write}")
    assert answer.status_code == 201, answer.text
    assert late_node.asked.count("eth_getTransactionByHash") >= 1
    assert len(late_node.passed_on) == 1  # found, not sent again
    with api.gateway.db.read() as conn:
        assert list(conn.scalars(select(transactions.c.state))) == ["mined"]


def test_a_retried_request_sends_a_transaction_the_node_never_got_again(world: World, gateway_behind: Behind) -> None:
    lossy, api = gateway_behind(losing=True)
    path, body = f"/v1/issuances/{world.issuance}/mint", {"to": world.b.address, "amount": 3}
    first = api.post(path, "issuer", body, key="lost-on-the-way")
    assert first.status_code == 503 and first.json()["code"] == "chain_unavailable"
    assert lossy.passed_on == []  # anvil never saw it
    lossy.losing = False
    # The retry finds the recorded transaction pending and unknown to the node: the same bytes go
    # again (the journal's resolver would do it only after a minute).
    retry = api.post(path, "issuer", body, key="lost-on-the-way")
    assert retry.status_code == 201, retry.text
    assert len(lossy.passed_on) == 1
    assert world.queries.balance_of(world.b.address, world.issuance) == 3
    with api.gateway.db.read() as conn:
        rows = conn.execute(select(transactions.c.tx_hash, transactions.c.state)).all()
    assert [(h, s) for h, s in rows] == [(retry.json()["tx_hash"], "mined")]


def test_a_retried_request_whose_transaction_lost_its_nonce_is_checked_again(
    world: World, gateway_behind: Behind
) -> None:
    lossy, api = gateway_behind(losing=True)
    path, body = f"/v1/issuances/{world.issuance}/mint", {"to": world.b.address, "amount": 3}
    assert api.post(path, "issuer", body, key="nonce-taken").status_code == 503
    # Meanwhile the operator's key signs something else with that nonce (another tool, another
    # process), and the recipient is frozen: the lost mint can never be included, and the rules
    # it was checked against have changed.
    world.operator.register_participant(world.accounts[12].address, h("kyc"), chain_time(world.w3) + YEAR)
    world.compliance.freeze_participant(world.b.address, h("court order"))
    lossy.losing = False
    retry = api.post(path, "issuer", body, key="nonce-taken")
    assert retry.status_code == 409 and retry.json()["code"] == "recipient_frozen", retry.text
    with api.gateway.db.read() as conn:
        states = list(conn.scalars(select(transactions.c.state)))
    assert states == ["dropped"]  # refused by the gateway's checks: nothing sent to revert on-chain
    assert world.queries.balance_of(world.b.address, world.issuance) == 0


def test_a_transaction_included_while_its_retry_resolves_it_is_not_sent_twice(
    world: World, gateway_behind: Behind
) -> None:
    """The retry looks the lost transaction up by hash a moment before another hand's re-broadcast
    (the periodic resolver's) gets it included: the nonce is then found taken, yet the transaction
    is the one that took it. Taken for dropped, the request would sign the mint anew: a second mint."""
    lossy, api = gateway_behind(losing=True)
    path, body = f"/v1/issuances/{world.issuance}/mint", {"to": world.b.address, "amount": 3}
    assert api.post(path, "issuer", body, key="raced").status_code == 503
    with api.gateway.db.read() as conn:
        lost_hash, raw = conn.execute(select(transactions.c.tx_hash, transactions.c.raw)).one()
    lossy.losing = False
    lossy.unseen = {"eth_getTransactionReceipt", "eth_getTransactionByHash"}
    world.w3.eth.send_raw_transaction(raw)  # the other hand's re-broadcast, straight to the node
    retry = api.post(path, "issuer", body, key="raced")
    assert retry.status_code == 201, retry.text
    assert retry.json()["tx_hash"] == lost_hash
    assert lossy.unseen == set()  # the retry did look while the node seemed not to have it
    assert world.queries.balance_of(world.b.address, world.issuance) == 3
    with api.gateway.db.read() as conn:
        assert list(conn.scalars(select(transactions.c.state))) == ["mined"]


def test_a_lost_send_is_sent_again_without_waiting_for_its_retry(world: World, gateway_behind: Behind) -> None:
    """The key's next transactions wait behind the lost one's nonce: the resolver sends the same
    bytes again as soon as the node answers, not a minute later, so the next mint goes through."""
    lossy, api = gateway_behind({"tx_timeout": 5.0, "rpc_timeout": 5.0}, losing=True)
    api.gateway.start_background()
    path = f"/v1/issuances/{world.issuance}/mint"
    first = api.post(path, "issuer", {"to": world.b.address, "amount": 3}, key="lost-then-resent")
    assert first.status_code == 503
    time.sleep(1.5)  # the resolver meets the node still losing it: it tries again after 1 s, 2 s, ...
    lossy.losing = False
    second = api.post(path, "issuer", {"to": world.b.address, "amount": 2}, key="behind-the-lost-one")
    assert second.status_code == 201, second.text
    assert world.queries.balance_of(world.b.address, world.issuance) == 5
    assert len(lossy.passed_on) == 2  # each passed on once: the next mint waited for the lost one
    api.gateway.resolve_pending()  # the resolver's next round records the lost one's inclusion
    with api.gateway.db.read() as conn:
        assert list(conn.scalars(select(transactions.c.state))) == ["mined", "mined"]
    # The client of the lost one learns its fate by retrying: the same transaction, not a new one.
    retry = api.post(path, "issuer", {"to": world.b.address, "amount": 3}, key="lost-then-resent")
    assert retry.status_code == 201, retry.text
    assert world.queries.balance_of(world.b.address, world.issuance) == 5
    assert len(lossy.passed_on) == 2
    with api.gateway.db.read() as conn:
        assert list(conn.scalars(select(transactions.c.state))) == ["mined", "mined"]


def _burst(world: World, api: Api, count: int, tag: str) -> list[Any]:
    path = f"/v1/issuances/{world.issuance}/mint"
    body = {"to": world.b.address, "amount": 1}
    return at_once([lambda n=n: api.post(path, "issuer", body, key=f"{tag}-{n}") for n in range(count)])


def test_a_burst_of_mints_reaches_the_node_in_batches_in_nonce_order(world: World, gateway_behind: Behind) -> None:
    slow_start, api = gateway_behind(hold_first_send=0.3)
    answers = _burst(world, api, 8, "batched")
    assert [a.status_code for a in answers] == [201] * 8, [a.text for a in answers]
    first = slow_start.passed_on[0]
    assert slow_start.passed_on == list(range(first, first + 8))  # each once, in nonce order
    # Those that came while the first was held back went together.
    assert len(slow_start.sends_per_request) < 8
    assert world.queries.balance_of(world.b.address, world.issuance) == 8


@pytest.mark.parametrize(
    "node",
    [{"no_batches": True}, {"without": ("eth_sendRawTransactionSync",)}],
    ids=["node without batches", "node without the synchronous send"],
)
def test_a_burst_reaches_other_nodes_in_nonce_order(world: World, gateway_behind: Behind, node: dict[str, Any]) -> None:
    proxy, api = gateway_behind(hold_first_send=0.3, **node)
    answers = _burst(world, api, 6, "other-node")
    assert [a.status_code for a in answers] == [201] * 6, [a.text for a in answers]
    first = proxy.passed_on[0]
    assert proxy.passed_on == list(range(first, first + 6))
    if node.get("no_batches"):
        assert proxy.sends_per_request == [1] * 6  # refused once as a batch, then one by one
    else:
        assert proxy.asked.count("eth_sendRawTransactionSync") < 6  # refused at first, then not asked
        assert proxy.asked.count("eth_sendRawTransaction") == 6
    assert world.queries.balance_of(world.b.address, world.issuance) == 6


def test_writes_from_threads_and_mints_share_one_order(world: World, gateway_behind: Behind) -> None:
    slow_start, api = gateway_behind(hold_first_send=0.3)
    expiry = chain_time(world.w3) + YEAR
    mint = f"/v1/issuances/{world.issuance}/mint"
    calls: list[Callable[[], Any]] = []
    for n in range(3):
        wallet = world.accounts[12 + n].address
        body = {"wallet": wallet, "identity_ref": "0x" + h(f"kyc {n}").hex(), "identity_expiry": expiry}
        calls.append(lambda body=body, n=n: api.post("/v1/participants", "operator", body, key=f"onboard-{n}"))
        calls.append(lambda n=n: api.post(mint, "issuer", {"to": world.b.address, "amount": 1}, key=f"mixed-{n}"))
    answers = at_once(calls)
    assert [a.status_code for a in answers] == [201] * 6, [a.text for a in answers]
    first = slow_start.passed_on[0]
    assert slow_start.passed_on == list(range(first, first + 6))


def _writer(api: Api, url: str) -> KeyWriter:
    """A writer of the gateway's operator key of its own, talking to the node at `url`."""
    chain = api.gateway.chain
    account = chain.signer(chain.operator_address)
    return KeyWriter(
        account,
        Node(url),
        chain.journal,
        chain.lost,
        chain.platform.decoder,
        lambda _record, _seq: (None, False),
        chain_id=chain.deployment.chain_id,
        timeout=10,
    )


def test_a_refusal_inside_a_batch_reaches_only_its_own_request(world: World, gateway_behind: Behind) -> None:
    proxy, api = gateway_behind()
    writer = _writer(api, proxy.url)
    # The last one's gas is below a transfer's intrinsic 21,000: the node refuses it.
    calls = [Call(world.b.address, b"", gas, "test") for gas in (21_000, 21_000, 1_000)]

    async def send_all() -> list[Any]:
        # All three wait before the writer first runs: one batch.
        return await asyncio.gather(*(writer.send(call) for call in calls), return_exceptions=True)

    answers = asyncio.run(send_all())
    assert [a.block_number > 0 for a in answers[:2]] == [True, True], answers
    assert isinstance(answers[2], RpcError) and "gas" in str(answers[2]).lower()
    assert proxy.sends_per_request == [3]
    with api.gateway.db.read() as conn:
        states = list(conn.scalars(select(transactions.c.state).order_by(transactions.c.nonce)))
    assert states == ["mined", "mined", "dropped"]


def test_a_request_that_stops_waiting_before_its_turn_uses_no_nonce(world: World, gateway_behind: Behind) -> None:
    slow_start, api = gateway_behind(hold_first_send=0.3)
    writer = _writer(api, slow_start.url)
    transfer = Call(world.b.address, b"", 21_000, "test")

    async def send_without_the_second() -> tuple[Any, Any]:
        first = asyncio.ensure_future(writer.send(transfer))
        await asyncio.sleep(0.1)  # the first is handed over, and held back
        second = asyncio.ensure_future(writer.send(transfer))
        await asyncio.sleep(0.02)
        second.cancel()  # its client went away while it waited for its turn
        third = await asyncio.wait_for(writer.send(transfer), 10)
        return await first, third

    first, third = asyncio.run(send_without_the_second())
    nonce = slow_start.passed_on[0]
    assert slow_start.passed_on == [nonce, nonce + 1]  # no gap: the second took no nonce
    assert first.block_number > 0 and third.block_number > 0


# --- reliability ------------------------------------------------------------------------------


def _journal_rows(api: Api) -> list[tuple[str, str]]:
    with api.gateway.db.read() as conn:
        return [(h, s) for h, s in conn.execute(select(transactions.c.tx_hash, transactions.c.state))]


def test_a_refusal_found_before_sending_uses_no_nonce_and_leaves_no_journal_row(
    world: World, gateway_behind: Behind
) -> None:
    node, api = gateway_behind()
    operator = api.gateway.chain.operator_address
    nonce = world.w3.eth.get_transaction_count(operator, "pending")
    # Refused by the contract's check view (the mint), and by the node's simulation (the SDK's path:
    # a participant registered already).
    too_many = api.post(f"/v1/issuances/{world.issuance}/mint", "issuer", {"to": world.b.address, "amount": 10**9})
    assert too_many.status_code == 409, too_many.text
    expiry = chain_time(world.w3) + YEAR
    again = {"wallet": world.b.address, "identity_ref": "0x" + h("kyc").hex(), "identity_expiry": expiry}
    refused = api.post("/v1/participants", "operator", again, key="registered-already")
    assert refused.status_code == 409, refused.text
    assert _journal_rows(api) == [] and node.passed_on == []
    assert world.w3.eth.get_transaction_count(operator, "pending") == nonce
    minted = api.post(f"/v1/issuances/{world.issuance}/mint", "issuer", {"to": world.b.address, "amount": 1}, key="m")
    assert minted.status_code == 201, minted.text
    assert node.passed_on == [nonce]  # the next transaction takes the nonce the refusals left


@pytest.fixture
def no_mining(world: World) -> Any:
    rpc = world.w3.provider.make_request
    rpc("evm_setAutomine", [False])  # type: ignore[arg-type]
    yield lambda: rpc("evm_mine", [])  # type: ignore[arg-type]
    rpc("evm_setAutomine", [True])  # type: ignore[arg-type]


@pytest.mark.parametrize("without", [(), ("eth_sendRawTransactionSync",)], ids=["sync-send", "plain-send"])
def test_a_receipt_that_does_not_come_in_time_leaves_the_request_pending(
    world: World, gateway_behind: Behind, no_mining: Callable[[], object], without: tuple[str, ...]
) -> None:
    node, api = gateway_behind({"tx_timeout": 1.0, "rpc_timeout": 1.0}, without=without)
    path, body = f"/v1/issuances/{world.issuance}/mint", {"to": world.b.address, "amount": 4}
    waiting = api.post(path, "issuer", body, key="not-yet")
    assert waiting.status_code == 504 and waiting.json()["code"] == "transaction_pending", waiting.text
    [(tx_hash, state)] = _journal_rows(api)
    assert state == "pending" and waiting.json()["tx_hash"] == tx_hash  # pending, never failed
    no_mining()
    retry = api.post(path, "issuer", body, key="not-yet")
    assert retry.status_code == 201, retry.text
    assert retry.json()["tx_hash"] == tx_hash and len(node.passed_on) == 1  # waited for, not sent again
    assert _journal_rows(api) == [(tx_hash, "mined")]
    assert world.queries.balance_of(world.b.address, world.issuance) == 4


def test_a_transaction_that_reverts_fails_with_its_decoded_error(world: World, gateway_behind: Behind) -> None:
    node, api = gateway_behind()
    writer = _writer(api, node.url)
    asset = world.platform.contracts.asset
    mint = bytes.fromhex(asset.encode_abi("mint", [world.issuance, world.b.address, 1])[2:])
    # Enough gas to start (the floor cost of its calldata, EIP-7623), not to finish: status 0, all used.
    gas = 21_000 + 10 * sum(4 if byte else 1 for byte in mint) + 100
    starved = asyncio.run(_failure(writer.send(Call(asset.address, mint, gas, "mint"))))
    assert isinstance(starved, OutOfGas)
    # Sent without the simulation, to a recipient the contract refuses: status 0, decoded.
    stranger = bytes.fromhex(asset.encode_abi("mint", [world.issuance, world.accounts[15].address, 1])[2:])
    refused = asyncio.run(_failure(writer.send(Call(asset.address, stranger, 300_000, "mint"))))
    assert isinstance(refused, SecuredAssetParticipantNotEligibleError)
    assert refused.tx_hash is not None
    assert [s for _, s in _journal_rows(api)] == ["reverted", "reverted"]


async def _failure(sending: Any) -> BaseException:
    try:
        await sending
    except BaseException as exc:  # noqa: BLE001 - what the test looks at
        return exc
    raise AssertionError("the transaction did not fail")


def test_a_nonce_another_sender_of_the_key_took_is_retried_with_a_fresh_one_as_the_same_step(
    world: World, gateway_behind: Behind
) -> None:
    """Two gateways (or a tool) sharing a key: the writer's nonce is stale, the node refuses it as
    too low, and the step is signed once more with the node's count; the stale one is dropped and
    no longer numbered in the request."""
    proxy, api = gateway_behind()
    writer = _writer(api, proxy.url)
    transfer = Call(world.b.address, b"", 21_000, "test")
    first = asyncio.run(writer.send(transfer))  # the writer now counts nonces itself
    world.operator.register_participant(world.accounts[12].address, h("kyc"), chain_time(world.w3) + YEAR)
    op = Operation(77)
    second = asyncio.run(writer.send(transfer, op))
    assert second.block_number > first.block_number
    with api.gateway.db.read() as conn:
        rows = conn.execute(
            select(transactions.c.tx_hash, transactions.c.seq, transactions.c.state).order_by(transactions.c.id)
        ).all()
    stale, fresh = rows[1], rows[2]
    assert (stale.seq, stale.state) == (None, "dropped")
    assert fresh.tx_hash == second.tx_hash and fresh.seq == 1
    assert proxy.passed_on[1] == proxy.passed_on[2] - 1  # the stale nonce, then the node's count


def _states(api: Api) -> list[tuple[int, str]]:
    with api.gateway.db.read() as conn:
        return [(n, s) for n, s in conn.execute(select(transactions.c.nonce, transactions.c.state))]


def test_a_lost_send_the_node_then_refuses_does_not_stop_the_key_for_good(world: World, gateway_behind: Behind) -> None:
    """A send whose answer is lost, then refused when the resolver sends it again (the base fee rose
    above its cap), is concluded dropped with its nonce never used: the key's next transaction asks
    the node for its nonce rather than signing past a gap no one fills (each later request pending)."""
    lossy, api = gateway_behind({"tx_timeout": 2.0, "rpc_timeout": 2.0}, losing=True)
    rpc = world.w3.provider.make_request
    path = f"/v1/issuances/{world.issuance}/mint"
    lost = api.post(path, "issuer", {"to": world.b.address, "amount": 3}, key="lost")
    assert lost.status_code == 503, lost.text
    [(nonce, _)] = _states(api)
    # Before it is sent again, the base fee rises above its fee cap: the node refuses the bytes.
    rpc("anvil_setNextBlockBaseFeePerGas", [hex(10**13)])  # type: ignore[arg-type]
    lossy.losing = False
    api.gateway.resolve_pending()  # the resolver's round, woken by the lost send
    assert _states(api) == [(nonce, "dropped")]
    rpc("anvil_setNextBlockBaseFeePerGas", [hex(10**9)])  # type: ignore[arg-type]  # calm again
    # The key's next write takes a nonce after the dropped one's: it can never be included.
    later = api.post(path, "issuer", {"to": world.b.address, "amount": 2}, key="later")
    assert later.status_code == 201, (later.status_code, later.text, _states(api))


def test_a_refusal_of_a_batch_s_first_transaction_does_not_stop_the_rest(world: World, gateway_behind: Behind) -> None:
    """The node refuses a batch's first transaction and never answers the batch (the later ones of
    it wait behind that nonce): the resolver sends the refused one again, the node refuses it again,
    it is dropped, and the key's next transaction takes the nonce left free; the node then includes
    the ones that waited."""
    _proxy, api = gateway_behind({"tx_timeout": 3.0, "rpc_timeout": 3.0})
    chain = api.gateway.chain
    writer = chain.writer(chain.operator_address)

    def send_all(calls: list[Call]) -> list[Any]:
        async def each() -> list[Any]:
            return await asyncio.gather(*(writer.send(call) for call in calls), return_exceptions=True)

        return api.client.portal.call(each)  # type: ignore[union-attr]  # on the gateway's event loop

    # The first one's gas is below a transfer's intrinsic 21,000: the node refuses it.
    answers = send_all([Call(world.b.address, b"", gas, "test") for gas in (1_000, 21_000, 21_000)])
    # The batch's answer never comes: each request learns only that, failed or pending (timed out).
    assert isinstance(answers[0], ConnectionFailed) and all(isinstance(a, TransactionTimeout) for a in answers[1:])
    api.gateway.resolve_pending()  # the resolver's round, woken by the lost batch
    assert sorted(_states(api))[0][1] == "dropped"  # the refused one, first in nonce order
    [after] = send_all([Call(world.b.address, b"", 21_000, "test")])
    assert after.block_number > 0
    assert all(world.w3.eth.get_transaction_receipt(a.tx_hash)["status"] == 1 for a in answers[1:])


REQUEST = 4242  # one idempotency record: its first attempt and its retry


def test_a_retry_never_sends_a_step_its_running_first_attempt_sent(world: World, gateway_behind: Behind) -> None:
    """A retry that finds no transaction for its step yet, while its first attempt records and sends
    one, must not take the step's place (only a recorded step never to be included gives it up): the
    journal's uniqueness of (request, step) then stops the second transaction."""
    proxy, api = gateway_behind()
    chain = api.gateway.chain

    def look_just_before_the_first_attempt_records(record: int, seq: int) -> tuple[JournalEntry | None, bool]:
        found = chain._earlier_step(record, seq)  # nothing yet: the first attempt has not recorded
        deadline = time.monotonic() + 10
        while chain.journal.step(record, seq) is None and time.monotonic() < deadline:
            time.sleep(0.01)  # ... and now it has (and sent it)
        return found

    writer = KeyWriter(
        chain.signer(chain.operator_address),
        Node(proxy.url),
        chain.journal,
        chain.lost,
        chain.platform.decoder,
        look_just_before_the_first_attempt_records,
        chain_id=chain.deployment.chain_id,
        timeout=10,
    )
    transfer = Call(world.b.address, b"", 21_000, "test")

    async def both_attempts() -> None:
        retry = asyncio.ensure_future(writer.send(transfer, Operation(REQUEST, resumed=True)))
        await asyncio.sleep(0.05)  # the retry is looking at the journal
        first = asyncio.ensure_future(writer.send(transfer, Operation(REQUEST)))
        await asyncio.gather(first, retry, return_exceptions=True)

    asyncio.run(both_attempts())
    with api.gateway.db.read() as conn:
        rows = conn.execute(select(transactions.c.seq, transactions.c.state)).all()
    assert len(proxy.passed_on) == 1, (proxy.passed_on, rows)  # one step: one transaction sent
