"""How a write is reported: one line saying what happened and where it was recorded, or with
`--json` the receipt (tx hash, block, gas, decoded events) plus what the write created."""

from __future__ import annotations

from typing import Any

from sdap.cli._common import emit, jsonable
from sdap.events import Event
from sdap.transactions import Receipt


def event_dict(event: Event) -> dict[str, Any]:
    return {
        "name": event.name,
        "contract": event.contract,
        "block_number": event.block_number,
        "tx_hash": event.tx_hash,
        "log_index": event.log_index,
        "args": jsonable(event.args),
    }


def event_line(event: Event) -> str:
    return f"block {event.block_number:<6} {event.name:<26} {_fields(_readable(event.args))}"


def _readable(args: Any) -> dict[str, Any]:
    """The event's values for a person: a currency (the exchange's bytes3) as its code, "KZT"."""
    values = dict(jsonable(args))
    currency = args.get("currency") if hasattr(args, "get") else None
    if isinstance(currency, bytes) and currency.isascii() and currency.strip(b"\x00").isalpha():
        values["currency"] = currency.decode("ascii")
    return values


def _fields(values: dict[str, Any]) -> str:
    return " ".join(f"{k}={{{_fields(v)}}}" if isinstance(v, dict) else f"{k}={v}" for k, v in values.items())


def receipt_dict(receipt: Receipt) -> dict[str, Any]:
    """A receipt as the JSON of a write shows it: where it landed and its decoded events."""
    return {
        "tx_hash": receipt.tx_hash,
        "block_number": receipt.block_number,
        "gas_used": receipt.gas_used,
        "events": [event_dict(e) for e in receipt.events],
    }


def landed(receipt: Receipt) -> str:
    """`  tx 0x... in block N, gas G`: the line under a write's summary."""
    return f"  tx {receipt.tx_hash} in block {receipt.block_number}, gas {receipt.gas_used:,}"


def report(receipt: Receipt, as_json: bool, summary: str, **created: Any) -> None:
    """Prints `summary` and where the transaction landed; `created` (an issuance id, ...) goes in
    the JSON next to the receipt."""
    body = {**{k: jsonable(v) for k, v in created.items()}, **receipt_dict(receipt)}
    emit(body, as_json, lambda _: f"{summary}\n{landed(receipt)}")
