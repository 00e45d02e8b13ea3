"""`sdap offer`, `sdap dvp`, `sdap payment-token` and `sdap check offer`: the README's walk-through
of a swap and of delivery against payment, from the command line, end to end on anvil.

The world (tests/sdk/world.py): holder a holds 100 units of issuance 1; holders a, b, c are
registered and acknowledged; account 12 (`--as agent`) is a bank the regulator makes a settlement
agent here."""

from __future__ import annotations

import json
from pathlib import Path

from cli_support import Run
from emoney import EMoney
from eth_account.signers.local import LocalAccount
from test_proposal import DELAY, governed
from world import World, advance

from sdap.types import EscrowState, Role


def barley(world: World, holder: str, minted: int = 50) -> int:
    """A second issuance, `minted` units of it to `holder`: what the swaps exchange for wheat."""
    iid = world.create_issuance(world.params(unit_description="1 tonne of barley")).id
    world.attest(500, issuance=iid)
    world.operator.mint(iid, holder, minted)
    return iid


def test_a_swap_between_two_holders(run: Run, world: World, tmp_path: Path) -> None:
    q, a, b, wheat = world.queries, world.a.address, world.b.address, world.issuance
    oats = barley(world, b)
    offer = tmp_path / "offer.json"
    made = run("offer", "make", "--give-id", wheat, "--give-amount", 10, "--want-id", oats, "--want-amount", 4,
               "--taker", b, "--expiry", "+2h", "--out", offer, as_="a")  # fmt: skip
    assert made.stdout.startswith(
        f"offer signed and written to {offer}: gives 10 units of issuance {wheat} for 4 units of issuance {oats}"
    )
    signed = json.loads(offer.read_text())
    assert signed["offer"]["maker"] == a and signed["offer"]["taker"] == b
    assert q.balance_of(b, wheat) == 0  # signed, nothing sent

    shown = run("offer", "show", offer).stdout
    assert "  state    open" in shown and f"  taker    {b}" in shown
    assert run("check", "offer", offer, "--taker", b).stdout == "would pass\n"
    other = run.json("check", "offer", offer, "--taker", world.c.address, code=1)
    assert (other["passes"], other["refusal"]) == (False, "TAKER_NOT_ALLOWED")

    taken = run.json("offer", "take", offer, as_="b")
    assert [e["name"] for e in taken["events"]] == ["OfferTaken", "TransferSingle", "TransferSingle"]
    assert taken["offer_hash"] == signed["offer_hash"]
    assert q.balances(a, [wheat, oats]) == {wheat: 90, oats: 4}
    assert q.balances(b, [wheat, oats]) == {wheat: 10, oats: 46}
    assert "  state    spent (taken or cancelled)" in run("offer", "show", offer).stdout
    [listed] = run.json("offer", "list", "--maker", a)
    assert (listed["taker"], listed["offer_hash"]) == (b, signed["offer_hash"])
    again = run("offer", "take", offer, as_="b", code=1)
    assert again.stderr.startswith(f"error: Exchange_NonceUsed(maker='{a}'")


def test_the_reasons_an_offer_cannot_be_taken(run: Run, world: World, tmp_path: Path) -> None:
    wheat, oats, offer = world.issuance, barley(world, world.b.address), tmp_path / "offer.json"
    run("offer", "make", "--give-id", wheat, "--give-amount", 500, "--want-id", oats, "--want-amount", 1,
        "--out", offer, as_="a")  # fmt: skip
    refused = run("check", "offer", offer, "--taker", world.b.address, code=1)
    assert refused.stdout == "would be refused: GIVE_LEG_REFUSED (INSUFFICIENT_BALANCE)\n"
    verdict = run.json("check", "offer", offer, "--taker", world.b.address, code=1)
    assert (verdict["code"], verdict["leg_refusal"], verdict["leg_code"]) == (7, "INSUFFICIENT_BALANCE", 14)
    same = run("offer", "make", "--give-id", wheat, "--give-amount", 1, "--want-id", wheat, "--want-amount", 1,
               as_="a", code=1)  # fmt: skip
    assert same.stderr == "error: Exchange_InvalidLegs()\n"
    # An offer altered on its way (or signed for another exchange) is refused before the chain.
    data = json.loads(offer.read_text())
    data["offer"]["give_amount"] = "1"
    offer.write_text(json.dumps(data))
    altered = run("offer", "take", offer, as_="b", code=2)
    assert "does not match its terms" in altered.stderr and "altered" in altered.stderr


