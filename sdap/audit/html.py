"""The audit report for people: one self-contained HTML page (inline CSS and SVG, no scripts, no
external resources), so it can be archived, mailed and opened offline as it is."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from pathlib import Path

from sdap.audit.aml import tenge
from sdap.audit.report import AuditReport, GovernedCallSummary, IssuanceSummary

_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2")
_MAX_ROWS = 200
_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}
h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;width:100%;margin:.5em 0}
th,td{border:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f4f4f4}td.num{text-align:right;font-variant-numeric:tabular-nums}
code{font-size:.85em;word-break:break-all}
.pass{color:#17692c;font-weight:600}.fail{color:#b00020;font-weight:600}
.verdict{font-size:1.3em;padding:.5em 1em;border-radius:4px;display:inline-block}
.verdict.pass{background:#e6f4ea}.verdict.fail{background:#fde7ea}
.legend span{margin-right:1.5em}.legend i{display:inline-block;width:1em;height:.6em;margin-right:.3em}
"""


def render_html(report: AuditReport) -> str:
    """The report as a complete HTML document."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>SDAP audit, chain {report.chain_id}, block {report.to_block}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>SDAP audit report: chain {report.chain_id}, blocks {report.from_block} to {report.to_block}</h1>",
        _summary(report),
        _rules(report),
        _views(report),
        _code(report),
        _supply(report),
        _holders(report),
        _permits(report),
        _regulator(report),
        _recoveries(report),
        _redemptions(report),
        _exchange(report),
        _breaches(report),
        _aml(report),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def save_html(report: AuditReport, path: str | Path) -> Path:
    target = Path(path)
    target.write_text(render_html(report))
    return target


def _verdict(ok: bool, yes: str = "PASS", no: str = "FAIL") -> _Raw:
    return _Raw(f'<span class="{"pass" if ok else "fail"}">{yes if ok else no}</span>')


def _table(headers: Sequence[str], rows: Iterable[Sequence[object]], numeric: Sequence[int] = ()) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            text = cell if isinstance(cell, _Raw) else escape(str(cell))
            cells.append(f'<td class="num">{text}</td>' if i in numeric else f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    thead = f"<thead><tr>{head}</tr></thead>" if any(headers) else ""
    return f"<table>{thead}<tbody>{''.join(body)}</tbody></table>"


class _Raw(str):
    """Markup that the table must not escape."""


def _code_text(text: str) -> _Raw:
    return _Raw(f"<code>{escape(text)}</code>")


def _summary(r: AuditReport) -> str:
    verdict = "every check passed" if r.ok else "the audit found problems"
    cls = "pass" if r.ok else "fail"
    rows = [
        ("verdict", _Raw(f'<span class="verdict {cls}">{escape(verdict)}</span>')),
        ("state digest (sha256)", _code_text(r.digest)),
        ("events replayed", f"{r.events:,}"),
        ("replay time", f"{r.seconds:.2f} s"),
        ("breaches", str(len(r.breaches))),
        ("cross-check with the contracts", "not run" if r.cross_check is None else _verdict(r.cross_check.ok)),
        ("code verification", "not run" if r.code is None else _verdict(r.code.ok)),
        ("AML findings", str(len(r.aml))),
        *((k.replace("_", " "), str(v)) for k, v in r.counts.items()),
        *((f"address of {name}", _code_text(address)) for name, address in r.addresses.items()),
    ]
    return '<section id="summary"><h2>Summary</h2>' + _table(("", ""), rows) + "</section>"


def _rules(r: AuditReport) -> str:
    rows = [
        (rule.requirement, _code_text(rule.code), rule.description, _verdict(rule.passed), rule.breaches)
        for rule in r.rules
    ]
    table = _table(("requirement", "check", "rule", "result", "breaches"), rows, numeric=(4,))
    return f'<section id="rules"><h2>Rule checks</h2>{table}</section>'


def _views(r: AuditReport) -> str:
    if r.cross_check is None:
        return '<section id="crosscheck"><h2>Cross-check with the contracts</h2><p>Not run.</p></section>'
    c = r.cross_check
    text = f"<p>{c.checked:,} views read at block {c.block}: {_verdict(c.ok, 'all match', 'differences found')}</p>"
    rows = [
        (d.contract, d.view, _code_text(d.key), d.field, str(d.to_dict()["on_chain"]), str(d.to_dict()["rebuilt"]))
        for d in c.differences[:_MAX_ROWS]
    ]
    table = _table(("contract", "view", "key", "field", "on chain", "rebuilt"), rows) if rows else ""
    return f'<section id="crosscheck"><h2>Cross-check with the contracts</h2>{text}{table}</section>'


def _code(r: AuditReport) -> str:
    if r.code is None:
        return '<section id="code"><h2>Code verification</h2><p>Not run.</p></section>'
    rows = [
        (c.contract, _code_text(c.address), _verdict(c.matches), c.detail, _code_text(", ".join(c.immutables)))
        for c in r.code.checks
    ]
    table = _table(("contract", "address", "result", "detail", "immutables"), rows)
    return f'<section id="code"><h2>Code verification</h2>{table}</section>'


def _supply(r: AuditReport) -> str:
    shown = [i for i in r.issuances if i.supply_series][: len(_COLOURS)]
    if not shown:
        return '<section id="supply"><h2>Supply over time</h2><p>No units were ever minted.</p></section>'
    legend = "".join(
        f'<span><i style="background:{_COLOURS[n]}"></i>issuance {i.issuance_id} ({i.supply:,} now)</span>'
        for n, i in enumerate(shown)
    )
    more = len([i for i in r.issuances if i.supply_series]) - len(shown)
    note = f"<p>{more} more issuances are in the JSON report.</p>" if more > 0 else ""
    chart = supply_chart(shown, r.from_block, r.to_block)
    return f'<section id="supply"><h2>Supply over time</h2>{chart}<p class="legend">{legend}</p>{note}</section>'


def supply_chart(issuances: Sequence[IssuanceSummary], first: int, last: int) -> str:
    """An inline SVG step chart of each issuance's supply against the block number."""
    width, height, left, bottom, top, right = 900, 320, 70, 30, 10, 10
    span = max(1, last - first)
    peak = max(max((s for _, s in i.supply_series), default=0) for i in issuances) or 1

    def x(block: int) -> float:
        return left + (block - first) / span * (width - left - right)

    def y(supply: int) -> float:
        return height - bottom - supply / peak * (height - bottom - top)

    lines = []
    for n, i in enumerate(issuances):
        path = [f"M{x(first):.1f},{y(0):.1f}"]
        for block, supply in i.supply_series:
            path.append(f"H{x(block):.1f}V{y(supply):.1f}")
        path.append(f"H{x(last):.1f}")
        lines.append(f'<path d="{"".join(path)}" fill="none" stroke="{_COLOURS[n]}" stroke-width="2"/>')
    axes = (
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" stroke="#444"/>'
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="#444"/>'
        f'<text x="{left - 5}" y="{y(peak) + 4:.1f}" text-anchor="end" font-size="11">{peak:,}</text>'
        f'<text x="{left - 5}" y="{y(0) + 4:.1f}" text-anchor="end" font-size="11">0</text>'
        f'<text x="{left}" y="{height - 8}" font-size="11">block {first}</text>'
        f'<text x="{width - right}" y="{height - 8}" text-anchor="end" font-size="11">block {last}</text>'
    )
    return (
        f'<svg id="supply-chart" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="supply of each issuance over time">'
        f"{axes}{''.join(lines)}</svg>"
    )


