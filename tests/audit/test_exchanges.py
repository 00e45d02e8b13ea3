"""The exchange as the auditor sees it (exchange.*): offers taken with exactly their legs, nonces spent
once, escrows whose units move only by their settlement or lapse, ERC-7943's Frozen and
ForcedTransfer. On the real contracts a history with a swap, a delivery against an e-money token and
two escrows against off-chain payment (one settled, one lapsed) audits clean, cross-checks and is
reported with its prices; through the permissive exchange every way of breaking it is caught."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from eth_account.signers.local import LocalAccount

from sdap.audit.aml import AmlSettings, exchanges_csv
from sdap.audit.html import render_html
from sdap.audit.replay import Checkpoint, Replay
from sdap.audit.report import audit
from sdap.transactions import Receipt
from sdap.types import Offer, Role
from tests.audit import test_engine as engine
from tests.audit.conftest import History, Permissive, _deploy, h
from tests.audit.test_engine import ALICE, BOB, REGULATOR, T0, H, Story
from tests.audit.test_rules import audit as breaches_of
from tests.audit.test_rules import found

GRAIN, COTTON = 1, 2
ZERO = "0x" + "00" * 20


def emoney(hist: History, artifact: dict[str, Any]) -> str:
    """A test e-money token in tenge (2 decimals: tiyn), deployed by the deployer."""
    return _deploy(hist.platform, hist.accounts[0], artifact)


def erc20(hist: History, token: str, artifact: dict[str, Any]) -> Any:
    return hist.w3.eth.contract(address=token, abi=artifact["abi"]).functions  # type: ignore[call-overload]


# On the real contracts ------------------------------------------------------------------------


def build_exchange_history(hist: History, artifact: dict[str, Any]) -> dict[str, Any]:
    """A swap, a delivery against e-money, an offer cancelled, an escrow settled and one lapsed, a
    freeze set through ERC-7943 beyond the holding, and a regulator's order that took frozen units."""
    hist.setup(holders=4)
    a, b, c, d = (hist.holder(i) for i in range(4))
    agent = hist.accounts[12]
    platform, asset = hist.platform, hist.asset.functions
    regulator = platform.regulator(hist.regulator)
    grain, cotton = hist.create_issuance(), hist.create_issuance()
    hist.attest(grain, 1_000)
    hist.attest(cotton, 1_000)
    hist.mint(grain, a, 500)
    hist.mint(cotton, b, 300)
    regulator.grant_role(Role.SETTLEMENT_AGENT, agent.address)
    token = emoney(hist, artifact)
    hist.send(hist.accounts[0], erc20(hist, token, artifact).mint(c.address, 1_000_000))
    regulator.list_payment_token(token, "KZT")
    # A swap: 100 grain of a for 50 cotton of b.
    swap = platform.holder(a).make_offer(give_id=grain, give_amount=100, want_id=cotton, want_amount=50)
    platform.holder(b).take_offer(swap)
    # A delivery against e-money: 50 grain of a for 2,500.00 tenge of c.
    dvp = platform.holder(a).make_offer(give_id=grain, give_amount=50, want_token=token, want_amount=250_000)
    platform.holder(c).approve_payment(token, 250_000)
    platform.holder(c).take_offer(dvp)
    # A purchase: c gives 1,000.00 tenge for 10 cotton of b (the payment leg first).
    bid = platform.holder(c).make_offer(
        give_token=token, give_id=0, give_amount=100_000, want_id=cotton, want_amount=10
    )
    platform.holder(c).approve_payment(token, 100_000)
    platform.holder(b).take_offer(bid)
    # An offer cancelled before anyone took it.
    dropped = platform.holder(d).make_offer(give_id=grain, give_amount=1, want_id=cotton, want_amount=1)
    platform.holder(d).cancel_offer(dropped.offer.nonce)
    # Against payment off-chain: 40 cotton of b for 1,200.00 tenge to c, confirmed by the bank.
    settled = platform.holder(b).open_escrow(cotton, 40, c.address, agent.address, 120_000, deadline=hist.now() + 3600)
    # Compliance freezes all of b's cotton meanwhile: the escrowed units were committed before, and
    # their settlement outranks the freeze (lifted after).
    hist.send(hist.compliance, asset.setFrozenTokens(b.address, cotton, 1_000))
    platform.settlement_agent(agent).confirm_payment(settled.id, h("bank transfer 1"))
    hist.send(hist.compliance, asset.setFrozenTokens(b.address, cotton, 0))
    # 30 grain of a for d, never paid: the escrow lapses and the units are a's again.
    lapsed = platform.holder(a).open_escrow(grain, 30, d.address, agent.address, 90_000, deadline=hist.now() + 100)
    hist.wait(200)
    platform.holder(d).lapse_escrow(lapsed.id)
    # 20 cotton of b for d, cancelled by the regulator's order.
    cancelled = platform.holder(b).open_escrow(cotton, 20, d.address, agent.address, 60_000, deadline=hist.now() + 3600)
    regulator.cancel_escrow(cancelled.id, h("court order"))
    # ERC-7943: compliance freezes 10 of a's grain and 1,000 cotton d does not have; the regulator's
    # order takes 345 of a's 350 grain, 5 of them frozen.
    hist.send(hist.compliance, asset.setFrozenTokens(a.address, grain, 10))
    hist.send(hist.compliance, asset.setFrozenTokens(d.address, cotton, 1_000))
    hist.send(hist.regulator, asset.forcedTransfer(a.address, b.address, grain, 345))
    return {
        "issuances": (grain, cotton),
        "holders": (a, b, c, d),
        "agent": agent,
        "token": token,
        "offers": (swap, dvp, bid),
        "cancelled": dropped.offer.nonce,
        "escrows": (settled.id, lapsed.id, cancelled.id),
    }


