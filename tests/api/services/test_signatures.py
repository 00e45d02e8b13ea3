"""api.services.signatures: a typed-data signature is accepted only as the signed-in wallet's own
(a malformed one and another wallet's are told apart, naming what was signed), and typed data is
answered as wallets take it: bytes as 0x-hex, integers past 2^53 as decimal strings, at any depth."""

from __future__ import annotations

from typing import Any

import pytest
from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_account.signers.local import LocalAccount

from api.errors import InvalidSignature
from api.schemas.common import TypedData
from api.services.signatures import jsonable, require_signer, signer, typed_data
from sdap.signing import digest, forward_request_message
from sdap.types import ForwardRequest

HOLDER: LocalAccount = Account.from_key("0x" + "11" * 32)
OTHER: LocalAccount = Account.from_key("0x" + "22" * 32)


def message(nonce: int = 0) -> dict[str, Any]:
    request = ForwardRequest(
        from_=HOLDER.address, to="0x" + "aa" * 20, value=0, gas=60_000, nonce=nonce, deadline=2**40, data=b"\x01\x02"
    )
    return forward_request_message(request, chain_id=31337, forwarder="0x" + "bb" * 20)


def signed(account: LocalAccount, typed: dict[str, Any]) -> str:
    return "0x" + bytes(account.sign_message(encode_typed_data(full_message=typed)).signature).hex()


#: secp256k1's order: `n - s` is the other, malleable, signature of the same digest.
ORDER = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
KEY = Account.from_key("0x" + "42" * 32)
DIGEST = bytes(range(32))


def test_signer_recovers_as_openzeppelins_ecdsa_and_refuses_what_it_refuses() -> None:
    good = bytes(KEY.unsafe_sign_hash(DIGEST).signature)
    assert signer(DIGEST, good) == KEY.address
    r, s, v = good[:32], int.from_bytes(good[32:64], "big"), good[64]
    assert signer(DIGEST, r + (ORDER - s).to_bytes(32, "big") + bytes([55 - v])) is None  # malleable: upper s
    assert signer(DIGEST, good[:64] + bytes([v - 27])) is None  # v 0/1: eth_keys would take it, ECDSA does not
    assert signer(DIGEST, good[:64]) is None and signer(DIGEST, good + b"\x00") is None
    assert signer(DIGEST, bytes(64) + b"\x1b") is None  # r = 0: no point to recover
    assert signer(bytes(32), good) not in (None, KEY.address)  # another digest: someone else


def test_the_holders_own_signature_in_a_form_the_contracts_refuse_is_refused_here() -> None:
    # The same key's signature over the same request, as OpenZeppelin's ECDSA refuses it: with the
    # upper `s` (the malleable twin) or with `v` 0/1. Taken here, a relay would be charged to the
    # holder's gas budget and then refused by the forwarder.
    good = bytes.fromhex(signed(HOLDER, message())[2:])
    r, s, v = good[:32], int.from_bytes(good[32:64], "big"), good[64]
    for twin in (r + (ORDER - s).to_bytes(32, "big") + bytes([55 - v]), good[:64] + bytes([v - 27])):
        with pytest.raises(InvalidSignature, match="v 27 or 28 and s in the lower half"):
            require_signer(message(), "0x" + twin.hex(), HOLDER.address, "transfer request")


def test_the_signed_in_wallets_own_signature_passes() -> None:
    require_signer(message(), signed(HOLDER, message()), HOLDER.address, "transfer request")


def test_another_wallets_signature_is_refused_as_not_the_callers() -> None:
    with pytest.raises(InvalidSignature, match="the transfer request was not signed by the signed-in wallet"):
        require_signer(message(), signed(OTHER, message()), HOLDER.address, "transfer request")
    # The holder's signature over other terms (here another nonce) recovers to someone else too.
    with pytest.raises(InvalidSignature, match="not signed by the signed-in wallet"):
        require_signer(message(nonce=1), signed(HOLDER, message()), HOLDER.address, "transfer request")


@pytest.mark.parametrize("cut", ["", "0xzz", "short", "truncated", "too long"])
def test_a_malformed_signature_is_refused_as_malformed_not_raised(cut: str) -> None:
    good = signed(HOLDER, message())
    signature = {"short": good[:66], "truncated": good[:-2], "too long": good + "00"}.get(cut, cut)
    with pytest.raises(InvalidSignature, match="the acknowledgement signature is malformed"):
        require_signer(message(), signature, HOLDER.address, "acknowledgement")


def test_bytes_and_large_integers_are_given_as_javascript_reads_them() -> None:
    nested = {
        "data": b"\x00\xff",
        "limit": 2**53,  # still exact as a double
        "nonce": 2**53 + 1,
        "debt": -(2**53) - 1,
        "flag": True,  # a bool is an int to Python, never a string here
        "items": [{"hash": b"\x12" * 2, "amount": 5 << 64}, 7],
        "name": "wheat",
    }
    assert jsonable(nested) == {
        "data": "0x00ff",
        "limit": 2**53,
        "nonce": str(2**53 + 1),
        "debt": str(-(2**53) - 1),
        "flag": True,
        "items": [{"hash": "0x1212", "amount": str(5 << 64)}, 7],
        "name": "wheat",
    }
    assert nested["data"] == b"\x00\xff"  # the message itself is left as it was


def test_the_typed_data_answered_is_what_a_wallet_signs_to_the_same_digest() -> None:
    """A wallet given the answer (no bytes, numbers as strings) signs the very digest the gateway
    checks: the conversion changes the form of the message, not its meaning."""
    original = message(nonce=3 << 64)
    answered = typed_data(original)
    assert isinstance(answered, TypedData) and answered.primaryType == "ForwardRequest"
    wire = answered.model_dump()
    assert wire["message"]["nonce"] == str(3 << 64) and wire["message"]["data"] == "0x0102"
    assert digest(wire) == digest(original)
    require_signer(original, signed(HOLDER, wire), HOLDER.address, "transfer request")
