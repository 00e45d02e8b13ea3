"""`sdap redemption ...`: a holder asks, its units wait in the asset's custody, the issuer confirms
the delivery (they are burnt) or refuses (they come back); the regulator may refuse by order;
requests are listed and shown, and a holder may sign its request for an operator to relay."""

from __future__ import annotations

import json

from cli_support import Run
from world import World

from sdap.documents import document_hash
from sdap.types import RedemptionState


def test_a_request_is_listed_shown_and_confirmed(run: Run, world: World) -> None:
    q, a, iid, custody = world.queries, world.a.address, world.issuance, world.platform.deployment.asset
    asked = run("redemption", "request", iid, "--amount", 40, "--ref", "Elevator 7, lot 3", as_="a")
    assert asked.stdout.startswith(
        f"redemption 1 requested: 40 units of issuance {iid} from {a}, in the asset's custody"
    )
    assert q.balance_of(a, iid) == 60 and q.balance_of(custody, iid) == 40 and q.total_supply(iid) == 100
    request = q.redemption_request(1)
    assert request.fulfilment_ref == document_hash(b"Elevator 7, lot 3")  # the text's sha256, as its file's
    rows = run.json("redemption", "list", "--issuance", iid, "--state", "requested")
    assert [(r["id"], r["state"], r["holder"], r["amount"]) for r in rows] == [(1, "REQUESTED", a, 40)]
    shown = run("redemption", "show", 1).stdout
    assert "state      requested (waiting for the issuer; the units are in the asset's custody)" in shown

    confirmed = run.json("redemption", "confirm", 1, "--delivery", "0x" + "dd" * 32, as_="issuer")
    assert [e["name"] for e in confirmed["events"]][:1] == ["RedemptionConfirmed"]
    assert confirmed["events"][0]["args"]["deliveryRef"] == "0x" + "dd" * 32  # a hash is anchored as given
    assert q.total_supply(iid) == 60 and q.balance_of(custody, iid) == 0
    assert run.json("redemption", "list", "--state", "requested") == []
    assert run.json("redemption", "show", 1)["state"] == "CONFIRMED"


def test_the_issuer_or_the_regulator_refuses_and_the_units_come_back(run: Run, world: World) -> None:
    q, a, iid = world.queries, world.a.address, world.issuance
    for _ in range(2):
        run("redemption", "request", iid, "--amount", 10, "--ref", "lot 3", as_="a")
    refused = run("redemption", "refuse", 1, "--reason", "lot 3 is not ours", as_="issuer")
    assert refused.stdout.startswith(f"redemption 1 refused: its units went back to {a}")
    by_order = run.json("redemption", "refuse", 2, "--reason", "0x" + "0f" * 32, as_="regulator")
    assert by_order["returned_to"] == a and by_order["events"][0]["args"]["by"] == world.regulator.address
    assert q.balance_of(a, iid) == 100 and q.total_supply(iid) == 100
    assert {r.state for r in q.redemption_requests()} == {RedemptionState.REFUSED}


def test_only_the_issuer_answers_and_only_a_pending_request(run: Run, world: World) -> None:
    run("redemption", "request", world.issuance, "--amount", 10, "--ref", "lot 3", as_="a")
    outsider = run("redemption", "confirm", 1, "--delivery", "done", as_="operator", code=1)
    assert (
        outsider.stderr == f"error: SecuredAsset_NotRedemptionParty(request_id=1, account='{world.operator.address}')\n"
    )
    run("redemption", "confirm", 1, "--delivery", "done", as_="issuer")
    again = run.json("redemption", "refuse", 1, "--reason", "too late", as_="issuer", code=1)
    assert again["error"]["type"] == "SecuredAssetRedemptionNotRequestedError"
    unknown = run("redemption", "show", 9, code=2)
    assert "there is no redemption request 9" in unknown.stderr
    empty = run("redemption", "request", world.issuance, "--amount", 1, "--ref", " ", as_="a", code=2)
    assert "--ref is empty" in empty.stderr


def test_a_holder_signs_its_request_and_an_operator_relays_it(run: Run, world: World) -> None:
    q, a, iid = world.queries, world.a.address, world.issuance
    signed = run("redemption", "request", iid, "--amount", 25, "--ref", "lot 4", "--sign-only", as_="a").stdout
    assert q.redemption_count() == 0  # signed, not sent
    path = run.cwd / "request.json"
    path.write_text(signed)
    relayed = run.json("relay", path, as_="operator")
    assert relayed["request_id"] == 1
    request = q.redemption_request(1)
    assert (request.holder, request.amount, request.state) == (a, 25, RedemptionState.REQUESTED)
    assert json.loads(signed)["request"]["from_"] == a


def test_list_filters_by_holder_and_pages(run: Run, world: World) -> None:
    world.operator.mint(world.issuance, world.b.address, 20)
    run("redemption", "request", world.issuance, "--amount", 5, "--ref", "a's", as_="a")
    run("redemption", "request", world.issuance, "--amount", 5, "--ref", "b's", as_="b")
    run("redemption", "request", world.issuance, "--amount", 5, "--ref", "a's again", as_="a")
    assert [r["id"] for r in run.json("redemption", "list", "--holder", world.a.address)] == [1, 3]
    first = run("redemption", "list", "--limit", 2).stdout
    assert "the next one starts with --after 2" in first
    assert [r["id"] for r in run.json("redemption", "list", "--after", 2)] == [3]
    assert run("redemption", "list", "--state", "confirmed").stdout == "no redemption request\n"
    bad = run("redemption", "list", "--state", "lost", code=2)
    assert "is not one of requested, confirmed or refused" in bad.output
