"""Collateral attestations (Law art. 6.5, 6.8): `sdap attest` (a verifier signs, and attaches or
with `--sign-only` prints the signed attestation), `sdap attach FILE` (an operator records one a
verifier signed), `sdap attestation show|revoke`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from sdap.cli import _panels as panels
from sdap.cli._args import Collateral, CollateralFile, Reason, ReasonFile, document_hash, parse_time, read_signed
from sdap.cli._common import DeploymentFile, JsonOutput, RpcUrl, connect, emit, failures, jsonable
from sdap.cli._keys import KeySource, signed
from sdap.cli._output import report
from sdap.cli.app import app
from sdap.types import CollateralAttestation

attestation_app = typer.Typer(name="attestation", help="Attached collateral attestations: show, revoke.",
                              no_args_is_help=True)  # fmt: skip
app.add_typer(attestation_app, rich_help_panel=panels.ISSUANCE)

AttestationId = Annotated[str, typer.Argument(help="The attestation id (its EIP-712 digest, 0x and 64 hex digits).")]


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
        str | None, typer.Option("--owner", help="The collateral's owner [default: the issuance's issuer].")
    ] = None,
    nonce: Annotated[int | None, typer.Option("--nonce", help="Single-use nonce [default: random].")] = None,
    sign_only: Annotated[
        bool, typer.Option("--sign-only", help="Print the signed attestation as JSON for an operator; send nothing.")
    ] = False,
    as_json: JsonOutput = False,
) -> None:
    """Attests that collateral covers units of an issuance (verifier).

    Signs the attestation (EIP-712) and attaches it.
    With --sign-only, prints the signed attestation as JSON instead, for an operator to `sdap attach FILE`."""
    with failures(as_json):
        platform = connect(rpc_url, deployment)
        verifier = platform.verifier(key.unlock())
        queries = platform.queries
        attestation = verifier.attestation(
            issuance_id,
            owner if owner is not None else queries.issuance(issuance_id).issuer,
            document_hash("collateral", collateral, collateral_file),
            value,
            units,
            parse_time(valid_until, "--valid-until", queries.chain_time),
            nonce,
        )
        signed_attestation = verifier.sign_attestation(attestation)
        if sign_only:
            typer.echo(json.dumps(jsonable(signed_attestation), indent=2, sort_keys=True))
            return
        created = verifier.attach(signed_attestation)
        report(created.receipt, as_json, f"attestation {_hex(created.id)} attached: {units} units of issuance "
               f"{issuance_id} covered", attestation_id=created.id)  # fmt: skip


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
    names = ("asset", "issuance_id", "owner", "collateral_ref", "value", "units", "valid_until", "nonce")
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
    as_json: JsonOutput = False,
) -> None:
    """Revokes an attestation (its verifier or the regulator): the units it covered can no longer be minted."""
    with failures(as_json):
        platform = connect(rpc_url, deployment)
        why = document_hash("reason", reason, reason_file)
        # The verifier's and the regulator's revoke are the same call; the contract checks who.
        receipt = platform.verifier(key.unlock()).revoke(attestation_id, why)
        report(receipt, as_json, f"attestation {attestation_id} revoked")


def _hex(value: bytes) -> str:
    return "0x" + value.hex()
