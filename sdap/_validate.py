"""Checks of the form of arguments, made before anything is sent.

The SDK checks form (an address is an address, an amount fits its Solidity type, a hash has 32
bytes); the chain checks rules (a zero amount, an empty name, an expired deadline) and answers with a
decoded custom error. So a bad argument never reaches the chain as garbage, and every rule stays
where the auditors look for it: in the contracts.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from enum import IntEnum
from typing import TypeVar

from eth_utils import is_address, to_checksum_address

from sdap.addresses import checked
from sdap.errors import InvalidArgument
from sdap.types import Role

E = TypeVar("E", bound=IntEnum)

ZERO_HASH = b"\x00" * 32


def address(value: object, name: str) -> str:
    """`value` as a checksummed address. Accepts 20 bytes or a hex string (all lower or upper case,
    or correctly checksummed); a mixed-case string with a wrong checksum is refused, it is a typo."""
    if isinstance(value, bytes | bytearray) and len(value) == 20:
        return to_checksum_address(bytes(value))
    if isinstance(value, str) and is_address(value):
        with contextlib.suppress(ValueError):  # a wrong checksum in a mixed-case address: a typo
            return checked(value if value[:2] in ("0x", "0X") else "0x" + value)
    raise InvalidArgument(f"{name} must be an address (0x and 40 hex digits), got {value!r}")


def uint(value: object, name: str, bits: int = 256) -> int:
    """`value` as a Solidity `uint<bits>`: an int (not a bool), from 0 to 2**bits - 1."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgument(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    if value < 0:
        raise InvalidArgument(f"{name} must not be negative, got {value}")
    if value >= 1 << bits:
        raise InvalidArgument(f"{name} must fit in uint{bits}, got {value}")
    return value


def hash32(value: object, name: str) -> bytes:
    """`value` as 32 bytes: bytes of that length or a hex string of 64 digits (0x optional)."""
    raw = _hex_bytes(value)
    if raw is None or len(raw) != 32:
        raise InvalidArgument(f"{name} must be 32 bytes (0x and 64 hex digits), got {value!r}")
    return raw


def data(value: object, name: str) -> bytes:
    """`value` as arbitrary bytes: bytes or a hex string."""
    raw = _hex_bytes(value)
    if raw is None:
        raise InvalidArgument(f"{name} must be bytes or a hex string, got {type(value).__name__}")
    return raw


def signature(value: object, name: str = "signature") -> bytes:
    """`value` as a 65-byte ECDSA signature (r, s, v), the only form the contracts accept."""
    raw = _hex_bytes(value)
    if raw is None or len(raw) != 65:
        raise InvalidArgument(f"{name} must be 65 bytes (r, s, v), got {value!r}")
    return raw


def text(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise InvalidArgument(f"{name} must be a string, got {type(value).__name__} {value!r}")
    return value


def flag(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidArgument(f"{name} must be True or False, got {value!r}")
    return value


def member(value: object, enum: type[E], name: str) -> E:
    """`value` as a member of `enum`: the member itself, its int value or its name."""
    try:
        if isinstance(value, str):
            return enum[value.upper()]
        if isinstance(value, int) and not isinstance(value, bool):
            return enum(value)
    except (KeyError, ValueError):
        pass
    choices = ", ".join(m.name for m in enum)
    raise InvalidArgument(f"{name} must be one of {choices}, got {value!r}")


def role(value: object, name: str = "role") -> Role:
    """`value` as a Role: the member, or its name (`operator`, `OPERATOR_ROLE`)."""
    if isinstance(value, Role):
        return value
    if isinstance(value, str):
        try:
            return Role.parse(value)
        except ValueError as exc:
            raise InvalidArgument(f"{name}: {exc}") from None
    raise InvalidArgument(f"{name} must be a role name, got {value!r}")


def same_length(name: str, *sequences: Sequence[object]) -> None:
    lengths = {len(s) for s in sequences}
    if len(lengths) > 1:
        raise InvalidArgument(f"{name}: the lists must have the same length, got {sorted(lengths)}")


def _hex_bytes(value: object) -> bytes | None:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    if isinstance(value, str):
        digits = value[2:] if value[:2] in ("0x", "0X") else value
        try:
            return bytes.fromhex(digits)
        except ValueError:
            return None
    return None
