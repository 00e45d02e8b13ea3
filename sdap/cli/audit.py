"""`sdap audit`: replay, lineage, code verification and AML reports, from the chain alone (R14).

Exit codes: 0 the audit passed, 3 it found breaches or differences (reports are still written),
1 the node failed, 2 bad configuration.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from sdap.audit.aml import AmlSettings, exchanges_csv, write_csv
from sdap.audit.code import verify_code
from sdap.audit.crosscheck import cross_check as run_cross_check
from sdap.audit.html import save_html
from sdap.audit.lineage import Lineage, trace
from sdap.audit.replay import Checkpoint, Replay
from sdap.audit.report import AuditReport, audit, build_report
from sdap.cli._common import DeploymentFile, JsonOutput, RpcUrl, connect, emit, failures, jsonable
from sdap.cli.app import app

EXIT_FINDINGS = 3

audit_app = typer.Typer(
    name="audit",
    help="Audit the platform from the chain alone: replay, rule checks, lineage, code, AML.",
    no_args_is_help=True,
)
app.add_typer(audit_app, name="audit")

ToBlock = Annotated[int | None, typer.Option("--to-block", help="Audit up to this block (default: the head).")]
Large = Annotated[int, typer.Option("--large", help="AML: a movement of at least this many units is large.")]
BurstCount = Annotated[int, typer.Option("--burst-count", help="AML: this many transfers between two wallets...")]
BurstBlocks = Annotated[int, typer.Option("--burst-blocks", help="...within this many blocks is a burst.")]
PassBlocks = Annotated[int, typer.Option("--pass-through-blocks", help="AML: units sent on within this many blocks")]
PassPercent = Annotated[int, typer.Option("--pass-through-percent", help="...at least this % of what came in.")]
LargeValue = Annotated[
    int, typer.Option("--large-value", help="AML: an exchange worth at least this many tiyn (tenge x 100) is large.")
]

_DEFAULT_AML = AmlSettings()

Out = Annotated[
    Path,
    typer.Option(
        "--out",
        envvar="SDAP_AUDIT_OUT",
        help="Directory the reports and checkpoints go to; a relative file name given to the options below is "
        "taken there (an absolute one as it is).",
    ),
]
#: Reports go under var/ (ignored by git) unless told otherwise: never loose into a checkout.
DEFAULT_OUT = Path("var/audit")


def _placed(out: Path, path: Path | None) -> Path | None:
    """Where a report named `path` goes: under `out` unless absolute, its directory made."""
    if path is None:
        return None
    placed = path if path.is_absolute() else out / path
    placed.parent.mkdir(parents=True, exist_ok=True)
    return placed


def _aml(
    large: int, burst_count: int, burst_blocks: int, pass_blocks: int, pass_percent: int, large_value: int
) -> AmlSettings:
    return AmlSettings(large, burst_count, burst_blocks, pass_blocks, pass_percent, large_value)


@audit_app.command("replay")
def replay_command(
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    to_block: ToBlock = None,
    resume: Annotated[Path | None, typer.Option("--resume", help="Start from this checkpoint file.")] = None,
    save_checkpoint: Annotated[
        Path | None, typer.Option("--checkpoint", help="Save a checkpoint of the replay here.")
    ] = None,
    json_out: Annotated[Path | None, typer.Option("--json-out", help="Write the JSON report (under --out).")] = None,
    html_out: Annotated[Path | None, typer.Option("--html-out", help="Write the HTML report (under --out).")] = None,
    cross_check: Annotated[bool, typer.Option(help="Compare the rebuilt state with the contracts' views.")] = True,
    verify: Annotated[
        Path | None, typer.Option("--verify-code", help="Also verify the code on chain against this checkout.")
    ] = None,
    large: Large = _DEFAULT_AML.large_amount,
    burst_count: BurstCount = _DEFAULT_AML.burst_count,
    burst_blocks: BurstBlocks = _DEFAULT_AML.burst_blocks,
    pass_blocks: PassBlocks = _DEFAULT_AML.pass_through_blocks,
    pass_percent: PassPercent = _DEFAULT_AML.pass_through_percent,
    large_value: LargeValue = _DEFAULT_AML.large_value,
    out: Out = DEFAULT_OUT,
    as_json: JsonOutput = False,
) -> None:
    """Replay every event, rebuild the state, check every rule, cross-check, report."""
    resume = resume if resume is None or resume.is_absolute() or resume.exists() else out / resume
    save_checkpoint, json_out, html_out = (_placed(out, p) for p in (save_checkpoint, json_out, html_out))
    with failures(as_json):
        platform = connect(rpc_url, deployment)
        settings = _aml(large, burst_count, burst_blocks, pass_blocks, pass_percent, large_value)
        checkpoint = Checkpoint.load(resume) if resume is not None else None
        replay = Replay(platform, aml=None if checkpoint else settings, checkpoint=checkpoint).run(to_block)
        if save_checkpoint is not None:
            replay.checkpoint().save(save_checkpoint)
        report = _report(replay, platform_root=verify, check_views=cross_check)
        if json_out is not None:
            report.save_json(json_out)
        if html_out is not None:
            save_html(report, html_out)
        emit(report.to_dict(include_state=False), as_json, lambda _: _human(report))
    if not report.ok:
        sys.exit(EXIT_FINDINGS)


def _report(replay: Replay, *, platform_root: Path | None, check_views: bool) -> AuditReport:
    views = run_cross_check(replay.platform, replay.state, replay.block) if check_views else None
    code = verify_code(replay.platform, platform_root, block=replay.block) if platform_root is not None else None
    return build_report(replay, views, code)


def _human(r: AuditReport) -> str:
    lines = [
        f"audit of chain {r.chain_id}, blocks {r.from_block}-{r.to_block}: {'PASS' if r.ok else 'FAIL'}",
        f"digest      {r.digest}",
        f"events      {r.events:,} in {r.seconds:.2f} s",
        f"breaches    {len(r.breaches)}",
    ]
    if r.cross_check is not None:
        lines.append(f"cross-check {r.cross_check.checked:,} views, {len(r.cross_check.differences)} differences")
    if r.code is not None:
        lines.append(f"code        {'matches the sources' if r.code.ok else 'DIFFERS from the sources'}")
    lines.append(f"AML         {len(r.aml)} findings")
    if r.regulator is not None:
        lines.extend(r.regulator.lines())
    if r.exchange is not None:
        lines.extend(r.exchange.lines())
    for rule in r.rules:
        if not rule.passed:
            lines.append(f"  FAIL {rule.requirement} {rule.code}: {rule.breaches} ({rule.description})")
    for b in r.breaches[:20]:
        lines.append(f"  {b.requirement} {b.rule} block {b.block} tx {b.tx_hash}: {b.message}")
    if r.cross_check is not None:
        for d in r.cross_check.differences[:20]:
            lines.append(
                f"  view {d.contract}.{d.view}({d.key}) {d.field}: chain {d.on_chain!r}, rebuilt {d.rebuilt!r}"
            )
    return "\n".join(lines)


@audit_app.command("trace")
def trace_command(
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    holder: Annotated[str, typer.Argument(help="The holder's address.")],
    issuance_id: Annotated[int, typer.Argument(help="The issuance.")],
    to_block: ToBlock = None,
    as_json: JsonOutput = False,
) -> None:
    """Where a holder's units of an issuance came from: mint, transfers, attestation, decision."""
    with failures(as_json):
        lineage = trace(connect(rpc_url, deployment), holder, issuance_id, to_block)
        emit(lineage, as_json, lambda _: _lineage_text(lineage))


