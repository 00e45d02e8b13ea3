"""The audit as one call, and its report: JSON for machines (the HTML view is in sdap.audit.html).

`audit()` is what the CLI and the gateway call: replay the deployment (from a checkpoint if one is
given), cross-check the rebuilt state against the contracts' views, optionally verify the code on
chain against the sources, and gather everything into an immutable `AuditReport`.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sdap.audit._calls import CallReader
from sdap.audit.aml import AmlExchange, AmlFinding, AmlSettings
from sdap.audit.code import CodeVerification, verify_code
from sdap.audit.crosscheck import CrossCheck, cross_check
from sdap.audit.exchanges import ExchangeSummary
from sdap.audit.replay import Checkpoint, Progress, Replay
from sdap.audit.rules import RULES, Breach, attestation_status, coverage, permit_state
from sdap.audit.state import ZERO_ADDRESS, Consent, Issuance, Operation, Redemption, digest_of
from sdap.compiler import CompiledContract
from sdap.platform import Platform
from sdap.transactions import rpc
from sdap.types import AttestationStatus, IssuerStatus, RedemptionState

REPORT_FORMAT = 1
#: Holders listed per issuance in the report (the JSON's full state has them all).
TOP_HOLDERS = 25


@dataclass(frozen=True)
class RuleResult:
    code: str
    requirement: str
    description: str
    breaches: int

    @property
    def passed(self) -> bool:
        return self.breaches == 0


@dataclass(frozen=True)
class ConsentSummary:
    """The issuer's consent an issuance was created with."""

    issuer: str
    nonce: int
    deadline: int
    terms_digest: str
    block: int
    tx_hash: str

    @classmethod
    def of(cls, c: Consent) -> ConsentSummary:
        return cls(c.issuer, c.nonce, c.deadline, "0x" + c.terms_digest.hex(), c.block, c.tx_hash)


@dataclass(frozen=True)
class RedemptionSummary:
    """A redemption request and where it stands: requested (its units in the asset's custody),
    confirmed (burnt) or refused (returned to `returned_to`)."""

    request_id: int
    issuance_id: int
    holder: str
    amount: int
    state: str
    block: int
    tx_hash: str
    by: str
    settled_block: int
    settled_tx: str
    settled_by: str
    returned_to: str

    @classmethod
    def of(cls, request_id: int, r: Redemption) -> RedemptionSummary:
        return cls(
            request_id,
            r.issuance_id,
            r.holder,
            r.amount,
            RedemptionState(r.state).name.lower(),
            r.block,
            r.tx_hash,
            r.by,
            r.settled_block,
            r.settled_tx,
            r.settled_by,
            r.returned_to,
        )


@dataclass(frozen=True)
class IssuanceSummary:
    issuance_id: int
    issuer: str
    operator: str
    asset_type: str
    supply: int
    max_supply: int
    paused: bool
    closed: bool
    #: Units the issuer's live collateral covers at the audited block, by the auditor's own count.
    covered: int
    undercollateralised: bool
    paused_by_regulator: bool
    holders: int
    top_holders: tuple[tuple[str, int], ...]
    supply_series: tuple[tuple[int, int], ...]
    #: The operators it passed between by the regulator's order: (block, predecessor, successor, tx hash).
    successions: tuple[tuple[int, str, str, str], ...] = ()
    #: Units in the asset's custody, waiting for the issuer to confirm or refuse their requests.
    in_custody: int = 0
    #: The issuer's consent it was created with (None: created without one, a breach).
    consent: ConsentSummary | None = None


@dataclass(frozen=True)
class PermitSummary:
    operator: str
    state: str
    valid_from: int
    valid_until: int
    changes: tuple[tuple[int, str, str], ...]  # (block, action, tx hash)


@dataclass(frozen=True)
class RecoverySummary:
    """A lost wallet and the wallet its participant went on under."""

    lost: str
    replacement: str
    block: int
    tx_hash: str
    by: str
    #: Where its units are now: the last wallet of its recovery chain.
    now_at: str
    #: (issuance id, units, of them frozen) moved out of it so far.
    moved: tuple[tuple[int, int, int], ...]


@dataclass(frozen=True)
class GovernedCallSummary:
    """One call of a timelock operation: its target, read as a platform contract's function where
    it is one, and its execution with the acts it caused (events naming the timelock)."""

    index: int
    target: str
    contract: str
    function: str
    arguments: tuple[tuple[str, str], ...]
    executed_block: int
    executed_tx: str
    executed_at: int
    acts: tuple[str, ...]

    def text(self) -> str:
        """The call as people read it: `grantPermit(operator=0x.., ...)` on its contract."""
        arguments = ", ".join(f"{k}={v}" for k, v in self.arguments)
        return f"{self.function}({arguments}) on {self.contract or self.target}"


