"""What the event handlers share: the state, the breaches found so far, movements and observers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple, Protocol

from sdap.audit.rules import Breach, coverage, permit_active
from sdap.audit.state import OPERATOR_ROLE, ZERO_ADDRESS, AuditState, Issuance
from sdap.events import Event
from sdap.types import RedemptionState

# Routes through the asset's balance path (Compliance.Route; its Recovery route is the batch a
# HoldingsRecovered announces, which no rule of dealing checks). Redemption: units moving into the
# asset's custody on a holder's request (the holder's rules apply, the custody is no participant)
# and out of it on the request's confirmation or refusal (no dealing, no rule of dealing).
STANDARD, ENFORCEMENT, FORCED, REDEMPTION = 0, 1, 2, 4


class Movement(NamedTuple):
    """One item of a balance change. `kind` is mint, transfer, enforcement, forced, exchange (a leg
    of an offer taken), settlement (an escrow's units delivered), recovery (a
    lost wallet's units following it to its replacement), redemption_request (into the asset's
    custody), redemption (out of custody, burnt on the issuer's confirmation), redemption_refused
    (out of custody, back to the holder) or burn (a burn that no confirmation explains); `request`
    is the redemption request the last three belong to (0 for any other). A named tuple: one is
    made per movement."""

    block: int
    timestamp: int
    tx_hash: str
    log_index: int
    issuance_id: int
    sender: str
    recipient: str
    amount: int
    kind: str
    request: int = 0


class Trade(NamedTuple):
    """One exchange settled: an offer taken or an escrow's delivery. `kind` is swap (units for
    units: `seller`, the maker, gave `units` of `issuance_id` for `other_units` of
    `other_issuance_id`; no price), dvp (units against an on-chain payment token: `price` in its
    smallest unit, `decimals` of them to one unit of `currency`, "" and None when the token was never
    listed) or escrow (units against a payment made off-chain: `price` in the smallest unit of
    `currency`, `decimals` None). `buyer` received the units (for a swap, the taker)."""

    kind: str
    block: int
    timestamp: int
    tx_hash: str
    log_index: int
    seller: str
    buyer: str
    issuance_id: int
    units: int
    other_issuance_id: int
    other_units: int
    price: int
    currency: str
    decimals: int | None


class Observer(Protocol):
    """Anything that follows the movements of a replay (AML monitor, supply chart, lineage). One
    that also has `on_exchange(trade: Trade)` is told of every exchange settled."""

    def on_movement(self, movement: Movement) -> None: ...


Handler = Callable[[Event, int], None]


class AuditorBase:
    """The state being rebuilt and the breaches found, with the helpers every handler uses."""

    #: CoverageSynced events (with their block's timestamp) waiting for the movement of their
    #: transaction whose supply they counted (sdap.audit._issuance_events).
    _synced_ahead: tuple[tuple[Event, int], ...] = ()

    def __init__(self, asset: str, chain_id: int, state: AuditState | None, observers: Sequence[Observer]) -> None:
        self.asset = asset
        self.chain_id = chain_id
        self.state = state if state is not None else AuditState()
        self.breaches: list[Breach] = []
        self.observers = tuple(observers)
        self._notify = tuple(o.on_movement for o in self.observers)
        self._notify_trade: tuple[Callable[[Trade], None], ...] = tuple(
            o.on_exchange for o in self.observers if hasattr(o, "on_exchange")
        )
        # Issuance id -> (supply, timestamp, covered until) of the last count of its live
        # collateral. The count stands until an attestation, an accreditation or the supply changes
        # (expiries are in the figure itself), so a movement compares one number, as the asset does.
        self._counted: dict[int, tuple[int, int, int]] = {}
        # Issuance id -> units its pending redemption requests hold, which its custody (the asset's
        # own balance) must hold too: kept as requests come and settle, not summed per movement.
        self._pending: dict[int, int] = {}
        for r in self.state.redemptions.values():
            if r.state == RedemptionState.REQUESTED:
                self._pending[r.issuance_id] = self._pending.get(r.issuance_id, 0) + r.amount

    def add_observer(self, observer: Observer) -> None:
        self.observers = (*self.observers, observer)
        self._notify = (*self._notify, observer.on_movement)
        if hasattr(observer, "on_exchange"):
            self._notify_trade = (*self._notify_trade, observer.on_exchange)

    def _breach(self, code: str, event: Event, message: str, **details: object) -> None:
        self.breaches.append(Breach.of(code, event.block_number, event.tx_hash, event.log_index, message, **details))

    def _require_role(self, event: Event, role: bytes, account: str, role_name: str) -> None:
        if not self.state.has_role(role, account):
            self._breach("role.missing", event, f"{event.name} by {account}, who lacks {role_name}", account=account)

    def _require_active_operator(self, event: Event, account: str, timestamp: int, act: str) -> None:
        """What the registry's and the asset's `_requireActiveOperator` ask: the role, then the permit."""
        if not self.state.has_role(OPERATOR_ROLE, account):
            self._breach("role.missing", event, f"{act} by {account}, who lacks OPERATOR_ROLE", account=account)
        elif not permit_active(self.state, account, timestamp):
            self._breach("permit.inactive", event, f"{act} by {account}, whose permit is not active", operator=account)

    def _covered(self, issuance_id: int, iss: Issuance, timestamp: int) -> bool:
        """Whether the issuer's live collateral covers the issuance's supply at `timestamp`."""
        counted = self._counted.get(issuance_id)
        if counted is None or counted[0] != iss.supply or timestamp < counted[1]:
            until = coverage(self.state, self.asset, issuance_id, iss.issuer, iss.supply, timestamp)[1]
            counted = self._counted[issuance_id] = (iss.supply, timestamp, until)
        return counted[2] > timestamp

    def _recount(self, issuance_id: int | None = None) -> None:
        """Forgets the count of one issuance's collateral (all of them when None)."""
        if issuance_id is None:
            self._counted.clear()
        else:
            self._counted.pop(issuance_id, None)

    def _issuance(self, issuance_id: int) -> Issuance:
        """The issuance, or a placeholder for units of an id never created (already a breach)."""
        iss = self.state.issuances.get(issuance_id)
        if iss is None:
            iss = Issuance(ZERO_ADDRESS, 0, ZERO_ADDRESS, 0, b"\0" * 32, "", b"\0" * 32, "", -1, "")
            self.state.issuances[issuance_id] = iss
        return iss
