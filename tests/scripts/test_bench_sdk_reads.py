"""scripts/bench_sdk_reads.py: every SDK read it measures takes one request to the node, and each
way of reading is timed."""

from collections.abc import Callable
from typing import Any


def test_every_read_is_one_request_and_every_way_is_timed(script_json: Callable[..., Any]) -> None:
    document = script_json("bench_sdk_reads.py", "--calls", "10", "--rounds", "1", "--json")
    assert len(document["results"]) >= 5
    for result in document["results"]:
        assert result["requests_per_read"] == 1, result["query"]
        assert min(result["sdk_ms"], result["eth_call_ms"], result["bare_ms"]) > 0
    assert document["transports"]
    for figures in document["transports"].values():
        assert figures["sdk"] > 0 and figures["bare"] > 0
