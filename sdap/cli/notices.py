"""`sdap notice ...`: the risk notice (Law art. 6.4). The regulator publishes the platform's one
notice; every participant acknowledges the version in force before dealing in units, by its own
transaction or by signing an acknowledgement (`--sign-only`) that an operator relays
(`notice relay FILE`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from sdap.cli import _panels as panels
from sdap.cli._args import Content, ContentFile, document_hash, read_signed, show_time
from sdap.cli._common import DeploymentFile, JsonOutput, RpcUrl, connect, emit, failures, jsonable
from sdap.cli._governed import Propose, regulator_act
from sdap.cli._keys import KeySource, signed
from sdap.cli._output import report
from sdap.cli.app import app
from sdap.errors import InvalidArgument

notice_app = typer.Typer(
    name="notice", help="The risk notice: publish, acknowledge, relay, show.", no_args_is_help=True
)
app.add_typer(notice_app, rich_help_panel=panels.SETUP)


@notice_app.command("publish")
@signed
def publish(
    key: KeySource,
    uri: Annotated[str, typer.Option("--uri", help="Where the notice's text is published.")],
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    content: Content = None,
    content_file: ContentFile = None,
    propose: Propose = None,
    as_json: JsonOutput = False,
) -> None:
    """Publishes a new version of the risk notice (regulator).

    In force at once: everyone must acknowledge it before sending or receiving units again."""
    with failures(as_json):
        platform = connect(rpc_url, deployment)
        text_hash = document_hash("content", content, content_file)
        act = lambda calls: calls.publish_risk_notice(text_hash, uri)  # noqa: E731
        receipt = regulator_act(platform, key, propose, as_json, f"risk notice published at {uri}", act)
        if receipt is not None:
            version = int(receipt.event("RiskNoticePublished")["version"])
            report(receipt, as_json, f"risk notice version {version} published", version=version)


@notice_app.command("acknowledge")
@signed
def acknowledge(
    key: KeySource,
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    version: Annotated[int | None, typer.Option("--version", help="The version in force \\[default: read it].")] = None,
    sign_only: Annotated[
        bool, typer.Option("--sign-only", help="Sign an acknowledgement for an operator to relay; send nothing.")
    ] = False,
    as_json: JsonOutput = False,
) -> None:
    """Acknowledges the risk notice in force, as the signing participant.

    With --sign-only, prints the signed acknowledgement as JSON instead,
    for an operator to record with `sdap notice relay FILE` (the participant needs no gas)."""
    with failures(as_json):
        holder = connect(rpc_url, deployment).holder(key.unlock())
        if sign_only:
            typer.echo(json.dumps(jsonable(holder.sign_acknowledgement(version)), indent=2, sort_keys=True))
            return
        receipt = holder.acknowledge_risk_notice(version)
        acknowledged = receipt.event("RiskNoticeAcknowledged")["version"]
        report(receipt, as_json, f"{holder.address} acknowledged risk notice version {acknowledged}",
               version=acknowledged)  # fmt: skip


@notice_app.command("relay")
@signed
def relay(
    key: KeySource,
    file: Annotated[
        Path, typer.Argument(help="A signed acknowledgement (`notice acknowledge --sign-only`); - for stdin.")
    ],
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    as_json: JsonOutput = False,
) -> None:
    """Records a participant's signed acknowledgement, paying its gas (operator with a permit in force)."""
    with failures(as_json):
        platform = connect(rpc_url, deployment)
        ack, signature = read_signed(file, "acknowledgement", ("participant", "version", "deadline"))
        receipt = platform.operator(key.unlock()).relay_acknowledgement(
            ack["participant"], ack["version"], ack["deadline"], signature
        )
        report(receipt, as_json, f"acknowledgement of {ack['participant']} recorded")


@notice_app.command("show")
def show(
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    version: Annotated[int | None, typer.Argument(help="The version \\[default: the one in force].")] = None,
    as_json: JsonOutput = False,
) -> None:
    """Shows a version of the risk notice (by default the one in force)."""
    with failures(as_json):
        queries = connect(rpc_url, deployment).queries
        wanted = queries.notice_in_force() if version is None else version
        if wanted == 0:
            raise InvalidArgument("no risk notice was published yet")
        notice = queries.risk_notice(wanted)
        emit(
            notice,
            as_json,
            lambda n: (
                f"version       {n.version}\npublished at  {show_time(n.published_at)}\n"
                f"content hash  0x{n.content_hash.hex()}\nuri           {n.uri}"
            ),
        )
