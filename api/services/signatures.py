"""Checking signatures as the contracts check them (OpenZeppelin's ECDSA), that a typed-data
signature is the signed-in holder's own, and typed data as wallets take it."""

from __future__ import annotations

from typing import Any

from eth_keys.datatypes import Signature
from eth_keys.exceptions import BadSignature
from eth_utils import ValidationError

from api.errors import InvalidSignature
from api.schemas.common import TypedData
from sdap.signing import digest

#: Half of secp256k1's order: OpenZeppelin's ECDSA refuses an `s` above it (EIP-2: of the two
#: signatures of one digest, `s` and `n - s`, only the lower counts).
_HALF_ORDER = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0


def signer(digest: bytes, signature: bytes) -> str | None:
    """The address that signed `digest`, as OpenZeppelin's `ECDSA.tryRecover` finds it: none for a
    signature it refuses (not 65 bytes, `v` not 27 or 28, `s` in the upper half, unrecoverable)."""
    if len(signature) != 65 or signature[64] not in (27, 28):
        return None
    r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:64], "big")
    if s > _HALF_ORDER:
        return None
    try:
        key = Signature(vrs=(signature[64] - 27, r, s)).recover_public_key_from_msg_hash(digest)
    except (BadSignature, ValidationError):
        return None
    return key.to_checksum_address()


def require_signer(message: dict[str, Any], signature: str, address: str, what: str) -> None:
    """`signature` over the typed data `message` is `address`'s, and one the contracts accept: a
    signature they would refuse is refused here, before anything is sent or counted."""
    try:
        raw = bytes.fromhex(signature.removeprefix("0x"))
    except ValueError:
        raise InvalidSignature(f"the {what} signature is malformed") from None
    found = signer(digest(message), raw)
    if found is None:
        raise InvalidSignature(
            f"the {what} signature is malformed: the contracts take 65 bytes with v 27 or 28 and s in the lower half"
        )
    if found != address:
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