@dataclass(frozen=True)
class OperationSummary:
    """A timelock operation: who in the council signed its scheduling, when it was scheduled, from
    when it could run, when it ran or was cancelled (and who signed the cancellation)."""

    operation_id: str
    status: str
    calls: tuple[GovernedCallSummary, ...]
    signers: tuple[str, ...]
    council_nonce: int
    scheduled_block: int
    scheduled_tx: str
    scheduled_at: int
    delay: int
    ready_at: int
    executed_block: int
    executed_at: int
    cancelled_block: int
    cancelled_tx: str
    cancel_signers: tuple[str, ...]

    @classmethod
    def of(cls, op: Operation, reader: CallReader) -> OperationSummary:
        calls = []
        for c in op.calls:
            call = reader.read(c.target, c.data)
            calls.append(
                GovernedCallSummary(
                    c.index,
                    c.target,
                    call.contract,
                    call.function,
                    call.arguments,
                    c.executed_block,
                    c.executed_tx,
                    c.executed_at,
                    tuple(c.acts),
                )
            )
        executed = [c for c in op.calls if c.executed_block]
        return cls(
            "0x" + op.operation_id.hex(),
            op.status,
            tuple(calls),
            tuple(op.signers),
            op.council_nonce,
            op.block,
            op.tx_hash,
            op.scheduled_at,
            op.delay,
            op.ready_at,
            max((c.executed_block for c in executed), default=0),
            max((c.executed_at for c in executed), default=0),
            op.cancelled_block,
            op.cancelled_tx,
            tuple(op.cancel_signers),
        )


@dataclass(frozen=True)
class RegulatorSummary:
    """Who the regulator is: a single key, or the timelock the council schedules on (with the
    council's signers and threshold and the timelock's minimum delay at the audited block)."""

    address: str
    governed: bool
    council: str = ""
    timelock: str = ""
    signers: int = 0
    threshold: int = 0
    min_delay: int = 0
    operations: tuple[OperationSummary, ...] = ()

    def lines(self) -> list[str]:
        """What the auditor's text output says of the regulator: single key, or which of its acts
        ran governed (scheduled by whom, executed when)."""
        if not self.governed:
            return [f"regulator   a single key, {self.address}: no act of it is governed"]
        lines = [
            f"regulator   governed: timelock {self.timelock} (delay {self.min_delay} s) scheduled on by council "
            f"{self.council} ({self.threshold} of {self.signers} signers)",
            f"operations  {len(self.operations)}: "
            + ", ".join(
                f"{sum(1 for o in self.operations if o.status == s)} {s}" for s in ("done", "waiting", "cancelled")
            ),
        ]
        for o in self.operations:
            when = {
                "done": f"executed at block {o.executed_block}",
                "cancelled": f"cancelled at block {o.cancelled_block}",
                "waiting": f"ready at {o.ready_at}",
            }[o.status]
            for c in o.calls:
                acts = f" ({', '.join(c.acts)})" if c.acts else ""
                lines.append(
                    f"  governed {c.text()}{acts}: signed by {', '.join(o.signers) or 'no council batch'}, "
                    f"scheduled at block {o.scheduled_block}, {when}"
                )
        return lines


