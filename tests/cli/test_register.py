"""The public register on the command line: `sdap issuer list`, `sdap permit list`, `sdap permit
details` and `sdap participant list`, page by page, as text and as JSON."""

from __future__ import annotations

from cli_support import Run
from eth_account import Account
from world import YEAR, World, chain_time, h

from sdap.types import IssuerStatus, Role

HASH = "0x" + "5a" * 32


def test_the_issuer_register_is_listed_in_pages(run: Run, world: World) -> None:
    world.regulator.register_issuer(world.c.address, "Shymkent Cotton LLP", "222", "KZ", h("cotton"))
    world.regulator.set_issuer_status(world.c.address, IssuerStatus.REMOVED, h("removal order"))
    listed = run.json("issuer", "list")
    assert [(i["wallet"], i["status"]) for i in listed] == [
        (world.issuer.address, "ACTIVE"),
        (world.c.address, "REMOVED"),
    ]
    assert (
        listed[0]["legal_name"] == "Astana Grain LLP" and listed[0]["details_hash"] == "0x" + h("issuer details").hex()
    )
    assert run.json("issuer", "list", "--start", 1, "--limit", 5) == listed[1:]
    text = run("issuer", "list", "--limit", 1).stdout
    assert f"{world.issuer.address}  ACTIVE     Astana Grain LLP (BIN 123456789012, KZ)" in text
    assert text.rstrip().endswith("issuers 1-1 of 2")
    assert run("issuer", "list", "--start", 2).stdout == "no issuer from position 2 (2 in the register)\n"
    assert run.json("issuer", "list", "--start", 7) == []


def test_a_page_of_no_entries_is_refused_as_a_bad_argument(run: Run) -> None:
    refused = run("issuer", "list", "--limit", 0, code=2)
    assert refused.stderr == "error: limit must be at least 1, got 0\n"
    assert run.json("permit", "list", "--start", -1, code=2)["error"] == {
        "type": "InvalidArgument",
        "message": "start must not be negative, got -1",
        "arguments": {},
    }


def test_the_regulator_records_an_operators_details_and_the_register_lists_it(run: Run, world: World) -> None:
    operator = world.operator.address
    done = run.json("permit", "details", operator, "--name", "Astana Exchange JSC", "--business-id", "555",
                    "--jurisdiction", "KZ", "--details", HASH, as_="regulator")  # fmt: skip
    assert [e["name"] for e in done["events"]] == ["OperatorDetailsRecorded"]
    assert done["events"][0]["args"]["legalName"] == "Astana Exchange JSC"
    details = world.queries.operator_details(operator)
    assert (details.legal_name, details.business_id, details.details_hash) == (
        "Astana Exchange JSC",
        "555",
        bytes.fromhex(HASH[2:]),
    )

    pending = Account.create().address
    run("permit", "details", pending, "--name", "Pending JSC", "--business-id", "777", "--jurisdiction", "KZ",
        "--details", HASH, as_="regulator")  # fmt: skip
    world.regulator.suspend_permit(operator, h("suspension order"))
    rows = run.json("permit", "list")
    assert [(r["operator"], r["status"], r["state"], r["legal_name"]) for r in rows] == [
        (operator, "SUSPENDED", "SUSPENDED", "Astana Exchange JSC"),
        (pending, "NONE", "NONE", "Pending JSC"),
    ]
    assert rows[0]["document_hash"] == "0x" + h("permit No. 1").hex() and rows[0]["details_hash"] == HASH
    text = run("permit", "list").stdout
    assert operator in text and "SUSPENDED" in text and "Astana Exchange JSC (BIN 555, KZ)" in text
    assert text.rstrip().endswith("operators 1-2 of 2")
    assert f"{pending}  NONE          no permit granted " in text and "until none" not in text
    assert run.json("permit", "list", "--start", 1) == rows[1:]


def test_operator_details_refusals(run: Run, world: World) -> None:
    operator = world.operator.address
    empty = run("permit", "details", operator, "--name", "", "--business-id", "555", "--jurisdiction", "KZ",
                "--details", HASH, as_="regulator", code=1)  # fmt: skip
    assert empty.stderr == "error: Registry_InvalidOperatorDetails()\n"
    not_regulator = run.json("permit", "details", operator, "--name", "Self JSC", "--business-id", "1",
                             "--jurisdiction", "KZ", "--details", HASH, as_="operator", code=1)  # fmt: skip
    assert not_regulator["error"]["type"] == "AccessControlUnauthorizedAccountError"
    no_hash = run("permit", "details", operator, "--name", "X JSC", "--business-id", "1", "--jurisdiction", "KZ",
                  as_="regulator", code=2)  # fmt: skip
    assert no_hash.stderr == "error: give --details HASH or --details-file PATH (one of them)\n"
    assert not world.queries.operator_details(operator).recorded


def test_the_participants_of_an_operator_are_listed_with_their_status(run: Run, world: World) -> None:
    operator = world.operator.address
    world.compliance.freeze_participant(world.b.address, h("case 1"))
    other = world.client_of(type(world.operator), 10)
    world.regulator.grant_role(Role.OPERATOR, other.address)
    world.regulator.grant_permit(other.address, 0, chain_time(world.w3) + YEAR, h("permit No. 2"))
    other.register_participant(Account.create().address, h("kyc"), chain_time(world.w3) + YEAR)
    rows = run.json("participant", "list", "--operator", operator)
    assert [r["wallet"] for r in rows] == [x.address for x in world.holders]
    assert [r["status"] for r in rows[:2]] == ["ELIGIBLE", "FROZEN"]
    assert all(r["operator"] == operator and r["registered"] for r in rows)
    assert run.json("participant", "list", "--operator", operator, "--start", 1, "--limit", 1) == rows[1:2]
    text = run("participant", "list", "--operator", operator, "--limit", 2).stdout
    assert f"{world.b.address}  FROZEN" in text
    assert text.rstrip().endswith(f"participants 1-2 of {len(world.holders)} identified by {operator}")
    assert len(run.json("participant", "list", "--operator", other.address)) == 1
    assert run("participant", "list", "--operator", world.a.address).stdout.startswith("no participant of")
    bad = run("participant", "list", "--operator", "exchange", code=2)
    assert bad.stderr.startswith("error: operator must be an address")
