"""The auditor proper: applies events one by one to the rebuilt state, checking every rule.

It knows nothing of the node: feed it decoded events in chain order with the timestamp of their
block (the replay does that from `eth_getLogs`; tests can feed hand-built histories).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from eth_utils import to_checksum_address

from sdap.audit._base import Handler, Observer
from sdap.audit._collateral_events import CollateralHandlers
from sdap.audit._consent_events import ConsentHandlers
from sdap.audit._exchange_events import ExchangeHandlers
from sdap.audit._freeze_events import FreezeHandlers
from sdap.audit._governance_events import GovernanceHandlers
from sdap.audit._recovery_events import RecoveryHandlers
from sdap.audit._redemption_events import RedemptionHandlers
from sdap.audit._registry_events import RegistryHandlers
from sdap.audit.state import AuditState
from sdap.events import Event


class Auditor(
    RedemptionHandlers,
    ExchangeHandlers,
    FreezeHandlers,
    RecoveryHandlers,
    ConsentHandlers,
    CollateralHandlers,
    RegistryHandlers,
    GovernanceHandlers,
):
    """Rebuilds the state from events and records every breach of the rules.

    `addresses` maps the contract names of a deployment (PlatformRegistry, HolderForwarder,
    CollateralAttestations, SecuredAsset, SecuredExchange when the deployment has it, and
    RegulatorCouncil and RegulatorTimelock when governed) to their addresses: an event counts only
    when it comes from the contract that defines it there (the asset's extension runs on the asset's
    storage and its events come from the asset). An ERC-20 Transfer from any other address is a
    payment token's, judged as the payment leg of the offer taken in its transaction if any.
    `chain_id` is the chain's: issuers' consents are bound to it. Without a timelock the regulator
    is a single key and no governance rule applies.
    """

    def __init__(
        self,
        addresses: Mapping[str, str],
        *,
        chain_id: int,
        state: AuditState | None = None,
        observers: Sequence[Observer] = (),
    ) -> None:
        addr = {name: to_checksum_address(a) for name, a in addresses.items()}
        super().__init__(addr["SecuredAsset"], chain_id, state, observers)
        self.events = 0
        self.exchange = addr.get("SecuredExchange", "")
        self._handlers: dict[tuple[str, str], Handler] = {}
        for contract, handlers in (
            ("PlatformRegistry", self.registry_handlers()),
            ("CollateralAttestations", self.collateral_handlers()),
            ("HolderForwarder", self.forwarder_handlers()),
            ("SecuredAsset", self.asset_handlers()),
            ("SecuredAsset", self.freeze_handlers()),
            ("SecuredAsset", self.recovery_handlers()),
            ("SecuredAsset", self.issuance_handlers()),
            ("SecuredAsset", self.consent_handlers()),
            ("SecuredAsset", self.redemption_handlers()),
            ("SecuredExchange", self.exchange_handlers()),
        ):
            if contract not in addr:
                continue  # a deployment from before the exchange
            for name, handler in handlers.items():
                self._handlers[(addr[contract], name)] = handler
        timelock, council = addr.get("RegulatorTimelock"), addr.get("RegulatorCouncil")
        if timelock is not None:
            acted_on = ("PlatformRegistry", "CollateralAttestations", "SecuredAsset", "SecuredExchange")
            governed = frozenset(addr[c] for c in acted_on if c in addr)
            council_handlers, timelock_handlers = self.governance_handlers(governed, timelock)
            for name, handler in timelock_handlers.items():
                self._handlers[(timelock, name)] = handler
            if council is not None:
                for name, handler in council_handlers.items():
                    self._handlers[(council, name)] = handler

    def apply(self, event: Event, timestamp: int) -> None:
        """Applies one event of the block whose timestamp is `timestamp`."""
        self.events += 1
        if self._timelock is not None:
            self.enter_transaction(event)
        # A count of collateral logged ahead of the movement it counted waits for that movement of
        # its transaction; a count never ends an annotation (it may come between it and its movement).
        if self._synced_ahead and (
            event.tx_hash != self._synced_ahead[0][0].tx_hash
            or event.name not in ("CoverageSynced", "TransferSingle", "TransferBatch")
        ):
            self.flush_synced()
        if self._announced is not None and event.name not in ("TransferSingle", "Frozen", "CoverageSynced"):
            self.flush_announcement()  # an order's Frozen comes between its TransferOrdered and movement
        if self._legs is not None or self._delivery is not None:
            self.enter_exchange(event)
        if self._recovering is not None and event.name not in ("TransferBatch", "TransferSingle"):
            self.flush_recovery()
        if self._created is not None and event.name != "IssuerConsented":
            self.flush_consent()
        handler = self._handlers.get((event.address, event.name))
        if handler is not None:
            handler(event, timestamp)
        elif event.name == "Transfer":
            self.payment_transfer(event, timestamp)

    def apply_all(self, events: Iterable[tuple[Event, int]]) -> None:
        for event, timestamp in events:
            self.apply(event, timestamp)

    def close(self, block: int) -> None:
        """Ends the history at `block`: the state is as of that block's end."""
        self.flush_synced()
        self.flush_announcement()
        self.flush_recovery()
        self.flush_consent()
        self.flush_offer()
        self.flush_settlement()
        if self._timelock is not None:
            self.flush_governance()
        self.state.block = block
