"""scripts/bench_gateway.py: both routes mint every request they send, and the figures it prints
(rates, latency, the gateway's CPU per mint) are measured, not left empty."""

from collections.abc import Callable
from typing import Any


def test_both_routes_mint_every_request_and_the_gateway_cpu_is_measured(script_json: Callable[..., Any]) -> None:
    document = script_json("bench_gateway.py", "--requests", "24", "--concurrency", "1,4", "--json")
    results = {(r["route"], r["concurrency"]): r for r in document["results"]}
    assert set(results) == {(route, level) for route in ("raw", "gateway") for level in (1, 4)}
    for result in results.values():
        assert result["requests"] == 24
        assert result["errors"] == 0
        assert result["per_second"] > 0 and 0 < result["p50_ms"] <= result["p99_ms"]
        first, last = result["blocks"]
        assert last > first  # the mints were mined
    assert all(results[("gateway", level)]["cpu_ms"] > 0 for level in (1, 4))
    assert document["machine"]["cores"]
