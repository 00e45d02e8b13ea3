"""Raw `eth_getLogs` and a decoder tuned for a full-history replay.

The replay reads the node's JSON as it comes (no web3 result formatting) and decodes every event
of the platform by slicing the hex with readers planned once from the ABIs (one-word values,
strings, bytes and arrays of them, arrays of one-word values, structs of one-word values; an
indexed dynamic value is its topic, the keccak256 of the value, as bytes), with TransferSingle,
nine logs in ten, read inline. Anything else falls back to sdap.events.EventDecoder; both produce the same
`Event`, addresses checksummed (once per address). An ERC-20 Transfer (a payment token's, which
`payment_transfers` adds from the transactions of offers paid in one) is read too, as contract "ERC20".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from eth_utils import keccak, to_checksum_address
from web3 import Web3
from web3.types import RPCEndpoint

from sdap.artifacts import CONTRACT_NAMES, load_artifact
from sdap.events import Event, EventDecoder, LogFetcher, _type_string

Converter = Callable[[str], Any]
#: Reads one field from the log's topics and data (hex strings without their 0x).
Reader = Callable[[list[str], str], Any]


class _Checksums(dict[str, str]):
    """40 hex digits -> checksummed address, computed once per address."""

    def __missing__(self, key: str) -> str:
        value = to_checksum_address("0x" + key)
        self[key] = value
        return value


def _word_converter(kind: str, checksums: _Checksums) -> Converter | None:
    """How to read a one-word static value; None for anything else."""
    if kind == "address":
        return lambda word: checksums[word[24:]]
    if kind.startswith("uint") and kind[4:].isdigit():
        return lambda word: int(word, 16)
    if kind == "bool":
        return lambda word: int(word, 16) != 0
    if kind.startswith("bytes") and kind[5:].isdigit():
        size = int(kind[5:]) * 2
        return lambda word: bytes.fromhex(word[:size])
    return None


def _topic_reader(convert: Converter, index: int) -> Reader:
    return lambda topics, data: convert(topics[index][2:])


def _hashed_topic(index: int) -> Reader:
    """An indexed dynamic value (bytes, string, array): the log holds only its keccak256."""
    return lambda topics, data: bytes.fromhex(topics[index][2:])


def _dynamic(data: str, head: int) -> tuple[int, int]:
    """(start of the payload, length word) of a dynamic value whose offset is at word `head`."""
    offset = int(data[64 * head : 64 * head + 64], 16) * 2
    return offset + 64, int(data[offset : offset + 64], 16)


def _data_reader(field: Mapping[str, Any], head: int, checksums: _Checksums) -> tuple[Reader, int] | None:
    """A reader of the non-indexed field starting at head word `head`, and the head words it takes."""
    kind = _type_string(field)
    convert = _word_converter(kind, checksums)
    if convert is not None:
        return (lambda topics, data, c=convert, s=64 * head: c(data[s : s + 64])), 1
    if kind == "string":

        def read_string(topics: list[str], data: str) -> str:
            start, size = _dynamic(data, head)
            return bytes.fromhex(data[start : start + 2 * size]).decode("utf-8", "replace")

        return read_string, 1
    if kind == "bytes":

        def read_bytes(topics: list[str], data: str) -> bytes:
            start, size = _dynamic(data, head)
            return bytes.fromhex(data[start : start + 2 * size])

        return read_bytes, 1
    if kind == "bytes[]":

        def read_bytes_array(topics: list[str], data: str) -> tuple[bytes, ...]:
            start, count = _dynamic(data, head)
            items = []
            for i in range(count):
                # Each item's offset counts from the start of the array's items.
                at = start + int(data[start + 64 * i : start + 64 * i + 64], 16) * 2
                size = int(data[at : at + 64], 16)
                items.append(bytes.fromhex(data[at + 64 : at + 64 + 2 * size]))
            return tuple(items)

        return read_bytes_array, 1
    if kind.endswith("[]") and (inner := _word_converter(kind[:-2], checksums)) is not None:

        def read_array(topics: list[str], data: str, c: Converter = inner) -> tuple[Any, ...]:
            start, count = _dynamic(data, head)
            return tuple(c(data[start + 64 * i : start + 64 * i + 64]) for i in range(count))

        return read_array, 1
    if kind.startswith("(") and not kind.endswith("]"):
        parts = [(c["name"], _word_converter(_type_string(c), checksums)) for c in field["components"]]
        if any(c is None for _, c in parts):
            return None  # a tuple that is not all one-word values: the generic decoder

        def read_tuple(topics: list[str], data: str) -> dict[str, Any]:
            return {
                name: c(data[64 * (head + i) : 64 * (head + i) + 64])  # type: ignore[misc]
                for i, (name, c) in enumerate(parts)
            }

        return read_tuple, len(parts)
    return None


class FastDecoder:
    """Decodes raw JSON logs (hex strings) of the platform's contracts into `Event`s."""

    def __init__(self, fallback: EventDecoder | None = None) -> None:
        self._fallback = fallback or EventDecoder()
        self._checksums = _Checksums()
        self._blocks: dict[str, int] = {}  # block numbers as the logs spell them, parsed once
        # topic0 -> (name, contract, ((field, reader), ...)), or None for the generic decoder.
        self._plans: dict[str, tuple[str, str, tuple[tuple[str, Reader], ...]] | None] = {}
        for contract in CONTRACT_NAMES:
            for item in load_artifact(contract).abi:
                if item["type"] != "event" or item.get("anonymous"):
                    continue
                signature = f"{item['name']}({','.join(_type_string(i) for i in item['inputs'])})"
                topic = "0x" + keccak(text=signature).hex()
                if topic not in self._plans:
                    self._plans[topic] = self._plan(item, contract)
        self._transfer_single = "0x" + keccak(text="TransferSingle(address,address,address,uint256,uint256)").hex()
        self._erc20_transfer = ERC20_TRANSFER

    def _plan(self, item: Mapping[str, Any], contract: str) -> tuple[str, str, tuple[tuple[str, Reader], ...]] | None:
        fields: list[tuple[str, Reader]] = []
        topic_index, head = 1, 0
        for field in item["inputs"]:
            if field["indexed"]:
                convert = _word_converter(_type_string(field), self._checksums)
                reader = _hashed_topic(topic_index) if convert is None else _topic_reader(convert, topic_index)
                fields.append((field["name"], reader))
                topic_index += 1
            else:
                found = _data_reader(field, head, self._checksums)
                if found is None:
                    return None
                fields.append((field["name"], found[0]))
                head += found[1]
        return item["name"], contract, tuple(fields)

    def decode(self, log: Mapping[str, Any]) -> Event | None:
        topics = log["topics"]
        if not topics:
            return None
        topic0 = topics[0]
        checksums = self._checksums
        if topic0 == self._transfer_single:  # nine logs in ten: read it without the generic loop
            data = log["data"]
            args: dict[str, Any] = {
                "operator": checksums[topics[1][26:]],
                "from": checksums[topics[2][26:]],
                "to": checksums[topics[3][26:]],
                "id": int(data[2:66], 16),
                "value": int(data[66:130], 16),
            }
            name, contract = "TransferSingle", "SecuredAsset"
        elif topic0 == self._erc20_transfer:
            if len(topics) != 3:
                return None  # an ERC-721 Transfer (its id indexed): no payment
            args = {
                "from": checksums[topics[1][26:]],
                "to": checksums[topics[2][26:]],
                "value": int(log["data"][2:66], 16),
            }
            name, contract = "Transfer", "ERC20"
        else:
            if topic0 not in self._plans:
                return None
            plan = self._plans[topic0]
            if plan is None:
                return self._fallback.decode(log)
            name, contract, fields = plan
            data = log["data"][2:]
            args = {field: read(topics, data) for field, read in fields}
        event = _new_event(Event)
        slots = event.__dict__
        slots["name"] = name
        slots["contract"] = contract
        slots["address"] = checksums[log["address"][2:]]
        block = self._blocks.get(log["blockNumber"])
        if block is None:
            block = self._blocks[log["blockNumber"]] = int(log["blockNumber"], 16)
            if len(self._blocks) > 4_096:
                self._blocks.clear()
        slots["block_number"] = block
        slots["tx_hash"] = log["transactionHash"]
        slots["log_index"] = int(log["logIndex"], 16)
        slots["args"] = args
        return event


