"""The exchange in the holders' web app, in headless Chromium against anvil and the real gateway:
a holder makes an offer that a second holder takes (two browsers, two wallets), a maker cancels
an offer that can then no longer be taken, a seller escrows units for a buyer and follows the
escrow to its settlement by the agent, and offers that cannot be taken say why in words."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from browser import InjectedWallet
from emoney import EMoney
from eth_account.signers.local import LocalAccount
from playwright.sync_api import Browser, Locator, Page, expect
from world import World, advance, chain_time, h

from sdap.types import Role

#: The settlement agent (a bank the regulator named): one of anvil's accounts no role uses.
AGENT = 10
DAY = 24 * 3600


@pytest.fixture
def exchange_world(world: World) -> World:
    """The world plus issuance 2, of which holder b holds 50 units (holder a holds 100 of issuance 1)."""
    second = world.create_issuance(world.params(unit_description="1 tonne of barley, elevator No. 2")).id
    world.attest(500, issuance=second)
    world.operator.mint(second, world.b.address, 50)
    world.regulator.grant_role(Role.SETTLEMENT_AGENT, world.accounts[AGENT].address)
    return world


@pytest.fixture
def requested() -> list[str]:
    """Every URL the pages `open_as` opened asked for."""
    return []


@pytest.fixture
def open_as(
    browser: Browser, gateway_url: str, exchange_world: World, requested: list[str]
) -> Iterator[Callable[[LocalAccount], Page]]:
    """Opens the exchange in a browser context of its own with `account`'s wallet, signed in."""
    contexts = []

    def opened(account: LocalAccount) -> Page:
        context = browser.new_context(base_url=gateway_url, locale="en-GB", timezone_id="UTC")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.on("request", lambda r: requested.append(r.url))
        InjectedWallet(exchange_world.w3, account).install(page)
        page.goto("/app/#/exchange")
        page.get_by_role("button", name="Connect with Test wallet").click()
        page.get_by_role("button", name="Sign in with Ethereum").click()
        expect(page.locator("#make-offer")).to_be_visible()
        return page

    yield opened
    for context in contexts:
        context.close()


def free_units(page: Page, issuance: int) -> Locator:
    """The cell of `page`'s balances with the free units of `issuance`."""
    return page.locator(f'#exchange-balances tr[data-issuance="{issuance}"] td').nth(1)


def make_offer(page: Page, give: int, give_amount: int, want: str, want_amount: str, taker: str = "") -> str:
    """Fills and publishes an offer; returns its hash as the page shows it."""
    page.get_by_label("I give units of", exact=True).select_option(str(give))
    page.get_by_label("Units I give", exact=True).fill(str(give_amount))
    page.get_by_label("In exchange for", exact=True).select_option(label=want)
    page.get_by_label(re.compile("^Amount I want")).fill(want_amount)
    page.get_by_label("Only this taker (optional)", exact=True).fill(taker)
    published = page.locator("#offer-published [data-full]")
    before = published.get_attribute("data-full") if published.count() else None
    page.get_by_role("button", name="Sign and publish the offer").click()
    expect(published).to_be_visible()
    if before:  # the page still says which offer was published last: wait for the new one
        expect(published).not_to_have_attribute("data-full", before)
    return str(published.get_attribute("data-full"))


def offer_row(page: Page, offer_hash: str) -> Locator:
    return page.locator(f'#offers tr[data-offer="{offer_hash}"]')


def reopen(page: Page) -> None:
    """Reloads the page and connects the wallet again (the session survives the reload)."""
    page.reload()
    page.get_by_role("button", name="Connect with Test wallet").click()
    expect(page.locator("#make-offer")).to_be_visible()


def open_escrow(page: Page, world: World, amount: int, price: str, deadline: int) -> None:
    """Escrows `amount` units of issuance 1 for holder b, the agent to confirm by `deadline`."""
    page.get_by_label("Units to sell", exact=True).fill(str(amount))
    page.get_by_label("Buyer address", exact=True).fill(world.b.address)
    page.get_by_label("Settlement agent address", exact=True).fill(world.accounts[AGENT].address)
    page.get_by_label("Price in tenge (KZT)", exact=True).fill(price)
    # The browser's clock is UTC (the context's), the input its local time.
    local = datetime.fromtimestamp(deadline, UTC).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("Payment confirmed by", exact=True).fill(local)
    page.get_by_role("button", name="Sign and open the escrow (the operator relays)").click()