def test_a_gasless_take_and_a_cancellation(run: Run, world: World, tmp_path: Path) -> None:
    q, b, wheat = world.queries, world.b.address, world.issuance
    oats = barley(world, b)
    offer, request = tmp_path / "offer.json", tmp_path / "take.json"
    offer.write_text(run("offer", "make", "--give-id", wheat, "--give-amount", 7, "--want-id", oats,
                         "--want-amount", 3, as_="a").stdout)  # fmt: skip
    request.write_text(run("offer", "take", offer, "--sign-only", as_="b").stdout)
    assert json.loads(request.read_text())["request"]["to"] == world.platform.deployment.exchange
    relayed = run.json("relay", request, as_="operator")
    assert relayed["offer_hash"] == json.loads(offer.read_text())["offer_hash"]
    assert q.balance_of(b, wheat) == 7

    second = tmp_path / "second.json"
    run("offer", "make", "--give-id", wheat, "--give-amount", 7, "--want-id", oats, "--want-amount", 3,
        "--out", second, as_="a")  # fmt: skip
    not_mine = run("offer", "cancel", second, as_="b", code=2)
    assert "only its maker cancels it" in not_mine.stderr
    cancelled = run.json("offer", "cancel", second, as_="a")
    assert cancelled["events"][0]["name"] == "OfferCancelled"
    assert run.json("check", "offer", second, "--taker", b, code=1)["refusal"] == "NONCE_USED"


def test_delivery_against_an_emoney_token(run: Run, world: World, tmp_path: Path) -> None:
    q, a, b, wheat = world.queries, world.a.address, world.b.address, world.issuance
    token = EMoney(world.platform, world.accounts[0])
    token.mint(b, 1_000_000)  # 10,000.00 tenge, from b's bank
    assert "never listed" in run("payment-token", "show", token.address).stdout
    run("payment-token", "list", token.address, "--currency", "KZT", as_="regulator")
    assert run("payment-token", "show", token.address).stdout == (
        f"payment token {token.address}: listed, KZT with 2 decimals\n"
    )
    offer = tmp_path / "sale.json"
    run("offer", "make", "--give-id", wheat, "--give-amount", 10, "--want-token", token.address,
        "--want-amount", 250_000, "--out", offer, as_="a")  # fmt: skip
    unpaid = run.json("offer", "take", offer, as_="b", code=1)
    assert unpaid["error"]["type"] == "PaymentNotAvailable" and unpaid["error"]["arguments"]["amount"] == 250_000
    run("payment-token", "approve", token.address, "--amount", 250_000, as_="b")
    run("offer", "take", offer, as_="b")
    assert q.balance_of(b, wheat) == 10 and token.balance_of(a) == 250_000
    run("payment-token", "delist", token.address, as_="regulator")
    assert run.json("payment-token", "show", token.address)["listed"] is False
    assert [(t["token"], t["listed"]) for t in run.json("payment-token", "show")] == [(token.address, False)]


def test_delivery_against_a_payment_made_off_chain(run: Run, world: World) -> None:
    q, a, b, wheat = world.queries, world.a.address, world.b.address, world.issuance
    agent = world.accounts[12].address
    no_role = run("dvp", "open", wheat, "--amount", 20, "--buyer", b, "--agent", agent, "--price", 1, "--deadline",
                  "+3d", as_="a", code=1)  # fmt: skip
    assert (
        no_role.stderr == f"error: Exchange_MissingRole(account='{agent}', role=0x{Role.SETTLEMENT_AGENT.id.hex()})"
        " (role: SETTLEMENT_AGENT_ROLE)\n"
    )
    run("role", "grant", "settlement_agent", agent, as_="regulator")
    assert run.json("role", "show", agent)["roles"] == ["settlement_agent"]
    opened = run("dvp", "open", wheat, "--amount", 20, "--buyer", b, "--agent", agent, "--price", 1_500_000,
                 "--deadline", "+3d", as_="a")  # fmt: skip
    assert opened.stdout.startswith(
        f"escrow 1 opened: 20 units of issuance {wheat} held for {b} at 15,000.00 KZT until "
    )
    assert q.escrowed_units(wheat, a) == 20 and q.available_units(wheat, a) == 80
    held = run("transfer", wheat, "--to", world.c.address, "--amount", 81, as_="a", code=1)
    assert held.stderr.startswith("error: SecuredAsset_UnitsRestricted(")
    assert "  state      open (waiting for the agent's confirmation" in run("dvp", "show", 1).stdout
    [queued] = run.json("dvp", "list", "--agent", agent, "--state", "open")
    assert (queued["escrow_id"], queued["price"], queued["currency"]) == (1, 1_500_000, "KZT")

    wrong = run("dvp", "confirm", 1, "--payment", "bank transfer 42", as_="c", code=1)
    assert wrong.stderr.startswith("error: Exchange_NotEscrowAgent(escrow_id=1")
    settled = run.json("dvp", "confirm", 1, "--payment", "bank transfer 42", as_="agent")
    assert settled["delivered_to"] == b
    assert q.balance_of(b, wheat) == 20 and q.escrow(1).state is EscrowState.SETTLED
    assert run.json("dvp", "list", "--state", "open") == []
    opened_line = next(line for line in run("history").stdout.splitlines() if "EscrowOpened" in line)
    assert "price=1500000 currency=KZT" in opened_line  # the currency's code, not its bytes


