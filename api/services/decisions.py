"""The decision-document watch (Law art. 7.1): the decision to issue must stay published, unchanged,
until the issuer's obligations are met, so every open issuance's decision is fetched again from its
URI and compared with the hash anchored on-chain."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from api.errors import ApiError, DecisionHashMismatch
from api.services.documents import Fetcher
from sdap.clients import PlatformQueries
from sdap.documents import document_hash

log = logging.getLogger("sdap.gateway.decisions")


@dataclass(frozen=True)
class DecisionStatus:
    issuance_id: int
    decision_uri: str
    decision_hash: bytes
    status: str  # ok | unavailable | changed
    found_hash: bytes | None
    detail: str | None


@dataclass(frozen=True)
class WatchReport:
    checked_at: int | None
    block_number: int | None
    issuances: tuple[DecisionStatus, ...]

    @property
    def ok(self) -> bool:
        return all(s.status == "ok" for s in self.issuances)


def verify_decision(fetcher: Fetcher, uri: str, expected: bytes) -> bytes:
    """Fetches the decision at `uri`; raises unless its sha256 is `expected`."""
    found = document_hash(fetcher.fetch(uri))
    if found != expected:
        raise DecisionHashMismatch(
            "the document at the decision URI does not hash to decision_hash",
            expected="0x" + expected.hex(),
            found="0x" + found.hex(),
        )
    return found


def check_decisions(queries: PlatformQueries, fetcher: Fetcher) -> WatchReport:
    """Checks every issuance not yet closed; closed ones need no longer be published."""
    block = int(queries.platform.w3.eth.block_number)
    stamp = queries.chain_time()
    results: list[DecisionStatus] = []
    for issuance_id in range(1, queries.issuance_count() + 1):
        issuance = queries.issuance(issuance_id)
        if issuance.closed:
            continue
        found: bytes | None = None
        try:
            found = document_hash(fetcher.fetch(issuance.decision_uri, remember_failure=True))
            status, detail = ("ok", None) if found == issuance.decision_hash else ("changed", "the document changed")
        except ApiError as exc:
            status, detail = "unavailable", exc.detail
        results.append(
            DecisionStatus(issuance_id, issuance.decision_uri, issuance.decision_hash, status, found, detail)
        )
        if status != "ok":
            log.warning("decision of issuance %s is %s: %s", issuance_id, status, detail)
    return WatchReport(stamp, block, tuple(results))


class DecisionWatch:
    """Keeps the last report; the periodic task and the endpoint refresh it."""

    def __init__(self, queries: PlatformQueries, fetcher: Fetcher) -> None:
        self._queries = queries
        self._fetcher = fetcher
        self._lock = threading.Lock()
        self.last = WatchReport(None, None, ())

    def run(self) -> WatchReport:
        with self._lock:
            self.last = check_decisions(self._queries, self._fetcher)
            return self.last

    def verified(self, issuance_id: int, uri: str, decision_hash: bytes) -> None:
        """Records that the decision now published at `uri` was just found to hash as anchored
        (its URI moved): the last report says so until the next check, which reads the URI from
        the chain as every check does."""
        checked = DecisionStatus(issuance_id, uri, decision_hash, "ok", decision_hash, None)
        with self._lock:
            last = self.last
            if last.checked_at is None:
                return  # nothing checked yet: the first check will fetch it
            others = [s for s in last.issuances if s.issuance_id != issuance_id]
            self.last = WatchReport(
                last.checked_at, last.block_number, tuple(sorted([*others, checked], key=lambda s: s.issuance_id))
            )
