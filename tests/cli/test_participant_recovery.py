"""`sdap participant recover`, `sdap participant recover-holdings` (sdap/cli/recovery.py) and the
lost wallet in `sdap participant show`: a participant who lost its wallet goes on under a new one,
and its position follows there."""

from __future__ import annotations

import pytest
from cli_support import Run
from world import YEAR, World, chain_time, h

from sdap.clients import HolderClient, OperatorClient
from sdap.contract_errors import SecuredAssetParticipantNotEligibleError
from sdap.types import Role

IDENTITY = "0x" + "1d" * 32
ORDER = "0x" + "0d" * 32
LOST_REPORT = "0x" + "1f" * 32  # compliance's case file: the participant reported its wallet lost
NEW, NEWER = 11, 13  # funded accounts nobody registered


def new_wallet(world: World, index: int = NEW) -> str:
    return world.accounts[index].address


def test_the_regulator_recovers_a_wallet_and_its_whole_position(run: Run, world: World) -> None:
    a, new = world.a.address, new_wallet(world)
    pledge = world.a.encumber(world.issuance, 30, world.b.address, h("pledge")).id
    world.compliance.freeze_units(world.issuance, a, 20, h("court ruling"))
    done = run.json("participant", "recover", a, "--to", new, "--identity", IDENTITY, "--identity-expiry", "+1y",
                    "--reason", ORDER, as_="regulator")  # fmt: skip
    assert (done["lost"], done["replacement"], done["frozen"]) == (a, new, False)  # the regulator needs no freeze
    assert [e["name"] for e in done["registry"]["events"]] == ["WalletRecovered"]
    holdings = done["holdings"]
    assert holdings["replacement"] == new
    assert holdings["issuances"] == [{"issuance_id": world.issuance, "amount": 100, "frozen": 20}]
    assert holdings["encumbrance_ids"] == [pledge]
    assert world.queries.balance_of(new, world.issuance) == 100
    assert world.queries.frozen_units(world.issuance, new) == 20
    assert world.queries.encumbrance(pledge).holder == new

    shown = run.json("participant", "show", a)
    assert (shown["status"], shown["recovered_to"]) == ("NOT_REGISTERED", new)
    assert f"recovered to         {new}" in run("participant", "show", a).stdout
    assert run.json("participant", "show", new)["recovered_to"] is None
    assert "recovered to" not in run("participant", "show", new).stdout

    # The operator's list keeps the lost wallet, saying where its participant went, then the new one.
    listed = run.json("participant", "list", "--operator", world.operator.address)
    by_wallet = {r["wallet"]: r for r in listed}
    assert (by_wallet[a]["status"], by_wallet[a]["recovered_to"]) == ("NOT_REGISTERED", new)
    assert by_wallet[new]["recovered_to"] is None and listed[-1]["wallet"] == new
    text = run("participant", "list", "--operator", world.operator.address).stdout
    assert f"{a}  {'NOT_REGISTERED':<24} lost: recovered to {new}\n" in text


def test_the_identifying_operator_recovers_in_two_steps_and_anyone_finishes(run: Run, world: World) -> None:
    a, new = world.a.address, new_wallet(world)
    run("participant", "freeze", a, "--reason", LOST_REPORT, as_="compliance")  # compliance's hand first
    text = run("participant", "recover", a, "--to", new, "--identity-file", __file__, "--identity-expiry", "+1y",
               "--registry-only", as_="operator").stdout  # fmt: skip
    assert text.startswith(f"participant {a} recovered to {new}, identified until ")
    assert f"its units stay on {a} until `sdap participant recover-holdings {a}`" in text
    assert text.endswith(f"{new} is frozen: its units move once compliance has reviewed it "
                         f"(`sdap participant unfreeze {new}`)\n")  # fmt: skip
    assert world.queries.balance_of(a, world.issuance) == 100
    moved = run("participant", "recover-holdings", a, as_="b").stdout  # a holder, found from events
    assert moved.startswith(f"moved to {new}: 100 of issuance {world.issuance}\n")
    assert world.queries.balance_of(new, world.issuance) == 100
    nothing = run.json("participant", "recover-holdings", a, as_="b")
    assert nothing == {"lost": a, "replacement": new, "holdings": None}

    # The units arrived on a frozen account, and move once compliance has reviewed the new wallet.
    holder = world.client_of(HolderClient, NEW)
    with pytest.raises(SecuredAssetParticipantNotEligibleError):
        holder.transfer(world.b.address, world.issuance, 1)
    run("participant", "unfreeze", new, "--reason", LOST_REPORT, as_="compliance")
    holder.transfer(world.b.address, world.issuance, 1)
    assert world.queries.balance_of(world.b.address, world.issuance) == 1


