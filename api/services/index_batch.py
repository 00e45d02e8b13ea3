"""What one catch-up read of the chain adds to the event index (api.services.index): each event's
rows or changes (`Batch.add`), and all of them written in one database transaction (`write`), a
range read again adding nothing twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, and_, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from api.db import now
from api.db.schema import (
    accreditation_withdrawals,
    attestations,
    coverage_records,
    encumbrances,
    escrows,
    holdings,
    issuances,
    movements,
    offers,
    payment_tokens,
    redemptions,
)
from sdap.deployment import Deployment
from sdap.events import Event
from sdap.types import Offer

ZERO = "0x0000000000000000000000000000000000000000"
_MOVEMENTS = ("TransferSingle", "TransferBatch")
#: The tables the index fills; a rebuild empties them all.
TABLES = (
    movements,
    holdings,
    attestations,
    coverage_records,
    accreditation_withdrawals,
    escrows,
    encumbrances,
    payment_tokens,
    redemptions,
    issuances,
)
#: An escrow's state after each of its closing events.
_ESCROW_ENDS = {"EscrowSettled": "settled", "EscrowLapsed": "lapsed", "EscrowCancelled": "cancelled"}
#: An encumbrance's state after each of the events that end it.
_ENCUMBRANCE_ENDS = {"EncumbranceReleased": "released", "EncumbranceEnforced": "enforced"}
_ENCUMBRANCE_EVENTS = ("Encumbered", "EncumbranceRecovered", *_ENCUMBRANCE_ENDS)
#: A redemption request's state after each of the events that answer it.
_REDEMPTION_ENDS = {"RedemptionConfirmed": "confirmed", "RedemptionRefused": "refused"}
#: How many keys one `IN (...)` names at most (SQLite bounds a statement's parameters).
_CHUNK = 500
#: An expiry past what the database's signed 64-bit integers hold is as good as never.
_NEVER = 2**63 - 1


@dataclass
class Batch:
    """What one catch-up read adds to the index, in chain order: `add` takes each event, `write`
    stores it all in one transaction."""

    movements: list[dict[str, Any]] = field(default_factory=list)
    attestations: list[dict[str, Any]] = field(default_factory=list)
    #: (attestation id, block): revoked or superseded there.
    ended: list[tuple[str, int]] = field(default_factory=list)
    #: The latest recorded coverage of each issuance in the range.
    coverage: dict[int, dict[str, Any]] = field(default_factory=dict)
    withdrawals: list[dict[str, Any]] = field(default_factory=list)
    #: Offers taken: their hash, the maker, its nonce (spent for every offer of it) and the fill.
    taken: list[dict[str, Any]] = field(default_factory=list)
    #: (maker, nonce) spent by a cancellation.
    cancelled: list[tuple[str, str]] = field(default_factory=list)
    escrows: list[dict[str, Any]] = field(default_factory=list)
    #: (escrow id, state) in chain order.
    escrow_ends: list[tuple[int, str]] = field(default_factory=list)
    encumbrances: list[dict[str, Any]] = field(default_factory=list)
    #: (encumbrance id, the columns an event changed) in chain order.
    encumbrance_changes: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    payment_tokens: list[dict[str, Any]] = field(default_factory=list)
    redemptions: list[dict[str, Any]] = field(default_factory=list)
    #: (request id, state) in chain order.
    redemption_ends: list[tuple[int, str]] = field(default_factory=list)
    issuances: list[dict[str, Any]] = field(default_factory=list)
    #: (issuance id, its successor operator) in chain order.
    successions: list[tuple[int, str]] = field(default_factory=list)

    def add(self, event: Event, deployment: Deployment, time_of: Callable[[Event], int]) -> None:
        """The rows `event` adds or the rows it changes; `time_of` gives an event's block time."""
        d = deployment
        if event.name in _MOVEMENTS:
            self.movements.extend(_movements(event, time_of(event)))
        elif event.name == "AttestationAttached" and event["asset"] == d.asset:
            self.attestations.append(
                {
                    "attestation_id": _hex(event["attestationId"]),
                    "issuance_id": int(event["issuanceId"]),
                    "verifier": event["verifier"],
                    "valid_until": min(int(event["attestation"]["validUntil"]), _NEVER),
                }
            )
        elif event.name in ("AttestationRevoked", "AttestationSuperseded"):
            self.ended.append((_hex(event["attestationId"]), event.block_number))
        elif event.name == "CoverageSynced" and event.address == d.asset:
            self.coverage[int(event["id"])] = {
                "block_number": event.block_number,
                "log_index": event.log_index,
                "block_time": time_of(event),
                "supply": str(int(event["supply"])),
            }
        elif event.name == "AccreditationWithdrawn":
            self.withdrawals.append(
                {
                    "tx_hash": event.tx_hash,
                    "log_index": event.log_index,
                    "block_number": event.block_number,
                    "block_time": time_of(event),
                    "verifier": event["verifier"],
                }
            )
        elif event.address == d.exchange:
            _exchange_event(self, event)
        elif event.name in _ENCUMBRANCE_EVENTS and event.address == d.asset:
            _encumbrance_event(self, event)
        elif event.name == "RedemptionRequested" and event.address == d.asset:
            self.redemptions.append(
                {
                    "request_id": int(event["requestId"]),
                    "issuance_id": int(event["id"]),
                    "holder": event["holder"],
                    "amount": str(int(event["amount"])),
                    "fulfilment_ref": _hex(event["fulfilmentRef"]),
                    "state": "requested",
                }
            )
        elif event.name == "IssuanceCreated" and event.address == d.asset:
            self.issuances.append(
                {"issuance_id": int(event["id"]), "issuer": event["issuer"], "operator": event["operator"]}
            )
        elif event.name == "IssuanceSucceeded" and event.address == d.asset:
            self.successions.append((int(event["id"]), event["successor"]))
        elif event.name in _REDEMPTION_ENDS and event.address == d.asset:
            self.redemption_ends.append((int(event["requestId"]), _REDEMPTION_ENDS[event.name]))


