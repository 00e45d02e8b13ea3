"""What the event handlers share: the state, the breaches found so far, movements and observers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple, Protocol

from eth_utils import keccak

from sdap.audit.rules import Breach
from sdap.audit.state import ZERO_ADDRESS, AuditState, Issuance
from sdap.events import Event

REGULATOR_ROLE = keccak(text="REGULATOR_ROLE")
OPERATOR_ROLE = keccak(text="OPERATOR_ROLE")
VERIFIER_ROLE = keccak(text="VERIFIER_ROLE")
COMPLIANCE_ROLE = keccak(text="COMPLIANCE_ROLE")
DEFAULT_ADMIN_ROLE = b"\0" * 32

# Routes through the asset's balance path (Compliance.Route).
STANDARD, ENFORCEMENT, FORCED = 0, 1, 2


class Movement(NamedTuple):
    """One item of a balance change. `kind` is mint, transfer, enforcement, forced, redemption or
    burn (a burn that no redemption explains). A named tuple: one is made per movement."""

    block: int
    timestamp: int
    tx_hash: str
    log_index: int
    issuance_id: int
    sender: str
    recipient: str
    amount: int
    kind: str


class Observer(Protocol):
    """Anything that follows the movements of a replay (AML monitor, supply chart, lineage)."""

    def on_movement(self, movement: Movement) -> None: ...


Handler = Callable[[Event, int], None]


class AuditorBase:
    """The state being rebuilt and the breaches found, with the helpers every handler uses."""

    def __init__(self, asset: str, state: AuditState | None, observers: Sequence[Observer]) -> None:
        self.asset = asset
        self.state = state if state is not None else AuditState()
        self.breaches: list[Breach] = []
        self.observers = tuple(observers)
        self._notify = tuple(o.on_movement for o in self.observers)

    def add_observer(self, observer: Observer) -> None:
        self.observers = (*self.observers, observer)
        self._notify = (*self._notify, observer.on_movement)

    def _breach(self, code: str, event: Event, message: str, **details: object) -> None:
        self.breaches.append(Breach.of(code, event.block_number, event.tx_hash, event.log_index, message, **details))

    def _require_role(self, event: Event, role: bytes, account: str, role_name: str) -> None:
        if not self.state.has_role(role, account):
            self._breach("role.missing", event, f"{event.name} by {account}, who lacks {role_name}", account=account)

    def _issuance(self, issuance_id: int) -> Issuance:
        """The issuance, or a placeholder for units of an id never created (already a breach)."""
        iss = self.state.issuances.get(issuance_id)
        if iss is None:
            iss = Issuance(ZERO_ADDRESS, 0, ZERO_ADDRESS, 0, b"\0" * 32, "", b"\0" * 32, "", -1, "")
            self.state.issuances[issuance_id] = iss
        return iss
