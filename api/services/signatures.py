"""Checking that a typed-data signature is the signed-in holder's own, and typed data as wallets take it."""

from __future__ import annotations

from typing import Any

from api.errors import InvalidSignature
from api.schemas.common import TypedData
from sdap.signing import recover_signer


def require_signer(message: dict[str, Any], signature: str, address: str, what: str) -> None:
    try:
        signer = recover_signer(message, bytes.fromhex(signature[2:]))
    except Exception:  # noqa: BLE001 - a malformed signature is simply not the holder's
        raise InvalidSignature(f"the {what} signature is malformed") from None
    if signer != address:
        raise InvalidSignature(f"the {what} was not signed by the signed-in wallet")


def typed_data(message: dict[str, Any]) -> TypedData:
    """A full typed-data message (sdap.signing's `*_message`) as the gateway answers it."""
    return TypedData(**jsonable(message))


def jsonable(message: dict[str, Any]) -> dict[str, Any]:
    """Typed data with bytes as 0x-hex and integers past 2^53 as decimal strings, as wallets take
    it (JavaScript reads JSON numbers as doubles)."""

    def convert(value: Any) -> Any:
        if isinstance(value, bytes):
            return "0x" + value.hex()
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**53:
            return str(value)
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        if isinstance(value, list):
            return [convert(v) for v in value]
        return value

    result: dict[str, Any] = convert(message)
    return result
