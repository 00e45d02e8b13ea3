"""A deployment connected to a node (sdap/platform.py): the node must be on the deployment's chain
and hold its contracts; the chain id is asked once; reads, view layouts and each key's Transactor
are made once per platform."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from eth_account.signers.local import LocalAccount
from web3 import Web3

from sdap.anvil import Anvil
from sdap.errors import ConfigurationError
from sdap.platform import Platform


class CountingProvider(Web3.HTTPProvider):
    """web3's HTTP provider, noting each JSON-RPC method it sends."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.sent: list[str] = []

    def make_request(self, method: Any, params: Any) -> Any:
        self.sent.append(str(method))
        return super().make_request(method, params)


def test_connect_checks_the_chain_and_the_contracts(anvil: Anvil, deployed: Any) -> None:
    platform = Platform.connect(anvil.url, deployed.deployment)
    assert platform.chain_id == deployed.deployment.chain_id == 31337
    with pytest.raises(ConfigurationError, match="node is on chain 31337, deployment on 1"):
        Platform.connect(anvil.url, replace(deployed.deployment, chain_id=1))
    nowhere = replace(deployed.deployment, asset="0x" + "00" * 19 + "01")
    with pytest.raises(ConfigurationError, match="no code for"):
        Platform.connect(anvil.url, nowhere)
    Platform.connect(anvil.url, nowhere, check=False)  # a caller that knows better may skip it


def test_check_refuses_an_asset_that_runs_another_extension(anvil: Anvil, deployed: Any) -> None:
    """The deployment's extension has code, but the asset delegates to another: an auditor would
    verify code the asset never runs."""
    elsewhere = replace(deployed.deployment, extension=deployed.deployment.registry)  # code, but not the asset's
    with pytest.raises(ConfigurationError, match="the asset runs the extension at"):
        Platform.connect(anvil.url, elsewhere)
    missing = replace(deployed.deployment, extension="0x" + "00" * 19 + "02")
    with pytest.raises(ConfigurationError, match="no code for SecuredAssetExtension"):
        Platform.connect(anvil.url, missing)


def test_the_chain_id_is_asked_once_and_reads_ask_none(
    anvil: Anvil, deployed: Any, accounts: list[LocalAccount]
) -> None:
    provider = CountingProvider(anvil.url)
    platform = Platform(Web3(provider), deployed.deployment)
    platform.check()
    platform.check()
    assert provider.sent.count("eth_chainId") == 1
    provider.sent.clear()
    assert platform.queries.regulator_count() == 1
    assert platform.queries.has_role("regulator", accounts[1].address)
    assert provider.sent == ["eth_call", "eth_call"]


def test_reads_views_and_transactors_are_made_once(platform: Platform, accounts: list[LocalAccount]) -> None:
    assert platform.queries is platform.queries
    assert platform.views.asset.function("balanceOf", 2) is platform.views.asset.function("balanceOf", 2)
    assert platform.transactor(accounts[1]) is platform.transactor(accounts[1])
    assert platform.transactor(accounts[1]) is not platform.transactor(accounts[2])
    # Every client of one key, whatever its role, sends through that key's one Transactor.
    assert platform.regulator(accounts[1])._tx is platform.operator(accounts[1])._tx


def test_repr_names_the_chain_and_the_registry(platform: Platform) -> None:
    assert repr(platform) == f"Platform(chain_id=31337, registry={platform.deployment.registry})"
