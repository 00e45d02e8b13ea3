"""Sending transactions from one key: refused before sending if they would revert, nonces managed
locally so many writes can be in flight at once, and a typed receipt only after inclusion.

Whoever needs to sign and send an account's transactions its own way (a gateway recording each one
before it is sent, a remote signer) gives the Transactor a `Broadcaster`: the Transactor then hands
it each call as a `Call` and returns what it answers.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar, cast

import requests
from eth_abi import encode as abi_encode
from eth_account.signers.local import LocalAccount
from eth_utils.abi import function_abi_to_4byte_selector, get_abi_input_types, get_normalized_abi_inputs
from web3 import Web3
from web3.contract.contract import ContractFunction
from web3.exceptions import (
    ContractCustomError,
    ContractLogicError,
    ContractPanicError,
    TimeExhausted,
    Web3RPCError,
)
from web3.types import TxParams

from sdap._revert import decode_revert
from sdap.errors import ConnectionFailed, ContractError, OutOfGas, RpcError, TransactionTimeout
from sdap.events import Event, EventDecoder

T = TypeVar("T")

#: Extra gas over the node's estimate: the state may move between estimate and inclusion.
GAS_MARGIN = 1.25


@dataclass(frozen=True)
class Receipt:
    """An included transaction: its hash, block, gas and the platform events it emitted."""

    tx_hash: str
    block_number: int
    gas_used: int
    events: tuple[Event, ...]

    def events_named(self, name: str) -> list[Event]:
        return [e for e in self.events if e.name == name]

    def event(self, name: str) -> Event:
        """The one event called `name`; KeyError if there is none."""
        for e in self.events:
            if e.name == name:
                return e
        raise KeyError(f"no {name} event in {self.tx_hash}")


@dataclass(frozen=True)
class Call:
    """A contract call to sign and send from one account: its target, its calldata, the gas it may
    use (None: the node's estimate times GAS_MARGIN, which simulates the call first) and what it
    is for (the contract function's name)."""

    to: str
    data: bytes
    gas: int | None = None
    purpose: str = ""


class Broadcaster(Protocol):
    """Signs, sends and waits for one account's calls in the Transactor's place.

    `send` simulates a call without gas first and raises its decoded ContractError before anything
    is signed; it returns the typed receipt of the included transaction, and raises the decoded
    error of one that reverted (OutOfGas when it used all its gas), TransactionTimeout when it is
    not included in time, and ConnectionFailed or RpcError when the node cannot be used."""

    def send(self, call: Call) -> Receipt: ...


def calldata_of(fn: ContractFunction) -> bytes:
    """The calldata of a prepared contract call: its selector and arguments, ABI-encoded."""
    args = get_normalized_abi_inputs(fn.abi, *fn.args, **fn.kwargs) if fn.kwargs else fn.args
    return function_abi_to_4byte_selector(fn.abi) + abi_encode(get_abi_input_types(fn.abi), list(args))


def revert_error(data: bytes | str | None, tx_hash: str | None = None) -> ContractError:
    """The SDK's exception for revert `data`: a contract's custom error decoded by its selector,
    Reverted for a reason string or a panic, UnknownRevert otherwise."""
    return decode_revert(data, tx_hash=tx_hash)


@contextmanager
def chain_errors() -> Iterator[None]:
    """Maps web3's and the transport's exceptions onto the SDK's tree."""
    try:
        yield
    except (ContractCustomError, ContractLogicError, ContractPanicError) as exc:
        raise decode_revert(_revert_data(exc)) from None
    except (requests.ConnectionError, ConnectionError) as exc:
        raise ConnectionFailed(f"cannot reach the node: {exc}") from None
    except requests.Timeout as exc:
        raise ConnectionFailed(f"the node did not answer in time: {exc}") from None
    except Web3RPCError as exc:
        message, code = _rpc_message(exc)
        raise RpcError(message, code) from None


def rpc(fn: Callable[[], T]) -> T:
    with chain_errors():
        return fn()


def _revert_data(exc: Exception) -> str | None:
    data = getattr(exc, "data", None)
    if isinstance(data, str):
        return data
    if isinstance(data, dict):
        return str(data.get("data")) if data.get("data") else None
    return None


def _rpc_message(exc: Web3RPCError) -> tuple[str, int | None]:
    response = getattr(exc, "rpc_response", None) or {}
    error = response.get("error", {}) if isinstance(response, dict) else {}
    return str(error.get("message", exc)), error.get("code")


class Transactor:
    """Signs and sends transactions for one account. Thread-safe: concurrent `send` calls get
    consecutive nonces from a local counter, resynchronised from the node after a failure. With a
    `broadcaster`, `send` hands each call to it instead (see Broadcaster). `chain_id`, when known
    (a deployment's, checked against the node), spares asking the node for it."""

    def __init__(
        self,
        w3: Web3,
        account: LocalAccount,
        decoder: EventDecoder,
        *,
        timeout: float = 120.0,
        poll_interval: float = 0.05,
        broadcaster: Broadcaster | None = None,
        chain_id: int | None = None,
    ) -> None:
        self._broadcaster = broadcaster
        self._w3 = w3
        self._account = account
        self._decoder = decoder
        self._timeout = timeout
        self._poll = poll_interval
        self._lock = threading.Lock()
        self._nonce: int | None = None
        self._chain_id = chain_id

    def __repr__(self) -> str:
        return f"Transactor({self.address})"

    @property
    def address(self) -> str:
        return str(self._account.address)

    def call(self, fn: ContractFunction) -> Any:
        """Reads through `eth_call` from this account, refusals decoded."""
        with chain_errors():
            return fn.call({"from": self.address})

    def send(self, fn: ContractFunction, *, gas: int | None = None) -> Receipt:
        """Sends `fn` and waits for its inclusion. Raises the decoded ContractError, without
        sending anything, when the node's simulation says it would revert."""
        if self._broadcaster is not None:
            return self._broadcaster.send(Call(str(fn.address), calldata_of(fn), gas, str(fn.fn_name)))
        tx_hash = self.submit(fn, gas=gas)
        return self.wait(tx_hash)

    def submit(self, fn: ContractFunction, *, gas: int | None = None) -> str:
        """Simulates, signs and sends `fn`; returns its hash without waiting for inclusion."""
        with chain_errors():
            if gas is None:
                gas = int(fn.estimate_gas({"from": self.address}) * GAS_MARGIN)
            params: dict[str, Any] = {"from": self.address, "gas": gas, "chainId": self._chain()}
            params.update(self._fees())
            with self._lock:
                nonce = self._next_nonce()
                try:
                    tx = fn.build_transaction(cast(TxParams, {**params, "nonce": nonce}))
                    signed = self._account.sign_transaction(cast(dict[str, Any], tx))
                    tx_hash = self._broadcast(signed.raw_transaction, bytes(signed.hash))
                except BaseException:
                    # The nonce may or may not have been used: ask the node next time.
                    self._nonce = None
                    raise
                self._nonce = nonce + 1
        return tx_hash

    def send_raw(self, to: str | None, data: bytes, *, gas: int | None = None) -> Receipt:
        """Sends plain calldata (used for contract creation, `to=None`)."""
        with chain_errors():
            tx: dict[str, Any] = {"from": self.address, "data": data, "chainId": self._chain()}
            if to is not None:
                tx["to"] = to
            if gas is None:
                gas = int(self._w3.eth.estimate_gas(tx) * GAS_MARGIN)  # type: ignore[arg-type]
            tx["gas"] = gas
            tx.update(self._fees())
            with self._lock:
                nonce = self._next_nonce()
                try:
                    signed = self._account.sign_transaction({**tx, "nonce": nonce})
                    tx_hash = self._broadcast(signed.raw_transaction, bytes(signed.hash))
                except BaseException:
                    self._nonce = None
                    raise
                self._nonce = nonce + 1
        return self.wait(tx_hash)

    def wait(self, tx_hash: str) -> Receipt:
        """Waits for `tx_hash` to be included; a reverted one raises its decoded error."""
        try:
            with chain_errors():
                receipt = self._w3.eth.wait_for_transaction_receipt(
                    tx_hash,  # type: ignore[arg-type]
                    timeout=self._timeout,
                    poll_latency=self._poll,
                )
        except TimeExhausted:
            raise TransactionTimeout(tx_hash, self._timeout) from None
        if receipt["status"] != 1:
            raise self._failure(tx_hash, receipt)
        events = tuple(e for e in (self._decoder.decode(log) for log in receipt["logs"]) if e is not None)
        return Receipt(
            tx_hash=tx_hash,
            block_number=int(receipt["blockNumber"]),
            gas_used=int(receipt["gasUsed"]),
            events=events,
        )

    def resync(self) -> None:
        """Forgets the local nonce; the next send asks the node."""
        with self._lock:
            self._nonce = None

    def _failure(self, tx_hash: str, receipt: Any) -> ContractError | OutOfGas:
        """Replays a reverted transaction at its block to recover the revert data."""
        tx = self._w3.eth.get_transaction(tx_hash)  # type: ignore[arg-type]
        if int(receipt["gasUsed"]) >= int(tx["gas"]):
            return OutOfGas(tx_hash, int(tx["gas"]))
        call = {"from": tx["from"], "to": tx["to"], "data": tx["input"], "gas": tx["gas"]}
        try:
            self._w3.eth.call(call, receipt["blockNumber"] - 1)  # type: ignore[arg-type]
        except (ContractCustomError, ContractLogicError, ContractPanicError) as exc:
            return decode_revert(_revert_data(exc), tx_hash=tx_hash)
        except Web3RPCError:
            pass
        return decode_revert(None, tx_hash=tx_hash)

    def _broadcast(self, raw: bytes, signed_hash: bytes) -> str:
        """Hands a signed transaction to the node; its hash. A send that fails (refused, or no
        answer) is not reported as failed while the node has the transaction all the same: an
        answer lost after the node took it, the same bytes sent again by the transport and refused
        as known (or as an old nonce once mined). Then it is waited for by its hash: sent once."""
        tx_hash = "0x" + signed_hash.hex()
        try:
            self._w3.eth.send_raw_transaction(raw)
        except Exception:
            if self._known(tx_hash):
                return tx_hash
            raise
        return tx_hash

    def _known(self, tx_hash: str) -> bool:
        """Whether the node has `tx_hash`, in its pool or in a block (False if it cannot say)."""
        try:
            self._w3.eth.get_transaction(tx_hash)  # type: ignore[arg-type]
        except Exception:  # noqa: BLE001 - unknown, or the node is away: the send's own error stands
            return False
        return True

    def _next_nonce(self) -> int:
        if self._nonce is None:
            self._nonce = self._w3.eth.get_transaction_count(self._account.address, "pending")
        return self._nonce

    def _chain(self) -> int:
        if self._chain_id is None:
            self._chain_id = self._w3.eth.chain_id
        return self._chain_id

    def _fees(self) -> dict[str, int]:
        block = self._w3.eth.get_block("pending")
        base = block.get("baseFeePerGas")
        if base is None:
            # A network without EIP-1559 (or a zero-gas permissioned one): legacy pricing.
            return {"gasPrice": self._w3.eth.gas_price}
        tip = self._w3.eth.max_priority_fee
        return {"maxFeePerGas": 2 * int(base) + tip, "maxPriorityFeePerGas": tip}
