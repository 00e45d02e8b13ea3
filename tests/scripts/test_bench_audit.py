"""scripts/bench_audit.py: the history it builds replays without a breach, every event it wrote is
applied, and both measures (half the history, all of it) are printed."""

import json
from collections.abc import Callable
from pathlib import Path


def test_the_built_history_replays_clean_at_half_and_at_the_head(tmp_path: Path, script: Callable[..., str]) -> None:
    figures = tmp_path / "audit.json"
    printed = script("bench_audit.py", "--events", "1500", "--recipients", "40", "--json", str(figures))
    runs = json.loads(figures.read_text())["runs"]
    assert len(runs) == 2
    half, whole = runs
    assert half["to_block"] < whole["to_block"]
    assert 0 < half["events"] < whole["events"]
    assert whole["events"] >= 1500
    for run in runs:
        assert run["breaches"] == 0
        assert run["events"] == run["logs"]  # the replay applied every log the raw download saw
        assert run["raw_events_per_s"] > 0 and run["replay_events_per_s"] > 0
    assert "targets:" in printed
