from __future__ import annotations

import json
from pathlib import Path

import pytest
from web3 import Web3

from sdap.artifacts import CONTRACT_NAMES, GOVERNANCE_CONTRACT_NAMES, load_artifact
from sdap.deployment import Deployment, GovernanceSetup, deploy_platform
from sdap.errors import ConfigurationError, InvalidArgument
from sdap.events import EventDecoder
from sdap.platform import Platform
from sdap.transactions import Transactor


def test_deployment_file_round_trips_and_loads_the_platform(platform: Platform, anvil, tmp_path: Path) -> None:
    path = platform.deployment.save(tmp_path / "deployment.json")
    loaded = Platform.connect(anvil.url, path)
    assert loaded.deployment == platform.deployment
    data = json.loads(path.read_text())
    assert data["chain_id"] == 31337
    # A single-key regulator: the platform's six contracts, no council nor timelock.
    assert set(data["artifacts"]) == set(CONTRACT_NAMES) - set(GOVERNANCE_CONTRACT_NAMES)
    assert data["format"] == 4 and data["council"] == data["timelock"] == ""
    assert data["exchange"] == loaded.views.asset.call("exchange") == loaded.deployment.addresses["SecuredExchange"]
    assert not loaded.deployment.governed and "RegulatorTimelock" not in loaded.deployment.addresses
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
    path.write_text(json.dumps({"format": 4, "chain_id": 1}))
    with pytest.raises(ConfigurationError, match="lacks"):
        Deployment.load(path)


def test_a_file_of_the_format_before_the_extension_is_refused(platform: Platform, tmp_path: Path) -> None:
    """Format 1 named no extension: loading it would leave the asset's rarer acts unaccounted for."""
    data = json.loads(platform.deployment.to_json())
    assert data["format"] == 4 and data["extension"] == platform.deployment.extension
    path = tmp_path / "old.json"
    path.write_text(json.dumps({**{k: v for k, v in data.items() if k != "extension"}, "format": 1}))
    with pytest.raises(ConfigurationError, match="unsupported deployment file format 1"):
        Deployment.load(path)
    path.write_text(json.dumps({k: v for k, v in data.items() if k != "extension"}))
    with pytest.raises(ConfigurationError, match="lacks 'extension'"):
        Deployment.load(path)


def test_a_file_of_the_format_before_governance_is_refused(platform: Platform, tmp_path: Path) -> None:
    """Format 2 did not say whether the regulator is governed: read as single-key, a governed
    platform's regulator would be taken for a key."""
    data = json.loads(platform.deployment.to_json())
    path = tmp_path / "format2.json"
    path.write_text(json.dumps({**{k: v for k, v in data.items() if k not in ("council", "timelock")}, "format": 2}))
    with pytest.raises(ConfigurationError, match="unsupported deployment file format 2: this SDK reads format 4"):
        Deployment.load(path)
    path.write_text(json.dumps({k: v for k, v in data.items() if k != "timelock"}))
    with pytest.raises(ConfigurationError, match="lacks 'timelock'"):
        Deployment.load(path)


def test_a_file_of_the_format_before_the_exchange_is_read_by_asking_the_asset(
    platform: Platform, anvil, tmp_path: Path
) -> None:
    """Format 3 named no exchange: the asset deployed it and names it, so the chain fills it in; a
    format-4 file must name it."""
    data = json.loads(platform.deployment.to_json())
    path = tmp_path / "format3.json"
    path.write_text(json.dumps({**{k: v for k, v in data.items() if k != "exchange"}, "format": 3}))
    assert Deployment.load(path).exchange == ""
    assert Platform.connect(anvil.url, path).deployment == platform.deployment
    path.write_text(json.dumps({k: v for k, v in data.items() if k != "exchange"}))
    with pytest.raises(ConfigurationError, match="lacks 'exchange'"):
        Deployment.load(path)


def test_connect_refuses_an_exchange_the_asset_does_not_trust(platform: Platform, anvil) -> None:
    other = Deployment(**{**platform.deployment.__dict__, "exchange": platform.deployment.forwarder})
    with pytest.raises(ConfigurationError, match="the asset trusts the exchange at"):
        Platform.connect(anvil.url, other)


def test_an_asset_that_names_no_exchange_is_refused(platform: Platform, anvil) -> None:
    """A format-3 file of an asset from before the exchange (here: the registry, which has no
    `exchange()`): nothing to fill in, so the platform is refused rather than half loaded."""
    other = Deployment(**{**platform.deployment.__dict__, "asset": platform.deployment.registry, "exchange": ""})
    with pytest.raises(ConfigurationError, match="names no exchange"):
        Platform.connect(anvil.url, other)