#: Builds an Event without the frozen dataclass's per-field __setattr__ (a third of decoding time).
_new_event = object.__new__


#: topic0 of ERC-20's Transfer(address indexed from, address indexed to, uint256 value).
ERC20_TRANSFER = "0x" + keccak(text="Transfer(address,address,uint256)").hex()
_OFFER_TAKEN = (
    "0x"
    + keccak(
        text="OfferTaken(bytes32,address,address,(address,address,address,uint256,uint256,address,uint256,uint256,uint256,uint64))"
    ).hex()
)


def payment_transfers(w3: Web3, logs: list[Any], exchange: str, asset: str) -> list[Any]:
    """`logs` with the ERC-20 Transfers of each transaction where the exchange filled an offer paid
    in a token (its payment leg), from the transaction's receipt, in chain order. The platform's
    own logs come from eth_getLogs over its addresses; a payment token is none of them."""
    exchange, asset_word = exchange.lower(), asset.lower()[2:].rjust(64, "0")
    paid: list[str] = []
    for log in logs:
        if log["topics"] and log["topics"][0] == _OFFER_TAKEN and log["address"].lower() == exchange:
            data = log["data"][2:]
            give, want = data[128:192], data[320:384]  # the offer's giveToken and wantToken words
            if (give != asset_word or want != asset_word) and log["transactionHash"] not in paid:
                paid.append(log["transactionHash"])
    if not paid:
        return logs
    provider: Any = w3.provider
    answers = provider.make_batch_request([(RPCEndpoint("eth_getTransactionReceipt"), [tx]) for tx in paid])
    if not isinstance(answers, list) or any(not isinstance(a.get("result"), dict) for a in answers):
        raise ValueError(f"eth_getTransactionReceipt batch failed: {answers}")
    known = {(log["transactionHash"], log["logIndex"]) for log in logs}
    extra = [
        log
        for answer in answers
        for log in answer["result"]["logs"]
        if log["topics"]
        and log["topics"][0] == ERC20_TRANSFER
        and (log["transactionHash"], log["logIndex"]) not in known
    ]
    return sorted([*logs, *extra], key=lambda log: (int(log["blockNumber"], 16), int(log["logIndex"], 16)))


