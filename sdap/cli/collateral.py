"""Collateral attestations (Law art. 5.2, 6.5, 6.8): `sdap attest` (a verifier signs, and attaches
or with `--sign-only` prints the signed attestation; `--supersedes` renews the collateral's pledge),
`sdap attach FILE` (an operator records one a verifier signed), `sdap attestation show|revoke`, and
`sdap collateral coverage|sync|status`: how an issuance's live collateral stands against its
supply, and whether an attestation still counts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from sdap.cli import _panels as panels
from sdap.cli._args import (
    Collateral,
    CollateralFile,
    Reason,
    ReasonFile,
    document_hash,
    parse_time,
    read_signed,
    show_time,
)
from sdap.cli._common import DeploymentFile, JsonOutput, RpcUrl, connect, emit, failures, jsonable
from sdap.cli._governed import Propose, write_proposal
from sdap.cli._keys import KeySource, signed
from sdap.cli._output import report
from sdap.cli.app import app
from sdap.types import AttestationRecord, AttestationStatus, CollateralAttestation, Coverage

attestation_app = typer.Typer(name="attestation", help="Attached collateral attestations: show, revoke.",
                              no_args_is_help=True)  # fmt: skip
app.add_typer(attestation_app, rich_help_panel=panels.ISSUANCE)
collateral_app = typer.Typer(
    name="collateral", help="Collateral against supply: coverage, sync; an attestation's status.", no_args_is_help=True
)
app.add_typer(collateral_app, rich_help_panel=panels.ISSUANCE)

AttestationId = Annotated[str, typer.Argument(help="The attestation id (its EIP-712 digest, 0x and 64 hex digits).")]
IssuanceId = Annotated[int, typer.Argument(help="The issuance id.")]


@app.command("attest", rich_help_panel=panels.ISSUANCE)
@signed
def attest(
    key: KeySource,
    issuance_id: Annotated[int, typer.Argument(help="The issuance the collateral secures.")],
    units: Annotated[int, typer.Option("--units", help="Units of the issuance the collateral covers.")],
    value: Annotated[int, typer.Option("--value", help="The collateral's appraised value (in the smallest unit).")],
    valid_until: Annotated[
        str, typer.Option("--valid-until", help="End of the attestation: unix seconds, 2030-01-31, +180d.")
    ],
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    collateral: Collateral = None,
    collateral_file: CollateralFile = None,
    owner: Annotated[
        str | None, typer.Option("--owner", help="The collateral's owner \\[default: the issuance's issuer].")
    ] = None,
    nonce: Annotated[int | None, typer.Option("--nonce", help="Single-use nonce \\[default: random].")] = None,
    supersedes: Annotated[
        str | None,
        typer.Option(
            "--supersedes",
            metavar="ATTESTATION_ID",
            help="Renew this attestation, the collateral's pledge now: it stops counting once this one is "
            "attached. The collateral and owner default to its own.",
        ),
    ] = None,
    sign_only: Annotated[
        bool, typer.Option("--sign-only", help="Print the signed attestation as JSON for an operator; send nothing.")
    ] = False,
    as_json: JsonOutput = False,
) -> None:
    """Attests that collateral covers units of an issuance (verifier).

    Signs the attestation (EIP-712) and attaches it.
    A collateral backs one live attestation at a time: --supersedes renews the one in force.
    With --sign-only, prints the signed attestation as JSON instead, for an operator to `sdap attach FILE`."""
    with failures(as_json):
        platform = connect(rpc_url, deployment)
        verifier = platform.verifier(key.unlock())
        queries = platform.queries
        previous = None if supersedes is None else queries.attestation(supersedes)
        if previous is not None and collateral is None and collateral_file is None:
            ref = previous.collateral_ref
        else:
            ref = document_hash("collateral", collateral, collateral_file)
        if owner is None:
            owner = previous.owner if previous is not None else queries.issuance(issuance_id).issuer
        attestation = verifier.attestation(
            issuance_id,
            owner,
            ref,
            value,
            units,
            parse_time(valid_until, "--valid-until", queries.chain_time),
            nonce,
            supersedes=supersedes,
        )
        signed_attestation = verifier.sign_attestation(attestation)
        if sign_only:
            typer.echo(json.dumps(jsonable(signed_attestation), indent=2, sort_keys=True))
            return
        created = verifier.attach(signed_attestation)
        renewing = f", renewing {supersedes}" if supersedes else ""
        report(created.receipt, as_json, f"attestation {_hex(created.id)} attached: {units} units of issuance "
               f"{issuance_id} covered{renewing}", attestation_id=created.id)  # fmt: skip


@app.command("attach", rich_help_panel=panels.ISSUANCE)
@signed
def attach(
    key: KeySource,
    file: Annotated[Path, typer.Argument(help="A signed attestation (`sdap attest --sign-only`); - for stdin.")],
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    as_json: JsonOutput = False,
) -> None:
    """Attaches a verifier's signed attestation (operator).

    The signature, not the sender, is the verifier's authority."""
    with failures(as_json):
        platform = connect(rpc_url, deployment)
        attestation, signature = _read_signed(file)
        created = platform.operator(key.unlock()).attach_attestation(attestation, signature)
        report(created.receipt, as_json, f"attestation {_hex(created.id)} attached", attestation_id=created.id)


