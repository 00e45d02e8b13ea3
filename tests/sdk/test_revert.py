"""Revert data turned into its exception by selector (sdap/_revert.py): a platform custom error with
its arguments, a reason string, a panic, and anything else kept as it came, never raised."""

from __future__ import annotations

import pytest
from eth_abi import encode
from eth_utils import function_signature_to_4byte_selector

from sdap._revert import decode_revert
from sdap.contract_errors import SecuredAssetCollateralInsufficientError
from sdap.errors import Reverted, UnknownRevert


def selector(signature: str) -> bytes:
    return function_signature_to_4byte_selector(signature)


def test_a_custom_error_is_its_class_with_its_arguments() -> None:
    data = selector("SecuredAsset_CollateralInsufficient(uint256,uint256,uint256)") + encode(
        ["uint256", "uint256", "uint256"], [1, 500, 501]
    )
    error = decode_revert("0x" + data.hex(), tx_hash="0xab")
    assert isinstance(error, SecuredAssetCollateralInsufficientError)
    assert error.arguments == {"id": 1, "covered": 500, "supply_after": 501} and error.tx_hash == "0xab"


def test_a_reason_string_and_a_panic_are_reverted() -> None:
    reason = decode_revert(selector("Error(string)") + encode(["string"], ["not yours"]))
    assert isinstance(reason, Reverted) and reason.reason == "not yours"
    panic = decode_revert(selector("Panic(uint256)") + encode(["uint256"], [0x11]))
    assert isinstance(panic, Reverted) and panic.reason == "panic 0x11"


@pytest.mark.parametrize("data", [None, b"", b"\x12\x34\x56\x78", selector("Error(string)") + b"\x00" * 3])
def test_anything_else_is_an_unknown_revert_never_raised(data: bytes | None) -> None:
    error = decode_revert(data)
    assert isinstance(error, UnknownRevert) and error.data == "0x" + (data or b"").hex()
