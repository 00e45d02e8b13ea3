"""Checksummed addresses (sdap/_addresses.py): what eth_utils gives, remembered."""

from __future__ import annotations

from eth_utils import to_checksum_address

from sdap.addresses import checksummed


def test_an_address_is_checksummed_as_eth_utils_does_and_remembered() -> None:
    lower = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8"
    assert checksummed(lower) == to_checksum_address(lower) == "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
    before = checksummed.cache_info().hits
    assert checksummed(lower) == to_checksum_address(lower)
    assert checksummed.cache_info().hits == before + 1
