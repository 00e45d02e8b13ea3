"""Sending through the role clients: refusals raised before anything is sent, many writes in flight
from one key, a rewound chain, and a node that cannot be reached."""

from __future__ import annotations

import socket
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from eth_account import Account
from eth_account.signers.local import LocalAccount
from web3 import Web3
from world import YEAR, States, World, chain_time, h

from sdap.clients import OperatorClient, PlatformQueries
from sdap.contract_errors import SecuredAssetParticipantNotEligibleError
from sdap.errors import ConnectionFailed
from sdap.platform import Platform
from sdap.transactions import Receipt
from sdap.types import ParticipantStatus


@pytest.fixture
def w(states: States) -> World:
    return states.world()


def test_refusal_is_raised_before_sending(w: World) -> None:
    outsider = Account.create().address
    nonce = w.w3.eth.get_transaction_count(w.a.address)
    block = w.w3.eth.block_number
    with pytest.raises(SecuredAssetParticipantNotEligibleError) as raised:
        w.a.transfer(outsider, w.issuance, 1)
    assert raised.value.account == outsider
    assert raised.value.status == ParticipantStatus.NOT_REGISTERED
    assert raised.value.tx_hash is None  # never sent, so no transaction to point at
    assert w.w3.eth.get_transaction_count(w.a.address) == nonce
    assert w.w3.eth.get_transaction_count(w.a.address, "pending") == nonce
    assert w.w3.eth.block_number == block
    # The local nonce counter was not spent either: the next write goes through at once.
    w.a.transfer(w.b.address, w.issuance, 1)
    assert w.w3.eth.get_transaction_count(w.a.address) == nonce + 1


def test_fifty_writes_in_flight_from_one_key(w: World) -> None:
    wallets = [Account.create().address for _ in range(50)]
    expiry = chain_time(w.w3) + YEAR
    nonce = w.w3.eth.get_transaction_count(w.operator.address)
    with ThreadPoolExecutor(max_workers=50) as pool:
        receipts = list(
            pool.map(lambda wallet: w.operator.register_participant(wallet, h(f"kyc {wallet}"), expiry), wallets)
        )
    assert len(receipts) == 50 and all(isinstance(r, Receipt) for r in receipts)
    assert len({r.tx_hash for r in receipts}) == 50
    assert w.w3.eth.get_transaction_count(w.operator.address) == nonce + 50
    assert {r.event("ParticipantRegistered")["wallet"] for r in receipts} == set(wallets)
    assert all(w.queries.participant(wallet).registered for wallet in wallets)


def test_clients_of_one_key_share_its_nonces(w: World) -> None:
    """An operator key used by two clients at once (say the gateway and a batch job) never reuses
    a nonce: the platform gives both the same transactor."""
    twin = OperatorClient(w.platform, w.accounts[2])
    assert w.platform.transactor(w.accounts[2]) is w.platform.transactor(w.accounts[2])
    expiry = chain_time(w.w3) + YEAR
    wallets = [Account.create().address for _ in range(10)]
    with ThreadPoolExecutor(max_workers=10) as pool:
        list(
            pool.map(
                lambda pair: pair[0].register_participant(pair[1], h("kyc"), expiry),
                [(w.operator if i % 2 else twin, wallet) for i, wallet in enumerate(wallets)],
            )
        )
    assert all(w.queries.participant(wallet).registered for wallet in wallets)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_unreachable_node_is_connection_failed(deployed: Any, accounts: list[LocalAccount]) -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    with pytest.raises(ConnectionFailed):
        Platform.connect(url, deployed.deployment)
    provider = Web3.HTTPProvider(url, exception_retry_configuration=None)
    platform = Platform(Web3(provider), deployed.deployment)
    with pytest.raises(ConnectionFailed):
        PlatformQueries(platform).issuance_count()
    with pytest.raises(ConnectionFailed):
        platform.holder(accounts[6]).transfer(accounts[7].address, 1, 1)
    with pytest.raises(ConnectionFailed):
        platform.holder(accounts[6]).sign_acknowledgement()
