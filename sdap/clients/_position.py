"""A wallet's position found from the asset's events. The asset keeps no list of a holder's
issuances or encumbrances (ERC-1155 balances are not enumerable, and a list per holder would cost
every transfer), so the candidates are read from the logs that ever gave the wallet units or an
encumbrance, and each is kept only if the state now says it is still the wallet's."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sdap.events import EventDecoder, address_topic, event_topic, stream_events
from sdap.transactions import chain_errors
from sdap.types import Position

if TYPE_CHECKING:
    from sdap.clients.queries import PlatformQueries

#: Events whose fourth topic is the wallet that received units or now holds an encumbrance, so one
#: eth_getLogs filter finds them all: TransferSingle/TransferBatch `to`, Encumbered `holder`, and
#: EncumbranceRecovered `replacement` (an encumbrance that came with an earlier recovery).
_RECEIVED = (
    event_topic("TransferSingle(address,address,address,uint256,uint256)"),
    event_topic("TransferBatch(address,address,address,uint256[],uint256[])"),
)
_ENCUMBRANCES = (
    event_topic("Encumbered(uint256,uint256,address,address,uint256,uint64,bytes32)"),
    event_topic("EncumbranceRecovered(uint256,address,address)"),
)


def position_of(queries: PlatformQueries, wallet: str) -> Position:
    """The issuances `wallet` holds units of and the active encumbrances it holds, now."""
    platform = queries.platform
    issuance_ids: set[int] = set()
    encumbrance_ids: set[int] = set()
    with chain_errors():
        for event in stream_events(
            platform.w3,
            [platform.deployment.asset],
            platform.deployment.deployment_block,
            decoder=EventDecoder(["SecuredAsset"]),
            topics=[[*_RECEIVED, *_ENCUMBRANCES], None, None, address_topic(wallet)],
        ):
            if event.name == "TransferSingle":
                issuance_ids.add(int(event["id"]))
            elif event.name == "TransferBatch":
                issuance_ids.update(int(i) for i in event["ids"])
            else:
                encumbrance_ids.add(int(event["encumbranceId"]))
    held = queries.balances(wallet, sorted(issuance_ids))
    active = [e for e in sorted(encumbrance_ids) if _still_held(queries, e, wallet)]
    return Position(wallet, tuple(i for i, amount in held.items() if amount), tuple(active))


def _still_held(queries: PlatformQueries, encumbrance_id: int, wallet: str) -> bool:
    # Released, enforced, or moved on with a later recovery: no longer this wallet's.
    found = queries.encumbrance(encumbrance_id)
    return found.active and found.holder == wallet
