"""Sending on nodes that are not anvil at its best: one without `eth_sendRawTransactionSync`
(Hyperledger Besu, geth), where the transaction is sent with `eth_sendRawTransaction` and its
receipt polled once the node has said it does not know the synchronous method; and one that
answers a send after the gateway has stopped waiting, where the transaction is found by its hash
instead of being reported lost; and one that never got the transaction, where the retried
request sends the very same bytes again at once."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import pytest
from gateway_support import Api, Behind
from sqlalchemy import select
from world import YEAR, World, chain_time, h

from api.db.schema import transactions
from sdap.transactions import Transactor


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


def test_fees_are_asked_of_the_node_off_the_event_loop(
    world: World, make_api: Callable[..., Api], monkeypatch: pytest.MonkeyPatch
) -> None:
    """web3's calls block: on the event loop, a slow node would stall every request meanwhile."""
    where: list[str] = []
    ask_the_node = Transactor._fees

    def recording(self: Transactor) -> dict[str, int]:
        try:
            asyncio.get_running_loop()
            where.append("event loop")
        except RuntimeError:
            where.append("worker thread")
        return ask_the_node(self)

    monkeypatch.setattr(Transactor, "_fees", recording)
    world.platform.resync_nonces()
    api = make_api()
    answer = api.post(f"/v1/issuances/{world.issuance}/mint", "issuer", {"to": world.b.address, "amount": 1}, key="f")
    assert answer.status_code == 201, answer.text
    assert where == ["worker thread"]