@dataclass(frozen=True)
class AuditReport:
    chain_id: int
    addresses: dict[str, str]
    from_block: int
    to_block: int
    block_timestamp: int
    events: int
    seconds: float
    digest: str
    rules: tuple[RuleResult, ...]
    breaches: tuple[Breach, ...]
    cross_check: CrossCheck | None
    code: CodeVerification | None
    aml_settings: AmlSettings
    aml: tuple[AmlFinding, ...]
    issuances: tuple[IssuanceSummary, ...]
    permits: tuple[PermitSummary, ...]
    counts: dict[str, int]
    state: dict[str, Any]
    recoveries: tuple[RecoverySummary, ...] = ()
    redemptions: tuple[RedemptionSummary, ...] = ()
    regulator: RegulatorSummary | None = None
    #: The exchange's offers, cancellations and escrows (None: a deployment without an exchange).
    exchange: ExchangeSummary | None = None
    #: Every exchange with its price, as the AML monitor valued it (in tenge where it could).
    aml_exchanges: tuple[AmlExchange, ...] = ()

    @property
    def ok(self) -> bool:
        """No breach, and the cross-check and code verification (where run) passed."""
        return (
            not self.breaches
            and (self.cross_check is None or self.cross_check.ok)
            and (self.code is None or self.code.ok)
        )

    def to_dict(self, *, include_state: bool = True) -> dict[str, Any]:
        body: dict[str, Any] = {
            "format": REPORT_FORMAT,
            "ok": self.ok,
            "chain_id": self.chain_id,
            "addresses": self.addresses,
            "from_block": self.from_block,
            "to_block": self.to_block,
            "block_timestamp": self.block_timestamp,
            "events": self.events,
            "seconds": round(self.seconds, 3),
            "digest": self.digest,
            "rules": [{**asdict(r), "passed": r.passed} for r in self.rules],
            "breaches": [b.to_dict() for b in self.breaches],
            "cross_check": None
            if self.cross_check is None
            else {
                "block": self.cross_check.block,
                "checked": self.cross_check.checked,
                "ok": self.cross_check.ok,
                "differences": [d.to_dict() for d in self.cross_check.differences],
            },
            "code": None if self.code is None else {**asdict(self.code), "ok": self.code.ok},
            "aml": {
                "settings": asdict(self.aml_settings),
                "findings": [asdict(f) for f in self.aml],
                "exchanges": [asdict(x) for x in self.aml_exchanges],
            },
            "issuances": [asdict(i) for i in self.issuances],
            "permits": [asdict(p) for p in self.permits],
            "recoveries": [asdict(r) for r in self.recoveries],
            "redemptions": [asdict(r) for r in self.redemptions],
            "regulator": None if self.regulator is None else asdict(self.regulator),
            "exchange": None if self.exchange is None else asdict(self.exchange),
            "counts": self.counts,
        }
        if include_state:
            body["state"] = self.state
        return body

    def to_json(self, *, include_state: bool = True) -> str:
        return json.dumps(self.to_dict(include_state=include_state), indent=2, sort_keys=True) + "\n"

    def save_json(self, path: str | Path, *, include_state: bool = True) -> Path:
        target = Path(path)
        target.write_text(self.to_json(include_state=include_state))
        return target


def audit(
    platform: Platform,
    *,
    to_block: int | None = None,
    checkpoint: Checkpoint | None = None,
    aml: AmlSettings | None = None,
    check_views: bool = True,
    code_root: str | Path | None = None,
    compiled: dict[str, CompiledContract] | None = None,
    progress: Progress | None = None,
) -> AuditReport:
    """Audits `platform` from the chain alone, up to `to_block` (default: the head).

    With `checkpoint`, replays only what came after it. With `check_views`, compares the rebuilt
    state with the contracts' views at `to_block`. With `code_root` (a repository checkout) or
    `compiled`, verifies the code at every address against the sources."""
    replay = Replay(platform, aml=aml, checkpoint=checkpoint).run(to_block, progress=progress)
    views = cross_check(platform, replay.state, replay.block) if check_views else None
    code = None
    if code_root is not None or compiled is not None:
        code = verify_code(platform, code_root or ".", compiled=compiled, block=replay.block)
    return build_report(replay, views, code)


def _summary(replay: Replay, iid: int, iss: Issuance, timestamp: int) -> IssuanceSummary:
    state = replay.state
    custody = replay.deployment.asset
    covered, covered_until, _ = coverage(state, custody, iid, iss.issuer, iss.supply, timestamp)
    holders = {wallet: units for wallet, units in iss.balances.items() if units and wallet != custody}
    consent = state.consents.get(iid)
    return IssuanceSummary(
        iid,
        iss.issuer,
        iss.operator,
        state.asset_types[iss.asset_type].name if iss.asset_type in state.asset_types else str(iss.asset_type),
        iss.supply,
        iss.max_supply,
        iss.paused,
        iss.closed,
        covered,
        covered_until <= timestamp,
        iss.paused_by_regulator,
        len(holders),
        tuple(sorted(holders.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_HOLDERS]),
        tuple(replay.series.points.get(iid, ())),
        tuple((s.block, s.predecessor, s.successor, s.tx_hash) for s in iss.successions),
        iss.balances.get(custody, 0),
        None if consent is None else ConsentSummary.of(consent),
    )


