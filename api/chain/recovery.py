"""Finding out by hash what became of a recorded transaction; never signing anything.

- `recover` runs at startup: each pending record is resolved (included, still in the node's pool,
  or unknown). An unknown one whose nonce is still free is sent again byte for byte, which can only
  include that same transaction; one whose nonce was taken is marked dropped.
- `LostSends` holds the sends that got no answer, for the gateway's resolver to look at at once.
- `includable` and `resumes` serve a retried request: what its interrupted attempt sent is waited
  for rather than signed anew, unless it can never be included.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from web3 import Web3
from web3.exceptions import TransactionNotFound, Web3RPCError

from api.chain.journal import DROPPED, MINED, PENDING, REVERTED, Journal, JournalEntry
from api.chain.operation import Operation
from sdap.transactions import chain_errors

log = logging.getLogger("sdap.gateway.journal")


class LostSends:
    """Sends that got no answer. One the node never got holds the key's later transactions behind
    its nonce, so the resolver looks each up by hash at once, and sends the same bytes again as
    soon as the node answers, rather than after a minute."""

    def __init__(self) -> None:
        self._hashes: set[str] = set()
        self._lock = threading.Lock()
        #: Set when a send is lost: wakes the gateway's resolver (api.gateway).
        self.wake = threading.Event()

    def add(self, *tx_hashes: str) -> None:
        with self._lock:
            self._hashes.update(tx_hashes)
        self.wake.set()

    def take(self) -> set[str]:
        with self._lock:
            taken, self._hashes = self._hashes, set()
        return taken

    def keep(self, tx_hashes: set[str]) -> None:
        """Lost sends not resolved yet (the node is still away): kept for the resolver's next
        round, without waking it at once."""
        with self._lock:
            self._hashes.update(tx_hashes)

    def any(self) -> bool:
        with self._lock:
            return bool(self._hashes)


@dataclass(frozen=True)
class Recovery:
    mined: int = 0
    reverted: int = 0
    in_pool: int = 0
    rebroadcast: int = 0
    dropped: int = 0


def recover(w3: Web3, journal: Journal) -> Recovery:
    """Resolves every pending record by its hash."""
    counts = {"mined": 0, "reverted": 0, "in_pool": 0, "rebroadcast": 0, "dropped": 0}
    confirmed: dict[str, int] = {}
    for entry in journal.pending():
        counts[resolve(w3, journal, entry, confirmed)] += 1
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


def includable(w3: Web3, journal: Journal, step: JournalEntry | None) -> JournalEntry | None:
    """An interrupted attempt's transaction, unless it can never be included. A pending one is
    resolved by hash now: the node gets the very same bytes again if it lost them (a send that
    never arrived), unless the resolver has sent them again already."""
    if step is None or step.state == DROPPED:
        return None
    if step.state == PENDING and resolve(w3, journal, step) == "dropped":
        return None
    return step


def resumes(w3: Web3, journal: Journal, op: Operation | None) -> bool:
    """Whether the request `op` serves already sent its next transaction in an interrupted
    attempt: its checks were made then, and the state they read has moved on since (its own
    transaction changed it), so they are not made again. One that can never be included (its nonce
    went to another) means the request starts over, checks included."""
    if op is None or not op.resumed:
        return False
    return includable(w3, journal, journal.step(op.idempotency_id, op.seq + 1)) is not None


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