def test_an_exchange_history_on_the_real_contracts_audits_clean(
    history: History, emoney_artifact: dict[str, Any]
) -> None:
    story = build_exchange_history(history, emoney_artifact)
    grain, cotton = story["issuances"]
    a, b, c, d = story["holders"]
    report = audit(history.platform, aml=AmlSettings(large_amount=10**6, large_value=200_000))
    assert report.breaches == (), [x.message for x in report.breaches]
    assert report.cross_check is not None and report.cross_check.ok, report.cross_check.differences
    assert report.ok
    state = report.state["exchange"]
    assert [e["state"] for e in state["escrows"].values()] == [2, 3, 4]
    assert state["payment_tokens"][story["token"]]["currency"] == "KZT"
    assert report.state["issuances"][str(grain)]["frozen"] == {a.address: 5}
    assert report.state["issuances"][str(cotton)]["frozen"] == {d.address: 1_000}
    # The report: offers with both legs and the price, the cancellation, each escrow's outcome.
    x = report.exchange
    assert x is not None
    assert [(o.kind, o.maker, o.taker) for o in x.offers] == [
        ("swap", a.address, b.address),
        ("dvp", a.address, c.address),
        ("dvp", c.address, b.address),
    ]
    assert x.offers[2].gives.startswith("1,000.00 KZT in token") and x.offers[2].wants == "10 units of issuance 2"
    assert x.offers[1].price == "2,500.00 KZT" and x.offers[0].price == "none (a swap: units for units)"
    assert [(n.maker, n.nonce) for n in x.cancellations] == [(d.address, story["cancelled"])]
    assert [(e.escrow_id, e.outcome) for e in x.escrows] == [(1, "settled"), (2, "lapsed"), (3, "cancelled")]
    assert x.escrows[0].delivered_to == c.address and x.escrows[0].price == "1,200.00 KZT"
    text = "\n".join(x.lines())
    assert "swap" in text and "2,500.00 KZT" in text and "lapsed" in text
    page = render_html(report)
    assert 'id="exchange"' in page and "1,200.00 KZT" in page and "unpriced" in page
    # AML: every exchange with its price in tenge; a swap unpriced with both legs.
    trades = {(t.kind, t.seller): t for t in report.aml_exchanges}
    assert trades["dvp", a.address].value_tiyn == 250_000 and trades["escrow", b.address].value_tiyn == 120_000
    assert trades["dvp", b.address].value_tiyn == 100_000 and trades["dvp", b.address].buyer == c.address
    assert trades["swap", a.address].value_tiyn is None and "unpriced" in trades["swap", a.address].detail
    assert "50 units of 2" in trades["swap", a.address].detail
    large = [f for f in report.aml if f.kind == "large_value"]
    assert [f.amount for f in large] == [50]  # 2,500.00 tenge at a threshold of 2,000.00
    assert exchanges_csv(report.aml_exchanges).splitlines()[0].startswith("kind,")
    body = json.loads(report.to_json(include_state=False))
    assert [e["outcome"] for e in body["exchange"]["escrows"]] == ["settled", "lapsed", "cancelled"]
    assert len(body["aml"]["exchanges"]) == 4 and body["counts"]["offers_taken"] == 3


