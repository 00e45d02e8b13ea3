"""`sdap issuance ...`: issuances ("releases", Law art. 5.1, 7): posted by an operator with the
decision to issue and the evidence of rights anchored, paused, closed, and shown with their
collateral coverage (Law art. 5.2, 6.8) and who paused them."""

from __future__ import annotations

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
    document_hash,
)
from sdap.cli._common import DeploymentFile, JsonOutput, RpcUrl, connect, emit, failures, jsonable
from sdap.cli._keys import KeySource, signed
from sdap.cli._output import report
from sdap.cli.app import app
from sdap.cli.collateral import coverage_line
from sdap.clients import PlatformQueries
from sdap.types import Coverage, Issuance, IssuanceParams

issuance_app = typer.Typer(name="issuance", no_args_is_help=True,
                           help="Issuances: create, show, list, pause, unpause, close.")  # fmt: skip
app.add_typer(issuance_app, rich_help_panel=panels.ISSUANCE)

IssuanceId = Annotated[int, typer.Argument(help="The issuance id (its ERC-1155 token id).")]


@issuance_app.command("create")
@signed
def create(
    key: KeySource,
    issuer: Annotated[str, typer.Option("--issuer", help="The issuer's address (in the state register).")],
    asset_type: Annotated[int, typer.Option("--type", help="The asset type's id (`sdap type list`).")],
    decision_uri: Annotated[str, typer.Option("--decision-uri", help="Where the decision to issue is published.")],
    unit: Annotated[str, typer.Option("--unit", help='What one unit certifies, e.g. "1 tonne of wheat, class 3".')],
    max_supply: Annotated[int, typer.Option("--max-supply", help="Units that may ever exist.")],
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    decision: Decision = None,
    decision_file: DecisionFile = None,
    evidence: Evidence = None,
    evidence_file: EvidenceFile = None,
    as_json: JsonOutput = False,
) -> None:
    """Posts an issuance (operator with an active permit); prints its id.

    The decision to issue and the evidence of rights are anchored before any unit exists."""
    with failures(as_json):
        platform = connect(rpc_url, deployment)
        params = IssuanceParams(
            issuer=issuer,
            asset_type=asset_type,
            decision_hash=document_hash("decision", decision, decision_file),
            decision_uri=decision_uri,
            evidence_hash=document_hash("evidence", evidence, evidence_file),
            unit_description=unit,
            max_supply=max_supply,
        )
        created = platform.operator(key.unlock()).create_issuance(params)
        report(created.receipt, as_json, f"issuance {created.id} created", issuance_id=created.id)


@issuance_app.command("show")
def show(issuance_id: IssuanceId, rpc_url: RpcUrl, deployment: DeploymentFile, as_json: JsonOutput = False) -> None:
    """Shows an issuance: its documents, supply, collateral cover and state."""
    with failures(as_json):
        queries = connect(rpc_url, deployment).queries
        issuance = queries.issuance(issuance_id)
        coverage = queries.coverage(issuance_id)
        emit(_details(queries, issuance, coverage), as_json, lambda d: _human(d, coverage))


@issuance_app.command("list")
def list_(rpc_url: RpcUrl, deployment: DeploymentFile, as_json: JsonOutput = False) -> None:
    """Lists every issuance with its supply, state and whether it is under-collateralised."""
    with failures(as_json):
        queries = connect(rpc_url, deployment).queries
        rows = [
            _row(i, queries.coverage(i.id))
            for i in (queries.issuance(n) for n in range(1, queries.issuance_count() + 1))
        ]
        emit(rows, as_json, lambda _: "\n".join(
            f"{r['id']:>5}  {r['state']:<7} supply {r['total_supply']:>10} / {r['max_supply']:<10} "
            f"type {r['asset_type']}  issuer {r['issuer']}  {r['unit_description']}"
            + ("  UNDER-COLLATERALISED" if r["undercollateralised"] else "") for r in rows
        ) or "no issuance yet")  # fmt: skip


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
        as_json: JsonOutput = False,
    ) -> None:  # fmt: skip
        with failures(as_json):
            # The operator's and the regulator's pause are the same call; the contract checks who.
            operator = connect(rpc_url, deployment).operator(key.unlock())
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
