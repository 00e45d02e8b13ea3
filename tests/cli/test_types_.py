"""`sdap type ...`: the regulator's list of recognised asset types."""

from __future__ import annotations

from cli_support import Run
from world import World


def test_a_type_is_added_delisted_relisted_and_shown(run: Run, world: World) -> None:
    added = run.json("type", "add", "Patent licence", "--category", "intellectual-property", as_="regulator")
    assert added["type_id"] == 2 and [e["name"] for e in added["events"]] == ["AssetTypeListed"]
    run("type", "delist", 2, as_="regulator")
    assert "DELISTED  Patent licence" in run("type", "list").stdout
    run("type", "relist", 2, as_="regulator")
    assert run.json("type", "show", 2) == {"type_id": 2, "category": "INTELLECTUAL_PROPERTY", "listed": True,
                                           "name": "Patent licence"}  # fmt: skip


def test_money_and_securities_are_not_offered(run: Run, world: World) -> None:
    refused = run("type", "add", "Tenge", "--category", "money", as_="regulator", code=2)
    assert "goods, services or intellectual_property" in refused.output
