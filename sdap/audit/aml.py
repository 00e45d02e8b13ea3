"""Financial monitoring (R10, Law art. 4.1.9, 6.3): large and unusual movements, as CSV.

Three patterns, each with a threshold the monitoring officer sets:
- `large`: a movement of at least `large_amount` units;
- `burst`: `burst_count` or more transfers between the same two wallets (either way) within
  `burst_blocks` blocks (reported once per burst);
- `pass_through`: a wallet sends on at least `pass_through_percent` % of units it received within
  `pass_through_blocks` blocks, to someone other than who sent them.
Mints, burns and redemption requests count as large movements only; a request counts once, when
the holder makes it: its confirmation (the burn) or refusal (the units back) settles it and is not
counted again. Memory is bounded by the windows, not the history.
"""

from __future__ import annotations

import csv
import io
from collections import deque
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sdap.audit._base import Movement
from sdap.errors import ConfigurationError

_PEER_KINDS = frozenset({"transfer", "enforcement", "forced"})
#: Movements that are no dealing: a position following its person to a new wallet, a redemption
#: request settled (its units were counted when requested).
_UNMONITORED = frozenset({"recovery", "redemption", "redemption_refused"})
#: How many recent inflows per wallet and issuance are remembered.
_INFLOW_MEMORY = 32


@dataclass(frozen=True)
class AmlSettings:
    large_amount: int = 10_000
    burst_count: int = 5
    burst_blocks: int = 100
    pass_through_blocks: int = 10
    pass_through_percent: int = 90

    def __post_init__(self) -> None:
        if min(self.large_amount, self.burst_count, self.burst_blocks, self.pass_through_blocks) < 1:
            raise ConfigurationError("AML thresholds and windows must be at least 1")
        if not 0 < self.pass_through_percent <= 100:
            raise ConfigurationError("pass_through_percent must be in 1..100")


@dataclass(frozen=True)
class AmlFinding:
    kind: str
    block: int
    tx_hash: str
    log_index: int
    issuance_id: int
    sender: str
    recipient: str
    amount: int
    detail: str


CSV_COLUMNS = tuple(AmlFinding.__dataclass_fields__)


class AmlMonitor:
    """Follows the movements of a replay and records the findings."""

    def __init__(self, settings: AmlSettings | None = None) -> None:
        self.settings = settings or AmlSettings()
        self.findings: list[AmlFinding] = []
        self._pairs: dict[tuple[str, str], deque[int]] = {}
        self._inflows: dict[tuple[str, int], deque[tuple[int, int, str]]] = {}
        self._swept = 0
        self._window = max(self.settings.burst_blocks, self.settings.pass_through_blocks)

    def on_movement(self, m: Movement) -> None:
        s = self.settings
        amount, block = m.amount, m.block
        if m.kind in _UNMONITORED:
            return
        if amount >= s.large_amount:
            self._find("large", m, f"{m.kind} of {amount} units (threshold {s.large_amount})")
        if m.kind not in _PEER_KINDS:
            return
        if block - self._swept > self._window:
            self._sweep(block)
        sender, recipient = m.sender, m.recipient
        key = (sender, recipient) if sender < recipient else (recipient, sender)
        recent = self._pairs.get(key)
        if recent is None:
            recent = self._pairs[key] = deque()
        recent.append(block)
        horizon = block - s.burst_blocks
        while recent[0] <= horizon:
            recent.popleft()
        if len(recent) >= s.burst_count:
            self._find("burst", m, f"{len(recent)} transfers between the two wallets within {s.burst_blocks} blocks")
            recent.clear()
        inflows = self._inflows.get((sender, m.issuance_id))
        if inflows:
            self._passed_on(m, inflows)
        received = self._inflows.get((recipient, m.issuance_id))
        if received is None:
            received = self._inflows[(recipient, m.issuance_id)] = deque(maxlen=_INFLOW_MEMORY)
        received.append((block, amount, sender))

    def _passed_on(self, m: Movement, inflows: deque[tuple[int, int, str]]) -> None:
        s = self.settings
        for index, (block, amount, origin) in enumerate(inflows):
            if (
                m.block - block <= s.pass_through_blocks
                and origin != m.recipient
                and m.amount * 100 >= amount * s.pass_through_percent
            ):
                del inflows[index]
                self._find(
                    "pass_through", m, f"passed on {m.amount} of {amount} units received from {origin} at block {block}"
                )
                return

    def _find(self, kind: str, m: Movement, detail: str) -> None:
        self.findings.append(
            AmlFinding(kind, m.block, m.tx_hash, m.log_index, m.issuance_id, m.sender, m.recipient, m.amount, detail)
        )

    def _sweep(self, block: int) -> None:
        """Forgets windows that closed: memory follows the windows, not the history."""
        s = self.settings
        self._pairs = {k: v for k, v in self._pairs.items() if v and v[-1] > block - s.burst_blocks}
        self._inflows = {k: v for k, v in self._inflows.items() if v and v[-1][0] >= block - s.pass_through_blocks}
        self._swept = block

    def snapshot(self) -> dict[str, Any]:
        return {
            "settings": asdict(self.settings),
            "findings": [asdict(f) for f in self.findings],
            "pairs": [[a, b, list(v)] for (a, b), v in self._pairs.items()],
            "inflows": [[w, i, [list(x) for x in v]] for (w, i), v in self._inflows.items()],
            "swept": self._swept,
        }

    @classmethod
    def restore(cls, data: dict[str, Any]) -> AmlMonitor:
        monitor = cls(AmlSettings(**data["settings"]))
        monitor.findings = [AmlFinding(**f) for f in data["findings"]]
        monitor._pairs = {(a, b): deque(v) for a, b, v in data["pairs"]}
        monitor._inflows = {
            (w, int(i)): deque(((int(b), int(n), str(o)) for b, n, o in v), maxlen=_INFLOW_MEMORY)
            for w, i, v in data["inflows"]
        }
        monitor._swept = int(data["swept"])
        return monitor


def findings_csv(findings: list[AmlFinding] | tuple[AmlFinding, ...]) -> str:
    """The findings as CSV with a header line, for the financial monitoring authority."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for f in findings:
        writer.writerow([getattr(f, c) for c in CSV_COLUMNS])
    return out.getvalue()


def write_csv(findings: list[AmlFinding] | tuple[AmlFinding, ...], path: str | Path) -> Path:
    target = Path(path)
    target.write_text(findings_csv(findings))
    return target
