"""`sdap issuance consent` and `sdap issuance withdraw-consent`: the issuer's side of an issuance
(Law art. 6.5). The issuer signs its consent to the terms and to the operator that will run them
(EIP-712, nothing sent, no gas); the operator submits it with `sdap issuance create --consent FILE`.
Until then the issuer can withdraw it by spending its nonce."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from sdap.cli._args import Decision, DecisionFile, Evidence, EvidenceFile, parse_time, show_time
from sdap.cli._common import DeploymentFile, JsonOutput, RpcUrl, connect, emit, failures
from sdap.cli._keys import KeySource, signed
from sdap.cli._output import report
from sdap.cli._terms import TermsFile, consent_json, terms_of
from sdap.cli.issuances import (
    TermsDecisionUri,
    TermsMaxSupply,
    TermsType,
    TermsUnit,
    issuance_app,
)
from sdap.errors import InvalidArgument


@issuance_app.command("consent")
@signed
def consent(
    key: KeySource,
    operator: Annotated[str, typer.Option("--operator", help="The operator that will submit and run the issuance.")],
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    terms: TermsFile = None,
    issuer: Annotated[
        str | None, typer.Option("--issuer", help="The issuer's address \\[default: the signer's].")
    ] = None,
    asset_type: TermsType = None,
    decision_uri: TermsDecisionUri = None,
    unit: TermsUnit = None,
    max_supply: TermsMaxSupply = None,
    decision: Decision = None,
    decision_file: DecisionFile = None,
    evidence: Evidence = None,
    evidence_file: EvidenceFile = None,
    deadline: Annotated[
        str, typer.Option("--deadline", help="Until when the operator may submit it: unix seconds, 2030-01-31, +7d.")
    ] = "+1d",
    nonce_key: Annotated[
        int,
        typer.Option(
            "--nonce-key",
            help="Sign under this nonce key: consents under one key are used in order, so give each operator "
            "its own to sign for several at once.",
        ),
    ] = 0,
    nonce: Annotated[
        int | None, typer.Option("--nonce", help="The nonce \\[default: the next unused one of --nonce-key].")
    ] = None,
    sign_only: Annotated[
        bool,
        typer.Option(
            "--sign-only",
            help="Print the signed consent as JSON; send nothing. What this command always does: the operator "
            "submits the consent.",
        ),
    ] = False,
    out: Annotated[
        Path | None, typer.Option("--out", metavar="PATH", help="Write the signed consent here instead of stdout.")
    ] = None,
    as_json: JsonOutput = False,
) -> None:
    """Signs the issuer's consent to an issuance's terms run by --operator (issuer; Law art. 6.5).

    Prints the consent as JSON (params, operator, nonce, deadline, signature, digest), or writes it
    to --out, for the operator to submit with `sdap issuance create --consent FILE` and exactly the
    same terms. Nothing is sent: the issuer needs no gas. The terms are given as options or as
    --terms FILE. Until it is used, `sdap issuance withdraw-consent --nonce N` withdraws it."""
    with failures(as_json):
        platform = connect(rpc_url, deployment)
        client = platform.issuer(key.unlock())
        params = terms_of(
            terms, issuer=client.address if issuer is None and terms is None else issuer, asset_type=asset_type,
            decision_uri=decision_uri, unit=unit, max_supply=max_supply, decision=decision,
            decision_file=decision_file, evidence=evidence, evidence_file=evidence_file,
        )  # fmt: skip
        until = parse_time(deadline, "--deadline", platform.queries.chain_time)
        signed_consent = client.sign_consent(params, operator, deadline=until, key=nonce_key, nonce=nonce)
        body = consent_json(signed_consent, platform.deployment)
        text = json.dumps(body, indent=2, sort_keys=True)
        if out is None:
            typer.echo(text)
            return
        try:
            out.write_text(text + "\n", encoding="utf-8")
        except OSError as exc:
            raise InvalidArgument(f"cannot write --out {out}: {exc.strerror}") from None
        emit({**body, "written_to": str(out)}, as_json, lambda _: (
            f"consent of {params.issuer} for the operator {signed_consent.operator} written to {out}: "
            f"nonce {signed_consent.consent.nonce}, valid until {show_time(until)}"
        ))  # fmt: skip


@issuance_app.command("withdraw-consent")
@signed
def withdraw_consent(
    key: KeySource,
    nonce: Annotated[int, typer.Option("--nonce", help="The nonce of the consent to withdraw (the next unused one).")],
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    as_json: JsonOutput = False,
) -> None:
    """Withdraws a consent the issuer signed but no operator has used (issuer).

    Spends its nonce, which must be the next unused one of its key; a consent with it is refused."""
    with failures(as_json):
        receipt = connect(rpc_url, deployment).issuer(key.unlock()).withdraw_consent(nonce)
        report(receipt, as_json, f"consent nonce {nonce} withdrawn: no operator can use a consent signed with it")
