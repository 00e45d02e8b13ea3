"""`sdap issuance ...`: issuances ("releases", Law art. 5.1, 7): posted by an operator with the
decision to issue and the evidence of rights anchored, paused, closed, and shown."""

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
from sdap.clients import PlatformQueries
from sdap.types import Issuance, IssuanceParams

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
        details = _details(queries, queries.issuance(issuance_id))
        emit(details, as_json, _human)


@issuance_app.command("list")
def list_(rpc_url: RpcUrl, deployment: DeploymentFile, as_json: JsonOutput = False) -> None:
    """Lists every issuance with its supply and state."""
    with failures(as_json):
        queries = connect(rpc_url, deployment).queries
        rows = [
            {**jsonable(i), "total_supply": queries.total_supply(i.id), "state": _state(i)}
            for i in (queries.issuance(n) for n in range(1, queries.issuance_count() + 1))
        ]
        emit(rows, as_json, lambda _: "\n".join(
            f"{r['id']:>5}  {r['state']:<7} supply {r['total_supply']:>10} / {r['max_supply']:<10} "
            f"type {r['asset_type']}  issuer {r['issuer']}  {r['unit_description']}" for r in rows
        ) or "no issuance yet")  # fmt: skip


def _state(i: Issuance) -> str:
    return "closed" if i.closed else "paused" if i.paused else "open"


def _details(queries: PlatformQueries, i: Issuance) -> dict[str, object]:
    return {
        **jsonable(i),
        "state": _state(i),
        "total_supply": queries.total_supply(i.id),
        "covered_units": queries.covered_units(i.id, i.issuer),
        "attestations": ["0x" + a.hex() for a in queries.attestations_of(i.id)],
    }


def _human(d: dict[str, object]) -> str:
    lines = [
        f"issuance {d['id']}: {d['unit_description']}",
        f"  state           {d['state']}",
        f"  supply          {d['total_supply']} of at most {d['max_supply']}; collateral covers {d['covered_units']}",
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


_pause("pause", "Stops every movement of an issuance's units (its operator or the regulator).")
_pause("unpause", "Lets an issuance's units move again (its operator or the regulator).")


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

    Its issuer or operator, once every unit is redeemed (Law art. 7.1). Nothing more can be minted."""
    with failures(as_json):
        platform = connect(rpc_url, deployment)
        record = document_hash("fulfilment", fulfilment, fulfilment_file)
        # The issuer's and the operator's close are the same call; the contract checks who.
        receipt = platform.issuer(key.unlock()).close(issuance_id, record)
        report(receipt, as_json, f"issuance {issuance_id} closed")
