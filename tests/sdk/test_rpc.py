"""The SDK's JSON-RPC transport (sdap/rpc.py): requests and batches over one kept-alive connection
per thread, a connection the node closed opened again, the chain id asked once, failures as
ConnectionError, and a URL's path and query (where hosted nodes put their token) never shown."""

from __future__ import annotations

import pytest
from node_proxy import NodeProxy
from web3 import Web3
from web3.types import RPCEndpoint

from sdap.anvil import Anvil
from sdap.rpc import KeepAliveHTTPProvider


def test_requests_and_batches_on_one_connection(anvil: Anvil) -> None:
    provider = KeepAliveHTTPProvider(anvil.url)
    assert Web3(provider).eth.chain_id == 31337
    connection = provider._connection()
    answers = provider.make_batch_request([(RPCEndpoint("eth_chainId"), []), (RPCEndpoint("eth_blockNumber"), [])])
    assert isinstance(answers, list) and answers[0]["result"] == "0x7a69"
    assert provider._connection() is connection  # kept alive
    connection.close()  # as a node closes an idle connection
    assert int(provider.make_request(RPCEndpoint("eth_blockNumber"), [])["result"], 16) >= 0
    assert provider.is_connected()


def test_the_chain_id_is_asked_once_however_many_writes_are_simulated(anvil: Anvil) -> None:
    """web3 asks the chain id before each `eth_estimateGas` and `eth_call` it validates: the
    transport asks the node on the first (web3's request cache asks once more as it starts) and
    answers every later one from the cache."""
    proxy = NodeProxy(anvil.url)
    try:
        w3 = Web3(KeepAliveHTTPProvider(proxy.url))
        sender = w3.eth.accounts[0]
        w3.eth.estimate_gas({"from": sender, "to": sender, "value": 1})
        first = proxy.asked.count("eth_chainId")
        assert 1 <= first <= 2
        for _ in range(3):
            w3.eth.estimate_gas({"from": sender, "to": sender, "value": 1})
            w3.eth.call({"from": sender, "to": sender})
        assert w3.eth.chain_id == 31337
        assert proxy.asked.count("eth_chainId") == first
        assert proxy.asked.count("eth_estimateGas") == 4 and proxy.asked.count("eth_call") == 3
    finally:
        proxy.close()


def test_an_unreachable_node_is_a_connection_error() -> None:
    provider = KeepAliveHTTPProvider("http://127.0.0.1:9", timeout=2)
    with pytest.raises(ConnectionError):
        provider.make_request(RPCEndpoint("eth_chainId"), [])
    assert not provider.is_connected()


def test_the_url_is_checked_and_its_secret_never_shown() -> None:
    provider = KeepAliveHTTPProvider("https://node.example:8545/v3/s3cret-token?key=also-secret")
    assert repr(provider) == "KeepAliveHTTPProvider(https://node.example:8545)"
    with pytest.raises(ValueError, match="http"):
        KeepAliveHTTPProvider("ws://node.example")
