"""Addresses in their checksummed form, cached: `to_checksum_address` hashes the address every
time, and the SDK sees the same few addresses again and again (a read's arguments, its results, the
typed values made of them)."""

from __future__ import annotations

from functools import lru_cache

from eth_utils import to_checksum_address


@lru_cache(maxsize=65_536)
def checksummed(value: str) -> str:
    """`to_checksum_address(value)` for a hex string, remembered."""
    return to_checksum_address(value)