def _movements(event: Event, block_time: int) -> list[dict[str, Any]]:
    """The rows of a TransferSingle, or of each item of a TransferBatch."""
    if event.name == "TransferSingle":
        items = [(int(event["id"]), int(event["value"]))]
    else:
        items = [(int(i), int(v)) for i, v in zip(event["ids"], event["values"], strict=True)]
    return [
        {
            "tx_hash": event.tx_hash,
            "log_index": event.log_index,
            "item": n,
            "block_number": event.block_number,
            "block_time": block_time,
            "issuance_id": issuance_id,
            "operator": event["operator"],
            "from_address": event["from"],
            "to_address": event["to"],
            "amount": str(amount),
        }
        for n, (issuance_id, amount) in enumerate(items)
    ]


def _exchange_event(batch: Batch, event: Event) -> None:
    if event.name == "OfferTaken":
        batch.taken.append(
            {
                "offer_hash": _hex(event["offerHash"]),
                "maker": event["maker"],
                "nonce": str(Offer.from_chain(event["offer"]).nonce),
                "filled_by": event["taker"],
                "fill_tx": event.tx_hash,
                "fill_block": event.block_number,
            }
        )
    elif event.name == "OfferCancelled":
        batch.cancelled.append((event["maker"], str(int(event["nonce"]))))
    elif event.name == "EscrowOpened":
        batch.escrows.append(
            {
                "escrow_id": int(event["escrowId"]),
                "issuance_id": int(event["issuanceId"]),
                "seller": event["seller"],
                "buyer": event["buyer"],
                "agent": event["agent"],
                "amount": str(int(event["amount"])),
                "price": str(int(event["price"])),
                "currency": bytes(event["currency"]).decode("ascii"),
                "deadline": min(int(event["deadline"]), _NEVER),
                "state": "open",
            }
        )
    elif event.name in _ESCROW_ENDS:
        batch.escrow_ends.append((int(event["escrowId"]), _ESCROW_ENDS[event.name]))
    elif event.name == "PaymentTokenListed":
        batch.payment_tokens.append(
            {"token": event["token"], "block_number": event.block_number, "log_index": event.log_index}
        )


def _encumbrance_event(batch: Batch, event: Event) -> None:
    encumbrance_id = int(event["encumbranceId"])
    if event.name == "Encumbered":
        batch.encumbrances.append(
            {
                "encumbrance_id": encumbrance_id,
                "issuance_id": int(event["id"]),
                "holder": event["holder"],
                "beneficiary": event["beneficiary"],
                "amount": str(int(event["amount"])),
                "expiry": min(int(event["expiry"]), _NEVER),
                "reference_hash": _hex(event["referenceHash"]),
                "state": "active",
            }
        )
    elif event.name == "EncumbranceRecovered":
        batch.encumbrance_changes.append((encumbrance_id, {"holder": event["replacement"]}))
    else:
        batch.encumbrance_changes.append((encumbrance_id, {"state": _ENCUMBRANCE_ENDS[event.name]}))


