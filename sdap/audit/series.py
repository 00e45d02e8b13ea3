"""Supply of each issuance over time, in bounded memory, for the report's chart."""

from __future__ import annotations

from typing import Any

from sdap.audit._base import Movement

_ISSUING = frozenset({"mint"})
_BURNING = frozenset({"redemption", "burn"})


class SupplySeries:
    """(block, supply) points per issuance. When a series passes `max_points` it keeps every
    other point (and always the latest), so the chart has the whole history at lower resolution."""

    def __init__(self, max_points: int = 256) -> None:
        self.max_points = max_points
        self.points: dict[int, list[tuple[int, int]]] = {}
        self._supply: dict[int, int] = {}

    def on_movement(self, m: Movement) -> None:
        if m.kind in _ISSUING:
            supply = self._supply.get(m.issuance_id, 0) + m.amount
        elif m.kind in _BURNING:
            supply = self._supply.get(m.issuance_id, 0) - m.amount
        else:
            return
        self._supply[m.issuance_id] = supply
        series = self.points.get(m.issuance_id)
        if series is None:
            series = self.points[m.issuance_id] = []
        if series and series[-1][0] == m.block:
            series[-1] = (m.block, supply)
        else:
            series.append((m.block, supply))
        if len(series) > 2 * self.max_points:
            last = series[-1]
            del series[1::2]
            if series[-1] != last:
                series.append(last)

    def snapshot(self) -> dict[str, Any]:
        return {
            "max_points": self.max_points,
            "points": {str(k): [list(p) for p in v] for k, v in sorted(self.points.items())},
            "supply": {str(k): v for k, v in sorted(self._supply.items())},
        }

    @classmethod
    def restore(cls, data: dict[str, Any]) -> SupplySeries:
        series = cls(int(data["max_points"]))
        series.points = {int(k): [(int(b), int(s)) for b, s in v] for k, v in data["points"].items()}
        series._supply = {int(k): int(v) for k, v in data["supply"].items()}
        return series