def _lineage_text(lineage: Lineage) -> str:
    lines = [
        f"{lineage.holder} holds {lineage.balance} units of issuance {lineage.issuance_id} at block {lineage.block}"
        f" ({lineage.traced} traced, first in first out)"
    ]
    for lot in lineage.lots:
        o = lot.origin
        lines.append(f"- {lot.amount} units minted at block {o.block} (tx {o.tx_hash}) to {o.recipient}")
        lines.append(f"    decision {o.decision_hash} {o.decision_uri}; issuer {o.issuer}")
        for a in o.attestations:
            lines.append(f"    collateral {a.collateral_ref} by verifier {a.verifier}: {a.units} units")
        for hop in lot.hops:
            lines.append(f"    -> {hop.kind} at block {hop.block}: {hop.sender} -> {hop.recipient} (tx {hop.tx_hash})")
    return "\n".join(lines)


@audit_app.command("verify-code")
def verify_code_command(
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    root: Annotated[Path, typer.Option("--root", help="Checkout of the repository holding the sources.")] = Path("."),
    as_json: JsonOutput = False,
) -> None:
    """Compile the sources and compare with the code at every deployed address and the asset's views module."""
    with failures(as_json):
        result = verify_code(connect(rpc_url, deployment), root)
        emit(
            result,
            as_json,
            lambda _: "\n".join(
                f"{c.contract:<24} {c.address}  {'OK  ' if c.matches else 'FAIL'}  {c.detail}" for c in result.checks
            ),
        )
    if not result.ok:
        sys.exit(EXIT_FINDINGS)


@audit_app.command("aml")
def aml_command(
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    to_block: ToBlock = None,
    csv_out: Annotated[Path | None, typer.Option("--csv", help="Write the findings as CSV here.")] = None,
    exchanges_out: Annotated[
        Path | None, typer.Option("--exchanges-csv", help="Write every exchange with its price in tenge as CSV here.")
    ] = None,
    large: Large = _DEFAULT_AML.large_amount,
    burst_count: BurstCount = _DEFAULT_AML.burst_count,
    burst_blocks: BurstBlocks = _DEFAULT_AML.burst_blocks,
    pass_blocks: PassBlocks = _DEFAULT_AML.pass_through_blocks,
    pass_percent: PassPercent = _DEFAULT_AML.pass_through_percent,
    large_value: LargeValue = _DEFAULT_AML.large_value,
    out: Out = DEFAULT_OUT,
    as_json: JsonOutput = False,
) -> None:
    """Financial monitoring report: large movements and exchanges, bursts, pass-through wallets (R10)."""
    csv_out, exchanges_out = _placed(out, csv_out), _placed(out, exchanges_out)
    with failures(as_json):
        settings = _aml(large, burst_count, burst_blocks, pass_blocks, pass_percent, large_value)
        report = audit(connect(rpc_url, deployment), to_block=to_block, aml=settings, check_views=False)
        if csv_out is not None:
            write_csv(report.aml, csv_out)
        if exchanges_out is not None:
            exchanges_out.write_text(exchanges_csv(report.aml_exchanges))
        emit(
            jsonable(list(report.aml)),
            as_json,
            lambda _: "\n".join(
                [f"{len(report.aml)} findings up to block {report.to_block}"]
                + [f"{f.kind:<12} block {f.block} issuance {f.issuance_id}: {f.detail}" for f in report.aml]
            ),
        )
