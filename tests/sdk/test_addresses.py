"""Checksummed addresses (sdap/addresses.py): what eth_utils gives, remembered; and a typed address whose
mixed case carries a wrong checksum refused."""

from __future__ import annotations

import pytest
from eth_utils import to_checksum_address

from sdap.addresses import checked, checksummed


def test_an_address_is_checksummed_as_eth_utils_does_and_remembered() -> None:
    lower = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8"
    assert checksummed(lower) == to_checksum_address(lower) == "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
    before = checksummed.cache_info().hits
    assert checksummed(lower) == to_checksum_address(lower)
    assert checksummed.cache_info().hits == before + 1


def test_a_typed_address_in_mixed_case_must_carry_its_own_checksum_right() -> None:
    right = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
    assert checked(right) == checked(right.lower()) == checked("0x" + right[2:].upper()) == right
    mistyped = right[:-1] + "c"  # one letter's case off: EIP-55 catches it
    with pytest.raises(ValueError, match="wrong EIP-55 checksum"):
        checked(mistyped)