def _holders(r: AuditReport) -> str:
    parts = ['<section id="holders"><h2>Issuances and holders</h2>']
    for i in r.issuances:
        state = _issuance_state(i)
        parts.append(
            f"<h3>Issuance {i.issuance_id}: {escape(i.asset_type)}, {state}</h3>"
            f"<p>supply {i.supply:,} of at most {i.max_supply:,}, {i.covered:,} covered by live collateral; "
            f"{i.holders} holders, {i.in_custody:,} units in custody pending redemption; issuer "
            f"<code>{escape(i.issuer)}</code>, operator <code>{escape(i.operator)}</code></p>"
        )
        c = i.consent
        if c is None:
            parts.append('<p class="fail">created without the issuer\'s consent</p>')
        else:
            parts.append(
                f"<p>issuer's consent at block {c.block}: nonce {c.nonce}, valid until {c.deadline}, "
                f"signed digest <code>{escape(c.terms_digest)}</code></p>"
            )
        if i.successions:
            handed = "; ".join(f"from {old} to {new} at block {block}" for block, old, new, _ in i.successions)
            parts.append(f"<p>operators by the regulator's order: {escape(handed)}</p>")
        rows = [(_code_text(holder), f"{balance:,}") for holder, balance in i.top_holders]
        parts.append(_table(("holder", "units"), rows, numeric=(1,)))
    parts.append("</section>")
    return "".join(parts)


def _issuance_state(i: IssuanceSummary) -> str:
    if i.closed:
        return "closed"
    state = "paused by the regulator" if i.paused_by_regulator else "paused" if i.paused else "open"
    return state + ", under-collateralised" if i.undercollateralised else state