def build_report(replay: Replay, views: CrossCheck | None = None, code: CodeVerification | None = None) -> AuditReport:
    state = replay.state
    timestamp = int(rpc(lambda: replay.platform.w3.eth.get_block(replay.block))["timestamp"])
    counts: dict[str, int] = {}
    for b in replay.breaches:
        counts[b.rule] = counts.get(b.rule, 0) + 1
    rules = tuple(RuleResult(r.code, r.requirement, r.description, counts.get(r.code, 0)) for r in RULES.values())
    issuances = tuple(_summary(replay, iid, iss, timestamp) for iid, iss in sorted(state.issuances.items()))
    permits = tuple(
        PermitSummary(
            operator,
            permit_state(state, operator, timestamp).name,
            p.valid_from,
            p.valid_until,
            tuple((c.block, c.action, c.tx_hash) for c in p.history),
        )
        for operator, p in sorted(state.permits.items())
    )
    summary = {
        "participants": sum(1 for p in state.participants.values() if p.registered),
        "frozen_participants": sum(1 for p in state.participants.values() if p.frozen),
        "issuers_active": sum(1 for i in state.issuers.values() if i.status == IssuerStatus.ACTIVE),
        "issuers": len(state.issuers),
        "operators": len(state.operator_list),
        "operators_with_details": len(state.operator_details),
        "asset_types": len(state.asset_types),
        "asset_types_listed": sum(1 for t in state.asset_types.values() if t.listed),
        "notices": len(state.notices),
        "attestations": len(state.attestations),
        "attestations_revoked": sum(1 for a in state.attestations.values() if a.revoked),
        "attestations_live": sum(
            1 for a in state.attestations.values() if attestation_status(state, a, timestamp) is AttestationStatus.LIVE
        ),
        "issuances_undercollateralised": sum(1 for i in issuances if i.undercollateralised),
        "encumbrances": len(state.encumbrances),
        "encumbrances_active": sum(1 for e in state.encumbrances.values() if e.active),
        "issuances": sum(1 for i in state.issuances.values() if i.operator != ZERO_ADDRESS),
        "successions": sum(len(i.successions) for i in state.issuances.values()),
        "wallet_recoveries": len(state.recoveries),
        "holdings_recovered": sum(len(r.moved) for r in state.recoveries.values()),
        "issuer_consents": len(state.consents),
        "issuer_consents_withdrawn": len(
            {(i, n) for i, spent in state.consent_nonces.items() for n in spent}
            - {(c.issuer, c.nonce) for c in state.consents.values()}
        ),
        "redemption_requests": len(state.redemptions),
        **{
            f"redemptions_{s.name.lower()}": sum(1 for r in state.redemptions.values() if r.state == s)
            for s in (RedemptionState.REQUESTED, RedemptionState.CONFIRMED, RedemptionState.REFUSED)
        },
    }
    recoveries = tuple(
        RecoverySummary(
            lost,
            r.replacement,
            r.block,
            r.tx_hash,
            r.by,
            state.recovered_end(lost),
            tuple((iid, units, frozen) for iid, units, frozen in r.moved),
        )
        for lost, r in sorted(state.recoveries.items(), key=lambda kv: (kv[1].block, kv[0]))
    )
    exchange_address = replay.deployment.addresses.get("SecuredExchange")
    exchange = None
    if exchange_address:
        exchange = ExchangeSummary.of(state, exchange_address, replay.deployment.asset)
        summary["offers_taken"] = len(state.offers)
        summary["offers_cancelled"] = len(state.cancellations)
        summary["escrows"] = len(state.escrows)
        for outcome in ("open", "settled", "lapsed", "cancelled"):
            summary[f"escrows_{outcome}"] = sum(1 for x in exchange.escrows if x.outcome == outcome)
    canonical = state.canonical()
    deployment = replay.deployment
    gov = state.governance
    if gov is None:
        regulator = RegulatorSummary(deployment.regulator, governed=False)
    else:
        addresses = deployment.addresses
        reader = CallReader(addresses)
        regulator = RegulatorSummary(
            deployment.regulator,
            governed=True,
            council=addresses.get("RegulatorCouncil", ""),
            timelock=addresses.get("RegulatorTimelock", ""),
            signers=len(gov.signers),
            threshold=gov.threshold,
            min_delay=gov.min_delay,
            operations=tuple(OperationSummary.of(op, reader) for op in gov.operations),
        )
        summary["governed_operations"] = len(gov.operations)
        summary["governed_operations_done"] = sum(1 for op in gov.operations if op.status == "done")
        summary["governed_operations_cancelled"] = sum(1 for op in gov.operations if op.status == "cancelled")
    return AuditReport(
        chain_id=replay.deployment.chain_id,
        addresses=dict(replay.deployment.addresses),
        from_block=replay.deployment.deployment_block,
        to_block=replay.block,
        block_timestamp=timestamp,
        events=replay.events_applied,
        seconds=replay.seconds,
        digest=digest_of(canonical),
        rules=rules,
        breaches=tuple(replay.breaches),
        cross_check=views,
        code=code,
        aml_settings=replay.aml.settings,
        aml=tuple(replay.aml.findings),
        issuances=issuances,
        permits=permits,
        counts=summary,
        state=canonical,
        recoveries=recoveries,
        redemptions=tuple(RedemptionSummary.of(rid, r) for rid, r in sorted(state.redemptions.items())),
        regulator=regulator,
        exchange=exchange,
        aml_exchanges=tuple(replay.aml.exchanges),
    )
