"""Signing one key's transactions: the writer's one interface to it (api.chain.writer).

EIP-1559 transactions, the gateway's usual kind, are serialised with the rlp library's sedes for
that format and signed with a libsecp256k1 key made once: byte for byte what eth-account's
`sign_transaction` gives (tests/api/chain/test_signing.py), without its cost of validating and
normalising a generic transaction dict and deriving the key again for every signature (what it
saves: docs/performance.md). Anything else (a legacy gas price) is signed by eth-account.
"""

from __future__ import annotations

from typing import Any

import coincurve
import rlp  # type: ignore[import-untyped]
from eth_account.signers.local import LocalAccount
from eth_utils import keccak
from rlp.sedes import Binary, CountableList, big_endian_int, binary  # type: ignore[import-untyped]

_ADDRESS = Binary.fixed_length(20, allow_empty=True)
#: An access list: [[address, [storage key, ...]], ...]; the gateway sends empty ones.
_ACCESS_LIST = CountableList(rlp.sedes.List([_ADDRESS, CountableList(Binary.fixed_length(32))]))
_FIELDS = [
    ("chainId", big_endian_int),
    ("nonce", big_endian_int),
    ("maxPriorityFeePerGas", big_endian_int),
    ("maxFeePerGas", big_endian_int),
    ("gas", big_endian_int),
    ("to", _ADDRESS),
    ("value", big_endian_int),
    ("data", binary),
    ("accessList", _ACCESS_LIST),
]


class _Unsigned1559(rlp.Serializable):  # type: ignore[misc]
    fields = _FIELDS


class _Signed1559(rlp.Serializable):  # type: ignore[misc]
    fields = [*_FIELDS, ("v", big_endian_int), ("r", big_endian_int), ("s", big_endian_int)]


#: The EIP-2718 type byte of an EIP-1559 transaction.
_DYNAMIC_FEE = b"\x02"


class TransactionSigner:
    """Signs transactions for one account; returns the raw transaction and its hash."""

    def __init__(self, account: LocalAccount) -> None:
        self._account = account
        self._key = coincurve.PrivateKey(bytes(account.key))

    def sign(self, tx: dict[str, Any]) -> tuple[bytes, bytes]:
        """`tx`: to, data (bytes), value, gas, nonce, chainId and the fees (EIP-1559's, or gasPrice)."""
        if "maxFeePerGas" not in tx:
            signed = self._account.sign_transaction(tx)
            return bytes(signed.raw_transaction), bytes(signed.hash)
        fields = {
            "chainId": tx["chainId"],
            "nonce": tx["nonce"],
            "maxPriorityFeePerGas": tx["maxPriorityFeePerGas"],
            "maxFeePerGas": tx["maxFeePerGas"],
            "gas": tx["gas"],
            "to": bytes.fromhex(tx["to"][2:]),
            "value": tx["value"],
            "data": tx["data"],
            "accessList": (),
        }
        digest = keccak(_DYNAMIC_FEE + rlp.encode(_Unsigned1559(**fields)))
        # r || s || recovery id; libsecp256k1 gives the low-s form Ethereum requires.
        signature = self._key.sign_recoverable(digest, hasher=None)
        r, s, y_parity = int.from_bytes(signature[:32]), int.from_bytes(signature[32:64]), signature[64]
        raw = _DYNAMIC_FEE + rlp.encode(_Signed1559(**fields, v=y_parity, r=r, s=s))
        return raw, keccak(raw)
