"""The transaction journal: every transaction the gateway signs is recorded before it is sent.

The record holds the signed bytes and the hash computed from them, so whatever happens between
sending and recording the result (a crash, a lost connection, a timeout), the transaction is
found again by its hash and never signed a second time:

- `JournaledTransactor` is the SDK's Transactor with the write-ahead record. Inside an idempotent
  request (`operation`), the n-th transaction of the request is looked up first: one already in
  the journal is waited for, by hash, instead of being sent again.
- `recover` runs at startup: each pending record is resolved by its hash (included, still in the
  node's pool, or unknown). An unknown one whose nonce is still free is re-broadcast byte for byte,
  which can only include that same transaction; one whose nonce was taken is marked dropped.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, cast

import coincurve
from eth_account.signers.local import LocalAccount
from eth_utils import keccak, to_bytes
from sqlalchemy import Connection, RowMapping, bindparam, insert, select, update
from web3 import Web3
from web3.contract.contract import ContractFunction
from web3.exceptions import TransactionNotFound, Web3RPCError
from web3.types import TxParams

from api.chain.ordering import SendOrder
from api.db import Database, now
from api.db.direct import DirectCursor
from api.db.schema import transactions
from sdap.calls import calldata
from sdap.errors import ConnectionFailed, ContractError, RpcError
from sdap.events import EventDecoder
from sdap.transactions import GAS_MARGIN, Receipt, Transactor, chain_errors

log = logging.getLogger("sdap.gateway.journal")

PENDING, MINED, REVERTED, DROPPED = "pending", "mined", "reverted", "dropped"

#: JSON-RPC "method not found" (a node without `eth_sendRawTransactionSync`).
METHOD_NOT_FOUND = -32601


@dataclass
class Operation:
    """The idempotent request being served: its record id, whether it resumes an interrupted
    attempt (only then can the journal hold its transactions already), and how many it sent."""

    idempotency_id: int
    resumed: bool = False
    seq: int = 0
    #: Final states (tx hash, state, block) of its transactions, written with the request's answer
    #: in one database transaction instead of one each (see `Journal.settle`).
    marks: list[tuple[str, str, int | None]] = field(default_factory=list)

    def next_seq(self) -> int:
        self.seq += 1
        return self.seq


_operation: ContextVar[Operation | None] = ContextVar("sdap_operation", default=None)
_checked_gas: ContextVar[int | None] = ContextVar("sdap_checked_gas", default=None)


@contextmanager
def operation(idempotency_id: int, *, resumed: bool) -> Iterator[Operation]:
    """Links the transactions sent inside the block to one idempotency record, in order."""
    token = _operation.set(Operation(idempotency_id, resumed))
    try:
        yield _operation.get()  # type: ignore[misc]
    finally:
        _operation.reset(token)


@contextmanager
def checked(gas: int) -> Iterator[None]:
    """Sends the transactions inside the block with `gas` and no simulation by the node: for a
    call the contract's own check view has just passed (a mint after `checkMint`), where the
    simulation would only repeat it. Should the state move in between, the contract still refuses
    the transaction, and the refusal is decoded as usual."""
    token = _checked_gas.set(gas)
    try:
        yield
    finally:
        _checked_gas.reset(token)


# The statements of every send, built once: constructing and cache-keying a SQLAlchemy statement
# costs more than running it on SQLite.
_RECORD = insert(transactions).values(
    tx_hash=bindparam("p_tx_hash"),
    sender=bindparam("p_sender"),
    nonce=bindparam("p_nonce"),
    raw=bindparam("p_raw"),
    purpose=bindparam("p_purpose"),
    idempotency_id=bindparam("p_idempotency_id"),
    seq=bindparam("p_seq"),
    state=PENDING,
    created_at=bindparam("p_stamp"),
    updated_at=bindparam("p_stamp"),
)
_MARK = (
    update(transactions)
    .where(transactions.c.tx_hash == bindparam("p_tx_hash"))
    .values(state=bindparam("p_state"), block_number=bindparam("p_block"), updated_at=bindparam("p_stamp"))
)


@dataclass(frozen=True)
class JournalEntry:
    tx_hash: str
    sender: str
    nonce: int
    raw: str
    state: str
    created_at: int = 0


class Journal:
    """The `transactions` table."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._lost: set[str] = set()
        self._lost_lock = threading.Lock()
        #: Set when a send is lost: the gateway's resolver wakes for it (api.gateway).
        self.lost_sends = threading.Event()

    def lost(self, *tx_hashes: str) -> None:
        """Sends that got no answer. One the node never got holds the key's later transactions
        behind its nonce, so the resolver looks each up by hash at once, and sends the same bytes
        again as soon as the node answers, rather than after a minute."""
        with self._lost_lock:
            self._lost.update(tx_hashes)
        self.lost_sends.set()

    def take_lost(self) -> set[str]:
        with self._lost_lock:
            taken, self._lost = self._lost, set()
        return taken

    def keep_lost(self, tx_hashes: set[str]) -> None:
        """Lost sends the resolver could not resolve yet (the node is still away): kept for its
        next round, without waking it at once."""
        with self._lost_lock:
            self._lost.update(tx_hashes)

    def any_lost(self) -> bool:
        with self._lost_lock:
            return bool(self._lost)

    def record(
        self, entry: JournalEntry, purpose: str, op: Operation | None, seq: int | None, *, replace: bool = True
    ) -> None:
        with self.db.write() as conn:
            # Only a resumed request or a retried send can have an earlier attempt of this step:
            # skipping the UPDATE otherwise saves a statement on every first send (the hot path).
            if op is not None and replace:
                # A dropped attempt of the same step gives its place to this one.
                conn.execute(
                    update(transactions)
                    .where(transactions.c.idempotency_id == op.idempotency_id, transactions.c.seq == seq)
                    .values(seq=None)
                )
            conn.execute(_RECORD, _record_params(entry, purpose, op, seq))

    def record_direct(self, entry: JournalEntry, purpose: str, op: Operation | None, seq: int | None) -> None:
        """`record` for a first attempt, from the event loop (api.db.direct)."""
        with self.db.direct.transaction(write=True) as cursor:
            cursor.execute(_RECORD, _record_params(entry, purpose, op, seq))

    def mark_direct(self, tx_hash: str, state: str, block_number: int | None = None) -> None:
        with self.db.direct.transaction(write=True) as cursor:
            write_marks(cursor, [(tx_hash, state, block_number)])

    def step(self, idempotency_id: int, seq: int) -> JournalEntry | None:
        with self.db.read() as conn:
            row = conn.execute(
                select(transactions).where(transactions.c.idempotency_id == idempotency_id, transactions.c.seq == seq)
            ).first()
        return None if row is None else _entry(row._mapping)

    def mark(self, tx_hash: str, state: str, block_number: int | None = None) -> None:
        with self.db.write() as conn:
            conn.execute(
                update(transactions)
                .where(transactions.c.tx_hash == tx_hash)
                .values(state=state, block_number=block_number, updated_at=now())
            )

    def settle(self, tx_hash: str, state: str, block_number: int | None = None) -> None:
        """Records a final state (mined, reverted). Inside an idempotent request it is written with
        the request's answer (`write_marks`), saving one database transaction per request; should the
        process stop before that, the record is still pending and `recover` resolves it by hash."""
        op = _operation.get()
        if op is None:
            self.mark(tx_hash, state, block_number)
        else:
            op.marks.append((tx_hash, state, block_number))

    def pending(self, sender: str | None = None) -> list[JournalEntry]:
        query = select(transactions).where(transactions.c.state == PENDING).order_by(transactions.c.nonce)
        if sender is not None:
            query = query.where(transactions.c.sender == sender)
        with self.db.read() as conn:
            return [_entry(row._mapping) for row in conn.execute(query)]

    def get(self, tx_hash: str) -> JournalEntry | None:
        with self.db.read() as conn:
            row = conn.execute(select(transactions).where(transactions.c.tx_hash == tx_hash)).first()
        return None if row is None else _entry(row._mapping)


