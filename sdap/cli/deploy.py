"""`sdap deploy`: deploys the platform for a regulator, one key or a governed council and timelock,
and writes the deployment file that every other command, the gateway and the auditor load."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from web3 import Web3

from sdap.cli import _panels as panels
from sdap.cli._common import JsonOutput, RpcUrl, emit, failures
from sdap.cli._keys import KeySource, signed
from sdap.cli.app import app
from sdap.deployment import Deployment, GovernanceSetup, deploy_platform
from sdap.errors import ConfigurationError, InvalidArgument
from sdap.events import EventDecoder
from sdap.transactions import Transactor, rpc


@app.command("deploy", rich_help_panel=panels.SETUP)
@signed
def deploy(
    key: KeySource,
    rpc_url: RpcUrl,
    regulator: Annotated[
        str | None, typer.Option("--regulator", help="Address of the one key that will hold the regulator role.")
    ] = None,
    council: Annotated[
        str | None,
        typer.Option(
            "--council",
            metavar="A,B,C",
            help="Instead of --regulator: the council's signers (comma-separated addresses); the regulator role "
            "goes to a timelock the council proposes to.",
        ),
    ] = None,
    threshold: Annotated[
        int | None, typer.Option("--threshold", help="With --council: how many signers must agree on each act.")
    ] = None,
    delay: Annotated[
        int | None,
        typer.Option("--delay", help="With --council: seconds each act waits in public before it runs (e.g. 86400)."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Where to write the deployment file \\[default: deployments/<chain id>.json]."),
    ] = None,
    metadata_uri: Annotated[
        str, typer.Option("--metadata-uri", help="ERC-1155 metadata URI template, e.g. https://host/meta/{id}.json.")
    ] = "",
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing deployment file.")] = False,
    as_json: JsonOutput = False,
) -> None:
    """Deploys the platform and writes its deployment file.

    Deploys the registry, the forwarder, the collateral attestations and the secured asset; with
    --council, first the council and the timelock that then holds the regulator role (every
    regulator act is proposed, signed by --threshold signers and waits --delay seconds: `sdap
    proposal`). The signing key pays for the deployment and keeps no role."""
    with failures(as_json):
        governance = _governance(regulator, council, threshold, delay)
        w3 = Web3(Web3.HTTPProvider(rpc_url, request_kwargs={"timeout": 30}))
        chain_id = rpc(lambda: w3.eth.chain_id)
        target = out if out is not None else Path("deployments") / f"{chain_id}.json"
        if target.exists() and not force:
            raise ConfigurationError(f"{target} exists: pass --force to overwrite it, or --out elsewhere")
        deployer = Transactor(w3, key.unlock(), EventDecoder())
        deployment = deploy_platform(w3, deployer, regulator, metadata_uri, governance=governance)
        deployment.save(target)
        emit({"deployment_file": str(target), **_summary(deployment)}, as_json, lambda _: _human(deployment, target))


def _governance(
    regulator: str | None, council: str | None, threshold: int | None, delay: int | None
) -> GovernanceSetup | None:
    """The governed setup the options ask for, or None for a single-key regulator."""
    if (regulator is None) == (council is None):
        raise InvalidArgument("give --regulator ADDRESS (one key) or --council A,B,C with --threshold and --delay")
    if council is None:
        if threshold is not None or delay is not None:
            raise InvalidArgument("--threshold and --delay go with --council")
        return None
    if threshold is None or delay is None:
        raise InvalidArgument("--council needs --threshold (signers who must agree) and --delay (seconds)")
    return GovernanceSetup([a.strip() for a in council.split(",") if a.strip()], threshold, delay)


def _summary(d: Deployment) -> dict[str, object]:
    return {
        "chain_id": d.chain_id,
        "deployment_block": d.deployment_block,
        "regulator": d.regulator,
        "governed": d.governed,
        **d.addresses,
    }


def _human(d: Deployment, target: Path) -> str:
    who = f"the council's timelock {d.regulator}" if d.governed else d.regulator
    lines = [f"deployed on chain {d.chain_id} at block {d.deployment_block}; regulator {who}"]
    lines += [f"  {name:<24} {address}" for name, address in d.addresses.items()]
    lines.append(f"wrote {target}  (export SDAP_DEPLOYMENT={target})")
    return "\n".join(lines)
