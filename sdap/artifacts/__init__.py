"""The contracts' ABIs and bytecode, generated from the forge build by scripts/build_artifacts.py.

The JSON files beside this module are never edited by hand; tests/sdk/test_artifacts.py fails when
they are stale against the Solidity sources.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from sdap.errors import ConfigurationError

#: The contracts a deployment is made of: the platform's six (the exchange deployed by the asset's
#: constructor), then the regulator's council and
#: timelock, deployed only when the regulator is governed (sdap.deployment.GovernanceSetup). An
#: event or error both the asset and its extension declare is the asset's: it comes from the
#: asset's address. An event the timelock shares with the registry (AccessControl's RoleGranted,
#: RoleRevoked, RoleAdminChanged) is named after the registry, the first to declare it: its
#: address tells which contract emitted it.
CONTRACT_NAMES = (
    "PlatformRegistry",
    "HolderForwarder",
    "CollateralAttestations",
    "SecuredAsset",
    "SecuredAssetExtension",
    "SecuredExchange",
    "RegulatorCouncil",
    "RegulatorTimelock",
)
#: The contracts of the governed regulator, in CONTRACT_NAMES only for a governed deployment's addresses.
GOVERNANCE_CONTRACT_NAMES = ("RegulatorCouncil", "RegulatorTimelock")
#: Code a platform contract deploys for itself and runs on its own storage, at no address of the
#: deployment: the asset's views (contracts/SecuredAssetViews.sol), deployed by the extension's
#: constructor and named by `views()` at the asset's address. Loadable and checked like the others
#: (sdap.audit.code), never deployed by the SDK; its events and errors are the asset's own.
MODULE_NAMES = ("SecuredAssetViews",)
#: Every artifact shipped: the deployment's contracts and the modules they deploy.
ARTIFACT_NAMES = CONTRACT_NAMES + MODULE_NAMES

#: Contracts whose address also answers for another's code: the asset runs its extension's acts
#: on its own storage (contracts/SecuredAsset.sol), and the extension its views module's views, so
#: the asset's interface is the three ABIs.
_DELEGATES_TO = {"SecuredAsset": ("SecuredAssetExtension", "SecuredAssetViews")}


@dataclass(frozen=True)
class Artifact:
    name: str
    source_name: str
    compiler: str
    settings: dict[str, Any]
    sources: tuple[str, ...]
    abi: list[dict[str, Any]]
    bytecode: str
    deployed_bytecode: str
    #: (start, length) of every immutable in the runtime code, filled in at deployment.
    immutables: tuple[tuple[int, int], ...]
    sha256: str


@cache
def load_artifact(name: str) -> Artifact:
    """The shipped artifact of contract `name` (one of ARTIFACT_NAMES)."""
    if name not in ARTIFACT_NAMES:
        raise ConfigurationError(f"unknown contract {name!r}; known: {', '.join(ARTIFACT_NAMES)}")
    raw = resources.files(__package__).joinpath(f"{name}.json").read_bytes()
    data = json.loads(raw)
    return Artifact(
        name=data["contractName"],
        source_name=data["sourceName"],
        compiler=data["compiler"],
        settings=data["settings"],
        sources=tuple(data["sources"]),
        abi=data["abi"],
        bytecode=data["bytecode"],
        deployed_bytecode=data["deployedBytecode"],
        immutables=tuple((int(start), int(length)) for start, length in data["immutables"]),
        sha256=hashlib.sha256(raw).hexdigest(),
    )


@cache
def interface_abi(name: str) -> list[dict[str, Any]]:
    """The ABI of everything callable at contract `name`'s address: its own ABI and that of the code
    it delegates to, each function, event and error once (`SecuredAsset`: the whole `ISecuredAsset`)."""
    merged = list(load_artifact(name).abi)
    seen = {_signature(item) for item in merged}
    for delegate in _DELEGATES_TO.get(name, ()):
        for item in load_artifact(delegate).abi:
            if item["type"] in ("function", "event", "error") and _signature(item) not in seen:
                seen.add(_signature(item))
                merged.append(item)
    return merged


def _signature(item: dict[str, Any]) -> str:
    return json.dumps([item["type"], item.get("name"), item.get("inputs", [])], sort_keys=True)
