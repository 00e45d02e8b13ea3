"""Calls of a contract's view functions: one `eth_call` each, each function laid out once.

`contract.functions.f(*args).call()` in web3.py looks the function up in the whole ABI on every
call (hashing each function's signature), and sends the request through every middleware (the
validation middleware asks the node for its chain id, twice). A view call needs none of that each
time: `ContractViews` takes each function's selector and argument and result types from its ABI
once, encodes and decodes with web3's own eth_abi codec (strict, as web3 checks arguments), and
sends the `eth_call` straight to the provider. Its results are web3's: the value, or the list of
values when there are several, addresses checksummed and arrays as lists. A call that reverts or
fails on the node is made again through web3, which raises the error the SDK decodes
(sdap.errors), so failures read exactly as before; so is a call with arguments the codec refuses.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from eth_abi.codec import ABICodec
from eth_abi.exceptions import DecodingError, EncodingError
from eth_typing import ABIFunction
from eth_utils.abi import function_abi_to_4byte_selector, get_abi_input_types, get_abi_output_types
from web3.contract.contract import Contract
from web3.types import RPCEndpoint

from sdap.addresses import checksummed
from sdap.transactions import chain_errors

_ETH_CALL = RPCEndpoint("eth_call")


@dataclass(frozen=True)
class ViewFunction:
    """One function's layout: its selector, the types of its arguments and of its results, and how
    its results are normalised as web3 normalises them."""

    name: str
    selector: bytes
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    normalise: Callable[[tuple[Any, ...]], tuple[Any, ...]]

    @classmethod
    def of(cls, abi: ABIFunction) -> ViewFunction:
        return cls(
            name=abi["name"],
            selector=function_abi_to_4byte_selector(abi),
            inputs=tuple(get_abi_input_types(abi)),
            outputs=tuple(get_abi_output_types(abi)),
            normalise=_normaliser(tuple(abi.get("outputs", ()))),
        )

    def calldata(self, codec: ABICodec, *args: Any) -> bytes:
        return self.selector + codec.encode(self.inputs, args)

    def result(self, codec: ABICodec, data: bytes) -> Any:
        """The decoded return data as web3's `call()` gives it: the value, or the list of values
        when the function returns several."""
        values = self.normalise(codec.decode(self.outputs, data))
        return values[0] if len(values) == 1 else list(values)


class ContractViews:
    """The view functions of one deployed contract, each laid out on its first call."""

    def __init__(self, contract: Contract) -> None:
        self._contract = contract
        self._address = str(contract.address)
        self._by_arity: dict[tuple[str, int], ViewFunction] = {}

    def __repr__(self) -> str:
        return f"ContractViews({self._address})"

    def function(self, name: str, arity: int) -> ViewFunction:
        """The function `name` taking `arity` arguments (overloads are told apart by their count)."""
        key = (name, arity)
        found = self._by_arity.get(key)
        if found is None:
            functions: list[Any] = [e for e in self._contract.abi if e.get("type") == "function"]
            matches = [e for e in functions if e["name"] == name and len(e.get("inputs", ())) == arity]
            if len(matches) != 1:
                raise ValueError(f"{name} with {arity} arguments is {'ambiguous' if matches else 'not'} in this ABI")
            found = self._by_arity[key] = ViewFunction.of(matches[0])
        return found

    def call(self, name: str, *args: Any) -> Any:
        """`contract.functions.<name>(*args).call()` at the latest block, in one round trip."""
        fn = self.function(name, len(args))
        w3 = self._contract.w3
        try:
            data = fn.calldata(w3.codec, *args)
        except EncodingError:
            return self._through_web3(name, args)  # web3 accepts more forms (hex for bytes) or says why not
        params = [{"to": self._address, "data": "0x" + data.hex()}, w3.eth.default_block]
        with chain_errors():
            response = w3.provider.make_request(_ETH_CALL, params)
        if "result" not in response:
            return self._through_web3(name, args)  # a revert or a node error: raised as web3 and the SDK raise it
        try:
            return fn.result(w3.codec, bytes.fromhex(str(response["result"])[2:]))
        except DecodingError:
            return self._through_web3(name, args)  # no code at the address, say: web3 tells

    def _through_web3(self, name: str, args: tuple[Any, ...]) -> Any:
        with chain_errors():
            return getattr(self._contract.functions, name)(*args).call()


def _normaliser(outputs: tuple[Mapping[str, Any], ...]) -> Callable[[tuple[Any, ...]], tuple[Any, ...]]:
    """What web3 does to decoded results (addresses checksummed, arrays as lists), built once per
    function: nothing at all for results of plain values."""
    if all(_plain(o) for o in outputs):
        return _unchanged
    parts = [_value_normaliser(o) for o in outputs]
    return lambda values: tuple(part(v) for part, v in zip(parts, values, strict=True))


def _unchanged(values: tuple[Any, ...]) -> tuple[Any, ...]:
    return values


def _same(value: Any) -> Any:
    return value


def _plain(item: Mapping[str, Any]) -> bool:
    """Whether eth_abi's value of this type is already web3's: no address, no array inside."""
    kind = str(item["type"])
    if kind.endswith("]") or kind == "address":
        return False
    return all(_plain(c) for c in item.get("components", ())) if kind == "tuple" else True


def _value_normaliser(item: Mapping[str, Any]) -> Callable[[Any], Any]:
    kind = str(item["type"])
    if _plain(item):
        return _same
    if kind.endswith("]"):
        inner = _value_normaliser(dict(item, type=kind[: kind.rindex("[")]))
        return lambda values: [inner(v) for v in values]
    if kind == "tuple":
        parts = [_value_normaliser(c) for c in item["components"]]
        return lambda values: tuple(part(v) for part, v in zip(parts, values, strict=True))
    return checksummed