def _read_signed(path: Path) -> tuple[CollateralAttestation, str]:
    names = ("asset", "issuance_id", "owner", "collateral_ref", "value", "units", "valid_until", "nonce", "supersedes")
    fields, signature = read_signed(path, "attestation", names)
    return CollateralAttestation(**fields), signature


@attestation_app.command("show")
def show(
    attestation_id: AttestationId, rpc_url: RpcUrl, deployment: DeploymentFile, as_json: JsonOutput = False
) -> None:
    """Shows an attached attestation."""
    with failures(as_json):
        emit(connect(rpc_url, deployment).queries.attestation(attestation_id), as_json)


@attestation_app.command("revoke")
@signed
def revoke(
    key: KeySource,
    attestation_id: AttestationId,
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    reason: Reason = None,
    reason_file: ReasonFile = None,
    propose: Propose = None,
    as_json: JsonOutput = False,
) -> None:
    """Revokes an attestation (its verifier or the regulator).

    It stops counting at once: the issuance may be under-collateralised from then on."""
    with failures(as_json):
        platform = connect(rpc_url, deployment)
        why = document_hash("reason", reason, reason_file)
        if propose is not None:  # the governed regulator's revocation
            act = lambda c: c.revoke_attestation(attestation_id, why)  # noqa: E731
            write_proposal(platform, propose, as_json, f"revoke attestation {attestation_id}", act)
            return
        # The verifier's and the regulator's revoke are the same call; the contract checks who.
        receipt = platform.verifier(key.unlock()).revoke(attestation_id, why)
        report(receipt, as_json, f"attestation {attestation_id} revoked")


@collateral_app.command("coverage")
def coverage(issuance_id: IssuanceId, rpc_url: RpcUrl, deployment: DeploymentFile, as_json: JsonOutput = False) -> None:
    """Shows how the issuance's live collateral stands against its supply, and until when it covers it."""
    with failures(as_json):
        found = connect(rpc_url, deployment).queries.coverage(issuance_id)
        emit(found, as_json, lambda c: f"issuance {issuance_id}: {coverage_line(c)}")


@collateral_app.command("sync")
@signed
def sync(
    key: KeySource, issuance_id: IssuanceId, rpc_url: RpcUrl, deployment: DeploymentFile, as_json: JsonOutput = False
) -> None:
    """Has the chain count the issuance's collateral again and record the result (anyone).

    Needed only after an accreditation was withdrawn (expiry needs no call); the next movement would count it anyway."""
    with failures(as_json):
        # Anyone may: any role's client sends the same call.
        counted = connect(rpc_url, deployment).holder(key.unlock()).sync_coverage(issuance_id)
        emit(counted, as_json, lambda c: f"issuance {issuance_id} counted: {coverage_line(c)}")


@collateral_app.command("status")
def status(
    attestation_id: AttestationId, rpc_url: RpcUrl, deployment: DeploymentFile, as_json: JsonOutput = False
) -> None:
    """Whether an attestation counts now, and if not, why."""
    with failures(as_json):
        queries = connect(rpc_url, deployment).queries
        found = queries.attestation_status(attestation_id)
        record = queries.attestation(attestation_id) if found is not AttestationStatus.UNKNOWN else None
        body = {"attestation_id": attestation_id, "status": found.name}
        emit(body, as_json, lambda _: f"{attestation_id}  {found.name}: {_why(found, record)}")


def _why(found: AttestationStatus, record: AttestationRecord | None) -> str:
    if record is None:
        return "no such attestation is attached"
    return {
        AttestationStatus.LIVE: f"counts for issuance {record.issuance_id} until {show_time(record.valid_until)}",
        AttestationStatus.REVOKED: "revoked by its verifier or the regulator",
        AttestationStatus.SUPERSEDED: f"renewed by {_hex(record.superseded_by or b'')}",
        AttestationStatus.EXPIRED: f"expired at {show_time(record.valid_until)}",
        AttestationStatus.VERIFIER_WITHDRAWN: f"the accreditation of its verifier {record.verifier} was withdrawn",
    }.get(found, found.name)


def coverage_line(c: Coverage) -> str:
    """How the collateral stands against the supply, in words (also `sdap collateral coverage`)."""
    if c.undercollateralised:
        return (
            f"UNDER-COLLATERALISED: live collateral covers {c.covered} of the {c.supply} units in circulation; "
            "units move only back to the issuer, by redemption or by regulator order"
        )
    if c.supply == 0:
        return f"no unit in circulation; live collateral covers {c.covered}"
    return (
        f"live collateral covers {c.covered} of the {c.supply} units in circulation until {show_time(c.covered_until)}"
    )


def _hex(value: bytes) -> str:
    return "0x" + value.hex()
