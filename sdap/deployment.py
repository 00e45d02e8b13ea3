"""Deploying the platform and the deployment file that lets anyone load it again.

The file records the chain id, every address, the block of the first deployment transaction and
the sha256 of each artifact deployed, so an auditor knows where history starts and which code was
meant to be there.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from eth_abi import encode
from eth_utils import to_checksum_address
from web3 import Web3

from sdap import _validate as check
from sdap.artifacts import CONTRACT_NAMES, load_artifact
from sdap.errors import ConfigurationError
from sdap.transactions import Transactor

#: 2: the asset's extension (`extension`) joined the contracts.
FORMAT_VERSION = 2


@dataclass(frozen=True)
class Deployment:
    chain_id: int
    deployment_block: int
    registry: str
    forwarder: str
    collateral: str
    asset: str
    #: The code the asset runs its less frequent acts with (contracts/SecuredAssetExtension.sol).
    extension: str
    regulator: str
    artifacts: dict[str, str] = field(default_factory=dict)
    metadata_uri: str = ""

    @property
    def addresses(self) -> dict[str, str]:
        """Contract name -> address."""
        return {
            "PlatformRegistry": self.registry,
            "HolderForwarder": self.forwarder,
            "CollateralAttestations": self.collateral,
            "SecuredAsset": self.asset,
            "SecuredAssetExtension": self.extension,
        }

    def to_json(self) -> str:
        return json.dumps({"format": FORMAT_VERSION, **asdict(self)}, indent=2, sort_keys=True) + "\n"

    def save(self, path: str | Path) -> Path:
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(target.suffix + ".tmp")
        tmp.write_text(self.to_json())
        tmp.replace(target)  # never a half-written deployment file
        return target

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Deployment:
        if data.get("format") != FORMAT_VERSION:
            raise ConfigurationError(f"unsupported deployment file format {data.get('format')!r}")
        try:
            fields = {
                k: data[k]
                for k in (
                    "chain_id",
                    "deployment_block",
                    "registry",
                    "forwarder",
                    "collateral",
                    "asset",
                    "extension",
                    "regulator",
                )
            }
        except KeyError as exc:
            raise ConfigurationError(f"deployment file lacks {exc.args[0]!r}") from None
        for key in ("registry", "forwarder", "collateral", "asset", "extension", "regulator"):
            fields[key] = check.address(fields[key], f"deployment file: {key}")
        return cls(**fields, artifacts=dict(data.get("artifacts", {})), metadata_uri=str(data.get("metadata_uri", "")))

    @classmethod
    def load(cls, path: str | Path) -> Deployment:
        try:
            data = json.loads(Path(path).read_text())
        except FileNotFoundError:
            raise ConfigurationError(f"no deployment file at {path}") from None
        except json.JSONDecodeError as exc:
            raise ConfigurationError(f"deployment file {path} is not JSON: {exc}") from None
        return cls.from_dict(data)


def _creation_code(name: str, types: list[str], args: list[Any]) -> bytes:
    artifact = load_artifact(name)
    return bytes.fromhex(artifact.bytecode[2:]) + encode(types, args)


def deploy_platform(w3: Web3, deployer: Transactor, regulator: str, metadata_uri: str = "") -> Deployment:
    """Deploys and wires the five contracts. The deployer keeps no role: the regulator is the only
    role holder afterwards, exactly as scripts/DeployPlatform.s.sol does."""
    regulator = check.address(regulator, "regulator")
    registry = deployer.send_raw(None, _creation_code("PlatformRegistry", ["address"], [regulator]))
    forwarder = deployer.send_raw(None, _creation_code("HolderForwarder", [], []))
    registry_address = _created(w3, registry.tx_hash)
    collateral = deployer.send_raw(None, _creation_code("CollateralAttestations", ["address"], [registry_address]))
    collateral_address = _created(w3, collateral.tx_hash)
    forwarder_address = _created(w3, forwarder.tx_hash)
    args = [registry_address, collateral_address, forwarder_address, metadata_uri]
    extension = deployer.send_raw(
        None, _creation_code("SecuredAssetExtension", ["address", "address", "address", "string"], args)
    )
    extension_address = _created(w3, extension.tx_hash)
    asset = deployer.send_raw(
        None,
        _creation_code(
            "SecuredAsset", ["address", "address", "address", "string", "address"], [*args, extension_address]
        ),
    )
    return Deployment(
        chain_id=w3.eth.chain_id,
        deployment_block=registry.block_number,
        registry=registry_address,
        forwarder=forwarder_address,
        collateral=collateral_address,
        asset=_created(w3, asset.tx_hash),
        extension=extension_address,
        regulator=regulator,
        artifacts={name: load_artifact(name).sha256 for name in CONTRACT_NAMES},
        metadata_uri=metadata_uri,
    )


def _created(w3: Web3, tx_hash: str) -> str:
    address = w3.eth.get_transaction_receipt(tx_hash)["contractAddress"]  # type: ignore[arg-type]
    if address is None:
        raise ConfigurationError(f"transaction {tx_hash} created no contract")
    return to_checksum_address(address)