def test_recover_holdings_of_named_issuances(run: Run, world: World) -> None:
    a, new = world.a.address, new_wallet(world)
    world.regulator.recover_participant(a, new, h("kyc"), chain_time(world.w3) + YEAR, h("order"))
    done = run.json("participant", "recover-holdings", a, "--issuance", world.issuance, "--encumbrance", 0,
                    as_="b", code=1)  # fmt: skip
    assert done["error"]["type"] == "SecuredAssetEncumbranceNotActiveError"
    done = run.json("participant", "recover-holdings", a, "--issuance", world.issuance, as_="b")
    assert done["holdings"]["issuances"] == [{"issuance_id": world.issuance, "amount": 100, "frozen": 0}]
    # OpenZeppelin's batch transfer of one id emits TransferSingle, not TransferBatch.
    assert [e["name"] for e in done["holdings"]["events"]] == ["HoldingsRecovered", "TransferSingle"]


def test_recovery_refusals(run: Run, world: World) -> None:
    a, new = world.a.address, new_wallet(world)
    other = world.client_of(OperatorClient, 10)
    world.regulator.grant_role(Role.OPERATOR, other.address)
    world.regulator.grant_permit(other.address, 0, chain_time(world.w3) + YEAR, h("permit No. 2"))
    env = {"OTHER_KEY": world.accounts[10].key.hex()}
    refused = run.json("participant", "recover", a, "--to", new, "--identity", IDENTITY, "--identity-expiry", "+1y",
                       as_="other", env=env, code=1)  # fmt: skip
    assert refused["error"]["type"] == "RegistryNotParticipantOperatorError"
    assert refused["error"]["arguments"] == {"wallet": a, "operator": world.operator.address, "account": other.address}
    taken = run.json("participant", "recover", a, "--to", world.b.address, "--identity", IDENTITY,
                     "--identity-expiry", "+1y", "--reason", ORDER, as_="regulator", code=1)  # fmt: skip
    assert taken["error"]["type"] == "RegistryInvalidReplacementError"
    no_order = run("participant", "recover", a, "--to", new, "--identity", IDENTITY, "--identity-expiry", "+1y",
                   as_="regulator", code=2)  # fmt: skip
    assert no_order.stderr.startswith("error: the regulator recovers a wallet on an order: give --reason HASH")
    not_recovered = run.json("participant", "recover-holdings", a, as_="b", code=1)
    assert not_recovered["error"]["type"] == "SecuredAssetWalletNotRecoveredError"
    assert not_recovered["error"]["arguments"] == {"wallet": a}
    assert world.queries.recovered_to(a) is None

    pledge = world.a.encumber(world.issuance, 30, world.b.address, h("pledge")).id
    world.compliance.freeze_units(world.issuance, a, 20, h("court ruling"))
    text = run("participant", "recover", a, "--to", new, "--identity", IDENTITY, "--identity-expiry", "+1y",
               "--reason", ORDER, as_="regulator").stdout  # fmt: skip
    lines = text.splitlines()
    assert lines[0].startswith(f"participant {a} recovered to {new}, identified until ")
    moved = f"moved to {new}: 100 of issuance {world.issuance} (20 frozen); encumbrances {pledge} now bind it"
    assert lines[2] == moved
    assert lines[1].startswith("  tx 0x") and lines[3].startswith("  tx 0x")
    again = run("participant", "register", a, "--identity", IDENTITY, "--identity-expiry", "+1y", as_="operator",
                code=1)  # fmt: skip
    assert again.stderr.startswith("error: Registry_WalletLost(")
    b, newer = world.b.address, new_wallet(world, NEWER)  # b holds nothing: one transaction, no order
    unfrozen = run.json("participant", "recover", b, "--to", newer, "--identity", IDENTITY, "--identity-expiry",
                        "+1y", as_="operator", code=1)  # fmt: skip
    assert unfrozen["error"]["type"] == "RegistryRecoveryNeedsFreezeError"
    assert unfrozen["error"]["arguments"] == {"lost": b}
    run("participant", "freeze", b, "--reason", LOST_REPORT, as_="compliance")
    done = run.json("participant", "recover", b, "--to", newer, "--identity", IDENTITY, "--identity-expiry", "+1y",
                    as_="operator")  # fmt: skip
    assert (done["replacement"], done["frozen"], done["holdings"]) == (newer, True, None)


def test_the_help_names_both_ways_to_give_the_order(run: Run) -> None:
    text = " ".join(run("participant", "recover", "--help", env={"COLUMNS": "200"}).stdout.split())
    assert "the regulator on an order, given as --reason or --reason-file;" in text
    assert "only once a compliance officer has frozen the lost wallet with `participant freeze`" in text
    assert "the regulator needs no freeze" in text
