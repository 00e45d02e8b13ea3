"""An issuance's terms and the issuer's signed consent to them, as files the issuer and the operator
pass between them (Law art. 6.5): `sdap issuance consent` signs the terms for one operator and
writes the consent, `sdap issuance create --consent FILE` submits it. The terms come from options or
from a JSON terms file (the fields of sdap.types.IssuanceParams), the same way for both commands."""

from __future__ import annotations

from dataclasses import asdict, fields
from pathlib import Path
from typing import Annotated, Any

import typer
from eth_utils import to_checksum_address

from sdap.cli._args import document_hash, field, read_json
from sdap.cli._common import jsonable
from sdap.deployment import Deployment
from sdap.errors import InvalidArgument
from sdap.signing import SignedConsent, normalise_params
from sdap.types import IssuanceParams, IssuerConsent

TERMS_FIELDS = tuple(f.name for f in fields(IssuanceParams))

TermsFile = Annotated[
    Path | None,
    typer.Option(
        "--terms",
        metavar="PATH",
        show_default=False,
        help=f"JSON file of the terms ({', '.join(TERMS_FIELDS)}) instead of their options; - for stdin.",
    ),
]


def terms_of(
    terms_file: Path | None,
    *,
    issuer: str | None,
    asset_type: int | None,
    decision_uri: str | None,
    unit: str | None,
    max_supply: int | None,
    decision: str | None,
    decision_file: Path | None,
    evidence: str | None,
    evidence_file: Path | None,
) -> IssuanceParams:
    """The terms given as `--terms FILE` or as options (one way, not both), checked and normalised."""
    options = {
        "--issuer": issuer, "--type": asset_type, "--decision-uri": decision_uri, "--unit": unit,
        "--max-supply": max_supply, "--decision": decision, "--decision-file": decision_file,
        "--evidence": evidence, "--evidence-file": evidence_file,
    }  # fmt: skip
    if terms_file is not None:
        given = [name for name, value in options.items() if value is not None]
        if given:
            raise InvalidArgument(
                f"give the terms as --terms FILE or as options, not both (also got {', '.join(given)})"
            )
        return read_terms(terms_file)
    missing = [
        name for name in ("--issuer", "--type", "--decision-uri", "--unit", "--max-supply") if options[name] is None
    ]
    if missing:
        raise InvalidArgument(f"the terms lack {', '.join(missing)} (or give them all as --terms FILE)")
    assert issuer is not None and asset_type is not None and decision_uri is not None and unit is not None
    assert max_supply is not None
    return normalise_params(
        IssuanceParams(
            issuer=issuer,
            asset_type=asset_type,
            decision_hash=document_hash("decision", decision, decision_file),
            decision_uri=decision_uri,
            evidence_hash=document_hash("evidence", evidence, evidence_file),
            unit_description=unit,
            max_supply=max_supply,
        )
    )


def read_terms(path: Path) -> IssuanceParams:
    return _params(read_json(path, "terms file"), "the terms file")


def _params(data: dict[str, Any], what: str) -> IssuanceParams:
    unknown = sorted(set(data) - set(TERMS_FIELDS))
    if unknown:
        raise InvalidArgument(f"{what} has fields no issuance has: {', '.join(unknown)}")
    return normalise_params(IssuanceParams(**{name: field(data, name, what) for name in TERMS_FIELDS}))


def consent_json(signed: SignedConsent, deployment: Deployment) -> dict[str, Any]:
    """The consent file: the terms, the operator, the nonce, the deadline and the signature, with
    the digest the IssuerConsented event will record and the chain and asset it was signed for."""
    return {
        "params": jsonable(signed.params),
        "operator": signed.operator,
        "nonce": signed.consent.nonce,
        "deadline": signed.consent.deadline,
        "signature": jsonable(signed.consent.signature),
        "digest": jsonable(signed.digest),
        "chain_id": deployment.chain_id,
        "asset": deployment.asset,
    }


def consent_for(path: Path, terms: IssuanceParams, operator: str, deployment: Deployment) -> IssuerConsent:
    """The consent in the file at `path`, once it is certain to be for exactly `terms`, run by
    `operator`, on this deployment: each mismatch is said before anything is sent, since the
    contract would only answer that the consent is not signed."""
    data = read_json(path, "consent file")
    params = field(data, "params", "the consent file")
    if not isinstance(params, dict):
        raise InvalidArgument("the consent file's 'params' must be an object")
    signed_terms = _params(params, "the consent file's params")
    differ = [
        f"{name} {_shown(theirs)} (consent) vs {_shown(ours)} (given)"
        for name, theirs, ours in zip(TERMS_FIELDS, asdict(signed_terms).values(), asdict(terms).values(), strict=True)
        if theirs != ours
    ]
    if differ:
        raise InvalidArgument("the terms given are not those the issuer consented to: " + "; ".join(differ))
    named = to_checksum_address(str(field(data, "operator", "the consent file")))
    if named != to_checksum_address(operator):
        raise InvalidArgument(f"the consent is for the operator {named}, not the signer {operator}")
    chain_id, asset = data.get("chain_id", deployment.chain_id), data.get("asset", deployment.asset)
    if chain_id != deployment.chain_id or to_checksum_address(str(asset)) != to_checksum_address(deployment.asset):
        raise InvalidArgument(
            f"the consent was signed for the asset {asset} on chain {chain_id}, not this deployment's "
            f"{deployment.asset} on chain {deployment.chain_id}"
        )
    return IssuerConsent(
        nonce=field(data, "nonce", "the consent file"),
        deadline=field(data, "deadline", "the consent file"),
        signature=field(data, "signature", "the consent file"),
    )


def _shown(value: object) -> str:
    return repr(jsonable(value))
