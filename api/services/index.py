"""The event index: every movement of units, from the asset contract's ERC-1155 events, in the
gateway's database for fast history and holder queries. The chain stays the authority: balances
are read from it; the index says where to look and what happened when.

The cursor keeps the last indexed block and its hash; when the chain no longer has that block (a
devnet rewound, a reorganisation), the index is rebuilt from the deployment block.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, delete, or_, select

from api.db import Database
from api.db.schema import index_cursor, movements
from sdap.deployment import Deployment
from sdap.events import EventDecoder, stream_events
from sdap.transactions import rpc

ZERO = "0x0000000000000000000000000000000000000000"
_MOVEMENTS = ("TransferSingle", "TransferBatch")


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
            rebuild = False
            if cursor is not None:
                block = rpc(lambda: self._w3.eth.get_block(int(cursor.block_number)))
                if "0x" + bytes(block["hash"]).hex() == cursor.block_hash:
                    start = int(cursor.block_number) + 1
                else:
                    rebuild = True
            head = rpc(lambda: self._w3.eth.get_block("latest"))
            head_number = int(head["number"])
            if start > head_number and not rebuild:
                return head_number
            rows = self._rows(start, head_number) if start <= head_number else []
            with self._db.write() as conn:
                if rebuild:
                    conn.execute(delete(movements))
                if rows:
                    conn.execute(movements.insert(), rows)
                self._save_cursor(conn, head_number, "0x" + bytes(head["hash"]).hex(), cursor is not None)
            return head_number

    def _rows(self, start: int, end: int) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        times: dict[int, int] = {}
        events = stream_events(self._w3, [self._deployment.asset], start, end, decoder=self._decoder)
        for event in events:
            if event.name not in _MOVEMENTS:
                continue
            if event.block_number not in times:
                times[event.block_number] = self._timestamp(event.block_number)
            if event.name == "TransferSingle":
                items = [(int(event["id"]), int(event["value"]))]
            else:
                items = [(int(i), int(v)) for i, v in zip(event["ids"], event["values"], strict=True)]
            for n, (issuance_id, amount) in enumerate(items):
                rows.append(
                    {
                        "tx_hash": event.tx_hash,
                        "log_index": event.log_index,
                        "item": n,
                        "block_number": event.block_number,
                        "block_time": times[event.block_number],
                        "issuance_id": issuance_id,
                        "operator": event["operator"],
                        "from_address": event["from"],
                        "to_address": event["to"],
                        "amount": str(amount),
                    }
                )
        return rows

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

    def history(self, address: str, *, limit: int, before_block: int | None = None) -> list[dict[str, Any]]:
        """Movements into or out of `address`, newest first."""
        query = (
            select(movements)
            .where(or_(movements.c.from_address == address, movements.c.to_address == address))
            .order_by(movements.c.block_number.desc(), movements.c.log_index.desc(), movements.c.item.desc())
            .limit(limit)
        )
        if before_block is not None:
            query = query.where(movements.c.block_number < before_block)
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

    def holders(self, issuance_id: int) -> dict[str, int]:
        """Each holder's balance of an issuance, from the movements (zero balances left out)."""
        query = select(movements.c.from_address, movements.c.to_address, movements.c.amount).where(
            movements.c.issuance_id == issuance_id
        )
        balances: dict[str, int] = defaultdict(int)
        with self._db.read() as conn:
            for row in conn.execute(query):
                amount = int(row.amount)
                if row.from_address != ZERO:
                    balances[row.from_address] -= amount
                if row.to_address != ZERO:
                    balances[row.to_address] += amount
        return {holder: amount for holder, amount in sorted(balances.items()) if amount}
