"""Rate limits (the `limits` library, moving windows, kept in this process): requests per API key
and per holder wallet, sign-in attempts per client address, and the gas each holder's relayed
actions may cost the operator.

Each limit is a setting in the `limits` notation (`"20/second;600/minute"`; empty: no limit). A
refusal is `rate_limited` or `gas_budget_exceeded` with `Retry-After`. The counts live in the
gateway's process and start again when it restarts; one gateway process serves a database.
"""

from __future__ import annotations

import math
import time

from limits import RateLimitItem, RateLimitItemPerSecond, parse_many
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from api.auth.principal import Principal, Role
from api.errors import ApiError, GasBudgetExceeded, RateLimited


class RateLimits:
    def __init__(
        self,
        *,
        per_api_key: str,
        per_wallet: str,
        sign_in_per_address: str,
        relay_gas_budget: int,
        relay_gas_window: int,
    ) -> None:
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._per_api_key = _items(per_api_key)
        self._per_wallet = _items(per_wallet)
        self._sign_in = _items(sign_in_per_address)
        self._gas = RateLimitItemPerSecond(relay_gas_budget, relay_gas_window) if relay_gas_budget > 0 else None

    def admit(self, caller: Principal) -> None:
        """Counts a request of `caller`; RateLimited once its key or wallet sent too many."""
        if caller.role is Role.HOLDER:
            self._hit(self._per_wallet, "wallet", caller.address)
        else:
            self._hit(self._per_api_key, "key", caller.key_id or caller.address)

    def admit_sign_in(self, client: str) -> None:
        """Counts a nonce or sign-in request from the client address `client`."""
        self._hit(self._sign_in, "sign-in", client)

    def spend_gas(self, holder: str, gas: int) -> None:
        """Takes `gas` from `holder`'s relay budget, before the operator sends the holder's signed
        action; GasBudgetExceeded, and nothing taken, if the budget does not hold it."""
        if self._gas is None:
            return
        if not self._limiter.hit(self._gas, "gas", holder, cost=gas):
            raise GasBudgetExceeded(
                f"the relayed actions of {holder} would cost more than {self._gas.amount} gas within "
                f"{self._gas.get_expiry()} s",
                budget=self._gas.amount,
                window=self._gas.get_expiry(),
            ).with_headers(Retry_After=str(self._retry_after(self._gas, "gas", holder)))

    def _hit(self, items: list[RateLimitItem], *identity: str) -> None:
        for item in items:
            if not self._limiter.hit(item, *identity):
                error: ApiError = RateLimited(f"at most {item} requests", limit=str(item))
                raise error.with_headers(Retry_After=str(self._retry_after(item, *identity)))

    def _retry_after(self, item: RateLimitItem, *identity: str) -> int:
        reset = self._limiter.get_window_stats(item, *identity).reset_time
        return max(1, math.ceil(reset - time.time()))


def _items(notation: str) -> list[RateLimitItem]:
    return parse_many(notation) if notation.strip() else []