def _record_params(entry: JournalEntry, purpose: str, op: Operation | None, seq: int | None) -> dict[str, Any]:
    return {
        "p_tx_hash": entry.tx_hash,
        "p_sender": entry.sender,
        "p_nonce": entry.nonce,
        "p_raw": entry.raw,
        "p_purpose": purpose[:80],
        "p_idempotency_id": op.idempotency_id if op else None,
        "p_seq": seq if op else None,
        "p_stamp": now(),
    }


def write_marks(conn: Connection | DirectCursor, marks: Sequence[tuple[str, str, int | None]]) -> None:
    """Writes the final states an operation deferred (`Journal.settle`), inside `conn`'s transaction."""
    stamp = now()
    for tx_hash, state, block_number in marks:
        conn.execute(_MARK, {"p_tx_hash": tx_hash, "p_state": state, "p_block": block_number, "p_stamp": stamp})


def _sign_1559(key: coincurve.PrivateKey, tx: dict[str, Any], nonce: int) -> tuple[bytes, bytes]:
    """Signs the EIP-1559 transaction `submit` builds (to, data, value, gas, chainId, fees), as
    `account.sign_transaction` does byte for byte (tests/api/chain/test_signing_fast_path.py),
    without its generic validation, formatting and RLP type inference (about 1 ms of Python per
    transaction) and with a key object made once (eth-keys makes one per signature, deriving the
    public key each time). Returns the raw transaction and its hash."""
    fields = [
        _rlp_item(tx["chainId"]),
        _rlp_item(nonce),
        _rlp_item(tx["maxPriorityFeePerGas"]),
        _rlp_item(tx["maxFeePerGas"]),
        _rlp_item(tx["gas"]),
        _rlp_item(to_bytes(hexstr=tx["to"])),
        _rlp_item(tx["value"]),
        _rlp_item(to_bytes(hexstr=tx["data"])),
        _EMPTY_ACCESS_LIST,
    ]
    # r || s || recovery id; libsecp256k1 gives the low-s form Ethereum requires.
    signature = key.sign_recoverable(keccak(b"\x02" + _rlp_list(fields)), hasher=None)
    y_parity, r, s = signature[64], int.from_bytes(signature[:32]), int.from_bytes(signature[32:64])
    raw = b"\x02" + _rlp_list([*fields, _rlp_item(y_parity), _rlp_item(r), _rlp_item(s)])
    return raw, keccak(raw)


