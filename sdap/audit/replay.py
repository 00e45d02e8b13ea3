"""Replaying a deployment's history from the chain, chunk by chunk, with checkpoints.

Logs are fetched in block ranges (`eth_getLogs` over the deployment's addresses, the council's
and the timelock's too when governed), decoded and
applied one chunk at a time and then dropped, so memory holds the rebuilt state and the monitors'
windows, never the history. A checkpoint saves everything the replay holds at a block; resuming
from it and replaying on gives exactly what a full replay gives.
"""

from __future__ import annotations

import gc
import json
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from web3 import Web3

from sdap.audit._base import Observer
from sdap.audit._logs import FastDecoder, RawLogFetcher, block_timestamps, payment_transfers
from sdap.audit.aml import AmlMonitor, AmlSettings
from sdap.audit.engine import Auditor
from sdap.audit.rules import Breach
from sdap.audit.series import SupplySeries
from sdap.audit.state import AuditState, digest_of
from sdap.deployment import Deployment
from sdap.errors import ConfigurationError
from sdap.platform import Platform
from sdap.transactions import rpc

#: 2: the state holds pledges, accreditations and the issuances' recorded coverage (issue 11).
#: 3: it holds the register's lists (issuers, operators with their details, participants per
#: operator) and each issuance's successions (issue 14).
#: 4: it holds wallet recoveries (lost wallet -> replacement, and the holdings moved since).
#: 5: it holds issuers' consents and spent consent nonces, and redemption requests (issue 14).
#: 6: it holds a governed deployment's council (signers, threshold, nonce) and timelock operations.
#: 7: it holds the custodians declared (the asset): an older one, taken past the asset's deployment,
#: would lack it and miss its registration as a participant.
#: 8: it holds the exchange (payment tokens, offers taken, cancellations and spent nonces, escrows)
#: and each holding's escrowed units (issue 15).
#: 9: each issuance records the units of the cover lasting as long as its count (issue 16).
CHECKPOINT_FORMAT = 9

#: Called after each chunk with (last block applied, events applied so far).
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Checkpoint:
    """Everything a replay holds at the end of `block`, with the digest of its state."""

    chain_id: int
    addresses: dict[str, str]
    block: int
    digest: str
    events: int
    state: dict[str, Any]
    breaches: tuple[dict[str, Any], ...]
    series: dict[str, Any]
    aml: dict[str, Any]

    def to_json(self) -> str:
        body = {"format": CHECKPOINT_FORMAT, **self.__dict__, "breaches": list(self.breaches)}
        return json.dumps(body, sort_keys=True, separators=(",", ":"))

    def save(self, path: str | Path) -> Path:
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(target.suffix + ".tmp")
        tmp.write_text(self.to_json())
        tmp.replace(target)
        return target

    @classmethod
    def load(cls, path: str | Path) -> Checkpoint:
        try:
            data = json.loads(Path(path).read_text())
        except FileNotFoundError:
            raise ConfigurationError(f"no checkpoint at {path}") from None
        except json.JSONDecodeError as exc:
            raise ConfigurationError(f"checkpoint {path} is not JSON: {exc}") from None
        if data.get("format") != CHECKPOINT_FORMAT:
            raise ConfigurationError(f"unsupported checkpoint format {data.get('format')!r}")
        checkpoint = cls(
            chain_id=int(data["chain_id"]),
            addresses=dict(data["addresses"]),
            block=int(data["block"]),
            digest=str(data["digest"]),
            events=int(data["events"]),
            state=data["state"],
            breaches=tuple(data["breaches"]),
            series=data["series"],
            aml=data["aml"],
        )
        if digest_of(checkpoint.state) != checkpoint.digest:
            raise ConfigurationError(f"checkpoint {path} is corrupt: its state does not match its digest")
        return checkpoint


def _prefetched(w3: Web3, chunks: Iterator[list[Any]]) -> Iterator[tuple[list[Any], dict[str, int]]]:
    """The chunks with their block timestamps, the next one fetched while this one is applied: the
    node's time to answer hides behind the replay's work. Two chunks at most are held at once."""

    def fetch() -> tuple[list[Any], dict[str, int]] | None:
        logs = next(chunks, None)
        if logs is None:
            return None
        return logs, block_timestamps(w3, logs) if logs else {}

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sdap-audit-fetch") as pool:
        pending = pool.submit(fetch)
        while (ready := pending.result()) is not None:
            pending = pool.submit(fetch)
            yield ready