def _permits(r: AuditReport) -> str:
    rows = [
        (
            _code_text(p.operator),
            p.state,
            p.valid_from,
            p.valid_until,
            "; ".join(f"{action} at block {block}" for block, action, _ in p.changes),
        )
        for p in r.permits
    ]
    table = _table(("operator", "state at audited block", "valid from", "valid until", "history"), rows)
    return f'<section id="permits"><h2>Permits</h2>{table}</section>'


def _regulator(r: AuditReport) -> str:
    g = r.regulator
    head = '<section id="regulator"><h2>The regulator and its governed operations</h2>'
    if g is None:
        return head + "<p>Not recorded.</p></section>"
    if not g.governed:
        return head + f"<p>A single key, <code>{escape(g.address)}</code>: no act of it is governed.</p></section>"
    text = (
        f"<p>The timelock <code>{escape(g.timelock)}</code> holds the regulator's role: each of its acts runs "
        f"as an operation the council <code>{escape(g.council)}</code> scheduled ({g.threshold} of its "
        f"{g.signers} signers agreeing) and that waited at least {g.min_delay:,} s.</p>"
    )
    rows = [
        (
            _code_text(o.operation_id[:18] + "…"),
            _Raw("<br>".join(_call_text(c) for c in o.calls)),
            _Raw("<br>".join(f"<code>{escape(s)}</code>" for s in o.signers) or "no council batch"),
            f"block {o.scheduled_block} (time {o.scheduled_at}), delay {o.delay:,} s",
            f"block {o.executed_block} (time {o.executed_at})" if o.status == "done" else "",
            o.status if o.status != "cancelled" else f"cancelled at block {o.cancelled_block}",
        )
        for o in g.operations[:_MAX_ROWS]
    ]
    more = f"<p>{len(g.operations) - _MAX_ROWS} more in the JSON report.</p>" if len(g.operations) > _MAX_ROWS else ""
    table = _table(("operation", "what it did", "signed by", "scheduled", "executed", "state"), rows)
    return f"{head}{text}{table if rows else '<p>No operation yet.</p>'}{more}</section>"


def _call_text(c: GovernedCallSummary) -> str:
    acts = f" → {escape(', '.join(c.acts))}" if c.acts else ""
    return f"<code>{escape(c.text())}</code>{acts}"


def _recoveries(r: AuditReport) -> str:
    if not r.recoveries:
        return '<section id="recoveries"><h2>Wallet recoveries</h2><p>None.</p></section>'
    rows = [
        (
            _code_text(x.lost),
            _code_text(x.replacement),
            x.block,
            _code_text(x.by),
            _code_text(x.now_at),
            "; ".join(f"{units:,} of issuance {iid} ({frozen:,} frozen)" for iid, units, frozen in x.moved)
            or "nothing yet",
        )
        for x in r.recoveries[:_MAX_ROWS]
    ]
    more = f"<p>{len(r.recoveries) - _MAX_ROWS} more in the JSON report.</p>" if len(r.recoveries) > _MAX_ROWS else ""
    table = _table(("lost wallet", "replacement", "block", "by", "units now at", "holdings moved"), rows)
    return f'<section id="recoveries"><h2>Wallet recoveries ({len(r.recoveries)})</h2>{table}{more}</section>'


def _redemptions(r: AuditReport) -> str:
    if not r.redemptions:
        return '<section id="redemptions"><h2>Redemption requests</h2><p>None.</p></section>'
    rows = [
        (
            x.request_id,
            x.issuance_id,
            _code_text(x.holder),
            f"{x.amount:,}",
            x.state,
            x.block,
            "" if not x.settled_block else f"block {x.settled_block} by {x.settled_by}",
            _code_text(x.returned_to) if x.state == "refused" else "",
        )
        for x in r.redemptions[:_MAX_ROWS]
    ]
    more = f"<p>{len(r.redemptions) - _MAX_ROWS} more in the JSON report.</p>" if len(r.redemptions) > _MAX_ROWS else ""
    table = _table(
        ("request", "issuance", "holder", "units", "state", "asked at block", "settled", "returned to"),
        rows,
        numeric=(0, 1, 3),
    )
    return f'<section id="redemptions"><h2>Redemption requests ({len(r.redemptions)})</h2>{table}{more}</section>'


