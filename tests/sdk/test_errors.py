"""The SDK's exceptions (sdap/errors.py): one root, a small tree beneath it, and contract errors
that carry their decoded arguments."""

from __future__ import annotations

import pickle

import pytest

from sdap import errors
from sdap.contract_errors import SecuredAssetCollateralInsufficientError


def test_every_exception_is_an_sdap_error() -> None:
    classes = [c for c in vars(errors).values() if isinstance(c, type) and issubclass(c, Exception)]
    assert all(issubclass(c, errors.SdapError) for c in classes)
    assert issubclass(errors.InvalidArgument, ValueError) and issubclass(
        errors.InvalidArgument, errors.ConfigurationError
    )
    assert issubclass(errors.ConnectionFailed, errors.ChainError) and issubclass(errors.OutOfGas, errors.ChainError)


def test_a_contract_error_carries_and_shows_its_arguments() -> None:
    error = SecuredAssetCollateralInsufficientError(1, 500, 501, tx_hash="0x" + "ab" * 32)
    assert error.arguments == {"id": 1, "covered": 500, "supply_after": 501}
    assert (error.covered, error.tx_hash) == (500, "0x" + "ab" * 32)
    assert str(error) == "SecuredAsset_CollateralInsufficient(id=1, covered=500, supply_after=501)"
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own object
    assert type(copy) is type(error) and copy.arguments == error.arguments


@pytest.mark.parametrize(
    "error, text",
    [
        (errors.RpcError("nonce too low", -32003), "nonce too low (code -32003)"),
        (errors.RpcError("gone"), "gone"),
        (errors.TransactionTimeout("0xab", 2.5), "transaction 0xab not included within 2.5 s"),
        (errors.OutOfGas("0xab", 21_000), "transaction 0xab ran out of its 21000 gas; send it again"),
        (errors.Reverted("no"), "Error(reason='no')"),
        (errors.UnknownRevert("0x1234"), "UnknownRevert(data='0x1234')"),
    ],
)
def test_chain_errors_say_what_happened(error: errors.SdapError, text: str) -> None:
    assert str(error) == text