def _governed(platform: Platform, accounts) -> Deployment:
    deployer = Transactor(platform.w3, accounts[0], EventDecoder())
    setup = GovernanceSetup([a.address for a in accounts[16:19]], threshold=2, min_delay=3600)
    return deploy_platform(platform.w3, deployer, governance=setup)


def test_a_governed_deployment_records_its_council_and_timelock(
    platform: Platform, accounts, anvil, tmp_path: Path
) -> None:
    """`platform` only rewinds the chain after the test: the governed platform is deployed beside it."""
    d = _governed(platform, accounts)
    assert d.governed and d.regulator == d.timelock != "" and d.council not in ("", d.timelock)
    assert d.addresses["RegulatorCouncil"] == d.council and d.addresses["RegulatorTimelock"] == d.timelock
    assert set(d.artifacts) == set(CONTRACT_NAMES)
    # History starts at the council, the first contract deployed.
    council_block = platform.w3.eth.get_transaction_receipt(
        platform.w3.eth.get_block(d.deployment_block)["transactions"][0]
    )["contractAddress"]
    assert Web3.to_checksum_address(council_block) == d.council
    loaded = Platform.connect(anvil.url, d.save(tmp_path / "governed.json"))
    assert loaded.deployment == d
    registry = loaded.contracts.registry.functions
    assert registry.hasRole(registry.REGULATOR_ROLE().call(), d.timelock).call()
    assert not registry.hasRole(registry.REGULATOR_ROLE().call(), accounts[0].address).call()


def test_connect_refuses_a_governance_the_chain_does_not_have(platform: Platform, accounts, anvil) -> None:
    d = _governed(platform, accounts)
    # The registry of the single-key platform does not know this timelock.
    with pytest.raises(ConfigurationError, match="does not hold REGULATOR_ROLE"):
        Platform.connect(anvil.url, Deployment(**{**d.__dict__, "registry": platform.deployment.registry}))
    # A council that is not the timelock's proposer (another contract with code: the forwarder).
    with pytest.raises(ConfigurationError, match="is not the timelock's proposer"):
        Platform.connect(anvil.url, Deployment(**{**d.__dict__, "council": d.forwarder}))


def test_a_governed_file_must_name_its_timelock_as_regulator(platform: Platform, accounts, tmp_path: Path) -> None:
    data = json.loads(_governed(platform, accounts).to_json())
    path = tmp_path / "d.json"
    path.write_text(json.dumps({**data, "regulator": accounts[1].address}))
    with pytest.raises(ConfigurationError, match="regulator is its timelock"):
        Deployment.load(path)
    path.write_text(json.dumps({**data, "council": ""}))
    with pytest.raises(ConfigurationError, match="both its council and its timelock"):
        Deployment.load(path)


@pytest.mark.parametrize(
    ("signers", "threshold", "match"),
    [
        ([], 1, "at least one signer"),
        (["0x" + "11" * 20, "0x" + "11" * 20], 1, "distinct"),
        (["0x" + "11" * 20], 2, "between 1 and the 1 signers"),
        (["0x" + "11" * 20], 0, "between 1"),
        ("0x" + "11" * 20, 1, "list of addresses"),
    ],
)
def test_a_governance_setup_is_checked_before_deploying(signers, threshold: int, match: str) -> None:
    with pytest.raises(InvalidArgument, match=match):
        GovernanceSetup(signers, threshold, 3600)


def test_a_governance_without_delay_is_refused() -> None:
    with pytest.raises(InvalidArgument, match="min_delay must be at least one second"):
        GovernanceSetup(["0x" + "11" * 20], 1, 0)


def test_deploy_takes_a_regulator_or_a_governance_not_both(platform: Platform, accounts) -> None:
    deployer = Transactor(platform.w3, accounts[0], EventDecoder())
    setup = GovernanceSetup([accounts[16].address], 1, 1)
    with pytest.raises(InvalidArgument, match="either regulator"):
        deploy_platform(platform.w3, deployer, accounts[1].address, governance=setup)
    with pytest.raises(InvalidArgument, match="either regulator"):
        deploy_platform(platform.w3, deployer)


def test_the_extension_is_deployed_with_the_asset_and_named_by_it(platform: Platform) -> None:
    d = platform.deployment
    assert d.addresses["SecuredAssetExtension"] == d.extension != d.asset
    assert platform.w3.eth.get_code(d.extension)
    assert Web3.to_checksum_address(platform.contracts.asset.functions.extension().call()) == d.extension
    assert d.artifacts["SecuredAssetExtension"] == load_artifact("SecuredAssetExtension").sha256
