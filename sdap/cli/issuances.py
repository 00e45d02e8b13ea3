"""`sdap issuance ...`: issuances ("releases", Law art. 5.1, 7): posted by an operator with the
issuer's signed consent (Law art. 6.5; signed by `issuance consent`, sdap/cli/consent.py) and the
decision to issue and the evidence of rights anchored, paused, closed, and shown with their
collateral coverage (Law art. 5.2, 6.8) and who paused them; handed by the regulator to a successor
operator (Law art. 6.1-6.2), and their decision moved by the issuer to where it is published now."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sdap.cli import _panels as panels
from sdap.cli._args import (
    Decision,
    DecisionFile,
    Evidence,
    EvidenceFile,
    Fulfilment,
    FulfilmentFile,
    Order,
    OrderFile,
    document_hash,
)
from sdap.cli._common import DeploymentFile, JsonOutput, RpcUrl, connect, emit, failures, jsonable
from sdap.cli._governed import Propose, regulator_act, write_proposal
from sdap.cli._keys import KeySource, signed
from sdap.cli._output import report
from sdap.cli._published import check_published
from sdap.cli._terms import TermsFile, consent_for, terms_of
from sdap.cli.app import app
from sdap.cli.collateral import coverage_line
from sdap.clients import PlatformQueries
from sdap.errors import InvalidArgument
from sdap.types import Coverage, Issuance

issuance_app = typer.Typer(
    name="issuance",
    no_args_is_help=True,
    help="Issuances: consent, create, withdraw-consent, show, list, pause, unpause, close, succeed, decision-uri.",
)
app.add_typer(issuance_app, rich_help_panel=panels.ISSUANCE)

IssuanceId = Annotated[int, typer.Argument(help="The issuance id (its ERC-1155 token id).")]


#: The terms' options, shared with `sdap issuance consent` (the terms file, --terms, is the other way).
TermsIssuer = Annotated[str | None, typer.Option("--issuer", help="The issuer's address (in the state register).")]
TermsType = Annotated[int | None, typer.Option("--type", help="The asset type's id (`sdap type list`).")]
TermsDecisionUri = Annotated[
    str | None, typer.Option("--decision-uri", help="Where the decision to issue is published.")
]
TermsUnit = Annotated[
    str | None, typer.Option("--unit", help='What one unit certifies, e.g. "1 tonne of wheat, class 3".')
]
TermsMaxSupply = Annotated[int | None, typer.Option("--max-supply", help="Units that may ever exist.")]
ConsentFile = Annotated[
    Path | None,
    typer.Option(
        "--consent",
        metavar="PATH",
        show_default=False,
        help="The issuer's signed consent to these terms and this operator (`sdap issuance consent`); - for stdin.",
    ),
]


@issuance_app.command("create")
@signed
def create(
    key: KeySource,
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    consent: ConsentFile = None,
    terms: TermsFile = None,
    issuer: TermsIssuer = None,
    asset_type: TermsType = None,
    decision_uri: TermsDecisionUri = None,
    unit: TermsUnit = None,
    max_supply: TermsMaxSupply = None,
    decision: Decision = None,
    decision_file: DecisionFile = None,
    evidence: Evidence = None,
    evidence_file: EvidenceFile = None,
    as_json: JsonOutput = False,
) -> None:
    """Posts an issuance with the issuer's consent (operator with an active permit); prints its id.

    The terms, as options or --terms FILE, must be exactly those the issuer signed in the --consent
    file for this operator (Law art. 6.5): a difference is named before anything is sent.
    The decision to issue and the evidence of rights are anchored before any unit exists."""
    with failures(as_json):
        params = terms_of(
            terms, issuer=issuer, asset_type=asset_type, decision_uri=decision_uri, unit=unit, max_supply=max_supply,
            decision=decision, decision_file=decision_file, evidence=evidence, evidence_file=evidence_file,
        )  # fmt: skip
        if consent is None:
            raise InvalidArgument(
                "an issuance needs its issuer's consent (Law art. 6.5): the issuer signs it with "
                "`sdap issuance consent --operator YOUR_ADDRESS ... --out FILE`; pass that file as --consent FILE"
            )
        platform = connect(rpc_url, deployment)
        operator = platform.operator(key.unlock())
        signed_consent = consent_for(consent, params, operator.address, platform.deployment)
        created = operator.create_issuance(params, signed_consent)
        report(created.receipt, as_json, f"issuance {created.id} created with the consent of its issuer "
               f"{params.issuer} (nonce {signed_consent.nonce})", issuance_id=created.id)  # fmt: skip


@issuance_app.command("show")
def show(issuance_id: IssuanceId, rpc_url: RpcUrl, deployment: DeploymentFile, as_json: JsonOutput = False) -> None:
    """Shows an issuance: its documents, supply, collateral cover and state."""
    with failures(as_json):
        queries = connect(rpc_url, deployment).queries
        issuance = queries.issuance(issuance_id)
        coverage = queries.coverage(issuance_id)
        emit(_details(queries, issuance, coverage), as_json, lambda d: _human(d, coverage))


@issuance_app.command("list")
def list_(
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    operator: Annotated[str | None, typer.Option("--operator", help="Only the issuances this operator runs.")] = None,
    issuer: Annotated[str | None, typer.Option("--issuer", help="Only the issuances of this issuer.")] = None,
    after: Annotated[int, typer.Option("--after", help="Only ids above this one (the last of the previous page).")] = 0,
    limit: Annotated[int, typer.Option("--limit", help="At most this many issuances.")] = 100,
    as_json: JsonOutput = False,
) -> None:
    """Lists issuances in id order with their supply, state and whether they are under-collateralised.

    The asset keeps no list per operator (a succession would have to move entries between them), so
    a filtered list reads every issuance after --after until it has --limit of them."""
    with failures(as_json):
        queries = connect(rpc_url, deployment).queries
        page = queries.issuances(operator=operator, issuer=issuer, after=after, limit=limit)
        rows = [_row(i, queries.coverage(i.id)) for i in page]
        more = f"\n(the page is full: the next one starts with --after {page[-1].id})" if len(page) == limit else ""
        emit(rows, as_json, lambda _: "\n".join(
            f"{r['id']:>5}  {r['state']:<7} supply {r['total_supply']:>10} / {r['max_supply']:<10} "
            f"type {r['asset_type']}  operator {r['operator']}  issuer {r['issuer']}  {r['unit_description']}"
            + ("  UNDER-COLLATERALISED" if r["undercollateralised"] else "") for r in rows
        ) + more if rows else "no issuance")  # fmt: skip


def _state(i: Issuance) -> str:
    return "closed" if i.closed else "paused" if i.paused else "open"


def _paused_by(i: Issuance) -> str | None:
    """Whose pause holds the issuance: the regulator's only the regulator lifts."""
    if not i.paused:
        return None
    return "regulator" if i.paused_by_regulator else "operator"


