"""The coverage watch: when collateral lapses (an attestation expires, or its verifier's
accreditation is withdrawn: the registry's AccreditationWithdrawn), the gateway has the chain
record each affected issuance's coverage again (`syncCoverage`), so the issuance's recorded state
and its CoverageSynced event follow without waiting for a movement of its units.

The rule does not wait for it. Expiry needs no call on-chain: the recorded `coveredUntil` already
ends when the attestations covering the supply expire, so the units stop moving then by
themselves; a withdrawal has the next movement count the collateral again before it passes. What
the sync adds is the record: the event that says, in the history an auditor replays, what the
collateral covered once it lapsed (under-collateralised, or covered until a later time by what is
left), and a recorded state that reads right to anyone looking.

Which issuances to sync comes from the event index (api.services.index), with no call to the
chain: those with an unended attestation that expired, or whose verifier was withdrawn, after the
issuance's coverage was last recorded and while its supply was not zero. After the sync, the new
record is later than the lapse, so an issuance is synced once per lapse.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from sqlalchemy import and_, select, tuple_

from api.chain.platform import Chain
from api.db import Database
from api.db.schema import accreditation_withdrawals, attestations, coverage_records
from api.services.index import EventIndex
from sdap.errors import ChainError, SdapError

log = logging.getLogger("sdap.gateway")


@dataclass(frozen=True)
class WatchRound:
    """One round of the watch: the chain time it judged expiry by, and the issuances it synced
    (and those it could not, each tried again next round)."""

    chain_time: int
    synced: tuple[int, ...]
    failed: tuple[int, ...]


class CoverageWatch:
    def __init__(self, chain: Chain, db: Database, index: EventIndex) -> None:
        self._chain = chain
        self._db = db
        self._index = index
        self._lock = threading.Lock()

    def run(self) -> WatchRound:
        """Brings the index up to the head, then syncs every issuance whose collateral lapsed since
        its coverage was last recorded. A node that does not answer ends the round (the next one
        tries again); a refusal of one issuance is logged and the others are still synced."""
        with self._lock:
            self._index.sync()
            now = self._chain.queries.chain_time()
            synced: list[int] = []
            failed: list[int] = []
            for issuance_id in self.lapsed(now):
                try:
                    self._chain.operator().sync_coverage(issuance_id)
                except ChainError:
                    raise
                except SdapError as exc:
                    log.warning("coverage of issuance %s not synced: %s", issuance_id, exc)
                    failed.append(issuance_id)
                    continue
                synced.append(issuance_id)
            if synced:
                log.info("coverage synced after collateral lapsed: issuances %s", synced)
            return WatchRound(now, tuple(synced), tuple(failed))

    def lapsed(self, now: int) -> list[int]:
        """Issuances whose collateral lapsed after their coverage was last recorded, by the chain
        time `now`; issuances with no supply are left out (there is nothing to cover)."""
        a, c, w = attestations, coverage_records, accreditation_withdrawals
        live = and_(a.c.ended_block.is_(None), c.c.supply != "0")
        expired = (
            select(a.c.issuance_id)
            .join(c, c.c.issuance_id == a.c.issuance_id)
            .where(live, a.c.valid_until <= now, a.c.valid_until > c.c.block_time)
        )
        withdrawn = (
            select(a.c.issuance_id)
            .join(c, c.c.issuance_id == a.c.issuance_id)
            .join(w, w.c.verifier == a.c.verifier)
            .where(
                live,
                # withdrawn before it expired (else the expiry was the lapse), and not recorded
                # since. An attestation attached later (a new accreditation) is not caught: its
                # attachment recorded the coverage after the withdrawal.
                a.c.valid_until > w.c.block_time,
                tuple_(w.c.block_number, w.c.log_index) > tuple_(c.c.block_number, c.c.log_index),
            )
        )
        with self._db.read() as conn:
            found = set(conn.scalars(expired)) | set(conn.scalars(withdrawn))
        return sorted(int(i) for i in found)
