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

Exchanges (issue 15) are listed with their prices (`exchanges`), valued in tenge to the tiyn so one
threshold compares them across issuances: a delivery against an e-money token from the token's
amount, currency and decimals as the regulator listed it, one against a payment made off-chain
from the escrow's price (in the smallest unit of its currency). A fourth pattern:
- `large_value`: an exchange worth at least `large_value` tiyn.
A swap has no price on-chain (units for units): it is listed unpriced with both legs and never
counted as large by value; nor is a price in another currency than tenge, which the chain gives no
rate for (the listing says so). Their legs still count as movements for the three patterns above.
"""

from __future__ import annotations

import csv
import io
from collections import deque
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sdap.audit._base import Movement, Trade
from sdap.errors import ConfigurationError

_PEER_KINDS = frozenset({"transfer", "enforcement", "forced", "exchange", "settlement"})
#: Tenge's minor unit: a value in tenge is counted in tiyn, 100 to the tenge.
TENGE, TIYN_DIGITS = "KZT", 2
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
    #: An exchange worth this much or more, in tiyn (default 1,000,000.00 tenge), is large.
    large_value: int = 100_000_000

    def __post_init__(self) -> None:
        if min(self.large_amount, self.burst_count, self.burst_blocks, self.pass_through_blocks, self.large_value) < 1:
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


@dataclass(frozen=True)
class AmlExchange:
    """One exchange with its price, for the monitoring officer: `seller` gave `units` of
    `issuance_id` to `buyer` for `price` (the smallest unit of `currency`: a token's, with its
    `decimals`, or the escrow's) or, in a swap, for `other_units` of `other_issuance_id` (no price).
    `value_tiyn`: what it is worth in tenge, to the tiyn (None: unpriced, or not in tenge)."""

    kind: str
    block: int
    tx_hash: str
    log_index: int
    seller: str
    buyer: str
    issuance_id: int
    units: int
    other_issuance_id: int
    other_units: int
    price: int
    currency: str
    value_tiyn: int | None
    detail: str


EXCHANGE_COLUMNS = tuple(AmlExchange.__dataclass_fields__)


def tenge(tiyn: int) -> str:
    """An amount of tiyn as tenge: 250000 -> "2,500.00 KZT"."""
    return f"{tiyn // 100:,}.{tiyn % 100:02d} {TENGE}"


def value_in_tiyn(price: int, currency: str, decimals: int | None) -> int | None:
    """A price in tiyn, rounded half up to the tiyn: `decimals` of the price's unit to one unit of
    `currency` (None: the price is already in its smallest unit, tiyn for tenge). None when the
    currency is not tenge: the chain gives no rate to convert it."""
    if currency != TENGE:
        return None
    if decimals is None or decimals == TIYN_DIGITS:
        return price
    if decimals < TIYN_DIGITS:
        return price * int(10 ** (TIYN_DIGITS - decimals))
    scale = int(10 ** (decimals - TIYN_DIGITS))
    return (2 * price + scale) // (2 * scale)


def priced(trade: Trade) -> AmlExchange:
    """The trade as the monitoring report lists it, with its value in tenge where it has one."""
    if trade.kind == "swap":
        value = None
        detail = (
            f"unpriced: a swap has no price on-chain; {trade.units} units of {trade.issuance_id} from {trade.seller} "
            f"for {trade.other_units} units of {trade.other_issuance_id} from {trade.buyer}"
        )
    elif not trade.currency:
        value, detail = None, f"unpriced: paid {trade.price} of a token never listed"
    else:
        value = value_in_tiyn(trade.price, trade.currency, trade.decimals)
        paid = "e-money" if trade.kind == "dvp" else "off-chain payment"
        if value is None:
            unit = "smallest units" if trade.decimals is None else f"units of {trade.decimals} decimals"
            detail = f"{trade.price} {unit} of {trade.currency} ({paid}): not tenge, not valued"
        else:
            detail = f"{trade.units} units of {trade.issuance_id} for {tenge(value)} ({paid})"
    return AmlExchange(
        trade.kind,
        trade.block,
        trade.tx_hash,
        trade.log_index,
        trade.seller,
        trade.buyer,
        trade.issuance_id,
        trade.units,
        trade.other_issuance_id,
        trade.other_units,
        trade.price,
        trade.currency,
        value,
        detail,
    )


class AmlMonitor:
    """Follows the movements of a replay and records the findings."""

    def __init__(self, settings: AmlSettings | None = None) -> None:
        self.settings = settings or AmlSettings()
        self.findings: list[AmlFinding] = []
        self.exchanges: list[AmlExchange] = []
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

    def on_exchange(self, trade: Trade) -> None:
        """Lists the exchange with its price; one worth `large_value` tiyn or more is a finding."""
        listed = priced(trade)
        self.exchanges.append(listed)
        threshold = self.settings.large_value
        if listed.value_tiyn is not None and listed.value_tiyn >= threshold:
            self.findings.append(
                AmlFinding(
                    "large_value",
                    trade.block,
                    trade.tx_hash,
                    trade.log_index,
                    trade.issuance_id,
                    trade.seller,
                    trade.buyer,
                    trade.units,
                    f"{trade.kind} worth {tenge(listed.value_tiyn)} (threshold {tenge(threshold)})",
                )
            )

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
            "exchanges": [asdict(x) for x in self.exchanges],
            "pairs": [[a, b, list(v)] for (a, b), v in self._pairs.items()],
            "inflows": [[w, i, [list(x) for x in v]] for (w, i), v in self._inflows.items()],
            "swept": self._swept,
        }

    @classmethod
    def restore(cls, data: dict[str, Any]) -> AmlMonitor:
        monitor = cls(AmlSettings(**data["settings"]))
        monitor.findings = [AmlFinding(**f) for f in data["findings"]]
        monitor.exchanges = [AmlExchange(**x) for x in data.get("exchanges", ())]
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


def exchanges_csv(exchanges: list[AmlExchange] | tuple[AmlExchange, ...]) -> str:
    """The exchanges with their prices as CSV with a header line (an unpriced value is empty)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXCHANGE_COLUMNS)
    for x in exchanges:
        writer.writerow(["" if getattr(x, c) is None else getattr(x, c) for c in EXCHANGE_COLUMNS])
    return out.getvalue()


def write_csv(findings: list[AmlFinding] | tuple[AmlFinding, ...], path: str | Path) -> Path:
    target = Path(path)
    target.write_text(findings_csv(findings))
    return target
