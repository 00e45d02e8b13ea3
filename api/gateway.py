"""Everything one gateway process holds: settings, database, chain and keys, and the services the
routes call. Built at startup (api.app's lifespan), closed at shutdown."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from eth_account.signers.local import LocalAccount
from sqlalchemy.exc import DBAPIError

from api.auth.sessions import SessionStore
from api.chain.journal import Journal
from api.chain.platform import Chain, load_signers
from api.chain.recovery import Recovery, recover, resolve
from api.db import Database
from api.db.instance import GatewayAlreadyRunning, InstanceLock
from api.idempotency import IdempotencyStore
from api.rate_limits import RateLimits
from api.services.coverage import CoverageWatch
from api.services.decisions import DecisionWatch
from api.services.documents import Fetcher
from api.services.escrows import Escrows
from api.services.holders import Holders
from api.services.index import EventIndex
from api.services.issuances import Issuances
from api.services.notices import Notices
from api.services.offers import Offers
from api.services.redemptions import Redemptions
from api.services.wallet_recovery import WalletRecoveries
from api.settings import Settings
from sdap.errors import ConfigurationError, SdapError

log = logging.getLogger("sdap.gateway")

#: How often pending transactions are looked at, and how old one must be to be resolved by hash
#: without a lost send (a request that timed out, an answer that never came).
RESOLVE_EVERY, STALE_AFTER = 10.0, 60.0
#: Before the first new try of a lost send while the node does not answer (then doubled).
LOST_RETRY = 1.0
#: How often answered Idempotency-Keys past their retention are pruned.
PRUNE_EVERY = 3600.0


@dataclass
class Gateway:
    settings: Settings
    db: Database
    chain: Chain
    sessions: SessionStore
    idempotency: IdempotencyStore
    index: EventIndex
    fetcher: Fetcher
    decisions: DecisionWatch
    coverage: CoverageWatch
    issuances: Issuances
    notices: Notices
    holders: Holders
    wallet_recoveries: WalletRecoveries
    redemptions: Redemptions
    offers: Offers
    escrows: Escrows
    limits: RateLimits
    #: Held while this process serves the database (api.db.instance).
    instance: InstanceLock | None = None
    recovery: Recovery = field(default_factory=Recovery)
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)

    @classmethod
    def open(cls, settings: Settings, signers: Iterable[LocalAccount] | None = None) -> Gateway:
        """Takes the database for this process alone (a second gateway on it refuses to start),
        migrates it, connects to the chain, unlocks the keys and resolves what an earlier process
        left pending, before anything is served."""
        db = Database(settings.database_url)
        lock = InstanceLock(db)
        try:
            _take(db, lock)
            return cls._open(settings, signers, db, lock)
        except BaseException:
            with contextlib.suppress(Exception):  # the failure to report is the one above
                lock.release()
            db.dispose()
            raise

    @classmethod
    def _open(
        cls, settings: Settings, signers: Iterable[LocalAccount] | None, db: Database, lock: InstanceLock
    ) -> Gateway:
        journal = Journal(db)
        chain = Chain.connect(settings, journal, load_signers(settings) if signers is None else signers)
        fetcher = Fetcher(
            timeout=settings.decision_fetch_timeout,
            max_bytes=settings.decision_max_bytes,
            allow_private=settings.decision_allow_private,
            deadline=settings.document_deadline,
            failure_ttl=settings.document_failure_ttl,
            mirrors=settings.document_mirrors,
        )
        limits = RateLimits(
            per_api_key=settings.rate_limit_api_key,
            per_wallet=settings.rate_limit_wallet,
            sign_in_per_address=settings.rate_limit_sign_in,
            relay_gas_budget=settings.relay_gas_budget,
            relay_gas_window=settings.relay_gas_window,
        )
        index = EventIndex(db, chain.w3, chain.deployment, chain.platform.decoder)
        idempotency = IdempotencyStore(db, lease=settings.tx_timeout + 30, wait=settings.idempotency_wait)
        decisions = DecisionWatch(chain.queries, fetcher)
        gateway = cls(
            settings=settings,
            db=db,
            chain=chain,
            sessions=SessionStore(
                db,
                settings.session_secret.get_secret_value().encode(),
                domain=settings.siwe_domain,
                public_url=settings.public_url,
                chain_id=chain.deployment.chain_id,
                ttl=settings.session_ttl,
                nonce_ttl=settings.nonce_ttl,
            ),
            idempotency=idempotency,
            index=index,
            fetcher=fetcher,
            decisions=decisions,
            coverage=CoverageWatch(chain, db, index),
            issuances=Issuances(chain, index, fetcher, decisions),
            notices=Notices(chain, db, fetcher, settings.public_url, limits),
            holders=Holders(chain, index, limits),
            wallet_recoveries=WalletRecoveries(chain),
            redemptions=Redemptions(chain, limits, index),
            offers=Offers(
                chain,
                db,
                limits,
                index,
                max_open_per_maker=settings.max_open_offers_per_maker,
                take_lease=settings.tx_timeout + 30,
            ),
            escrows=Escrows(chain, db, limits, index),
            limits=limits,
            instance=lock,
        )
        idempotency.interrupt_all()
        try:
            gateway.recovery = recover(chain.w3, journal)
        except SdapError as exc:
            # The node is down: the records stay pending, and the resolver tries them again as
            # soon as it answers.
            log.warning("journal recovery postponed: %s", type(exc).__name__)
            chain.lost.add(*(entry.tx_hash for entry in journal.pending()))
        return gateway

    def start_background(self) -> None:
        """The periodic tasks: event index, decision watch, coverage watch, pending-transaction
        resolver."""
        self.chain.bind_loop()  # called on the event loop: the periodic tasks' writes go through it
        tasks: list[tuple[str, float, Callable[[], object]]] = [
            ("index", self.settings.index_interval, self.index.sync),
            ("decision-watch", self.settings.decision_watch_interval, self.decisions.run),
            ("coverage-watch", self.settings.coverage_watch_interval, self.coverage.run),
            ("notice-texts", self.settings.notice_fetch_interval, self.notices.fetch_texts),
            ("idempotency-prune", PRUNE_EVERY if self.settings.idempotency_retention > 0 else 0, self.prune),
        ]
        for name, interval, task in tasks:
            if interval > 0:
                thread = threading.Thread(target=self._every, args=(name, interval, task), name=name, daemon=True)
                thread.start()
                self._threads.append(thread)
        resolver = threading.Thread(target=self._resolving, name="resolver", daemon=True)
        resolver.start()
        self._threads.append(resolver)

    def prune(self) -> int:
        """Forgets the answered Idempotency-Keys older than the retention period, and the offers
        taken, cancelled or expired longer ago than that."""
        retention = self.settings.idempotency_retention
        return self.idempotency.prune(retention) + self.offers.prune(retention)

    def _every(self, name: str, interval: float, task: Callable[[], object]) -> None:
        while not self._stop.wait(interval):
            try:
                task()
            except Exception as exc:  # noqa: BLE001 - a periodic task logs and tries again later
                log.warning("%s failed: %s", name, type(exc).__name__)

    def _resolving(self) -> None:
        """Runs `resolve_pending` every RESOLVE_EVERY seconds, and at once when a send is lost;
        while lost sends wait for a node that does not answer, again after LOST_RETRY seconds,
        then twice as long each time, up to RESOLVE_EVERY."""
        lost_sends = self.chain.lost.wake
        pause, retry = RESOLVE_EVERY, LOST_RETRY
        while True:
            lost_sends.wait(pause)
            lost_sends.clear()
            if self._stop.is_set():
                return
            if not self._hold_database():
                return
            try:
                self.resolve_pending()
                pause, retry = RESOLVE_EVERY, LOST_RETRY
            except Exception as exc:  # noqa: BLE001 - logged, and tried again
                log.warning("resolver failed: %s", type(exc).__name__)
                if self.chain.lost.any():
                    pause, retry = retry, min(2 * retry, RESOLVE_EVERY)
                else:
                    pause = RESOLVE_EVERY

    def _hold_database(self) -> bool:
        """False, with the process asked to stop, once another gateway holds this one's database
        (its lock lost with its connection, and taken): two must never serve it at once."""
        if self.instance is None:
            return True
        try:
            self.instance.hold()
        except GatewayAlreadyRunning:
            log.critical("another gateway process took this one's database: stopping")
            os.kill(os.getpid(), signal.SIGTERM)  # uvicorn's graceful shutdown
            return False
        except Exception as exc:  # noqa: BLE001 - the database is away: the next round tries again
            log.warning("database lock not checked: %s", type(exc).__name__)
        return True

    def resolve_pending(self) -> None:
        """Resolves by hash the transactions whose send was lost, and those left pending for over
        a minute (timeouts, a request that stopped waiting)."""
        journal = self.chain.journal
        lost = self.chain.lost.take()
        sent_again: set[str] = set()  # looked at once more next round, to record its inclusion
        try:
            for entry in journal.pending():
                was_lost = entry.tx_hash in lost
                if was_lost or time.time() - entry.created_at > STALE_AFTER:
                    outcome = resolve(self.chain.w3, journal, entry)
                    lost.discard(entry.tx_hash)
                    if outcome == "dropped":
                        self.chain.dropped(entry.sender)
                    if was_lost and outcome in ("rebroadcast", "in_pool"):
                        sent_again.add(entry.tx_hash)
        except Exception:
            self.chain.lost.keep(lost | sent_again)
            raise
        self.chain.lost.keep(sent_again)

    def close(self) -> None:
        self._stop.set()
        self.chain.lost.wake.set()  # wakes the resolver to stop
        for thread in self._threads:
            thread.join(timeout=5)
        if self.instance is not None:
            self.instance.release()
        self.db.dispose()


def _take(db: Database, lock: InstanceLock) -> None:
    """Takes the database for this process and migrates it. A database that cannot be reached or
    written (a server down, a directory missing) is refused in one line naming it, never its
    password, rather than with the driver's traceback."""
    try:
        lock.acquire()
        applied = db.migrate()
    except DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else type(exc.orig).__name__
        raise ConfigurationError(f"the database {db!r} cannot be used: {reason}") from None
    except OSError as exc:
        raise ConfigurationError(f"the database {db!r} cannot be used: {exc.strerror or exc}") from None
    if applied:
        log.info("database migrated: versions %s applied", ", ".join(map(str, applied)))