def test_a_replay_resumed_while_an_escrow_is_open_ends_as_a_full_one(
    history: History, emoney_artifact: dict[str, Any], tmp_path: Path
) -> None:
    build_exchange_history(history, emoney_artifact)
    full = Replay(history.platform).run()
    opened = full.state.escrows[1].block  # settled a block later
    Replay(history.platform).run(to_block=opened).checkpoint().save(tmp_path / "cp.json")
    resumed = Replay(history.platform, checkpoint=Checkpoint.load(tmp_path / "cp.json")).run()
    assert resumed.breaches == [] and resumed.checkpoint().digest == full.checkpoint().digest
    assert resumed.state.escrows[1].state == 2 and resumed.state.escrows[1].ended_block > opened


# Through the permissive exchange ----------------------------------------------------------------


@pytest.fixture
def p(permissive: Permissive) -> Permissive:
    """Grain (1) and cotton (2) with collateral for 1,000 units each, 600 grain minted to holder 0
    and 300 cotton to holder 1; account 12 a settlement agent. Nothing so far breaks a rule."""
    permissive.setup(holders=4)
    for iid in (GRAIN, COTTON):
        permissive.create(iid)
        permissive.attest(iid, 1_000)
    permissive.mint(GRAIN, permissive.holder(0), 600)
    permissive.mint(COTTON, permissive.holder(1), 300)
    registry = permissive.registry.functions
    permissive.send(permissive.regulator, registry.grantRole(Role.SETTLEMENT_AGENT.id, agent(permissive).address))
    assert breaches_of(permissive) == []
    return permissive


def agent(p: Permissive) -> LocalAccount:
    return p.accounts[12]


def offer(
    p: Permissive,
    maker: LocalAccount,
    give: tuple[str, int, int],
    want: tuple[str, int, int],
    *,
    nonce: int = 1,
    taker: str = ZERO,
    expiry: int | None = None,
) -> Offer:
    """An offer of `maker`: (token, id, amount) given for (token, id, amount) wanted."""
    until = p.now() + 3600 if expiry is None else expiry
    return Offer(maker.address, taker, *give, *want, nonce, until)


def units(p: Permissive, iid: int, amount: int) -> tuple[str, int, int]:
    return (p.asset.address, iid, amount)


def leg(token: str, sender: LocalAccount | str, to: LocalAccount | str, iid: int, amount: int) -> tuple[Any, ...]:
    def name(x: LocalAccount | str) -> str:
        return x if isinstance(x, str) else x.address

    return (token, name(sender), name(to), iid, amount)


def take(p: Permissive, o: Offer, taker: LocalAccount, *legs: tuple[Any, ...]) -> Receipt:
    """`taker` takes `o` through the permissive exchange, which moves `legs` and nothing else."""
    return p.send(taker, p.px.take(o.as_tuple(), taker.address, list(legs)))


def swap(p: Permissive, nonce: int = 1) -> Offer:
    """Holder 0 gives 100 grain for 50 cotton of anyone."""
    return offer(p, p.holder(0), units(p, GRAIN, 100), units(p, COTTON, 50), nonce=nonce)


def swap_legs(p: Permissive, cotton: int = 50) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    a, b, asset = p.holder(0), p.holder(1), p.asset.address
    return leg(asset, a, b, GRAIN, 100), leg(asset, b, a, COTTON, cotton)


def test_the_permissive_exchange_moving_exactly_an_offers_legs_breaks_nothing(p: Permissive) -> None:
    take(p, swap(p), p.holder(1), *swap_legs(p))
    assert breaches_of(p) == []
    state = Replay(p.platform).run().state
    assert [(o.maker, o.taker) for o in state.offers] == [(p.holder(0).address, p.holder(1).address)]


