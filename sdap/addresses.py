"""Addresses in their checksummed form, cached: `to_checksum_address` hashes the address every
time, and the SDK sees the same few addresses again and again (a read's arguments, its results, the
typed values made of them). `checked` is the rule for an address someone typed: the SDK's and the
gateway's."""

from __future__ import annotations

from functools import lru_cache

from eth_utils import to_checksum_address


@lru_cache(maxsize=65_536)
def checksummed(value: str) -> str:
    """`to_checksum_address(value)` for a hex string, remembered."""
    return to_checksum_address(value)


def checked(value: str) -> str:
    """`value` (0x and 40 hex digits) checksummed. One written in mixed case must carry its own
    checksum right (EIP-55): a mistyped digit is refused (ValueError), never turned into another
    valid address. All lower or all upper case carries no checksum and is taken as it is."""
    digits = value[2:]
    address = checksummed(value)
    if digits != digits.lower() and digits != digits.upper() and address[2:] != digits:
        raise ValueError(f"{value} is in mixed case with a wrong EIP-55 checksum: a mistyped digit?")
    return address
