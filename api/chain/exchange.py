"""What the gateway reads of the exchange that the SDK's queries do not give yet: every payment
token ever listed (the exchange keeps no list; its PaymentTokenListed events do). One place, so it
can be swapped for the SDK's own once it has one."""

from __future__ import annotations

from eth_utils import to_checksum_address

from sdap.platform import Platform
from sdap.transactions import chain_errors


def listed_tokens(platform: Platform) -> list[str]:
    """Every token the regulator ever listed, in listing order, once."""
    event = platform.contracts.exchange.events.PaymentTokenListed
    with chain_errors():
        logs = event.get_logs(from_block=platform.deployment.deployment_block)
    return list(dict.fromkeys(to_checksum_address(log["args"]["token"]) for log in logs))