def test_R11_an_offer_taken_moving_other_legs_than_it_says(p: Permissive) -> None:
    short = take(p, swap(p, nonce=1), p.holder(1), *swap_legs(p, cotton=40))
    one_leg = take(p, swap(p, nonce=2), p.holder(1), swap_legs(p)[0])
    breaches = breaches_of(p)
    assert found(breaches, short) == {"R11 exchange.legs"}
    assert found(breaches, one_leg) == {"R11 exchange.legs"}
    assert "did not move in its transaction" in " ".join(b.message for b in breaches if b.tx_hash == one_leg.tx_hash)


def test_R11_a_nonce_spent_twice(p: Permissive) -> None:
    take(p, swap(p, nonce=7), p.holder(1), *swap_legs(p))
    cancelled = p.send(p.holder(0), p.px.cancel(p.holder(0).address, 7))
    again = take(p, swap(p, nonce=7), p.holder(1), *swap_legs(p))
    breaches = breaches_of(p)
    assert found(breaches, cancelled) == {"R11 exchange.nonce"}
    assert found(breaches, again) == {"R11 exchange.nonce"}


def test_R11_an_offer_taken_after_its_expiry_or_by_its_maker(p: Permissive) -> None:
    a = p.holder(0)
    expired = offer(p, a, units(p, GRAIN, 100), units(p, COTTON, 50), expiry=p.now() - 1)
    late = take(p, expired, p.holder(1), *swap_legs(p))
    own = offer(p, a, units(p, GRAIN, 10), units(p, COTTON, 5), nonce=2)
    by_maker = take(p, own, a, leg(p.asset.address, a, a, GRAIN, 10), leg(p.asset.address, a, a, COTTON, 5))
    breaches = breaches_of(p)
    assert found(breaches, late) == {"R11 exchange.offer"}
    # Taken by its maker; its cotton leg (from a, which holds none) moved units a did not hold.
    assert "R11 exchange.offer" in found(breaches, by_maker)


def test_R11_units_moved_by_the_exchange_for_no_offer_or_escrow(p: Permissive) -> None:
    moved = p.send(p.holder(2), p.px.deliver(leg(p.asset.address, p.holder(0), p.holder(2), GRAIN, 10)))
    a, c = p.holder(0).address, p.holder(2).address
    batch = p.send(p.holder(2), p.px.deliverBatch(a, c, [GRAIN], [10]))
    breaches = breaches_of(p)
    assert found(breaches, moved) == {"R11 exchange.unexplained"}
    assert found(breaches, batch) == {"R11 exchange.unexplained"}


def open_escrow(p: Permissive, escrow_id: int, amount: int = 500, deadline: int | None = None) -> Receipt:
    """Holder 0 holds `amount` grain for holder 1 at 1,500.00 tenge under the agent."""
    until = p.now() + 3600 if deadline is None else deadline
    a, b = p.holder(0), p.holder(1)
    fn = p.px.openEscrow(escrow_id, GRAIN, a.address, b.address, agent(p).address, amount, 150_000, b"KZT", until)
    return p.send(a, fn)


def settle(p: Permissive, escrow_id: int, by: LocalAccount, amount: int = 500, **to: LocalAccount) -> Receipt:
    """`by` delivers `amount` grain of holder 0 (to holder 1 unless `to=` another) as escrow
    `escrow_id`'s settlement, against the payment reference "paid <escrow id>"."""
    delivery = leg(p.asset.address, p.holder(0), to.get("to", p.holder(1)), GRAIN, amount)
    return p.send(by, p.px.settle(escrow_id, delivery, h(f"paid {escrow_id}")))


def test_R11_escrowed_units_leaving_the_seller_by_a_plain_transfer(p: Permissive) -> None:
    open_escrow(p, 1)
    moved = p.move(p.holder(0), p.holder(2), GRAIN, 200)  # 400 left of the 500 escrowed
    free = p.move(p.holder(0), p.holder(2), GRAIN, 0)
    breaches = breaches_of(p)
    assert found(breaches, moved) == {"R11 exchange.escrow"}
    assert found(breaches, free) == {"R11 exchange.escrow"}  # still below what is escrowed


def test_R11_an_escrow_of_units_not_free_or_under_an_agent_without_the_role(p: Permissive) -> None:
    too_much = open_escrow(p, 1, amount=700)
    a, b = p.holder(0), p.holder(1)
    stranger = p.accounts[13].address
    fn = p.px.openEscrow(2, GRAIN, a.address, b.address, stranger, 10, 150_000, b"KZT", p.now() + 3600)
    no_agent = p.send(a, fn)
    breaches = breaches_of(p)
    assert found(breaches, too_much) == {"R11 exchange.escrow"}
    assert found(breaches, no_agent) == {"R11 exchange.escrow"}