_EMPTY_ACCESS_LIST = b"\xc0"


def _rlp_item(value: int | bytes) -> bytes:
    """RLP of a byte string, or of a non-negative integer as its minimal big-endian bytes."""
    if isinstance(value, int):
        value = value.to_bytes((value.bit_length() + 7) // 8, "big")
    if len(value) == 1 and value[0] < 0x80:
        return value
    return _rlp_length(len(value), 0x80) + value


def _rlp_list(encoded_items: list[bytes]) -> bytes:
    payload = b"".join(encoded_items)
    return _rlp_length(len(payload), 0xC0) + payload


def _rlp_length(length: int, offset: int) -> bytes:
    if length < 56:
        return bytes([offset + length])
    size = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([offset + 55 + len(size)]) + size


def _entry(row: RowMapping) -> JournalEntry:
    return JournalEntry(
        row["tx_hash"], row["sender"], int(row["nonce"]), row["raw"], row["state"], int(row["created_at"])
    )


class JournaledTransactor(Transactor):
    """A Transactor that records each signed transaction before sending it, skips what an
    interrupted attempt of the same request already sent, and gets receipts with one
    `eth_sendRawTransactionSync` call where the node offers it (anvil does; others fall back to
    polling). Nonces are taken under the lock with the signature and the record, and the
    transaction is sent outside it, in nonce order (api.chain.ordering), so concurrent requests
    overlap their round trips."""

    def __init__(
        self,
        w3: Web3,
        account: LocalAccount,
        decoder: EventDecoder,
        journal: Journal,
        *,
        timeout: float = 120.0,
        fee_ttl: float = 1.0,
    ) -> None:
        super().__init__(w3, account, decoder, timeout=timeout)
        self.journal = journal
        self._fee_ttl = fee_ttl
        self._signing_key = coincurve.PrivateKey(bytes(account.key))
        self._fee_cache: tuple[float, dict[str, int]] | None = None
        #: Whether the node offers `eth_sendRawTransactionSync`: unknown until first tried.
        self.sync_send: bool | None = None
        self._receipts: dict[str, Receipt] = {}
        self._receipts_lock = threading.Lock()
        #: Whoever sends this key's signed transactions hands them over in nonce order through it.
        self.order = SendOrder()

    def submit(self, fn: ContractFunction, *, gas: int | None = None) -> str:
        op = _operation.get()
        seq = op.next_seq() if op is not None else None
        if op is not None and op.resumed and seq is not None:
            earlier = self._includable(self.journal.step(op.idempotency_id, seq))
            if earlier is not None:
                log.info("replaying step %s of request %s: %s", seq, op.idempotency_id, earlier.tx_hash)
                return earlier.tx_hash
        with chain_errors():
            data = calldata(fn)
            if gas is None:
                gas = _checked_gas.get()
            if gas is None:
                # The node's simulation: a call that would revert raises its decoded error here.
                call = cast(TxParams, {"from": self.address, "to": fn.address, "data": data})
                gas = int(self._w3.eth.estimate_gas(call) * GAS_MARGIN)
            tx = self.transaction(fn.address, data, gas)
        for attempt in (1, 2):
            replace = attempt == 2 or (op is not None and op.resumed)
            entry = self.sign_and_record(tx, fn.fn_name, op, seq, replace)
            try:
                self.order.turn_blocking(entry.nonce, self._known)
                self.order.handing(entry.nonce, entry.tx_hash)
                self._broadcast(entry)
                return entry.tx_hash
            except RpcError as exc:
                # The node refused the bytes (they are marked dropped). A nonce taken by another
                # sender of the same key is the one refusal worth one more try, with a fresh nonce.
                if attempt == 2 or "nonce" not in str(exc).lower():
                    raise
            finally:
                self.order.taken(entry.nonce, entry.tx_hash)
        raise AssertionError("unreachable")  # pragma: no cover

    def _includable(self, step: JournalEntry | None) -> JournalEntry | None:
        """An interrupted attempt's transaction, unless it can never be included. A pending one is
        resolved by hash now: the node gets the very same bytes again if it lost them (a send that
        never arrived), unless the resolver has sent them again already."""
        if step is None or step.state == DROPPED:
            return None
        if step.state == PENDING and resolve(self._w3, self.journal, step) == "dropped":
            return None
        return step

    def transaction(self, to: str, data: str, gas: int) -> dict[str, Any]:
        """The unsigned transaction calling `to` with `data` (0x-hex), before its nonce."""
        return {"to": to, "data": data, "value": 0, "gas": gas, "chainId": self._chain(), **self._fees()}

    def sign_and_record(
        self,
        tx: dict[str, Any],
        purpose: str,
        op: Operation | None,
        seq: int | None,
        replace: bool = True,
        *,
        direct: bool = False,
    ) -> JournalEntry:
        """Takes the next nonce, signs and records; the nonce is only used up once the record is
        written. `direct`: a first attempt recorded from the event loop (api.chain.sender)."""
        with self._lock:
            nonce = self._next_nonce()
            if "maxFeePerGas" in tx:
                raw, tx_hash = _sign_1559(self._signing_key, tx, nonce)
            else:
                signed = self._account.sign_transaction({**tx, "nonce": nonce})
                raw, tx_hash = bytes(signed.raw_transaction), bytes(signed.hash)
            entry = JournalEntry("0x" + tx_hash.hex(), self.address, nonce, "0x" + raw.hex(), PENDING)
            if direct:
                self.journal.record_direct(entry, purpose, op, seq)
            else:
                self.journal.record(entry, purpose, op, seq, replace=replace)
            self._nonce = nonce + 1
            self.order.signed(nonce, entry.tx_hash)
        return entry

    def send(self, fn: ContractFunction, *, gas: int | None = None) -> Receipt:
        tx_hash = self.submit(fn, gas=gas)
        with self._receipts_lock:
            receipt = self._receipts.pop(tx_hash, None)
        try:
            if receipt is None:
                receipt = self.wait(tx_hash)
        except ContractError:
            self.journal.settle(tx_hash, REVERTED)
            raise
        self.journal.settle(tx_hash, MINED, receipt.block_number)
        return receipt

    def _broadcast(self, entry: JournalEntry) -> None:
        """Sends the signed bytes. A refusal by the node is checked against the hash: the same
        bytes sent twice (a retried request) are already known, which is not a failure."""
        try:
            with chain_errors():
                if self.sync_send is not False:
                    receipt = self._send_sync(entry)
                    if receipt is not None:
                        with self._receipts_lock:
                            self._receipts[entry.tx_hash] = receipt
                        return
                self._w3.eth.send_raw_transaction(entry.raw)  # type: ignore[arg-type]
        except ConnectionFailed:
            # No answer: if the transaction is in nonetheless, `send` waits for it by hash. If
            # not, the resolver sends it again as soon as the node answers.
            self.journal.lost(entry.tx_hash)
            if not self._known(entry.tx_hash):
                raise
        except RpcError:
            if self._known(entry.tx_hash):
                return
            self.resync()
            self.journal.mark(entry.tx_hash, DROPPED)
            raise

    def _send_sync(self, entry: JournalEntry) -> Receipt | None:
        """`eth_sendRawTransactionSync` (EIP-7966): the receipt in the same round trip. None when
        the node does not offer it (then it is not asked again) or the receipt says it reverted
        (then `wait` decodes why)."""
        response = self._w3.provider.make_request("eth_sendRawTransactionSync", [entry.raw])  # type: ignore[arg-type]
        error = response.get("error")
        if error:
            code = error.get("code") if isinstance(error, dict) else None
            if code == METHOD_NOT_FOUND and self.sync_send is None:
                self.sync_send = False
                self._w3.eth.send_raw_transaction(entry.raw)  # type: ignore[arg-type]
                return None
            message = error.get("message", "") if isinstance(error, dict) else str(error)
            raise RpcError(str(message), code)
        self.sync_send = True
        raw = response["result"]
        if int(raw["status"], 16) != 1:
            return None
        logs = [
            {**log_, "blockNumber": int(log_["blockNumber"], 16), "logIndex": int(log_["logIndex"], 16)}
            for log_ in raw["logs"]
        ]
        events = tuple(e for e in (self._decoder.decode(item) for item in logs) if e is not None)
        return Receipt(
            tx_hash=entry.tx_hash,
            block_number=int(raw["blockNumber"], 16),
            gas_used=int(raw["gasUsed"], 16),
            events=events,
        )

    def _known(self, tx_hash: str) -> bool:
        """Whether the node has the transaction, in its pool or in a block."""
        with chain_errors():  # TransactionNotFound is an RPC error to web3: caught before it maps it
            try:
                self._w3.eth.get_transaction(tx_hash)  # type: ignore[arg-type]
            except TransactionNotFound:
                return False
        return True

    def fees_stale(self) -> bool:
        """Whether the next transaction's fees are asked of the node (once a `fee_ttl`)."""
        cached = self._fee_cache
        return cached is None or time.monotonic() - cached[0] >= self._fee_ttl

    def _fees(self) -> dict[str, int]:
        cached = self._fee_cache
        if cached is not None and not self.fees_stale():
            return cached[1]
        fees = super()._fees()
        self._fee_cache = (time.monotonic(), fees)
        return fees


@dataclass(frozen=True)
class Recovery:
    mined: int = 0
    reverted: int = 0
    in_pool: int = 0
    rebroadcast: int = 0
    dropped: int = 0


def recover(w3: Web3, journal: Journal) -> Recovery:
    """Resolves every pending record by its hash; never signs anything."""
    counts = {"mined": 0, "reverted": 0, "in_pool": 0, "rebroadcast": 0, "dropped": 0}
    confirmed: dict[str, int] = {}
    for entry in journal.pending():
        outcome = resolve(w3, journal, entry, confirmed)
        counts[outcome] += 1
    result = Recovery(**counts)
    if any(counts.values()):
        log.info("journal recovery: %s", result)
    return result


def resolve(w3: Web3, journal: Journal, entry: JournalEntry, confirmed: dict[str, int] | None = None) -> str:
    """What became of one pending transaction; records the answer when it is final.

    Another hand may resolve the same record at the same time (the periodic resolver, a retried
    request, startup), and its re-broadcast may land between this one's look by hash and what
    follows: a nonce found taken, or the node refusing bytes it already has. So "dropped", which
    lets a retried request sign anew, is concluded only after a second look by hash finds nothing.
    """
    with chain_errors():
        found = _found(w3, journal, entry)
        if found is not None:
            return found
        cache = confirmed if confirmed is not None else {}
        if entry.sender not in cache:
            cache[entry.sender] = int(w3.eth.get_transaction_count(entry.sender, "latest"))  # type: ignore[arg-type]
        if entry.nonce >= cache[entry.sender] and _rebroadcast(w3, entry):
            return "rebroadcast"
        found = _found(w3, journal, entry)
        if found is not None:
            return found
        journal.mark(entry.tx_hash, DROPPED)
        return "dropped"


def _rebroadcast(w3: Web3, entry: JournalEntry) -> bool:
    """Sends the recorded bytes again; False if the node refused them (it has them already, or
    can never include them). A node that cannot be reached is an error, not a refusal."""
    try:
        w3.eth.send_raw_transaction(entry.raw)  # type: ignore[arg-type]
    except Web3RPCError:
        return False
    return True


def _found(w3: Web3, journal: Journal, entry: JournalEntry) -> str | None:
    """Where the node has the transaction, by hash: in a block (recorded), in its pool, or None."""
    try:
        receipt = w3.eth.get_transaction_receipt(entry.tx_hash)  # type: ignore[arg-type]
    except TransactionNotFound:
        receipt = None
    if receipt is not None:
        state = MINED if receipt["status"] == 1 else REVERTED
        journal.mark(entry.tx_hash, state, int(receipt["blockNumber"]))
        return "mined" if state == MINED else "reverted"
    try:
        w3.eth.get_transaction(entry.tx_hash)  # type: ignore[arg-type]
    except TransactionNotFound:
        return None
    return "in_pool"


def resuming(journal: Journal, w3: Web3) -> bool:
    """Whether the request being served already sent its next transaction in an interrupted
    attempt: its checks were made then, and the state they read has moved on since (its own
    transaction changed it), so they are not made again. A pending one is resolved by hash first:
    one that can never be included (its nonce went to another) means the request starts over,
    checks included."""
    op = _operation.get()
    if op is None or not op.resumed:
        return False
    entry = journal.step(op.idempotency_id, op.seq + 1)
    if entry is None or entry.state == DROPPED:
        return False
    return entry.state != PENDING or resolve(w3, journal, entry) != "dropped"