def write(conn: Connection, batch: Batch) -> None:
    """Stores `batch`: new rows inserted, then the changes its events made, in chain order."""
    new_movements = _not_yet_indexed(conn, batch.movements)
    _insert_new(conn, movements, new_movements)
    _add_to_holdings(conn, new_movements)
    _insert_new(conn, attestations, batch.attestations)
    # After the insertions: an attestation may be attached and replaced in the same range.
    for attestation_id, block in batch.ended:
        conn.execute(
            attestations.update()
            .where(attestations.c.attestation_id == attestation_id, attestations.c.ended_block.is_(None))
            .values(ended_block=block)
        )
    for issuance_id, record in batch.coverage.items():
        where = coverage_records.c.issuance_id == issuance_id
        if conn.execute(coverage_records.update().where(where).values(**record)).rowcount == 0:
            conn.execute(coverage_records.insert().values(issuance_id=issuance_id, **record))
    _insert_new(conn, accreditation_withdrawals, batch.withdrawals)
    # A nonce is spent once: by the take of one of its offers (the others of it are cancelled
    # then), or by a cancellation.
    closed_at = now()
    for fill in batch.taken:
        maker, nonce = fill.pop("maker"), fill.pop("nonce")
        conn.execute(
            offers.update()
            .where(offers.c.offer_hash == fill["offer_hash"])
            .values(**fill, status="taken", closed_at=closed_at)
        )
        batch.cancelled.append((maker, nonce))
    for maker, nonce in batch.cancelled:
        spent = and_(offers.c.maker == maker, offers.c.nonce == nonce, offers.c.status == "open")
        conn.execute(offers.update().where(spent).values(status="cancelled", closed_at=closed_at))
    _insert_new(conn, escrows, batch.escrows)
    for escrow_id, state in batch.escrow_ends:
        conn.execute(escrows.update().where(escrows.c.escrow_id == escrow_id).values(state=state))
    # A token listed again after a delisting keeps the place of its first listing.
    _insert_new(conn, payment_tokens, batch.payment_tokens)
    _insert_new(conn, encumbrances, batch.encumbrances)
    for encumbrance_id, change in batch.encumbrance_changes:
        conn.execute(encumbrances.update().where(encumbrances.c.encumbrance_id == encumbrance_id).values(**change))
    _insert_new(conn, issuances, batch.issuances)
    for issuance_id, successor in batch.successions:
        conn.execute(issuances.update().where(issuances.c.issuance_id == issuance_id).values(operator=successor))
    _insert_new(conn, redemptions, batch.redemptions)
    for request_id, state in batch.redemption_ends:
        conn.execute(redemptions.update().where(redemptions.c.request_id == request_id).values(state=state))


def _not_yet_indexed(conn: Connection, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The movements of `rows` the index does not have yet (a range read again has them all)."""
    hashes = sorted({row["tx_hash"] for row in rows})
    known: set[tuple[str, int, int]] = set()
    for start in range(0, len(hashes), _CHUNK):
        query = select(movements.c.tx_hash, movements.c.log_index, movements.c.item).where(
            movements.c.tx_hash.in_(hashes[start : start + _CHUNK])
        )
        known.update((r.tx_hash, r.log_index, r.item) for r in conn.execute(query))
    return [row for row in rows if (row["tx_hash"], row["log_index"], row["item"]) not in known]


def _add_to_holdings(conn: Connection, new_movements: list[dict[str, Any]]) -> None:
    """Adds what `new_movements` move to the balances they change; a balance back at zero is
    removed. Amounts are decimal strings: a uint256 fits no integer column of either database."""
    changes: dict[tuple[int, str], int] = defaultdict(int)
    for row in new_movements:
        amount = int(row["amount"])
        if row["from_address"] != ZERO:
            changes[row["issuance_id"], row["from_address"]] -= amount
        if row["to_address"] != ZERO:
            changes[row["issuance_id"], row["to_address"]] += amount
    by_issuance: dict[int, list[str]] = defaultdict(list)
    for issuance_id, holder in changes:
        by_issuance[issuance_id].append(holder)
    for issuance_id, holders in by_issuance.items():
        current: dict[str, int] = {}
        for start in range(0, len(holders), _CHUNK):
            query = select(holdings.c.holder, holdings.c.balance).where(
                holdings.c.issuance_id == issuance_id, holdings.c.holder.in_(holders[start : start + _CHUNK])
            )
            current.update((r.holder, int(r.balance)) for r in conn.execute(query))
        for holder in holders:
            balance = current.get(holder, 0) + changes[issuance_id, holder]
            key = and_(holdings.c.issuance_id == issuance_id, holdings.c.holder == holder)
            if balance == 0:
                conn.execute(delete(holdings).where(key))
            elif holder in current:
                conn.execute(holdings.update().where(key).values(balance=str(balance)))
            else:
                conn.execute(holdings.insert().values(issuance_id=issuance_id, holder=holder, balance=str(balance)))


def _insert_new(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Inserts the rows whose key is not there yet. A range is read again when the cursor was put
    back or removed with the rows kept (by hand, or by a migration so that events newly indexed
    are read from the deployment block); its events are then the same rows by their key (tx hash,
    log index, item; attestation id), which a plain insert would refuse, failing every sync."""
    if not rows:
        return
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    conn.execute(insert(table).on_conflict_do_nothing(), rows)


def _hex(value: bytes) -> str:
    return "0x" + bytes(value).hex()