def test_R11_a_settlement_after_the_deadline(p: Permissive) -> None:
    open_escrow(p, 1, deadline=p.now() + 100)
    p.wait(200)
    late = settle(p, 1, agent(p))
    assert found(breaches_of(p), late) == {"R11 exchange.settlement"}


def test_R11_a_settlement_by_another_than_the_agent_or_to_another_wallet(p: Permissive) -> None:
    open_escrow(p, 1, amount=250)
    open_escrow(p, 2, amount=250)
    by_stranger = settle(p, 1, p.holder(3), 250)
    elsewhere = settle(p, 2, agent(p), 250, to=p.holder(2))
    breaches = breaches_of(p)
    assert found(breaches, by_stranger) == {"R11 exchange.settlement"}
    assert found(breaches, elsewhere) == {"R11 exchange.settlement"}


def test_R11_a_lapse_before_the_deadline_and_a_settlement_after_the_lapse(p: Permissive) -> None:
    open_escrow(p, 1)
    early = p.send(p.holder(3), p.px.lapse(1))
    after = settle(p, 1, agent(p))
    breaches = breaches_of(p)
    assert found(breaches, early) == {"R11 exchange.settlement"}
    assert found(breaches, after) == {"R11 exchange.settlement"}


def test_R11_an_agent_party_to_its_escrow_a_payment_confirmed_twice_a_cancellation_by_anyone(
    p: Permissive,
) -> None:
    a, b = p.holder(0), p.holder(1)
    p.send(p.regulator, p.registry.functions.grantRole(Role.SETTLEMENT_AGENT.id, b.address))
    fn = p.px.openEscrow(1, GRAIN, a.address, b.address, b.address, 10, 150_000, b"KZT", p.now() + 3600)
    party = p.send(a, fn)
    for escrow_id in (2, 3):
        until = p.now() + 60
        p.send(a, p.px.openEscrow(escrow_id, GRAIN, a.address, b.address, agent(p).address, 10, 150_000, b"KZT", until))
    delivery = leg(p.asset.address, a, b, GRAIN, 10)
    p.send(agent(p), p.px.settle(2, delivery, h("one payment")))
    twice = p.send(agent(p), p.px.settle(3, delivery, h("one payment")))
    open_escrow(p, 4, amount=100)
    by_anyone = p.send(p.holder(3), p.px.cancelEscrow(4))
    ordered = p.send(p.regulator, p.px.cancelEscrow(1))
    after = p.send(p.regulator, p.px.cancelEscrow(1))
    breaches = breaches_of(p)
    assert found(breaches, party) == {"R11 exchange.escrow"}
    assert found(breaches, twice) == {"R11 exchange.settlement"}
    assert found(breaches, by_anyone) == {"R12 role.missing"}
    assert found(breaches, ordered) == set()
    assert found(breaches, after) == {"R11 exchange.settlement"}


def emoney_of(p: Permissive, artifact: dict[str, Any], payer: LocalAccount, *, listed: bool = True) -> str:
    """A test e-money token: `payer` holds 10,000.00 tenge of it and lets the permissive exchange
    take them; the regulator lists it unless told not to."""
    token = emoney(p, artifact)
    money = erc20(p, token, artifact)
    p.send(p.accounts[0], money.mint(payer.address, 1_000_000))
    p.send(payer, money.approve(p.platform.deployment.exchange, 1_000_000))
    if listed:
        p.send(p.regulator, p.px.listPaymentToken(token, b"KZT", 2))
    return token


def test_R11_a_payment_of_another_amount_or_in_an_unlisted_token(
    p: Permissive, emoney_artifact: dict[str, Any]
) -> None:
    a, c = p.holder(0), p.holder(2)
    token = emoney_of(p, emoney_artifact, c)
    dvp = offer(p, a, units(p, GRAIN, 50), (token, 0, 250_000))
    short = take(p, dvp, c, leg(p.asset.address, a, c, GRAIN, 50), leg(token, c, a, 0, 200_000))
    unlisted = emoney_of(p, emoney_artifact, c, listed=False)
    other = offer(p, a, units(p, GRAIN, 50), (unlisted, 0, 250_000), nonce=2)
    unpaid = take(p, other, c, leg(p.asset.address, a, c, GRAIN, 50), leg(unlisted, c, a, 0, 250_000))
    breaches = breaches_of(p)
    assert found(breaches, short) == {"R11 exchange.legs"}
    assert found(breaches, unpaid) == {"R11 exchange.payment_token"}


