"""Fixtures of the browser tests: the prepared world (tests/sdk/world.py) behind a real gateway
served over HTTP, and a headless Chromium page with a test wallet injected. Skipped, with the
reason, where Debian's chromium is not installed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import CHROMIUM, InjectedWallet, build_app, chromium, free_port, serving
from eth_account.signers.local import LocalAccount
from gateway_support import settings_for
from playwright.sync_api import Browser, Page
from world import World, build

from api.app import create_app
from sdap.anvil import Anvil
from sdap.platform import Platform

if CHROMIUM is None:
    pytest.skip("chromium is not installed (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    build_app()
    with chromium() as b:
        yield b


@pytest.fixture
def world(platform: Platform, accounts: list[LocalAccount]) -> World:
    return build(platform, accounts)


@pytest.fixture
def gateway_url(world: World, anvil: Anvil, accounts: list[LocalAccount], tmp_path: Path) -> Iterator[str]:
    world.platform.resync_nonces()
    deployment = world.platform.deployment.save(tmp_path / "deployment.json")
    port = free_port()
    settings = settings_for(
        anvil, deployment, f"sqlite:///{tmp_path / 'gateway.db'}", public_url=f"http://127.0.0.1:{port}"
    )
    app = create_app(settings, signers=[accounts[i] for i in (1, 2, 3, 4, 5)], background=False)
    with serving(app, port) as url:
        yield url


@pytest.fixture
def page(browser: Browser, gateway_url: str) -> Iterator[Page]:
    context = browser.new_context(base_url=gateway_url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


@pytest.fixture
def wallet(page: Page, world: World) -> InjectedWallet:
    """Holder a's wallet (100 units of issuance 1), injected into `page` before it loads."""
    injected = InjectedWallet(world.w3, world.accounts[6])
    injected.install(page)
    return injected