class RawLogFetcher(LogFetcher):
    """LogFetcher that returns the node's JSON logs as they are, without web3's formatting.

    It starts with `first` blocks and doubles while answers stay small (up to `chunk` x 8), so the
    first answer of a busy chain cannot be its whole history: memory stays bounded by `max_logs`
    (give or take one chunk's growth), not by the length of the history."""

    def __init__(
        self,
        w3: Web3,
        addresses: Sequence[str],
        chunk: int = 2_000,
        min_chunk: int = 1,
        max_logs: int = 10_000,
        first: int = 16,
    ) -> None:
        super().__init__(w3, addresses, chunk=chunk, min_chunk=min_chunk, max_logs=max_logs)
        self.chunk = max(min_chunk, min(first, chunk))

    def _get_logs(self, start: int, end: int) -> list[Any]:
        response = self._w3.provider.make_request(
            RPCEndpoint("eth_getLogs"),
            [{"address": self._addresses, "fromBlock": hex(start), "toBlock": hex(end)}],
        )
        if "error" in response:
            raise ValueError(str(response["error"]))
        return list(response["result"])


def block_timestamps(w3: Web3, logs: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    """blockNumber (hex, as in the logs) -> timestamp. Uses the logs' `blockTimestamp` where the
    node provides it, and one batch of `eth_getBlockByNumber` otherwise."""
    stamps: dict[str, int] = {}
    missing: list[str] = []
    for log in logs:
        number = log["blockNumber"]
        if number in stamps:
            continue
        stamp = log.get("blockTimestamp")
        if stamp is not None:
            stamps[number] = int(stamp, 16)
        elif number not in missing:
            missing.append(number)
    if missing:
        provider: Any = w3.provider
        batch = provider.make_batch_request([(RPCEndpoint("eth_getBlockByNumber"), [n, False]) for n in missing])
        if not isinstance(batch, list):
            raise ValueError(f"eth_getBlockByNumber batch failed: {batch}")
        answers = sorted(batch, key=lambda r: int(r["id"])) if all("id" in r for r in batch) else batch
        for number, answer in zip(missing, answers, strict=True):
            stamps[number] = int(answer["result"]["timestamp"], 16)
    return stamps
