"""Handlers of the regulator's council and timelock (a governed deployment).

The council's batches (CouncilExecuted) come first in their transaction, before what they run:
the timelock's CallScheduled or Cancelled, or the council's own ERC7913SignerAdded, ...Removed
and ...ThresholdSet. An executed call's acts (registry, collateral or asset events naming the
timelock as `by` or `sender`) come before its CallExecuted: they wait in the transaction until it
claims them, and any left when the transaction ends ran in no operation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from eth_utils import keccak, to_checksum_address

from sdap.audit._base import AuditorBase, Handler
from sdap.audit.state import NO_ID, Governance, GovernedCall, Operation
from sdap.events import Event


@dataclass
class _Batch:
    """A council batch that ran in the current transaction."""

    nonce: int
    signers: list[str]
    agreed: bool


@dataclass
class _Transaction:
    """What the current transaction showed so far of the council and the timelock."""

    tx_hash: str = ""
    batches: list[_Batch] = field(default_factory=list)
    #: Acts of the timelock waiting for the CallExecuted of their contract.
    acts: list[Event] = field(default_factory=list)


def signer_name(signer: bytes) -> str:
    """An ERC-7913 signer as people read it: the checksummed address for 20 bytes (a key or a
    contract wallet), else its hex."""
    return to_checksum_address(signer) if len(signer) == 20 else "0x" + signer.hex()


class GovernanceHandlers(AuditorBase):
    #: The timelock holding REGULATOR_ROLE (None: a single-key regulator, no governance rules).
    _timelock: str | None = None
    #: The contracts whose events name the timelock as actor when it acts on them.
    _governed: frozenset[str] = frozenset()
    _tx: _Transaction = _Transaction()

    def governance_handlers(
        self, governed: frozenset[str], timelock: str
    ) -> tuple[dict[str, Handler], dict[str, Handler]]:
        """(council handlers, timelock handlers); `governed`: the addresses it acts on."""
        self._timelock, self._governed, self._tx = timelock, governed | {timelock}, _Transaction()
        if self.state.governance is None:
            self.state.governance = Governance()
        council: dict[str, Handler] = {
            "ERC7913SignerAdded": self._signer_added,
            "ERC7913SignerRemoved": self._signer_removed,
            "ERC7913ThresholdSet": self._threshold_set,
            "CouncilExecuted": self._council_executed,
        }
        lock: dict[str, Handler] = {
            "MinDelayChange": self._min_delay_change,
            "CallScheduled": self._call_scheduled,
            "CallSalt": self._call_salt,
            "Cancelled": self._cancelled,
            "CallExecuted": self._call_executed,
        }
        return council, lock

    @property
    def _gov(self) -> Governance:
        assert self.state.governance is not None  # set with the handlers
        return self.state.governance

    def enter_transaction(self, event: Event) -> None:
        """Called before each event of a governed deployment: a new transaction ends the last one,
        and an act of the timelock waits for its CallExecuted."""
        if event.tx_hash != self._tx.tx_hash:
            self.flush_governance()
            self._tx = _Transaction(event.tx_hash)
        if event.address in self._governed:
            args = event.args
            if (args.get("by") or args.get("sender")) == self._timelock:
                self._tx.acts.append(event)

    def flush_governance(self) -> None:
        """Ends the current transaction: acts of the timelock no CallExecuted claimed are breaches."""
        for e in self._tx.acts:
            self._breach(
                "governance.attribution",
                e,
                f"{e.name} by the timelock ran in no operation of it (no CallExecuted for {e.address} in the "
                "transaction)",
                contract=e.address,
            )
        self._tx = _Transaction()

    # The council ---------------------------------------------------------------------------

    def _membership(self, e: Event) -> None:
        gov = self._gov
        if not gov.council_created_tx:
            gov.council_created_tx = e.tx_hash
        if e.tx_hash != gov.council_created_tx and not any(b.agreed for b in self._tx.batches):
            self._breach("governance.membership", e, f"{e.name} outside a batch the council agreed on")

    def _signer_added(self, e: Event, ts: int) -> None:
        self._membership(e)
        signer = e.args["signers"]  # keccak256 of the signer's bytes
        if signer in self._gov.signers:
            self._breach("history.inconsistent", e, f"signer {signer.hex()} added twice to the council")
        self._gov.signers.add(signer)

    def _signer_removed(self, e: Event, ts: int) -> None:
        self._membership(e)
        signer = e.args["signers"]
        if signer not in self._gov.signers:
            self._breach("history.inconsistent", e, f"removed {signer.hex()}, not a signer of the council")
        self._gov.signers.discard(signer)

    def _threshold_set(self, e: Event, ts: int) -> None:
        self._membership(e)
        self._gov.threshold = e.args["threshold"]

    def _council_executed(self, e: Event, ts: int) -> None:
        gov = self._gov
        nonce, signers = e.args["nonce"], list(e.args["signers"])
        names = [signer_name(s) for s in signers]
        faults = []
        if nonce != gov.nonce:
            faults.append(f"under nonce {nonce}, not its next ({gov.nonce})")
        hashes = [keccak(s) for s in signers]
        if len(set(hashes)) != len(hashes):
            faults.append("with a signer counted twice")
        strangers = [n for n, h in zip(names, hashes, strict=True) if h not in gov.signers]
        if strangers:
            faults.append(f"signed by {', '.join(strangers)}, not of the council")
        counted = len(set(hashes) & gov.signers)
        if counted < gov.threshold:
            faults.append(f"with {counted} of its signers, fewer than its threshold {gov.threshold}")
        if faults:
            self._breach("governance.council", e, f"council batch {nonce} ran " + "; ".join(faults), nonce=nonce)
        gov.nonce = max(gov.nonce, nonce + 1)
        self._tx.batches.append(_Batch(nonce, names, not faults))

    # The timelock --------------------------------------------------------------------------

    def _min_delay_change(self, e: Event, ts: int) -> None:
        gov = self._gov
        if not gov.timelock_created_tx:
            gov.timelock_created_tx = e.tx_hash
        elif e.tx_hash != gov.timelock_created_tx:
            self._tx.acts.append(e)  # only the timelock's own operation changes its delay
        if e.args["oldDuration"] != gov.min_delay:
            self._breach(
                "history.inconsistent", e, f"delay changed from {e.args['oldDuration']}, recorded as {gov.min_delay}"
            )
        gov.min_delay = e.args["newDuration"]

    def _council_batch(self, e: Event, act: str) -> _Batch | None:
        """The council batch that ran `act` in this transaction; a breach when there is none."""
        batch = self._tx.batches[-1] if self._tx.batches else None
        if batch is None:
            self._breach("governance.schedule", e, f"{act} in a transaction where the council ran no batch")
        return batch

    def _call_scheduled(self, e: Event, ts: int) -> None:
        a, gov = e.args, self._gov
        op_id, index = a["id"], a["index"]
        call = GovernedCall(index, a["target"], a["value"], a["data"])
        op = gov.operation(op_id)
        if index > 0 and op is not None and op.tx_hash == e.tx_hash:
            op.calls.append(call)  # the next call of a batch scheduled in this transaction
            return
        label = f"operation {op_id.hex()[:16]}"
        batch = self._council_batch(e, f"{label} scheduled")
        if a["delay"] < gov.min_delay:
            self._breach(
                "governance.schedule", e, f"{label} scheduled with a delay of {a['delay']} s, under {gov.min_delay} s"
            )
        if op is not None and op.status != "cancelled":
            self._breach("history.inconsistent", e, f"{label} scheduled again while {op.status}")
        gov.operations.append(
            Operation(
                op_id,
                a["predecessor"],
                a["delay"],
                e.block_number,
                e.tx_hash,
                ts,
                -1 if batch is None else batch.nonce,
                [] if batch is None else list(batch.signers),
                [call],
            )
        )

    def _call_salt(self, e: Event, ts: int) -> None:
        op = self._gov.operation(e.args["id"])
        if op is not None:
            op.salt = e.args["salt"]

    def _cancelled(self, e: Event, ts: int) -> None:
        op_id = e.args["id"]
        label = f"operation {op_id.hex()[:16]}"
        batch = self._council_batch(e, f"{label} cancelled")
        op = self._gov.operation(op_id)
        if op is None or op.status != "waiting":
            self._breach("history.inconsistent", e, f"{label} cancelled while {'unknown' if op is None else op.status}")
            return
        op.cancelled_block, op.cancelled_tx = e.block_number, e.tx_hash
        op.cancel_signers = [] if batch is None else list(batch.signers)

    def _call_executed(self, e: Event, ts: int) -> None:
        a, gov = e.args, self._gov
        op_id, index, target = a["id"], a["index"], a["target"]
        label = f"operation {op_id.hex()[:16]}"
        op = gov.operation(op_id)
        if op is None:
            self._breach("governance.execution", e, f"{label} executed but never scheduled")
            op = Operation(op_id, NO_ID, 0, 0, "", 0, -1, [], [GovernedCall(index, target, a["value"], a["data"])])
            gov.operations.append(op)
        elif op.status == "cancelled":
            cancelled = op.cancelled_block
            self._breach("governance.cancelled", e, f"{label} executed after its cancellation at block {cancelled}")
        call = next((c for c in op.calls if c.index == index), None)
        if call is None or (call.target, call.value, call.data) != (target, a["value"], a["data"]):
            if op.block:
                self._breach("governance.execution", e, f"{label} call {index} executed other than it was scheduled")
            call = GovernedCall(index, target, a["value"], a["data"])
            op.calls.append(call)
        elif call.executed_block:
            self._breach("governance.execution", e, f"{label} call {index} executed twice")
        if op.block and ts < op.ready_at:
            self._breach(
                "governance.delay",
                e,
                f"{label} executed at {ts}, {op.ready_at - ts} s before its delay ran out ({op.ready_at})",
            )
        if op.after != NO_ID:
            before = gov.operation(op.after)
            if before is None or before.status != "done":
                self._breach("governance.execution", e, f"{label} executed before its predecessor")
        call.executed_block, call.executed_tx, call.executed_at = e.block_number, e.tx_hash, ts
        kept = []
        for act in self._tx.acts:
            if act.address == target:
                call.acts.append(act.name)
            else:
                kept.append(act)
        self._tx.acts = kept
