"""Turning revert data into the matching exception, by selector."""

from __future__ import annotations

from functools import cache
from typing import Any

from eth_abi import decode as abi_decode
from eth_utils import to_checksum_address

from sdap.artifacts import CONTRACT_NAMES, load_artifact
from sdap.contract_errors import BY_SELECTOR
from sdap.errors import ContractError, Reverted, UnknownRevert
from sdap.events import _bytes, _type_string

_ERROR_STRING = "0x08c379a0"
_PANIC = "0x4e487b71"


@cache
def _layouts() -> dict[str, list[dict[str, Any]]]:
    inputs: dict[str, list[dict[str, Any]]] = {}
    for contract in CONTRACT_NAMES:
        for item in load_artifact(contract).abi:
            if item["type"] == "error":
                cls = BY_SELECTOR.get(_selector_of(item))
                if cls is not None:
                    inputs[cls.selector] = item["inputs"]
    return inputs


def _selector_of(item: dict[str, Any]) -> str:
    from eth_utils import function_signature_to_4byte_selector

    signature = f"{item['name']}({','.join(_type_string(i) for i in item['inputs'])})"
    return "0x" + function_signature_to_4byte_selector(signature).hex()


def decode_revert(data: bytes | str | None, tx_hash: str | None = None) -> ContractError:
    """The exception that revert `data` stands for; never raises itself."""
    raw = _bytes(data) if data else b""
    selector = "0x" + raw[:4].hex()
    try:
        if selector == _ERROR_STRING:
            return Reverted(abi_decode(["string"], raw[4:])[0], tx_hash=tx_hash)
        if selector == _PANIC:
            return Reverted(f"panic 0x{abi_decode(['uint256'], raw[4:])[0]:02x}", tx_hash=tx_hash)
        cls = BY_SELECTOR.get(selector)
        if cls is not None:
            inputs = _layouts()[selector]
            values = abi_decode([_type_string(i) for i in inputs], raw[4:])
            return cls(*(_normal(i, v) for i, v in zip(inputs, values, strict=True)), tx_hash=tx_hash)
    except Exception:  # noqa: BLE001, S110 - malformed data is reported as unknown, never raised
        pass
    return UnknownRevert("0x" + raw.hex(), tx_hash=tx_hash)


def _normal(item: dict[str, Any], value: Any) -> Any:
    return to_checksum_address(value) if item["type"] == "address" else value
