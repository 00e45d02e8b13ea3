from __future__ import annotations

import json
from pathlib import Path

import pytest
from web3 import Web3

from sdap.artifacts import CONTRACT_NAMES, load_artifact
from sdap.deployment import Deployment
from sdap.errors import ConfigurationError
from sdap.platform import Platform


def test_deployment_file_round_trips_and_loads_the_platform(platform: Platform, anvil, tmp_path: Path) -> None:
    path = platform.deployment.save(tmp_path / "deployment.json")
    loaded = Platform.connect(anvil.url, path)
    assert loaded.deployment == platform.deployment
    data = json.loads(path.read_text())
    assert data["chain_id"] == 31337
    assert set(data["artifacts"]) == set(CONTRACT_NAMES)
    assert data["artifacts"]["SecuredAsset"] == load_artifact("SecuredAsset").sha256
    assert data["deployment_block"] >= 1


def test_deployer_keeps_no_role(platform: Platform, accounts, w3: Web3) -> None:
    registry = platform.contracts.registry
    deployer = accounts[0].address
    for role in ("DEFAULT_ADMIN_ROLE", "REGULATOR_ROLE", "OPERATOR_ROLE", "VERIFIER_ROLE", "COMPLIANCE_ROLE"):
        role_id = getattr(registry.functions, role)().call()
        assert not registry.functions.hasRole(role_id, deployer).call(), role
    regulator_role = registry.functions.REGULATOR_ROLE().call()
    assert registry.functions.hasRole(regulator_role, accounts[1].address).call()


def test_connect_refuses_another_chain(platform: Platform, anvil, tmp_path: Path) -> None:
    other = Deployment(**{**platform.deployment.__dict__, "chain_id": 1})
    with pytest.raises(ConfigurationError, match="chain 31337, deployment on 1"):
        Platform.connect(anvil.url, other)


def test_connect_refuses_an_address_without_code(platform: Platform, anvil) -> None:
    other = Deployment(**{**platform.deployment.__dict__, "asset": "0x" + "12" * 20})
    with pytest.raises(ConfigurationError, match="no code for SecuredAsset"):
        Platform.connect(anvil.url, other)


def test_load_refuses_a_broken_file(tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    path.write_text("{not json")
    with pytest.raises(ConfigurationError, match="not JSON"):
        Deployment.load(path)
    path.write_text(json.dumps({"format": 2, "chain_id": 1}))
    with pytest.raises(ConfigurationError, match="lacks"):
        Deployment.load(path)


def test_a_file_of_the_format_before_the_extension_is_refused(platform: Platform, tmp_path: Path) -> None:
    """Format 1 named no extension: loading it would leave the asset's rarer acts unaccounted for."""
    data = json.loads(platform.deployment.to_json())
    assert data["format"] == 2 and data["extension"] == platform.deployment.extension
    path = tmp_path / "old.json"
    path.write_text(json.dumps({**{k: v for k, v in data.items() if k != "extension"}, "format": 1}))
    with pytest.raises(ConfigurationError, match="unsupported deployment file format 1"):
        Deployment.load(path)
    path.write_text(json.dumps({k: v for k, v in data.items() if k != "extension"}))
    with pytest.raises(ConfigurationError, match="lacks 'extension'"):
        Deployment.load(path)


def test_the_extension_is_deployed_with_the_asset_and_named_by_it(platform: Platform) -> None:
    d = platform.deployment
    assert d.addresses["SecuredAssetExtension"] == d.extension != d.asset
    assert platform.w3.eth.get_code(d.extension)
    assert Web3.to_checksum_address(platform.contracts.asset.functions.extension().call()) == d.extension
    assert d.artifacts["SecuredAssetExtension"] == load_artifact("SecuredAssetExtension").sha256
