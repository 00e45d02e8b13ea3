#!/usr/bin/env python3
"""Takes the README's screenshots of the web app from a running demo (`scripts/up`), in Debian's
headless Chromium through Playwright, the way the browser tests drive it: holder a's wallet
(var/demo-keys.json) injected into the page. Nothing on the chain changes: it signs in and checks
a transfer the chain would refuse, but sends none.

    scripts/up &    # then
    .venv/bin/python scripts/screenshots.py [--gateway http://127.0.0.1:8000] [--rpc http://127.0.0.1:8545]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from eth_account import Account
from web3 import Web3

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "web"))

from browser import CHROMIUM, InjectedWallet, chromium  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
VIEWPORT = {"width": 1180, "height": 820}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gateway", default="http://127.0.0.1:8000")
    parser.add_argument("--rpc", default="http://127.0.0.1:8545")
    parser.add_argument("--out", type=Path, default=OUT, help="where the PNGs go (default docs/screenshots)")
    parser.add_argument("--keys", type=Path, default=ROOT / "var" / "demo-keys.json", help="the demo's keys file")
    args = parser.parse_args()
    if CHROMIUM is None:
        raise SystemExit("chromium is not installed (apt-get install chromium)")
    keys = json.loads(args.keys.read_text())
    holder = Account.from_key(keys["accounts"]["holder_a"]["private_key"])
    args.out.mkdir(parents=True, exist_ok=True)

    with chromium() as browser:
        context = browser.new_context(base_url=args.gateway, viewport=VIEWPORT, locale="en-GB")
        page = context.new_page()
        InjectedWallet(Web3(Web3.HTTPProvider(args.rpc)), holder).install(page)

        def shot(name: str) -> None:
            page.wait_for_load_state("networkidle")
            page.screenshot(path=args.out / f"{name}.png", full_page=True)
            print(f"wrote {args.out / f'{name}.png'}")

        page.goto("/app/#/register")
        page.get_by_role("link", name="Issuance 1").wait_for()
        shot("register")
        page.goto("/app/#/issuance/1")
        page.get_by_role("heading", name=re.compile("^Issuance 1:")).wait_for()
        shot("issuance")
        page.goto("/app/#/account")
        page.get_by_role("button", name="Connect with Test wallet").click()
        page.get_by_role("button", name="Sign in with Ethereum").click()
        page.locator("#identification").wait_for()
        page.get_by_label("Recipient address", exact=True).fill("0x000000000000000000000000000000000000dEaD")
        page.get_by_label("Units", exact=True).fill("5")
        page.get_by_role("button", name="Check the transfer").click()
        page.locator("#transfer-result [role=alert]").wait_for()
        shot("account")
        page.select_option("#lang", "ru")
        page.get_by_role("button", name="Проверить перевод").click()
        page.locator("#transfer-result [role=alert]").wait_for()
        shot("account-ru")
        page.goto("/v1/docs")
        page.locator(".swagger-ui .info .title").wait_for()
        page.set_viewport_size({"width": 1180, "height": 700})
        page.screenshot(path=args.out / "api-docs.png")
        print(f"wrote {args.out / 'api-docs.png'}")
        context.close()


if __name__ == "__main__":
    main()
