"""Code verification: the runtime code at every address against the compiled sources."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from sdap.audit.code import verify_code
from sdap.compiler import CompiledContract, compile_platform
from sdap.platform import Platform

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def compiled() -> dict[str, CompiledContract]:
    return compile_platform(ROOT)


def word(address: str) -> str:
    return "0x" + "00" * 12 + address[2:].lower()


def set_code(platform: Platform, address: str, code: bytes) -> None:
    platform.w3.provider.make_request("anvil_setCode", [address, "0x" + code.hex()])  # type: ignore[arg-type]


def test_deployed_code_matches_the_sources(platform: Platform, compiled: dict[str, CompiledContract]) -> None:
    result = verify_code(platform, compiled=compiled)
    assert result.ok, result.checks
    asset = next(c for c in result.checks if c.contract == "SecuredAsset")
    # The immutables are reported: the asset trusts this deployment's registry and forwarder, and
    # runs this deployment's extension on its storage.
    d = platform.deployment
    padded = {"0x" + "00" * 12 + a[2:].lower() for a in (d.registry, d.forwarder, d.extension)}
    assert padded <= set(asset.immutables)
    assert {c.contract for c in result.checks} >= {"SecuredAsset", "SecuredAssetExtension", "SecuredAssetViews"}
    # The views module, at no address of the deployment: where the asset's `views()` says, its own
    # address among its immutables, and the extension delegating to it.
    views = next(c for c in result.checks if c.contract == "SecuredAssetViews")
    assert views.address == platform.views.asset.call("views") not in d.addresses.values()
    extension = next(c for c in result.checks if c.contract == "SecuredAssetExtension")
    assert word(views.address) in set(views.immutables) & set(extension.immutables)


def test_verification_fails_when_the_code_on_chain_differs(
    platform: Platform, compiled: dict[str, CompiledContract]
) -> None:
    onchain = bytes(platform.w3.eth.get_code(platform.deployment.collateral))
    tweaked = bytearray(onchain)
    tweaked[100] ^= 0x01  # one byte of behaviour, same length
    set_code(platform, platform.deployment.collateral, bytes(tweaked))
    set_code(platform, platform.deployment.asset, bytes(platform.w3.eth.get_code(platform.deployment.forwarder)))
    result = verify_code(platform, compiled=compiled)
    assert not result.ok
    failed = {c.contract: c.detail for c in result.checks if not c.matches}
    # With the asset's code gone, nothing at its address names the views module either.
    assert set(failed) == {"CollateralAttestations", "SecuredAsset", "SecuredAssetViews"}
    assert "byte 100" in failed["CollateralAttestations"]
    assert "size" in failed["SecuredAsset"]
    assert "names no views module" in failed["SecuredAssetViews"]


def test_verification_fails_when_the_views_modules_code_differs(
    platform: Platform, compiled: dict[str, CompiledContract]
) -> None:
    address = platform.views.asset.call("views")
    tweaked = bytearray(platform.w3.eth.get_code(address))
    tweaked[100] ^= 0x01
    set_code(platform, address, bytes(tweaked))
    result = verify_code(platform, compiled=compiled)
    failed = {c.contract: c.detail for c in result.checks if not c.matches}
    assert set(failed) == {"SecuredAssetViews"}
    assert "byte 100" in failed["SecuredAssetViews"]


def test_verification_fails_when_the_extension_runs_another_views_module(
    platform: Platform, compiled: dict[str, CompiledContract]
) -> None:
    """The extension's code with another module's address in its immutable: the audited code, which
    delegates every view to a copy of the module elsewhere. That copy still names the deployed
    module as its own (its immutable), so `views()` points at audited code the asset never runs."""
    d = platform.deployment
    genuine = platform.views.asset.call("views")
    other = "0x00000000000000000000000000000000000E7e48"
    set_code(platform, other, bytes(platform.w3.eth.get_code(genuine)))
    code = bytearray(platform.w3.eth.get_code(d.extension))
    replaced = 0
    for start, length in compiled["SecuredAssetExtension"].immutables:
        if "0x" + bytes(code[start : start + length]).hex() == word(genuine):
            code[start : start + length] = bytes.fromhex(word(other)[2:])
            replaced += 1
    assert replaced
    set_code(platform, d.extension, bytes(code))
    assert platform.views.asset.call("views") == genuine  # the copy answers as the genuine module
    result = verify_code(platform, compiled=compiled)
    failed = {c.contract: c.detail for c in result.checks if not c.matches}
    assert failed == {"SecuredAssetViews": f"the extension {d.extension} delegates to another views module"}


def test_compile_cache_is_keyed_by_the_sources(compiled: dict[str, CompiledContract]) -> None:
    again = compile_platform(ROOT)  # from the cache: same result
    assert again == compiled


def test_verification_fails_when_the_asset_delegates_to_another_extension_than_the_deployments(
    platform: Platform, compiled: dict[str, CompiledContract]
) -> None:
    """A deployment file naming another extension, whose code is the audited one: the asset's own
    code matches too, but it runs the extension its immutables name, not the one audited."""
    other = "0x00000000000000000000000000000000000E7e47"
    set_code(platform, other, bytes(platform.w3.eth.get_code(platform.deployment.extension)))
    named_other = Platform(platform.w3, replace(platform.deployment, extension=other))
    result = verify_code(named_other, compiled=compiled)
    assert not result.ok
    failed = {c.contract: c.detail for c in result.checks if not c.matches}
    assert failed == {"SecuredAsset": f"delegates to none of the deployment's extension {other}"}
    extension = next(c for c in result.checks if c.contract == "SecuredAssetExtension")
    assert extension.matches and extension.address == other
