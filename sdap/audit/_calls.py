"""Reading a governed operation's call: which platform contract it targets, which function, with
what arguments (for the report; calls to other addresses stay as their selector and bytes)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from eth_abi import decode as abi_decode
from eth_utils import function_abi_to_4byte_selector, to_checksum_address

from sdap.artifacts import CONTRACT_NAMES, interface_abi
from sdap.events import _type_string


@dataclass(frozen=True)
class CallReading:
    contract: str  # the platform contract at the target ("" for any other address)
    function: str  # its name, or the selector's hex when unknown
    arguments: tuple[tuple[str, str], ...]  # (name, value as text), in order


class CallReader:
    """Reads calls to the contracts of a deployment by their ABIs."""

    def __init__(self, addresses: Mapping[str, str]) -> None:
        self._contracts: dict[str, str] = {}
        self._functions: dict[tuple[str, bytes], Mapping[str, Any]] = {}
        for name, address in addresses.items():
            if name not in CONTRACT_NAMES:
                continue
            target = to_checksum_address(address)
            self._contracts.setdefault(target, name)
            # At the asset's address: its extension's and views module's functions too.
            for item in interface_abi(name):
                if item["type"] == "function":
                    selector = function_abi_to_4byte_selector(item)  # type: ignore[arg-type]
                    self._functions.setdefault((target, selector), item)

    def read(self, target: str, data: bytes) -> CallReading:
        contract = self._contracts.get(target, "")
        item = self._functions.get((target, data[:4]))
        if item is None:
            return CallReading(contract, "0x" + data[:4].hex(), (("data", "0x" + data[4:].hex()),))
        inputs = item["inputs"]
        try:
            values = abi_decode([_type_string(i) for i in inputs], data[4:])
        except Exception:  # noqa: BLE001 - calldata that does not fit the function: shown raw
            return CallReading(contract, item["name"], (("data", "0x" + data[4:].hex()),))
        names = [i["name"] or f"arg{n}" for n, i in enumerate(inputs)]
        return CallReading(contract, item["name"], tuple(zip(names, map(_text, values), strict=True)))


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, str) and value.startswith("0x") and len(value) == 42:
        return to_checksum_address(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_text(v) for v in value) + "]"
    return str(value)