def _exchange(r: AuditReport) -> str:
    x = r.exchange
    head = '<section id="exchange"><h2>The exchange: offers taken, cancellations, escrows</h2>'
    if x is None:
        return head + "<p>This deployment has no exchange.</p></section>"
    tokens = "; ".join(
        f"<code>{escape(t)}</code> in {escape(c)} ({d} decimals){'' if listed else ', delisted'}"
        for t, c, d, listed in x.payment_tokens
    )
    parts = [head, f"<p>Exchange <code>{escape(x.address)}</code>; payment tokens: {tokens or 'none listed'}.</p>"]
    offers = [
        (o.kind, o.block, _code_text(o.maker), o.gives, _code_text(o.taker), o.wants, o.price, _code_text(o.tx_hash))
        for o in x.offers[:_MAX_ROWS]
    ]
    heads: tuple[str, ...] = ("kind", "block", "maker", "gave", "taker", "gave back", "price", "transaction")
    parts.append(f"<h3>Offers taken ({len(x.offers)})</h3>" + (_table(heads, offers) if offers else "<p>None.</p>"))
    cancelled = [(c.block, _code_text(c.maker), c.nonce, _code_text(c.tx_hash)) for c in x.cancellations[:_MAX_ROWS]]
    table = _table(("block", "maker", "nonce", "transaction"), cancelled) if cancelled else "<p>None.</p>"
    parts.append(f"<h3>Offers cancelled ({len(x.cancellations)})</h3>{table}")
    escrows = [
        (
            e.escrow_id,
            e.issuance_id,
            f"{e.units:,}",
            _code_text(e.seller),
            _code_text(e.buyer),
            e.price,
            _code_text(e.agent),
            e.deadline,
            e.outcome
            + (f" at block {e.ended_block}" if e.ended_block else "")
            + (f", delivered to {e.delivered_to}" if e.outcome == "settled" else ""),
        )
        for e in x.escrows[:_MAX_ROWS]
    ]
    heads = ("escrow", "issuance", "units", "seller", "buyer", "price", "agent", "deadline", "outcome")
    parts.append(
        f"<h3>Escrows against off-chain payment ({len(x.escrows)})</h3>"
        + (_table(heads, escrows, numeric=(0, 1, 2)) if escrows else "<p>None.</p>")
    )
    more = max(len(x.offers), len(x.cancellations), len(x.escrows)) > _MAX_ROWS
    parts.append("<p>More in the JSON report.</p></section>" if more else "</section>")
    return "".join(parts)


def _breaches(r: AuditReport) -> str:
    if not r.breaches:
        return (
            '<section id="breaches"><h2>Breaches</h2><p class="pass">None: every rule held at every step.</p></section>'
        )
    rows = [
        (b.requirement, _code_text(b.rule), b.block, _code_text(b.tx_hash), b.log_index, b.message)
        for b in r.breaches[:_MAX_ROWS]
    ]
    more = f"<p>{len(r.breaches) - _MAX_ROWS} more in the JSON report.</p>" if len(r.breaches) > _MAX_ROWS else ""
    table = _table(("requirement", "rule", "block", "transaction", "log", "what happened"), rows)
    return f'<section id="breaches"><h2>Breaches ({len(r.breaches)})</h2>{table}{more}</section>'


def _aml(r: AuditReport) -> str:
    s = r.aml_settings
    text = (
        f"<p>Thresholds: large movement from {s.large_amount:,} units; {s.burst_count} transfers between two "
        f"wallets within {s.burst_blocks} blocks; {s.pass_through_percent}% passed on within "
        f"{s.pass_through_blocks} blocks; an exchange worth {tenge(s.large_value)} or more.</p>"
    )
    rows = [
        (f.kind, f.block, _code_text(f.tx_hash), f.issuance_id, _code_text(f.sender), _code_text(f.recipient), f.amount)
        for f in r.aml[:_MAX_ROWS]
    ]
    table = _table(("pattern", "block", "transaction", "issuance", "from", "to", "units"), rows, numeric=(6,))
    body = table if rows else "<p>No findings.</p>"
    trades = [
        (
            x.kind,
            x.block,
            _code_text(x.seller),
            _code_text(x.buyer),
            "unpriced" if x.value_tiyn is None else tenge(x.value_tiyn),
            x.detail,
        )
        for x in r.aml_exchanges[:_MAX_ROWS]
    ]
    if trades:
        body += (
            f"<h3>Exchanges with their prices ({len(r.aml_exchanges)})</h3><p>Valued in tenge to the tiyn; a swap "
            "has no price on-chain and is listed unpriced with both legs, as is a price in another currency.</p>"
            + _table(("kind", "block", "seller", "buyer", "value", "what"), trades)
        )
    return f'<section id="aml"><h2>Financial monitoring (AML)</h2>{text}{body}</section>'