def test_a_holder_makes_an_offer_and_a_second_holder_takes_it(
    exchange_world: World, open_as: Callable[[LocalAccount], Page], requested: list[str], gateway_url: str
) -> None:
    world = exchange_world
    maker = open_as(world.accounts[6])  # holder a: 100 units of issuance 1
    expect(free_units(maker, 1)).to_have_text("100")
    offer = make_offer(maker, 1, 10, "units of issuance 2", "5")
    mine = offer_row(maker, offer)
    expect(mine).to_have_attribute("data-status", "open")
    expect(mine).to_contain_text("you")
    expect(mine.get_by_role("button", name="Cancel my offer")).to_be_visible()

    taker = open_as(world.accounts[7])  # holder b: 50 units of issuance 2
    expect(free_units(taker, 2)).to_have_text("50")
    row = offer_row(taker, offer)
    expect(row).to_contain_text("10 units of issuance 1")
    expect(row).to_contain_text("5 units of issuance 2")
    row.get_by_role("button", name="Take (the operator relays)").click()
    expect(taker.locator("#offer-taken")).to_contain_text("both sides moved")
    expect(free_units(taker, 1)).to_have_text("10")
    expect(free_units(taker, 2)).to_have_text("45")

    reopen(maker)
    expect(offer_row(maker, offer)).to_have_attribute("data-status", "taken")
    expect(offer_row(maker, offer)).to_contain_text(f"taken by {world.b.address[:6]}")
    expect(free_units(maker, 1)).to_have_text("90")
    expect(free_units(maker, 2)).to_have_text("5")
    q = world.queries
    assert (q.balance_of(world.a.address, 1), q.balance_of(world.a.address, 2)) == (90, 5)
    assert (q.balance_of(world.b.address, 1), q.balance_of(world.b.address, 2)) == (10, 45)
    # Both pages loaded everything from the gateway; the wallets read the chain, the pages never did.
    assert requested and all(url.startswith(gateway_url + "/") or url.startswith("data:") for url in requested)


def test_a_cancelled_offer_can_no_longer_be_taken(
    exchange_world: World, open_as: Callable[[LocalAccount], Page]
) -> None:
    world = exchange_world
    maker = open_as(world.accounts[6])
    offer = make_offer(maker, 1, 20, "units of issuance 2", "10")
    taker = open_as(world.accounts[7])  # sees the offer open, with its Take button
    take = offer_row(taker, offer).get_by_role("button", name="Take (the operator relays)")
    expect(take).to_be_visible()

    offer_row(maker, offer).get_by_role("button", name="Cancel my offer").click()
    expect(maker.locator("#offer-cancelled")).to_contain_text("no one can take it any more")
    expect(offer_row(maker, offer)).to_have_attribute("data-status", "cancelled")

    take.click()  # the page still shows the offer as it was: the gateway refuses, in words
    problem = taker.locator("#offers-result [role=alert]")
    expect(problem).to_have_attribute("data-code", "exchange_nonce_used")
    expect(problem).to_contain_text("The offer was already taken or cancelled")
    reopen(taker)
    expect(offer_row(taker, offer)).to_have_count(0)  # no longer among the open offers
    assert world.queries.balance_of(world.b.address, 1) == 0


def test_a_seller_escrows_units_and_the_buyer_sees_the_agents_confirmation(
    exchange_world: World, open_as: Callable[[LocalAccount], Page]
) -> None:
    world = exchange_world
    agent = world.accounts[AGENT]
    seller = open_as(world.accounts[6])
    open_escrow(seller, world, 25, "1 500 000,50", chain_time(world.w3) + 3 * DAY)
    expect(seller.locator("#escrow-opened")).to_contain_text("Escrow No. 1 opened.")
    row = seller.locator('#escrows tr[data-escrow="1"]')
    expect(row).to_contain_text("seller")
    expect(row).to_contain_text("1,500,000.50 KZT")
    expect(row.locator("[data-state]").last).to_have_text("open: awaiting payment")
    expect(free_units(seller, 1)).to_have_text("75")  # escrowed units are not free
    escrow = world.queries.escrow(1)
    assert (escrow.amount, escrow.price, escrow.currency, escrow.buyer) == (25, 150_000_050, "KZT", world.b.address)

    buyer = open_as(world.accounts[7])
    mine = buyer.locator('#escrows tr[data-escrow="1"]')
    expect(mine).to_contain_text("buyer")
    expect(mine.locator("[data-state]").last).to_have_text("open: awaiting payment")
    world.platform.settlement_agent(agent).confirm_payment(1, h("bank transfer 7781"))
    # The buyer's page follows the open escrow: settled without a reload.
    expect(mine.locator("[data-state]").last).to_have_text("settled: units delivered", timeout=15_000)
    buyer.select_option("#lang", "ru")
    expect(buyer.locator('#escrows tr[data-escrow="1"] [data-state]').last).to_have_text("исполнена: единицы переданы")
    assert world.queries.balance_of(world.b.address, 1) == 25