class Replay:
    """A replay of one deployment: run it forward to any block, checkpoint it, resume it."""

    def __init__(
        self,
        platform: Platform,
        *,
        aml: AmlSettings | None = None,
        checkpoint: Checkpoint | None = None,
        observers: Sequence[Observer] = (),
        chunk: int = 2_000,
        max_logs: int = 10_000,
    ) -> None:
        self.platform = platform
        deployment = platform.deployment
        self.deployment: Deployment = deployment
        self._chunk, self._max_logs = chunk, max_logs
        if checkpoint is None:
            self.series = SupplySeries()
            self.aml = AmlMonitor(aml)
            state, breaches, self._events_before = None, [], 0
            self.block = deployment.deployment_block - 1
        else:
            if checkpoint.chain_id != deployment.chain_id or checkpoint.addresses != deployment.addresses:
                raise ConfigurationError("the checkpoint belongs to another deployment")
            self.series = SupplySeries.restore(checkpoint.series)
            self.aml = AmlMonitor.restore(checkpoint.aml)
            if aml is not None and aml != self.aml.settings:
                raise ConfigurationError("the checkpoint was made with other AML settings")
            state = AuditState.from_canonical(checkpoint.state)
            breaches = [Breach.from_dict(b) for b in checkpoint.breaches]
            self._events_before, self.block = checkpoint.events, checkpoint.block
        self.auditor = Auditor(
            deployment.addresses,
            chain_id=deployment.chain_id,
            state=state,
            observers=(self.series, self.aml, *observers),
        )
        self.auditor.breaches = breaches
        self.auditor.state.block = self.block
        self._decoder = FastDecoder(platform.decoder)
        self.seconds = 0.0

    @property
    def state(self) -> AuditState:
        return self.auditor.state

    @property
    def breaches(self) -> list[Breach]:
        return self.auditor.breaches

    def run(self, to_block: int | None = None, *, progress: Progress | None = None) -> Replay:
        """Applies every event after the current block up to `to_block` (default: the head)."""
        w3 = self.platform.w3
        head = rpc(lambda: w3.eth.block_number)
        target = head if to_block is None else to_block
        if target > head:
            raise ConfigurationError(f"block {target} is beyond the head of the chain ({head})")
        if target < self.block:
            raise ConfigurationError(f"the replay is already at block {self.block}, past {target}")
        started = time.perf_counter()
        fetcher = RawLogFetcher(
            w3, list(self.deployment.addresses.values()), chunk=self._chunk, max_logs=self._max_logs
        )
        decode, apply = self._decoder.decode, self.auditor.apply
        chunks = fetcher.chunks(self.block + 1, target)
        exchange = self.deployment.addresses.get("SecuredExchange")
        if exchange:
            asset = self.deployment.asset
            chunks = (payment_transfers(w3, logs, exchange, asset) for logs in chunks)
        # The replay makes millions of short-lived acyclic objects: the cycle collector would scan
        # the whole state over and over for nothing (a third of the time). Reference counting
        # frees them; the collector runs once at the end.
        collecting = gc.isenabled()
        gc.disable()
        try:
            for logs, stamps in _prefetched(w3, chunks):
                for log in logs:
                    if log.get("removed"):
                        continue
                    event = decode(log)
                    if event is not None:
                        apply(event, stamps[log["blockNumber"]])
                if progress is not None and logs:
                    progress(int(logs[-1]["blockNumber"], 16), self.events_applied)
        finally:
            if collecting:
                gc.enable()
        self.auditor.close(target)
        self.block = target
        self.seconds += time.perf_counter() - started
        return self

    @property
    def events_applied(self) -> int:
        return self._events_before + self.auditor.events

    def checkpoint(self) -> Checkpoint:
        canonical = self.state.canonical()
        return Checkpoint(
            chain_id=self.deployment.chain_id,
            addresses=dict(self.deployment.addresses),
            block=self.block,
            digest=digest_of(canonical),
            events=self.events_applied,
            state=canonical,
            breaches=tuple(b.to_dict() for b in self.breaches),
            series=self.series.snapshot(),
            aml=self.aml.snapshot(),
        )
