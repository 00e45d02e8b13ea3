"""How a regulator command acts: sent with the regulator's key on a single-key deployment, or with
`--propose FILE` written as the council's proposal on a governed one (then `sdap proposal sign`,
`schedule`, `execute`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from web3.contract.contract import ContractFunction

from sdap.cli._common import emit
from sdap.cli._keys import KeySource
from sdap.clients import RegulatorCalls
from sdap.errors import ConfigurationError
from sdap.platform import Platform
from sdap.transactions import Receipt

Propose = Annotated[
    Path | None,
    typer.Option(
        "--propose",
        metavar="FILE",
        help="Governed regulator: write the council's proposal of this act to FILE instead of sending it "
        "(then `sdap proposal sign FILE`); no key needed.",
    ),
]

Build = Callable[[RegulatorCalls], ContractFunction]


def regulator_act(
    platform: Platform, key: KeySource, propose: Path | None, as_json: bool, description: str, build: Build
) -> Receipt | None:
    """Sends the regulator call `build` makes with the command's key and returns its receipt; with
    `propose`, writes it as a proposal instead and returns None (the command has nothing to report).

    On a governed deployment the timelock is the regulator: without --propose the act is refused
    here, as no key could send it."""
    if propose is not None:
        write_proposal(platform, propose, as_json, description, build)
        return None
    if platform.deployment.governed:
        raise ConfigurationError(
            f"the regulator of this deployment is the council's timelock {platform.deployment.timelock}: "
            "propose the act with --propose FILE, then have the council sign it (`sdap proposal sign FILE`)"
        )
    return platform.transactor(key.unlock()).send(build(platform.regulator_calls))


def write_proposal(platform: Platform, path: Path, as_json: bool, description: str, build: Build) -> None:
    """Writes the council's proposal of the regulator call `build` makes to `path` and says what is next.
    ConfigurationError on a single-key deployment; the call's refusal, decoded, if the timelock
    could not make it now."""
    governance = platform.governance()
    proposal = governance.propose(build(platform.regulator_calls), description=description)
    proposal.save(path)
    needed = governance.threshold()
    emit(
        {
            "proposal_file": str(path),
            "description": description,
            "operation_id": "0x" + proposal.operation_id.hex(),
            "council_nonce": proposal.nonce,
            "digest": "0x" + proposal.digest.hex(),
            "delay": proposal.delay,
            "threshold": needed,
        },
        as_json,
        lambda _: "\n".join(
            [
                f"proposal written to {path}: {description}",
                f"  operation 0x{proposal.operation_id.hex()}, council batch {proposal.nonce}, "
                f"delay {proposal.delay} s after it is scheduled",
                f"  next: {needed} council signers run `sdap proposal sign {path}`, "
                f"then anyone `sdap proposal schedule {path}`",
            ]
        ),
    )
