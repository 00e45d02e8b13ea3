"""The holders' web app in headless Chromium against anvil and the real gateway: the public
register, a holder signing in with a wallet, acknowledging the notice, transferring from the
wallet and gaslessly, asking for a redemption, refusals in words, and nothing loaded from anywhere
but the gateway."""

from __future__ import annotations

import hashlib
import re

from browser import InjectedWallet
from playwright.sync_api import Page, expect
from world import World, h


def open_account(page: Page) -> None:
    page.goto("/app/#/account")
    page.get_by_role("button", name="Connect with Test wallet").press("Enter")  # by keyboard
    page.get_by_role("button", name="Sign in with Ethereum").press("Enter")
    expect(page.locator("#identification")).to_be_visible()


def test_the_register_shows_the_issuance_and_the_page_loads_nothing_from_elsewhere(
    page: Page, gateway_url: str
) -> None:
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto("/")
    issuances = page.get_by_role("region", name="Issuances")
    expect(issuances.get_by_role("link", name="Issuance 1")).to_be_visible()
    expect(issuances).to_contain_text("Warehouse receipt for grain")
    expect(issuances).to_contain_text("500 units covered, 100 issued")
    expect(page.get_by_role("region", name="Issuers")).to_contain_text("Astana Grain LLP")
    expect(page.get_by_role("region", name="Operators and their permits")).to_contain_text("active")
    page.get_by_role("link", name="Issuance 1").click()
    expect(page.locator("dl.facts")).to_contain_text("1 tonne of wheat, class 3, elevator No. 7")
    expect(page.locator("#decision-check")).to_contain_text("not checked yet")
    page.select_option("#lang", "ru")
    expect(page.get_by_role("heading", level=2)).to_contain_text("Выпуск 1")
    page.goto("/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("SDAP gateway")
    outside = [url for url in requested if not url.startswith(gateway_url + "/") and not url.startswith("data:")]
    assert requested and outside == []


def test_a_holder_acknowledges_the_notice_and_transfers_both_ways(
    page: Page, wallet: InjectedWallet, world: World, gateway_url: str
) -> None:
    world.regulator.publish_risk_notice(h("risk notice v2"), "https://sdap.example/risk/2")
    world.b.acknowledge_risk_notice()
    b = world.b.address
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    open_account(page)
    expect(page.locator("#identification")).to_have_attribute("data-status", "notice_not_acknowledged")
    page.get_by_role("button", name=re.compile("acknowledge by signature")).click()
    expect(page.locator("#identification")).to_have_attribute("data-status", "eligible")
    expect(page.locator("#balances")).to_contain_text("100")

    page.get_by_label("Recipient address", exact=True).fill(b)
    page.get_by_label("Units", exact=True).fill("10")
    page.get_by_role("button", name="Check the transfer").click()
    expect(page.locator("#transfer-result")).to_contain_text("The chain would accept this transfer.")
    page.get_by_role("button", name="Send without gas (the operator relays)").click()
    expect(page.locator("#confirmed")).to_contain_text("Confirmed in block")
    expect(page.locator("#balances tbody tr").first).to_contain_text("90")
    assert world.queries.balance_of(b, world.issuance) == 10
    assert "eth_sendTransaction" not in wallet.calls  # the operator paid

    page.get_by_label("Recipient address", exact=True).fill(b)
    page.get_by_label("Units", exact=True).fill("5")
    page.get_by_role("button", name="Send from my wallet (I pay gas)").click()
    expect(page.locator("#balances tbody tr").first).to_contain_text("85")
    assert "eth_sendTransaction" in wallet.calls
    assert world.queries.balance_of(b, world.issuance) == 15
    history = page.locator("#history tbody tr")
    expect(history).to_have_count(3)  # the mint and the two transfers, each with block and transaction
    expect(history.first).to_contain_text("transfer")
    # Dates in the viewer's locale (en-GB: day before month), amounts grouped as it groups them.
    expect(history.first.locator("td").first).to_have_text(re.compile(r"^\d{1,2} [A-Z][a-z]{2} \d{4}"))
    # The wallet's reads and sends went through the wallet, never from the page to the node.
    assert requested and all(url.startswith(gateway_url + "/") for url in requested)


def test_a_refused_transfer_is_explained(page: Page, wallet: InjectedWallet) -> None:
    open_account(page)
    page.get_by_label("Recipient address", exact=True).fill("0x000000000000000000000000000000000000dEaD")
    page.get_by_label("Units", exact=True).fill("1")
    page.get_by_role("button", name="Check the transfer").click()
    problem = page.locator("#transfer-result [role=alert]")
    expect(problem).to_have_attribute("data-code", "recipient_not_registered")
    expect(problem).to_contain_text("The recipient is not a registered participant")
    page.select_option("#lang", "ru")  # the form is kept; the refusal in Russian
    page.get_by_role("button", name="Проверить перевод").click()
    expect(problem).to_contain_text("Получатель не идентифицирован")
    page.select_option("#lang", "en")
    page.get_by_label("Units", exact=True).fill("1000")
    page.get_by_label("Recipient address", exact=True).fill(wallet.account.address)
    page.get_by_role("button", name="Send from my wallet (I pay gas)").click()
    expect(page.locator("#transfer-result [role=alert]")).to_be_visible()
    assert "eth_sendTransaction" not in wallet.calls


SECOND_WALLET = """
window.addEventListener("eip6963:requestProvider", () => window.dispatchEvent(new CustomEvent(
  "eip6963:announceProvider",
  { detail: { info: { uuid: "2", name: "Second wallet", icon: "", rdns: "org.example" }, provider: {} } },
)));
"""


def test_every_announced_wallet_is_offered_and_one_on_another_chain_is_asked_to_switch(
    page: Page, wallet: InjectedWallet
) -> None:
    page.add_init_script(SECOND_WALLET)  # EIP-6963: two wallets in one browser
    wallet.chain_id = 1
    page.goto("/app/#/account")
    expect(page.get_by_role("button", name="Connect with Second wallet")).to_be_visible()
    page.get_by_role("button", name="Connect with Test wallet").click()
    expect(page.get_by_role("alert")).to_contain_text("Your wallet is on chain 1; this platform is chain 31337.")
    page.get_by_role("button", name="Switch the wallet to chain 31337").click()
    expect(page.get_by_role("button", name="Sign in with Ethereum")).to_be_visible()
    assert wallet.chain_id == 31337


def test_a_frozen_holder_sees_why_and_its_frozen_and_encumbered_units(
    page: Page, wallet: InjectedWallet, world: World
) -> None:
    a = world.a.address
    world.a.encumber(world.issuance, 30, world.b.address, h("loan 7"))
    world.compliance.freeze_units(world.issuance, a, 20, h("court order 12"))
    open_account(page)
    row = page.locator("#balances tbody tr").first
    expect(row.locator("td")).to_have_text(["Issuance 1", "50", "30", "20", "0", "100"])
    expect(page.get_by_role("region", name="Encumbrances on my units")).to_contain_text("30")
    world.compliance.freeze_participant(a, h("suspicion report 3"))
    page.reload()
    page.get_by_role("button", name="Connect with Test wallet").click()
    expect(page.locator("#identification")).to_have_attribute("data-status", "frozen")
    expect(page.locator("#identification")).to_contain_text("Your account is frozen by a compliance officer")
    page.get_by_label("Recipient address", exact=True).fill(world.b.address)
    page.get_by_label("Units", exact=True).fill("1")
    page.get_by_role("button", name="Send without gas (the operator relays)").click()
    expect(page.locator("#transfer-result [role=alert]")).to_have_attribute("data-code", re.compile("frozen"))


def test_a_refusal_by_the_chain_itself_is_decoded_from_the_contracts_error(
    page: Page, wallet: InjectedWallet, world: World
) -> None:
    open_account(page)
    page.get_by_label("Recipient address", exact=True).fill(world.b.address)
    page.get_by_label("Units", exact=True).fill("5")
    # The gateway's check passes; the recipient is frozen before the wallet simulates the call.
    wallet.before["eth_call"] = lambda: world.compliance.freeze_participant(world.b.address, h("order 9"))
    page.get_by_role("button", name="Send from my wallet (I pay gas)").click()
    problem = page.locator("#transfer-result [role=alert]")
    expect(problem).to_have_attribute("data-code", "secured_asset_participant_not_eligible")
    expect(problem).to_contain_text("Secured asset: participant not eligible")
    expect(problem).to_contain_text(f"{world.b.address} is frozen by a compliance officer.")
    assert "eth_sendTransaction" not in wallet.calls


def test_a_holder_asks_to_redeem_and_sees_the_issuers_answer(page: Page, wallet: InjectedWallet, world: World) -> None:
    """Rules item 2.3 from the holder's side: the request signed in the wallet and relayed, the units
    waiting in custody, then the issuer's confirmation shown; the delivery reference anchored as the
    sha256 of its text, as the CLI anchors it."""
    open_account(page)
    page.get_by_label("Units to redeem", exact=True).fill("30")
    page.get_by_label("Delivery reference (where and how to deliver)", exact=True).fill("Silo 4, Kostanay")
    page.get_by_role("button", name="Ask the issuer to redeem (the operator relays)").click()
    expect(page.locator("#redeem-asked")).to_contain_text("Asked: redemption request No. 1.")
    expect(page.locator("#redemptions [data-state=requested]")).to_have_text("awaiting the issuer")
    expect(page.locator("#balances tbody tr").first.locator("td").last).to_have_text("70")
    expect(page.locator("#history tbody tr").first).to_contain_text("redemption asked")
    page.goto("/app/#/issuance/1")  # the register: in the supply, awaiting the issuer, held by no one
    expect(page.locator("#pending-redemption")).to_have_text("30")
    page.goto("/app/#/account")
    request = world.queries.redemption_request(1)
    assert (request.holder, request.amount) == (wallet.account.address, 30)
    assert request.fulfilment_ref == hashlib.sha256(b"Silo 4, Kostanay").digest()
    assert "eth_sendTransaction" not in wallet.calls  # the operator relayed it

    world.issuer.confirm_redemption(1, h("waybill 2026-114"))
    page.reload()
    page.get_by_role("button", name="Connect with Test wallet").click()
    expect(page.locator("#redemptions [data-state=confirmed]")).to_have_text("delivered and redeemed")
    page.select_option("#lang", "ru")
    expect(page.locator("#redemptions [data-state=confirmed]")).to_have_text("исполнена и погашена")
