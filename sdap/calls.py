"""Encoding calldata and making view calls without web3's generic contract machinery.

web3.py prepares every contract call through layers of ABI lookups and formatters that cost a few
milliseconds of Python each, several times the round trip to a local node. On the gateway's hot
path (a mint: one check view, one transaction) that is most of the time spent, so it encodes with
eth_abi directly, from layouts computed once per function. Any call this does not handle (keyword
arguments, a revert) goes through web3 and the SDK's error decoding as usual.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from eth_abi import decode, encode
from eth_utils import function_signature_to_4byte_selector
from web3.contract.contract import Contract, ContractFunction

from sdap.events import _normalise, _type_string
from sdap.transactions import chain_errors


@lru_cache(maxsize=256)
def _layout(
    signature_key: str, inputs: tuple[str, ...], outputs: tuple[str, ...]
) -> tuple[bytes, list[str], list[str]]:
    name = signature_key.split("(", 1)[0]
    selector = function_signature_to_4byte_selector(f"{name}({','.join(inputs)})")
    return selector, list(inputs), list(outputs)


def _types(fn: ContractFunction) -> tuple[bytes, list[str], list[str]]:
    abi = fn.abi
    inputs = tuple(_type_string(i) for i in abi["inputs"])
    outputs = tuple(_type_string(o) for o in abi.get("outputs", ()))
    return _layout(f"{abi['name']}({','.join(inputs)})", inputs, outputs)


def calldata(fn: ContractFunction) -> str:
    """The calldata of `fn` as 0x-hex, as `fn._encode_transaction_data()` gives it."""
    if fn.kwargs:
        return str(fn._encode_transaction_data())
    selector, inputs, _ = _types(fn)
    return "0x" + (selector + encode(inputs, list(fn.args))).hex()


def call_view(fn: ContractFunction) -> tuple[Any, ...]:
    """The outputs of a view call of `fn` at the latest block (always a tuple)."""
    if fn.kwargs:
        with chain_errors():
            result = fn.call()
        return result if isinstance(result, tuple) else (result,)
    _, _, outputs = _types(fn)
    response = fn.w3.provider.make_request("eth_call", [{"to": fn.address, "data": calldata(fn)}, "latest"])  # type: ignore[arg-type]
    if "result" not in response:
        # A revert or a node error: let web3 and the SDK raise the decoded error.
        with chain_errors():
            result = fn.call()
        return result if isinstance(result, tuple) else (result,)
    raw = bytes.fromhex(str(response["result"])[2:])
    items = fn.abi.get("outputs", ())
    return tuple(_normalise(item, value) for item, value in zip(items, decode(outputs, raw), strict=True))


@dataclass(frozen=True)
class FunctionCodec:
    """One contract function's encoding, laid out once from its ABI: for a hot path that calls
    it with plain positional values (a mint, its check), without building a ContractFunction."""

    selector: bytes
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]

    def encode(self, *args: Any) -> bytes:
        words = _static_words(self.inputs, args)
        return self.selector + (words if words is not None else encode(list(self.inputs), list(args)))

    def decode(self, data: bytes) -> tuple[Any, ...]:
        return tuple(decode(list(self.outputs), data))


def _static_words(types: tuple[str, ...], values: tuple[Any, ...]) -> bytes | None:
    """The ABI encoding of unsigned integers and addresses, one 32-byte word each, in a few
    microseconds (eth_abi takes about 30 us for a mint's three arguments); None for anything
    else, and for any value out of range, which eth_abi then encodes or refuses with its error."""
    if len(types) != len(values):
        return None
    out = bytearray()
    for kind, value in zip(types, values, strict=True):
        if kind == "address" and isinstance(value, str) and len(value) == 42 and value[:2] == "0x":
            try:
                raw = bytes.fromhex(value[2:])  # any case, as eth_abi (checksums are checked before)
            except ValueError:
                return None
            if len(raw) != 20:  # fromhex skips whitespace
                return None
            out += bytes(12) + raw
        elif kind.startswith("uint") and type(value) is int and 0 <= value < _limit(kind):
            out += value.to_bytes(32, "big")
        else:
            return None
    return bytes(out)


@lru_cache(maxsize=64)
def _limit(kind: str) -> int:
    """One more than the largest `uint<N>`; 0 (nothing fits) for a malformed type."""
    size = kind[4:]
    return 1 << int(size) if size.isdigit() and 0 < int(size) <= 256 and int(size) % 8 == 0 else 0


def function_codec(contract: Contract, name: str) -> FunctionCodec:
    """The codec of `contract`'s function `name` (which must not be overloaded)."""
    found = [e for e in contract.abi if e.get("type") == "function" and e.get("name") == name]
    if len(found) != 1:
        raise ValueError(f"{name} is {'overloaded' if found else 'not a function'} in this ABI")
    abi: Any = found[0]
    inputs = tuple(_type_string(i) for i in abi["inputs"])
    outputs = tuple(_type_string(o) for o in abi.get("outputs", ()))
    selector, _, _ = _layout(f"{name}({','.join(inputs)})", inputs, outputs)
    return FunctionCodec(selector, inputs, outputs)
