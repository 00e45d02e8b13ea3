"""The auditor (R14): rebuild the platform's state from the chain alone and check every rule.

    from sdap import Platform
    from sdap.audit import audit, render_html

    platform = Platform.connect(rpc_url, "deployments/local.json")
    report = audit(platform)                      # replay + rule checks + cross-check
    report.ok, report.digest, report.breaches     # what an inspector reads first
    open("audit.html", "w").write(render_html(report))

Pieces, each usable alone: `Replay` (streaming replay with checkpoints), `Auditor` (the rules over
any event sequence), `cross_check`, `verify_code`, `trace` (lineage), `AmlMonitor`,
`findings_csv` and `exchanges_csv` (financial monitoring, exchanges valued in tenge),
`ExchangeSummary` (the exchange's offers, cancellations and escrows).
"""

from sdap.audit.aml import AmlExchange, AmlFinding, AmlMonitor, AmlSettings, exchanges_csv, findings_csv, write_csv
from sdap.audit.code import CodeCheck, CodeVerification, verify_code
from sdap.audit.crosscheck import CrossCheck, Difference, cross_check
from sdap.audit.engine import Auditor
from sdap.audit.exchanges import CancellationSummary, EscrowSummary, ExchangeSummary, OfferSummary
from sdap.audit.html import render_html, save_html
from sdap.audit.lineage import Hop, Lineage, Lot, Origin, trace
from sdap.audit.replay import Checkpoint, Replay
from sdap.audit.report import (
    AuditReport,
    ConsentSummary,
    GovernedCallSummary,
    IssuanceSummary,
    OperationSummary,
    RedemptionSummary,
    RegulatorSummary,
    RuleResult,
    audit,
    build_report,
)
from sdap.audit.rules import RULES, Breach, Rule
from sdap.audit.state import AuditState
from sdap.compiler import compile_platform

__all__ = [
    "RULES",
    "AmlExchange",
    "AmlFinding",
    "AmlMonitor",
    "AmlSettings",
    "AuditReport",
    "AuditState",
    "Auditor",
    "Breach",
    "CancellationSummary",
    "Checkpoint",
    "CodeCheck",
    "CodeVerification",
    "ConsentSummary",
    "CrossCheck",
    "Difference",
    "EscrowSummary",
    "ExchangeSummary",
    "GovernedCallSummary",
    "Hop",
    "IssuanceSummary",
    "Lineage",
    "Lot",
    "OfferSummary",
    "OperationSummary",
    "Origin",
    "RedemptionSummary",
    "RegulatorSummary",
    "Replay",
    "Rule",
    "RuleResult",
    "audit",
    "build_report",
    "compile_platform",
    "cross_check",
    "exchanges_csv",
    "findings_csv",
    "render_html",
    "save_html",
    "trace",
    "verify_code",
    "write_csv",
]
