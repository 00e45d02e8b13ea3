"""scripts/bench_gateway_floor.py: each configuration does exactly the steps it names, once per
request (what it wrote to the database and sent to the node is counted), and its CPU is measured."""

from collections.abc import Callable
from typing import Any

STEPS = ["route", "auth", "claim", "check", "sign", "journal", "send", "answer"]


def test_each_step_runs_once_per_request_and_only_from_its_row_on(script_json: Callable[..., Any]) -> None:
    document = script_json("bench_gateway_floor.py", "--requests", "12", "--concurrency", "1,3", "--json")
    results = document["results"]
    assert [r["steps"] for r in results[::2]] == [*STEPS, "all, database on the event loop"]
    for result in results:
        assert result["concurrency"] in (1, 3)
        assert result["requests"] == 12 and result["errors"] == 0
        upto = len(STEPS) if result["on_loop"] else STEPS.index(result["steps"]) + 1
        done = set(STEPS[:upto])
        # Each write happened once per request from the step that adds it on, never before.
        assert result["claims"] == (12 if "claim" in done else 0)
        assert result["transactions"] == (12 if "journal" in done else 0)
        assert result["sent"] == (12 if "send" in done else 0)
        assert result["answers"] == (12 if "answer" in done else 0)
    # Read from the server's counters in clock ticks: a few requests may round to none, not all of them.
    assert sum(r["cpu_ms"] for r in results) > 0
    assert document["machine"]["cores"]
