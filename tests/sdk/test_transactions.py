"""Sending through the role clients: refusals raised before anything is sent, many writes in flight
from one key, a rewound chain, and a node that cannot be reached."""

from __future__ import annotations

import socket
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from eth_account import Account
from eth_account.signers.local import LocalAccount
from node_proxy import NodeProxy
from web3 import Web3
from world import YEAR, States, World, chain_time, h

from sdap.clients import OperatorClient, PlatformQueries
from sdap.contract_errors import SecuredAssetParticipantNotEligibleError
from sdap.errors import ConnectionFailed, ContractError
from sdap.events import EventDecoder
from sdap.platform import Platform
from sdap.rpc import KeepAliveHTTPProvider
from sdap.transactions import Call, Receipt, Transactor, calldata_of
from sdap.types import ParticipantStatus


class CountingProvider(Web3.HTTPProvider):
    """web3's HTTP provider, noting each JSON-RPC method it sends."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.sent: list[str] = []

    def make_request(self, method: Any, params: Any) -> Any:
        self.sent.append(str(method))
        return super().make_request(method, params)


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


class _Relaying:
    """A Broadcaster that sends each call with another Transactor of the same key, as a remote
    signer would, remembering what it was handed."""

    def __init__(self, inner: Transactor) -> None:
        self.inner = inner
        self.calls: list[Call] = []

    def send(self, call: Call) -> Receipt:
        self.calls.append(call)
        return self.inner.send_raw(call.to, call.data, gas=call.gas)


def test_a_broadcaster_sends_in_the_transactors_place(w: World) -> None:
    account = w.accounts[2]  # the operator's key
    relaying = _Relaying(Transactor(w.w3, account, EventDecoder()))
    client = OperatorClient(
        w.platform, account, transactor=Transactor(w.w3, account, w.platform.decoder, broadcaster=relaying)
    )
    wallet = Account.create().address
    receipt = client.register_participant(wallet, h("kyc"), chain_time(w.w3) + YEAR)
    [call] = relaying.calls
    registry = w.platform.contracts.registry
    assert call.to == registry.address and call.gas is None and call.purpose == "registerParticipant"
    expected = registry.encode_abi("registerParticipant", [wallet, h("kyc"), chain_time(w.w3) + YEAR])
    assert call.data[:4].hex() == expected[2:10]  # the function's selector, its arguments after
    assert receipt.block_number > 0 and PlatformQueries(w.platform).participant(wallet).registered
    # Without gas the broadcaster simulates first: a refusal is raised before anything is sent.
    with pytest.raises(ContractError):
        client.register_participant(wallet, h("kyc"), chain_time(w.w3) + YEAR)
    assert len(relaying.calls) == 2


def test_calldata_of_a_prepared_call_is_web3s(w: World) -> None:
    asset = w.platform.contracts.asset
    fn = asset.functions.mint(w.issuance, w.b.address, 7)
    assert "0x" + calldata_of(fn).hex() == asset.encode_abi("mint", [w.issuance, w.b.address, 7])


def test_a_platforms_transactor_never_asks_the_chain_id(w: World) -> None:
    """The deployment names its chain (checked against the node by `Platform.check`): a write
    signs for it without asking the node, where a Transactor not told the chain asks once."""
    url = str(w.w3.provider.endpoint_uri)  # type: ignore[attr-defined]
    asked: list[int] = []
    for known in (True, False):
        provider = CountingProvider(url)
        platform = Platform(Web3(provider), w.platform.deployment)
        bare = Transactor(platform.w3, w.accounts[2], platform.decoder)
        transactor = platform.transactor(w.accounts[2]) if known else bare
        operator = OperatorClient(platform, w.accounts[2], transactor=transactor)
        operator.register_participant(Account.create().address, h("kyc"), chain_time(w.w3) + YEAR)
        assert "eth_sendRawTransaction" in provider.sent
        asked.append(provider.sent.count("eth_chainId"))
    assert asked[1] == asked[0] + 1


def test_a_send_whose_answer_is_lost_is_found_by_its_hash(w: World) -> None:
    """The node takes a transaction and the connection breaks before its answer: the transport
    sends the same bytes again and the node refuses them (it knows them, or has mined them). The
    write is not a failure: the transaction is found by its hash and waited for, sent once."""
    proxy = NodeProxy(str(w.w3.provider.endpoint_uri), lose_first_answer=True)  # type: ignore[attr-defined]
    try:
        platform = Platform(Web3(KeepAliveHTTPProvider(proxy.url)), w.platform.deployment)
        operator = OperatorClient(platform, w.accounts[2])
        nonce = w.w3.eth.get_transaction_count(w.operator.address)
        wallet = Account.create().address
        receipt = operator.register_participant(wallet, h("kyc"), chain_time(w.w3) + YEAR)
        assert len(proxy.passed_on) == 2  # the same transaction twice: the lost answer, then the retry
        assert proxy.passed_on[0] == proxy.passed_on[1] == nonce
        assert w.w3.eth.get_transaction_count(w.operator.address) == nonce + 1
        assert receipt.event("ParticipantRegistered")["wallet"] == wallet
        # The key's next write takes the next nonce.
        operator.register_participant(Account.create().address, h("kyc"), chain_time(w.w3) + YEAR)
        assert w.w3.eth.get_transaction_count(w.operator.address) == nonce + 2
    finally:
        proxy.close()