def test_R10_a_leg_to_an_unregistered_wallet(p: Permissive, emoney_artifact: dict[str, Any]) -> None:
    a, stranger = p.holder(0), p.accounts[13]
    token = emoney_of(p, emoney_artifact, stranger)
    dvp = offer(p, a, units(p, GRAIN, 50), (token, 0, 250_000))
    taken = take(p, dvp, stranger, leg(p.asset.address, a, stranger, GRAIN, 50), leg(token, stranger, a, 0, 250_000))
    assert found(breaches_of(p), taken) == {"R10 recipient.ineligible"}


def test_R12_a_payment_token_listed_by_anyone(p: Permissive, emoney_artifact: dict[str, Any]) -> None:
    token = emoney(p, emoney_artifact)
    listed = p.send(p.holder(0), p.px.listPaymentToken(token, b"KZT", 2))
    assert found(breaches_of(p), listed) == {"R12 role.missing"}


# ERC-7943's events, over a hand-built history ---------------------------------------------------


def test_erc7943_frozen_sets_what_is_frozen_and_forced_transfer_follows_its_order() -> None:
    story = Story().ready()
    story.attest(100, T0 + 500)
    engine.transfer(story, engine.ZERO, ALICE, 10)
    frozen = story.auditor.state.issuances[1].frozen
    story.emit("SecuredAsset", "Frozen", account=ALICE, tokenId=1, amount=40)  # more than ALICE holds
    assert frozen == {engine._cs(ALICE): 40} and story.breaches() == []
    story.emit("SecuredAsset", "Frozen", account=ALICE, tokenId=1, amount=4)
    tx = story.emit(
        "SecuredAsset",
        "TransferOrdered",
        id=1,
        **{"from": ALICE, "to": BOB},
        amount=9,
        unfrozen=3,
        orderHash=H,
        by=REGULATOR,
    )
    story.emit("SecuredAsset", "Frozen", tx=tx, account=ALICE, tokenId=1, amount=1)
    engine.transfer(story, ALICE, BOB, 9, tx=tx)
    story.emit("SecuredAsset", "ForcedTransfer", tx=tx, **{"from": ALICE, "to": BOB}, tokenId=1, amount=9)
    assert story.breaches() == [] and frozen == {engine._cs(ALICE): 1}
    # A ForcedTransfer that follows no order, and an order's Frozen that contradicts its TransferOrdered.
    story.emit("SecuredAsset", "ForcedTransfer", **{"from": BOB, "to": ALICE}, tokenId=1, amount=1)
    assert story.breaches() == ["order.forced_transfer"]
    tx = story.emit(
        "SecuredAsset",
        "TransferOrdered",
        id=1,
        **{"from": ALICE, "to": BOB},
        amount=1,
        unfrozen=1,
        orderHash=H,
        by=REGULATOR,
    )
    story.emit("SecuredAsset", "Frozen", tx=tx, account=ALICE, tokenId=1, amount=1)  # the order left 0
    assert story.breaches() == ["order.forced_transfer", "history.inconsistent"]


def test_a_freeze_binds_the_holders_dealing_not_an_enforcement(p: Permissive) -> None:
    a, d = p.holder(0), p.holder(3)
    eid = int(p.send(a, p.p.encumber(a.address, GRAIN, d.address, 100, 0)).event("Encumbered")["encumbranceId"])
    # 550 frozen where 500 were free (ERC-7943's setFrozenTokens may: here the permissive asset's door).
    frozen = p.send(p.compliance, p.p.freezeUnits(GRAIN, a.address, 550))
    enforced = p.send(p.operator, p.p.enforce(eid, a.address, d.address, GRAIN, 100))  # 500 left, 550 frozen
    moved = p.move(a, d, GRAIN, 1)
    breaches = breaches_of(p)
    assert found(breaches, frozen) == {"R10 units.frozen"}
    assert found(breaches, enforced) == set()
    assert found(breaches, moved) == {"R10 units.frozen"}
