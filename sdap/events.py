"""Decoding and streaming of the platform's events.

Decoding goes by topic with layouts computed once from the ABIs (eth_abi directly), instead of
web3's generic per-log decoder, which looks the event up and formats every log anew (what that
saves: docs/performance.md).
Streaming fetches `eth_getLogs` in block chunks that shrink when the node refuses a range or a
result is too large, and grow back while it answers.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from eth_abi import decode as abi_decode
from eth_utils import keccak, to_checksum_address
from web3 import Web3
from web3.exceptions import Web3RPCError

from sdap.artifacts import CONTRACT_NAMES, load_artifact
from sdap.errors import ChainError, ConfigurationError, RpcError


@dataclass(frozen=True)
class Event:
    """One decoded log. `args` holds the event's fields by name, addresses checksummed."""

    name: str
    contract: str
    address: str
    block_number: int
    tx_hash: str
    log_index: int
    args: Mapping[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.args[key]


def _type_string(item: Mapping[str, Any]) -> str:
    kind = str(item["type"])
    if kind.startswith("tuple"):
        return "(" + ",".join(_type_string(c) for c in item["components"]) + ")" + kind[5:]
    return kind


def _dynamic(kind: str) -> bool:
    """Whether ABI type `kind` is encoded out of place (an indexed one is topic-hashed)."""
    return kind in ("bytes", "string") or kind.endswith("]") or kind.startswith("(")


def _normalise(item: Mapping[str, Any], value: Any) -> Any:
    kind = str(item["type"])
    if kind == "address":
        return to_checksum_address(value)
    if kind.startswith("tuple") and not kind.endswith("]"):
        return MappingProxyType({c["name"]: _normalise(c, v) for c, v in zip(item["components"], value, strict=True)})
    if kind.endswith("]"):
        inner = dict(item, type=kind[: kind.rindex("[")])
        return tuple(_normalise(inner, v) for v in value)
    return value


@dataclass(frozen=True)
class _Layout:
    name: str
    contract: str
    indexed: tuple[Mapping[str, Any], ...]
    indexed_types: tuple[str, ...]
    data: tuple[Mapping[str, Any], ...]
    data_types: tuple[str, ...]
    order: tuple[str, ...]


class EventDecoder:
    """Decodes logs of the platform's contracts by their first topic."""

    def __init__(self, contracts: Sequence[str] = CONTRACT_NAMES) -> None:
        self._layouts: dict[bytes, _Layout] = {}
        for contract in contracts:
            for item in load_artifact(contract).abi:
                if item["type"] != "event" or item.get("anonymous"):
                    continue
                signature = f"{item['name']}({','.join(_type_string(i) for i in item['inputs'])})"
                # An indexed dynamic value (the council's `bytes indexed signer`) is in its topic as
                # its keccak256 only: read as that bytes32.
                indexed = tuple(
                    dict(i, type="bytes32") if _dynamic(_type_string(i)) else i for i in item["inputs"] if i["indexed"]
                )
                data = tuple(i for i in item["inputs"] if not i["indexed"])
                self._layouts.setdefault(
                    keccak(text=signature),
                    _Layout(
                        name=item["name"],
                        contract=contract,
                        indexed=indexed,
                        indexed_types=tuple(_type_string(i) for i in indexed),
                        data=data,
                        data_types=tuple(_type_string(i) for i in data),
                        order=tuple(i["name"] for i in item["inputs"]),
                    ),
                )

    @property
    def topics(self) -> list[str]:
        return ["0x" + t.hex() for t in self._layouts]

    def decode(self, log: Mapping[str, Any]) -> Event | None:
        """The decoded event, or None for a log of no known event."""
        topics = log["topics"]
        if not topics:
            return None
        layout = self._layouts.get(_bytes(topics[0]))
        if layout is None:
            return None
        values: dict[str, Any] = {}
        for item, kind, topic in zip(layout.indexed, layout.indexed_types, topics[1:], strict=True):
            values[item["name"]] = _normalise(item, abi_decode([kind], _bytes(topic))[0])
        if layout.data:
            decoded = abi_decode(list(layout.data_types), _bytes(log["data"]))
            for item, value in zip(layout.data, decoded, strict=True):
                values[item["name"]] = _normalise(item, value)
        return Event(
            name=layout.name,
            contract=layout.contract,
            address=to_checksum_address(log["address"]),
            block_number=_int(log["blockNumber"]),
            tx_hash="0x" + _bytes(log["transactionHash"]).hex(),
            log_index=_int(log["logIndex"]),
            args=MappingProxyType({name: values[name] for name in layout.order}),
        )


def _int(value: Any) -> int:
    """A quantity as web3 formats it (int) or as the node's JSON has it (0x-hex string)."""
    if isinstance(value, int):
        return value
    return int(value, 16) if isinstance(value, str) and value.startswith("0x") else int(value)


def _bytes(value: Any) -> bytes:
    if isinstance(value, bytes):
        return value
    text = str(value)
    return bytes.fromhex(text[2:] if text.startswith("0x") else text)


class LogFetcher:
    """`eth_getLogs` over a block range in chunks that adapt to the node's limits."""

    def __init__(
        self,
        w3: Web3,
        addresses: Sequence[str],
        chunk: int = 2_000,
        min_chunk: int = 1,
        max_logs: int = 10_000,
        *,
        topics: Sequence[Any] | None = None,
    ) -> None:
        if chunk < 1:
            raise ConfigurationError("chunk must be at least one block")
        self._w3 = w3
        self._addresses = [to_checksum_address(a) for a in addresses]
        #: eth_getLogs' topic filter (position by position; a list is any of, None is any).
        self._topics = None if topics is None else list(topics)
        self.chunk = chunk
        self._max_chunk = chunk * 8
        self._min_chunk = min_chunk
        # Bounds the logs held at once: busy ranges get shorter chunks, quiet ones longer.
        self._max_logs = max_logs

    def chunks(self, from_block: int, to_block: int) -> Iterator[list[Any]]:
        """Yields the raw logs of each chunk in block order, `from_block` to `to_block` inclusive."""
        start = from_block
        while start <= to_block:
            end = min(start + self.chunk - 1, to_block)
            try:
                logs = self._get_logs(start, end)
            except (Web3RPCError, ValueError) as exc:
                if self.chunk <= self._min_chunk:
                    raise RpcError(f"eth_getLogs {start}-{end} failed at the smallest chunk: {exc}") from None
                # The node refused the range or the result size: halve and retry the same start.
                self.chunk = max(self._min_chunk, self.chunk // 2)
                continue
            except OSError as exc:
                raise ChainError(f"eth_getLogs {start}-{end}: {exc}") from None
            yield logs
            span = end - start + 1
            start = end + 1
            if len(logs) > self._max_logs:
                self.chunk = max(self._min_chunk, span * self._max_logs // len(logs))
            elif len(logs) <= self._max_logs // 2 and self.chunk < self._max_chunk:
                self.chunk = min(self._max_chunk, self.chunk * 2)

    def _get_logs(self, start: int, end: int) -> list[Any]:
        """One `eth_getLogs` call; a subclass may fetch differently (the auditor reads raw JSON)."""
        query: dict[str, Any] = {"address": self._addresses, "fromBlock": start, "toBlock": end}
        if self._topics is not None:
            query["topics"] = self._topics
        return list(self._w3.eth.get_logs(query))  # type: ignore[arg-type]


def stream_events(
    w3: Web3,
    addresses: Sequence[str],
    from_block: int,
    to_block: int | None = None,
    *,
    decoder: EventDecoder | None = None,
    chunk: int = 2_000,
    topics: Sequence[Any] | None = None,
) -> Iterator[Event]:
    """Every platform event at `addresses` from `from_block` to `to_block` (default: the head),
    in chain order; with `topics`, only the logs that filter of eth_getLogs matches (by event and
    indexed fields, so the node does the search: see `event_topic` and `address_topic`)."""
    head = w3.eth.block_number if to_block is None else to_block
    decoder = decoder or EventDecoder()
    for logs in LogFetcher(w3, addresses, chunk=chunk, topics=topics).chunks(from_block, head):
        for log in logs:
            event = decoder.decode(log)
            if event is not None:
                yield event


def event_topic(signature: str) -> str:
    """The first topic of the event `signature`, e.g. `TransferSingle(address,address,address,uint256,uint256)`."""
    return "0x" + keccak(text=signature).hex()


def address_topic(address: str) -> str:
    """An indexed address as its topic: left-padded to 32 bytes."""
    return "0x" + "00" * 12 + to_checksum_address(address)[2:].lower()