def _row(i: Issuance, coverage: Coverage) -> dict[str, object]:
    return {
        **jsonable(i),
        "state": _state(i),
        "paused_by": _paused_by(i),
        "total_supply": coverage.supply,
        "undercollateralised": coverage.undercollateralised,
    }


def _details(queries: PlatformQueries, i: Issuance, coverage: Coverage) -> dict[str, object]:
    return {
        **_row(i, coverage),
        "covered_units": coverage.covered,
        "coverage": jsonable(coverage),
        "attestations": ["0x" + a.hex() for a in queries.attestations_of(i.id)],
    }


def _human(d: dict[str, object], coverage: Coverage) -> str:
    paused_by = {"regulator": " by the regulator (only it lifts the pause)", "operator": " by its operator"}
    lines = [
        f"issuance {d['id']}: {d['unit_description']}",
        f"  state           {d['state']}{paused_by.get(str(d['paused_by']), '')}",
        f"  supply          {d['total_supply']} of at most {d['max_supply']}",
        f"  collateral      {coverage_line(coverage)}",
        f"  issuer          {d['issuer']}",
        f"  operator        {d['operator']}",
        f"  asset type      {d['asset_type']}",
        f"  decision        {d['decision_hash']}  {d['decision_uri']}",
        f"  evidence        {d['evidence_hash']}",
    ]
    if d["closed"]:
        lines.append(f"  fulfilment      {d['fulfilment_hash']}")
    attestations = d["attestations"]
    assert isinstance(attestations, list)
    lines += [f"  attestation     {a}" for a in attestations]
    return "\n".join(lines)


def _pause(verb: str, help_text: str) -> None:
    @issuance_app.command(verb, help=help_text)
    @signed
    def command(
        key: KeySource, issuance_id: IssuanceId, rpc_url: RpcUrl, deployment: DeploymentFile,
        propose: Propose = None, as_json: JsonOutput = False,
    ) -> None:  # fmt: skip
        with failures(as_json):
            platform = connect(rpc_url, deployment)
            if propose is not None:  # a governed regulator's pause (a supervisor's needs none: it acts at once)
                act = (lambda c: c.pause(issuance_id)) if verb == "pause" else (lambda c: c.unpause(issuance_id))
                write_proposal(platform, propose, as_json, f"{verb} issuance {issuance_id}", act)
                return
            # The operator's, the supervisor's and the regulator's pause are the same call; the contract checks who.
            operator = platform.operator(key.unlock())
            act = operator.pause if verb == "pause" else operator.unpause
            report(act(issuance_id), as_json, f"issuance {issuance_id} {verb}d")


