"""`sdap deploy`: deploys the four contracts for a regulator and writes the deployment file that
every other command, the gateway and the auditor load."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from web3 import Web3

from sdap.cli import _panels as panels
from sdap.cli._common import JsonOutput, RpcUrl, emit, failures
from sdap.cli._keys import KeySource, signed
from sdap.cli.app import app
from sdap.deployment import Deployment, deploy_platform
from sdap.errors import ConfigurationError
from sdap.events import EventDecoder
from sdap.transactions import Transactor, rpc


@app.command("deploy", rich_help_panel=panels.SETUP)
@signed
def deploy(
    key: KeySource,
    rpc_url: RpcUrl,
    regulator: Annotated[str, typer.Option("--regulator", help="Address that will hold the regulator role.")],
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

    Deploys the registry, the forwarder, the collateral attestations and the secured asset.
    The signing key pays for the deployment and keeps no role; --regulator holds every role."""
    with failures(as_json):
        w3 = Web3(Web3.HTTPProvider(rpc_url, request_kwargs={"timeout": 30}))
        chain_id = rpc(lambda: w3.eth.chain_id)
        target = out if out is not None else Path("deployments") / f"{chain_id}.json"
        if target.exists() and not force:
            raise ConfigurationError(f"{target} exists: pass --force to overwrite it, or --out elsewhere")
        deployer = Transactor(w3, key.unlock(), EventDecoder())
        deployment = deploy_platform(w3, deployer, regulator, metadata_uri)
        deployment.save(target)
        emit({"deployment_file": str(target), **_summary(deployment)}, as_json, lambda _: _human(deployment, target))


def _summary(d: Deployment) -> dict[str, object]:
    return {"chain_id": d.chain_id, "deployment_block": d.deployment_block, "regulator": d.regulator, **d.addresses}


def _human(d: Deployment, target: Path) -> str:
    lines = [f"deployed on chain {d.chain_id} at block {d.deployment_block}; regulator {d.regulator}"]
    lines += [f"  {name:<24} {address}" for name, address in d.addresses.items()]
    lines.append(f"wrote {target}  (export SDAP_DEPLOYMENT={target})")
    return "\n".join(lines)
