"""`sdap relay`: a holder's signed request (a transfer, an encumbrance) submitted and paid for by the
operator."""

from __future__ import annotations

from cli_support import Run
from world import World


def test_gasless_transfer_and_encumbrance_relayed_by_the_operator(run: Run, world: World) -> None:
    q, a, b, iid = world.queries, world.a.address, world.b.address, world.issuance
    gas_money = world.w3.eth.get_balance(a)
    (run.cwd / "transfer.json").write_text(
        run("transfer", iid, "--to", b, "--amount", 15, "--sign-only", as_="a").stdout
    )
    assert q.balance_of(b, iid) == 0  # signing sent nothing
    relayed = run.json("relay", run.cwd / "transfer.json", as_="operator")
    assert [e["name"] for e in relayed["events"]] == ["TransferSingle", "ExecutedForwardRequest"]
    assert relayed["events"][0]["args"]["from"] == a and relayed["events"][0]["args"]["operator"] == a
    assert q.balance_of(b, iid) == 15
    again = run.json("relay", run.cwd / "transfer.json", as_="operator", code=1)
    # A signature counts once: the holder's nonce spent, the forwarder no longer finds the holder the signer.
    assert again["error"]["type"] == "ERC2771ForwarderInvalidSignerError"

    pledge = run("encumber", iid, "--amount", 20, "--beneficiary", b, "--reference", "0x" + "aa" * 32, "--sign-only",
                 as_="a").stdout  # fmt: skip
    relayed = run.json("relay", "-", as_="operator", input=pledge)
    assert q.encumbrance(relayed["encumbrance_id"]).holder == a and q.encumbered_units(iid, a) == 20
    assert world.w3.eth.get_balance(a) == gas_money  # the holder paid for neither

    refused = run("transfer", iid, "--to", b, "--amount", 1, "--from", b, "--sign-only", as_="a", code=2)
    assert "drop --from" in refused.output