def test_an_escrow_lapses_and_an_escrow_opened_gaslessly(run: Run, world: World, tmp_path: Path) -> None:
    q, a, b, wheat = world.queries, world.a.address, world.b.address, world.issuance
    agent = world.accounts[12].address
    run("role", "grant", "settlement-agent", agent, as_="regulator")
    request = tmp_path / "escrow.json"
    request.write_text(run("dvp", "open", wheat, "--amount", 30, "--buyer", b, "--agent", agent, "--price", 900_000,
                           "--deadline", "+10m", "--sign-only", as_="a").stdout)  # fmt: skip
    assert run.json("relay", request, as_="operator")["escrow_id"] == 1
    early = run("dvp", "lapse", 1, as_="c", code=1)
    assert early.stderr.startswith("error: Exchange_EscrowNotExpired(escrow_id=1")
    advance(world.w3, 601)
    late = run("dvp", "confirm", 1, "--payment", "too late", as_="agent", code=1)
    assert late.stderr.startswith("error: Exchange_EscrowExpired(escrow_id=1")
    assert run("dvp", "lapse", 1, as_="c").stdout.startswith("escrow 1 lapsed: its units are free again")
    assert q.escrowed_units(wheat, a) == 0 and q.balance_of(b, wheat) == 0
    assert "lapsed unpaid" in run("dvp", "show", 1).stdout
    assert "there is no escrow 2" in run("dvp", "show", 2, code=2).stderr


def test_a_governed_regulator_proposes_a_payment_token(
    run: Run, world: World, accounts: list[LocalAccount], tmp_path: Path
) -> None:
    env, proposal = governed(run, accounts, tmp_path), tmp_path / "token.json"
    token = EMoney(world.platform, world.accounts[0]).address
    written = run("payment-token", "list", token, "--currency", "KZT", "--propose", proposal, env=env)
    assert written.stdout.startswith(f"proposal written to {proposal}: payment token {token} listed in KZT")
    for signer in ("signer1", "signer2"):
        run("proposal", "sign", proposal, as_=signer, env=env)
    run("proposal", "schedule", proposal, as_="anyone", env=env)
    advance(world.w3, DELAY)
    run("proposal", "execute", proposal, as_="anyone", env=env)
    assert run.json("payment-token", "show", token, env=env)["listed"] is True


def test_the_regulator_cancels_an_escrow_by_order(run: Run, world: World) -> None:
    q, a, b, wheat = world.queries, world.a.address, world.b.address, world.issuance
    agent = world.accounts[12].address
    run("role", "grant", "settlement_agent", agent, as_="regulator")
    run("dvp", "open", wheat, "--amount", 20, "--buyer", b, "--agent", agent, "--price", 100, "--deadline", "+1d",
        as_="a")  # fmt: skip
    cancelled = run("dvp", "cancel", 1, "--order", "0x" + "0c" * 32, as_="regulator")
    assert cancelled.stdout.startswith("escrow 1 cancelled by order: its units are the seller's again")
    assert q.escrowed_units(wheat, a) == 0
    assert [e["state"] for e in run.json("dvp", "list", "--state", "cancelled")] == ["CANCELLED"]
