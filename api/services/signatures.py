"""Checking that a typed-data signature is the signed-in holder's own."""

from __future__ import annotations

from typing import Any

from api.errors import InvalidSignature
from sdap.signing import recover_signer


def require_signer(message: dict[str, Any], signature: str, address: str, what: str) -> None:
    try:
        signer = recover_signer(message, bytes.fromhex(signature[2:]))
    except Exception:  # noqa: BLE001 - a malformed signature is simply not the holder's
        raise InvalidSignature(f"the {what} signature is malformed") from None
    if signer != address:
        raise InvalidSignature(f"the {what} was not signed by the signed-in wallet")


def jsonable(message: dict[str, Any]) -> dict[str, Any]:
    """Typed data with bytes as 0x-hex, as wallets take it."""

    def convert(value: Any) -> Any:
        if isinstance(value, bytes):
            return "0x" + value.hex()
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        if isinstance(value, list):
            return [convert(v) for v in value]
        return value

    result: dict[str, Any] = convert(message)
    return result
