"""The event index: the platform's events in the gateway's database, so that a request finds what
it lists without reading the chain item by item or its logs from the start:

- every movement of units (the asset's ERC-1155 events), and the balances they add up to:
  histories and an issuance's holders;
- the asset's collateral attestations, each issuance's last recorded coverage and the verifiers'
  accreditations withdrawn: what the coverage watch (api.services.coverage) reads;
- each published offer's state (taken, cancelled), every escrow and its state, and where each
  payment token was first listed: the exchange's listings;
- every issuance's issuer and operator now, every encumbrance with its holder and state, every
  redemption request with its state: the lists of issuances, a holder's live encumbrances and the
  redemption requests filter here.

The chain stays the authority: balances and coverage are read from it; the index says where to
look and what happened when. The cursor keeps the last indexed block and its hash; when the chain
no longer has that block (a devnet rewound, a reorganisation), the index is rebuilt from the
deployment block.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Connection, and_, delete, or_, select

from api.db import Database
from api.db.schema import (
    encumbrances,
    holdings,
    index_cursor,
    issuances,
    movements,
    offers,
    payment_tokens,
    redemptions,
)
from api.services.index_batch import TABLES, Batch, write
from sdap.deployment import Deployment
from sdap.events import Event, EventDecoder, stream_events
from sdap.transactions import rpc


class EventIndex:
    def __init__(self, db: Database, w3: Any, deployment: Deployment, decoder: EventDecoder) -> None:
        self._db = db
        self._w3 = w3
        self._deployment = deployment
        self._decoder = decoder
        self._lock = threading.Lock()

    def sync(self) -> int:
        """Indexes up to the head; returns the last block indexed."""
        with self._lock:
            with self._db.read() as conn:
                cursor = conn.execute(select(index_cursor).where(index_cursor.c.id == 1)).first()
            start = self._deployment.deployment_block
            head = rpc(lambda: self._w3.eth.get_block("latest"))
            head_number = int(head["number"])
            rebuild = False
            if cursor is not None:
                # Rewound below the indexed block (which is gone then), or that block replaced.
                rebuild = int(cursor.block_number) > head_number
                if not rebuild:
                    block = rpc(lambda: self._w3.eth.get_block(int(cursor.block_number)))
                    rebuild = "0x" + bytes(block["hash"]).hex() != cursor.block_hash
                if not rebuild:
                    start = int(cursor.block_number) + 1
            if start > head_number and not rebuild:
                return head_number
            batch = self._read(start, head_number) if start <= head_number else Batch()
            with self._db.write() as conn:
                if rebuild:
                    for table in TABLES:
                        conn.execute(delete(table))
                    conn.execute(
                        offers.update().values(
                            status="open", filled_by=None, fill_tx=None, fill_block=None, closed_at=None
                        )
                    )
                write(conn, batch)
                self._save_cursor(conn, head_number, "0x" + bytes(head["hash"]).hex(), cursor is not None)
            return head_number

    def _read(self, start: int, end: int) -> Batch:
        batch = Batch()
        times: dict[int, int] = {}

        def time_of(event: Event) -> int:
            if event.block_number not in times:
                times[event.block_number] = self._timestamp(event.block_number)
            return times[event.block_number]

        d = self._deployment
        sources = [d.asset, d.collateral, d.registry, d.exchange]
        for event in stream_events(self._w3, sources, start, end, decoder=self._decoder):
            batch.add(event, d, time_of)
        return batch

    def _timestamp(self, number: int) -> int:
        return int(rpc(lambda: self._w3.eth.get_block(number))["timestamp"])

    @staticmethod
    def _save_cursor(conn: Connection, number: int, block_hash: str, exists: bool) -> None:
        if exists:
            conn.execute(
                index_cursor.update().where(index_cursor.c.id == 1).values(block_number=number, block_hash=block_hash)
            )
        else:
            conn.execute(index_cursor.insert().values(id=1, block_number=number, block_hash=block_hash))

    # --- queries --------------------------------------------------------------------------

    def history(
        self,
        address: str,
        *,
        limit: int,
        before_block: int | None = None,
        after: tuple[int, int, int] | None = None,
    ) -> list[dict[str, Any]]:
        """Movements into or out of `address`, newest first; those that come after the movement
        at `after` (block, log index, item) in that order, when given."""
        query = (
            select(movements)
            .where(or_(movements.c.from_address == address, movements.c.to_address == address))
            .order_by(movements.c.block_number.desc(), movements.c.log_index.desc(), movements.c.item.desc())
            .limit(limit)
        )
        if before_block is not None:
            query = query.where(movements.c.block_number < before_block)
        if after is not None:
            block, log, item = after
            query = query.where(
                or_(
                    movements.c.block_number < block,
                    and_(
                        movements.c.block_number == block,
                        or_(movements.c.log_index < log, and_(movements.c.log_index == log, movements.c.item < item)),
                    ),
                )
            )
        with self._db.read() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def issuances_of(self, address: str) -> list[int]:
        """Issuances `address` ever received or sent units of."""
        query = (
            select(movements.c.issuance_id)
            .where(or_(movements.c.from_address == address, movements.c.to_address == address))
            .distinct()
        )
        with self._db.read() as conn:
            return sorted(int(i) for i in conn.scalars(query))

    def holders(self, issuance_id: int, after: str | None = None, limit: int | None = None) -> dict[str, int]:
        """Each holder's balance of an issuance as the movements add up, by address: those past
        `after`, at most `limit`. The asset's own custody, units pending redemption, is no holder."""
        query = (
            select(holdings.c.holder, holdings.c.balance)
            .where(holdings.c.issuance_id == issuance_id, holdings.c.holder != self._deployment.asset)
            .order_by(holdings.c.holder)
            .limit(limit)
        )
        if after is not None:
            query = query.where(holdings.c.holder > after)
        with self._db.read() as conn:
            return {row.holder: int(row.balance) for row in conn.execute(query)}

    def payment_tokens(self, after: tuple[int, int] | None, limit: int) -> list[dict[str, Any]]:
        """At most `limit` listed payment tokens (token, block_number, log_index) in the order first
        listed, after the first listing at `after` (block, log index)."""
        table = payment_tokens
        query = select(table).order_by(table.c.block_number, table.c.log_index).limit(limit)
        if after is not None:
            block, log = after
            query = query.where(
                or_(table.c.block_number > block, and_(table.c.block_number == block, table.c.log_index > log))
            )
        with self._db.read() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def issuance_ids(self, *, operator: str | None, issuer: str | None, after: int, limit: int) -> list[int]:
        """At most `limit` issuance ids past `after`, in order, run by `operator` now and of `issuer`
        when named."""
        table = issuances
        query = (
            select(table.c.issuance_id).where(table.c.issuance_id > after).order_by(table.c.issuance_id).limit(limit)
        )
        for column, value in (("operator", operator), ("issuer", issuer)):
            if value is not None:
                query = query.where(table.c[column] == value)
        with self._db.read() as conn:
            return [int(i) for i in conn.scalars(query)]

    def redemption_requests(
        self, *, issuance_id: int | None, holder: str | None, state: str | None, after: int, limit: int
    ) -> list[dict[str, Any]]:
        """At most `limit` redemption requests with ids past `after`, in id order, of `issuance_id`,
        by `holder` and in `state` when named."""
        table = redemptions
        query = select(table).where(table.c.request_id > after).order_by(table.c.request_id).limit(limit)
        for column, value in (("issuance_id", issuance_id), ("holder", holder), ("state", state)):
            if value is not None:
                query = query.where(table.c[column] == value)
        with self._db.read() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def live_encumbrances(self, holder: str, after: int, limit: int) -> list[dict[str, Any]]:
        """At most `limit` of `holder`'s live (active) encumbrances with ids past `after`, in id
        order, as the asset's events left them."""
        query = (
            select(encumbrances)
            .where(
                encumbrances.c.holder == holder,
                encumbrances.c.state == "active",
                encumbrances.c.encumbrance_id > after,
            )
            .order_by(encumbrances.c.encumbrance_id)
            .limit(limit)
        )
        with self._db.read() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]


def listing_position(cursor: str) -> tuple[int, int]:
    """A payment tokens cursor, `block.log` of the last token's first listing on the page before."""
    block, log = (int(part) for part in cursor.split("."))
    return block, log


def movement_position(cursor: str) -> tuple[int, int, int]:
    """A history cursor, `block.log.item` of the last movement of the page before."""
    block, log, item = (int(part) for part in cursor.split("."))
    return block, log, item
