"""The artifacts shipped in sdap/artifacts must be what the Solidity sources compile to today."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from eth_utils import function_signature_to_4byte_selector

from sdap.artifacts import ARTIFACT_NAMES, CONTRACT_NAMES, MODULE_NAMES, interface_abi, load_artifact
from sdap.compiler import compile_platform

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", ARTIFACT_NAMES)
def test_shipped_artifact_matches_a_fresh_compilation(name: str) -> None:
    artifact = load_artifact(name)
    compiled = compile_platform(ROOT)[name]  # one solc run for all of them, cached
    stale = "stale: run `python scripts/build_artifacts.py` and commit sdap/artifacts"
    key = lambda item: json.dumps(item, sort_keys=True)  # noqa: E731 - solc and forge order the ABI differently
    assert sorted(compiled.abi, key=key) == sorted(artifact.abi, key=key), f"{name} ABI {stale}"
    assert compiled.immutables == artifact.immutables, f"{name} immutables {stale}"
    # The whole code, metadata hash included: any change to any source file it imports shows.
    assert compiled.deployed_bytecode == artifact.deployed_bytecode, f"{name} runtime code {stale}"
    assert compiled.bytecode == artifact.bytecode, f"{name} creation code {stale}"


def _functions(abi: list[dict[str, Any]]) -> dict[str, bytes]:
    """Signature -> selector of every function in `abi`."""
    signatures = [
        f"{item['name']}({','.join(i['type'] for i in item['inputs'])})" for item in abi if item["type"] == "function"
    ]
    return {s: function_signature_to_4byte_selector(s) for s in signatures}


def test_the_assets_address_answers_for_the_extension_with_one_abi() -> None:
    """The asset's fallback hands every selector it lacks to the extension, and the extension's
    every selector it lacks to its views module: the ABI at the asset's address is the three
    contracts', every selector standing for one function only, and a function the asset also has
    (what all inherit from AssetState) runs as the asset's own."""
    asset = _functions(load_artifact("SecuredAsset").abi)
    extension = _functions(load_artifact("SecuredAssetExtension").abi)
    views = _functions(load_artifact("SecuredAssetViews").abi)
    at_the_address = _functions(interface_abi("SecuredAsset"))
    assert at_the_address == {**asset, **extension, **views}
    assert len(set(at_the_address.values())) == len(at_the_address), "two functions share a selector"
    for acts in ("createIssuance", "withdrawConsent", "requestRedemption", "confirmRedemption", "refuseRedemption"):
        assert any(s.startswith(acts + "(") for s in extension) and not any(s.startswith(acts + "(") for s in asset)
    for view in ("checkTransfer", "checkMint", "coverage", "canTransfer", "getFrozenTokens", "views"):
        assert any(s.startswith(view + "(") for s in views)
        assert not any(s.startswith(view + "(") for s in asset) and not any(s.startswith(view + "(") for s in extension)
    events = {item["name"] for item in interface_abi("SecuredAsset") if item["type"] == "event"}
    assert {"IssuerConsented", "RedemptionRequested", "RedemptionConfirmed", "RedemptionRefused"} <= events


def test_the_views_module_is_shipped_but_no_address_of_a_deployment() -> None:
    """The extension deploys its views module itself: the SDK never deploys it, so no deployment
    names it, yet its artifact loads (the auditor checks its code at `views()`)."""
    assert MODULE_NAMES == ("SecuredAssetViews",)
    assert not set(MODULE_NAMES) & set(CONTRACT_NAMES)
    assert load_artifact("SecuredAssetViews").name == "SecuredAssetViews"
