"""`sdap issuance list` by operator and issuer, `sdap issuance succeed` (the regulator hands
issuances to a successor operator) and `sdap issuance decision-uri` (the issuer moves its decision,
which must still hash to the anchor)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cli_support import Run
from world import YEAR, World, chain_time, h

from sdap.cli import issuances
from sdap.cli._published import fetch
from sdap.clients import OperatorClient
from sdap.documents import document_hash
from sdap.errors import InvalidArgument
from sdap.types import IssuerStatus, Role

ORDER = "0x" + "0d" * 32
DECISION = b"%PDF-1.7 decision to issue warehouse receipts, No. 14\n"


def successor(world: World, index: int = 10) -> OperatorClient:
    """Another operator with the role and a permit in force."""
    other = world.client_of(OperatorClient, index)
    world.regulator.grant_role(Role.OPERATOR, other.address)
    world.regulator.grant_permit(other.address, 0, chain_time(world.w3) + YEAR, h(f"permit {index}"))
    return other


@pytest.fixture
def published() -> Iterator[str]:
    """A web server publishing DECISION at /decision.pdf and something else at /forged.pdf."""
    documents = {"/decision.pdf": DECISION, "/forged.pdf": DECISION + b"one more clause\n"}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = documents.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def test_issuances_are_listed_by_operator_and_issuer_in_pages(run: Run, world: World) -> None:
    world.regulator.register_issuer(world.c.address, "Other LLP", "999", "KZ", h("other"))
    other = successor(world)
    second = world.create_issuance(world.params(issuer=world.c.address), by=other).id
    third = world.create_issuance(world.params(unit_description="1 tonne of barley")).id
    assert [r["id"] for r in run.json("issuance", "list")] == [world.issuance, second, third]
    mine = run.json("issuance", "list", "--operator", world.operator.address)
    assert [(r["id"], r["operator"]) for r in mine] == [
        (world.issuance, world.operator.address),
        (third, world.operator.address),
    ]
    assert [r["id"] for r in run.json("issuance", "list", "--issuer", world.c.address)] == [second]
    assert [r["id"] for r in run.json("issuance", "list", "--after", world.issuance, "--limit", 1)] == [second]
    full = run("issuance", "list", "--limit", 2).stdout
    assert full.rstrip().endswith(f"(the page is full: the next one starts with --after {second})")
    assert f"operator {other.address}" in full
    assert run("issuance", "list", "--issuer", world.a.address).stdout == "no issuance\n"
    refused = run.json("issuance", "list", "--limit", 0, code=2)
    assert refused["error"]["message"] == "limit must be at least 1, got 0"


def test_the_regulator_hands_named_issuances_to_a_successor(run: Run, world: World) -> None:
    other = successor(world)
    second = world.create_issuance(world.params(unit_description="1 tonne of barley")).id
    done = run.json("issuance", "succeed", second, "--to", other.address, "--order", ORDER, as_="regulator")
    assert done["issuance_ids"] == [second]
    assert [(e["name"], e["args"]["id"], e["args"]["successor"]) for e in done["events"]] == [
        ("IssuanceSucceeded", second, other.address)
    ]
    assert world.queries.issuance(second).operator == other.address
    assert world.queries.issuance(world.issuance).operator == world.operator.address


def test_all_of_a_revoked_operators_issuances_pass_to_the_successor(run: Run, world: World) -> None:
    second = world.create_issuance(world.params(unit_description="1 tonne of barley")).id
    world.regulator.revoke_permit(world.operator.address, h("revocation order"))
    other = successor(world)
    text = run("issuance", "succeed", "--all-of", world.operator.address, "--to", other.address, "--order", ORDER,
               as_="regulator").stdout  # fmt: skip
    assert text.startswith(f"issuances {world.issuance}, {second} handed to {other.address}\n")
    assert [r["id"] for r in run.json("issuance", "list", "--operator", other.address)] == [world.issuance, second]
    assert run.json("issuance", "list", "--operator", world.operator.address) == []
    other.mint(world.issuance, world.a.address, 10)  # the successor runs it now
    nothing = run("issuance", "succeed", "--all-of", world.operator.address, "--to", other.address, "--order", ORDER,
                  as_="regulator", code=2)  # fmt: skip
    assert nothing.stderr == f"error: {world.operator.address} runs no issuance: there is nothing to hand over\n"


def test_succession_refusals(run: Run, world: World) -> None:
    other = world.client_of(OperatorClient, 10).address
    world.regulator.grant_role(Role.OPERATOR, other)
    no_permit = run.json("issuance", "succeed", world.issuance, "--to", other, "--order", ORDER, as_="regulator",
                         code=1)  # fmt: skip
    assert no_permit["error"]["type"] == "SecuredAssetPermitNotActiveError"
    assert no_permit["error"]["arguments"] == {"operator": other, "state": 0}  # PermitState.NONE
    both = run("issuance", "succeed", world.issuance, "--all-of", world.operator.address, "--to", other,
               "--order", ORDER, as_="regulator", code=2)  # fmt: skip
    assert both.stderr == "error: give the issuance ids or --all-of OPERATOR (one of them)\n"
    run("issuance", "succeed", "--to", other, "--order", ORDER, as_="regulator", code=2)
    not_regulator = run("issuance", "succeed", world.issuance, "--to", world.operator.address, "--order", ORDER,
                        as_="operator", code=1)  # fmt: skip
    assert not_regulator.stderr.startswith("error: SecuredAsset_MissingRole(")
    assert not_regulator.stderr.endswith(") (role: REGULATOR_ROLE)\n")  # the role's name, not only its hash
    worded = run("issuance", "succeed", world.issuance, "--to", other, "--order", ORDER, as_="regulator", code=1)
    assert worded.stderr.endswith(", state=0) (state: NONE)\n")  # the JSON above keeps the number
    assert world.queries.issuance(world.issuance).operator == world.operator.address


def test_the_issuer_moves_its_decision_only_to_the_same_document(run: Run, world: World, published: str) -> None:
    iid = world.create_issuance(world.params(decision_hash=document_hash(DECISION))).id
    forged = run("issuance", "decision-uri", iid, f"{published}/forged.pdf", as_="issuer", code=2)
    assert forged.stderr.startswith(f"error: the document at {published}/forged.pdf has sha256 0x")
    assert f"not the anchored decision hash 0x{document_hash(DECISION).hex()}" in forged.stderr
    missing = run.json("issuance", "decision-uri", iid, f"{published}/gone.pdf", as_="issuer", code=2)
    assert missing["error"]["message"] == f"{published}/gone.pdf: the server answered HTTP 404"
    assert run("issuance", "decision-uri", iid, "ftp://issuer.example/d.pdf", as_="issuer", code=2).stderr == (
        "error: 'ftp://issuer.example/d.pdf': only http(s) addresses are fetched\n"
    )
    assert world.queries.issuance(iid).decision_uri == "https://issuer.example/decision.pdf"

    not_issuer = run("issuance", "decision-uri", iid, f"{published}/decision.pdf", as_="operator", code=1)
    assert not_issuer.stderr.startswith("error: SecuredAsset_NotIssuanceIssuer(")
    done = run.json("issuance", "decision-uri", iid, f"{published}/decision.pdf", as_="issuer")
    assert [e["name"] for e in done["events"]] == ["DecisionUriUpdated"]
    moved = world.queries.issuance(iid)
    assert moved.decision_uri == f"{published}/decision.pdf" and moved.decision_hash == document_hash(DECISION)
    # The world's issuance anchors a hash no published document has.
    refused = run("issuance", "decision-uri", world.issuance, f"{published}/decision.pdf", as_="issuer", code=2)
    assert "not the anchored decision hash" in refused.stderr


def test_a_suspended_issuer_is_refused_before_anything_is_fetched(run: Run, world: World) -> None:
    world.regulator.set_issuer_status(world.issuer.address, IssuerStatus.SUSPENDED, h("inspection"))
    # Nothing listens there: a fetch would fail with exit 2, the chain's refusal comes first.
    refused = run.json("issuance", "decision-uri", world.issuance, "http://127.0.0.1:1/decision.pdf",
                       as_="issuer", code=1)  # fmt: skip
    assert refused["error"]["type"] == "SecuredAssetIssuerNotActiveError"
    assert refused["error"]["arguments"] == {"issuer": world.issuer.address}
    help_text = " ".join(run("issuance", "decision-uri", "--help", env={"COLUMNS": "200"}).stdout.split())
    assert "its issuer, while active in the register; not once closed" in help_text


def test_a_published_document_is_fetched_within_its_size_limit(published: str) -> None:
    assert fetch(f"{published}/decision.pdf") == DECISION
    with pytest.raises(InvalidArgument, match=f"the document is larger than {len(DECISION) - 1} bytes"):
        fetch(f"{published}/decision.pdf", max_bytes=len(DECISION) - 1)
    with pytest.raises(InvalidArgument, match="the document cannot be fetched"):
        fetch("http://127.0.0.1:1/decision.pdf", timeout=2)


def test_all_of_more_issuances_than_one_order_takes_is_refused(
    run: Run, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(issuances, "SUCCESSION_LIMIT", 1)  # in-process: the command reads the patched limit
    world.create_issuance(world.params(unit_description="1 tonne of barley"))
    other = successor(world)
    refused = run("issuance", "succeed", "--all-of", world.operator.address, "--to", other.address, "--order", ORDER,
                  as_="regulator", code=2)  # fmt: skip
    assert refused.stderr.startswith(f"error: {world.operator.address} runs more than 1 issuances: hand them over")
    assert world.queries.issuance(world.issuance).operator == world.operator.address