_pause("pause", "Stops every movement of an issuance's units (its operator with a permit in force, or the "
       "regulator; the regulator also takes over an operator's pause).")  # fmt: skip
_pause("unpause", "Lets an issuance's units move again (the regulator; its operator only if the pause is its own).")


@issuance_app.command("close")
@signed
def close(
    key: KeySource,
    issuance_id: IssuanceId,
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    fulfilment: Fulfilment = None,
    fulfilment_file: FulfilmentFile = None,
    as_json: JsonOutput = False,
) -> None:
    """Closes an issuance: the issuer's obligations to all holders are met.

    Its issuer, or its operator with a permit in force, once every unit is redeemed (Law art. 7.1).
    Nothing more can be minted."""
    with failures(as_json):
        platform = connect(rpc_url, deployment)
        record = document_hash("fulfilment", fulfilment, fulfilment_file)
        # The issuer's and the operator's close are the same call; the contract checks who.
        receipt = platform.issuer(key.unlock()).close(issuance_id, record)
        report(receipt, as_json, f"issuance {issuance_id} closed")


@issuance_app.command("succeed")
@signed
def succeed(
    key: KeySource,
    successor: Annotated[
        str, typer.Option("--to", help="The successor: an operator with the role and a permit in force.")
    ],
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    issuance_ids: Annotated[
        list[int] | None, typer.Argument(metavar="ID", help="The issuances to hand over.", show_default=False)
    ] = None,
    all_of: Annotated[
        str | None,
        typer.Option("--all-of", help="Instead of ids: every issuance this operator runs now.", show_default=False),
    ] = None,
    order: Order = None,
    order_file: OrderFile = None,
    propose: Propose = None,
    as_json: JsonOutput = False,
) -> None:
    """Hands issuances to a successor operator by the regulator's order (Law art. 6.1-6.2).

    When a permit is suspended or revoked, the issuances it carried are not orphaned: from then on
    the successor mints, pauses and closes them, and its permit is the one their transfers need.
    Each moved issuance is named in the transaction; --all-of lists the operator's issuances first."""
    with failures(as_json):
        if bool(issuance_ids) == (all_of is not None):
            raise InvalidArgument("give the issuance ids or --all-of OPERATOR (one of them)")
        platform = connect(rpc_url, deployment)
        anchored = document_hash("order", order, order_file)
        ids = list(issuance_ids or []) if all_of is None else _every_issuance_of(platform.queries, all_of)
        done = f"issuances {', '.join(map(str, ids))} handed to {successor}"
        act = lambda calls: calls.succeed_issuances(ids, successor, anchored)  # noqa: E731
        receipt = regulator_act(platform, key, propose, as_json, done, act)
        if receipt is not None:
            report(receipt, as_json, done, issuance_ids=ids)


#: The most issuances one order hands over: each is a write and an event, and a transaction must fit
#: in a block (the gateway takes as many).
SUCCESSION_LIMIT = 1000


def _every_issuance_of(queries: PlatformQueries, operator: str) -> list[int]:
    """The ids of every issuance `operator` runs now."""
    ids = [i.id for i in queries.issuances(operator=operator, limit=SUCCESSION_LIMIT + 1)]
    if not ids:
        raise InvalidArgument(f"{operator} runs no issuance: there is nothing to hand over")
    if len(ids) > SUCCESSION_LIMIT:
        raise InvalidArgument(
            f"{operator} runs more than {SUCCESSION_LIMIT} issuances: hand them over in parts, naming their ids "
            "(`sdap issuance list --operator`)"
        )
    return ids


@issuance_app.command("decision-uri")
@signed
def decision_uri(
    key: KeySource,
    issuance_id: IssuanceId,
    uri: Annotated[str, typer.Argument(help="Where the decision to issue is published now (http or https).")],
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds to wait for the document.")] = 10.0,
    as_json: JsonOutput = False,
) -> None:
    """Points an issuance's decision to issue to where it is published now (its issuer, while active
    in the register; not once closed).

    The anchored decision hash never changes, so the document at URI is fetched first and the
    change refused unless its sha256 is that hash: the same decision, byte for byte (Law art. 5.1, 7.1)."""
    with failures(as_json):
        platform = connect(rpc_url, deployment)
        issuer = platform.issuer(key.unlock())
        # The contract's own refusals first: nothing is fetched for a key that may not move it.
        issuer.check_decision_uri_update(issuance_id, uri)
        check_published(uri, platform.queries.issuance(issuance_id).decision_hash, "decision", timeout=timeout)
        receipt = issuer.update_decision_uri(issuance_id, uri)
        report(receipt, as_json, f"decision of issuance {issuance_id} now published at {uri}")