def test_an_offer_that_cannot_be_taken_says_why_in_words(
    exchange_world: World, open_as: Callable[[LocalAccount], Page]
) -> None:
    world = exchange_world
    world.operator.mint(2, world.c.address, 5)  # an offer naming its taker is checked against it when published
    maker = open_as(world.accounts[6])
    named = make_offer(maker, 1, 5, "units of issuance 2", "5", taker=world.c.address)
    swap = make_offer(maker, 1, 10, "units of issuance 2", "50")
    # The taker's units of issuance 2 are frozen by a compliance officer: its side cannot move.
    world.compliance.freeze_units(2, world.b.address, 50, h("court order 4"))

    taker = open_as(world.accounts[7])
    expect(offer_row(taker, named).locator(".why-not")).to_have_text("The offer is meant for another taker.")
    why = offer_row(taker, swap).locator(".why-not")
    expect(why).to_have_attribute("data-refusal", "want_leg_refused")
    expect(why).to_have_text(
        "Your side cannot be delivered to the maker now: the units are encumbered, frozen or in escrow."
    )
    expect(offer_row(taker, swap).get_by_role("button", name="Take (the operator relays)")).to_have_count(0)
    taker.select_option("#lang", "ru")
    expect(offer_row(taker, swap).locator(".why-not")).to_have_text(
        "Ваша сторона не может перейти к автору сейчас: единицы обременены, заморожены или на условном хранении."
    )
    expect(offer_row(taker, named).locator(".why-not")).to_have_text("Предложение адресовано другому участнику.")


def test_a_holder_sells_units_for_emoney_and_the_buyer_allows_the_payment_then_takes(
    exchange_world: World, open_as: Callable[[LocalAccount], Page], emoney_artifact: dict[str, Any]
) -> None:
    """Delivery against an e-money token: the taker pays, so its wallet first allows the exchange
    to take the price (a plain ERC-20 transaction, its gas), then takes the offer gaslessly."""
    world = exchange_world
    token = EMoney(world.platform, world.accounts[0], emoney_artifact)
    world.regulator.list_payment_token(token.address, "KZT")
    token.mint(world.b.address, 1_000_000)  # 10,000.00 tenge
    maker = open_as(world.accounts[6])
    offer = make_offer(maker, 1, 10, f"KZT (payment token {token.address[:8]}\u2026)", "2 500,00")

    taker = open_as(world.accounts[7])
    row = offer_row(taker, offer)
    expect(row).to_contain_text("2,500.00 KZT")
    expect(row.locator(".why-not")).to_have_attribute("data-refusal", "payment_not_available")
    row.get_by_role("button", name="Allow the exchange to take 2,500.00 KZT from my wallet (I pay gas)").click()
    offer_row(taker, offer).get_by_role("button", name="Take (the operator relays)").click()
    expect(taker.locator("#offer-taken")).to_contain_text("both sides moved")
    expect(free_units(taker, 1)).to_have_text("10")
    assert token.balance_of(world.a.address) == 250_000 and token.balance_of(world.b.address) == 750_000


def test_an_escrow_nobody_confirms_lapses_and_the_units_are_free_again(
    exchange_world: World, open_as: Callable[[LocalAccount], Page]
) -> None:
    world = exchange_world
    seller = open_as(world.accounts[6])
    open_escrow(seller, world, 40, "20000", chain_time(world.w3) + DAY)
    expect(seller.locator("#escrow-opened")).to_contain_text("Escrow No. 1 opened.")
    expect(free_units(seller, 1)).to_have_text("60")
    advance(world.w3, 2 * DAY)  # the deadline passes with no payment confirmed
    reopen(seller)
    row = seller.locator('#escrows tr[data-escrow="1"]')
    expect(row.locator("[data-state]").last).to_have_text("past its deadline: may be released")
    row.get_by_role("button", name="Release the units").click()
    expect(row.locator("[data-state]").last).to_have_text("lapsed: units free again")
    expect(free_units(seller, 1)).to_have_text("100")
    assert world.queries.available_units(1, world.a.address) == 100
