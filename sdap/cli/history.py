"""`sdap history`: the platform's events from its deployment block, optionally those of one
issuance or one address, read from the chain (sdap.events.stream_events)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Annotated, Any

import typer

from sdap import _validate as check
from sdap.cli import _panels as panels
from sdap.cli._common import DeploymentFile, JsonOutput, RpcUrl, connect, emit, failures
from sdap.cli._output import event_dict, event_line
from sdap.cli.app import app
from sdap.events import Event, stream_events
from sdap.transactions import chain_errors


@app.command("history", rich_help_panel=panels.READING)
def history(
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    issuance: Annotated[int | None, typer.Option("--issuance", help="Only events of this issuance.")] = None,
    address: Annotated[str | None, typer.Option("--address", help="Only events naming this address.")] = None,
    from_block: Annotated[
        int | None, typer.Option("--from-block", help="First block \\[default: the deployment block].")
    ] = None,
    to_block: Annotated[int | None, typer.Option("--to-block", help="Last block \\[default: the head].")] = None,
    as_json: JsonOutput = False,
) -> None:
    """Lists the platform's events in chain order.

    Permits, register entries, issuances, mints, transfers, encumbrances, freezes, redemptions:
    all of them, or those of one issuance or naming one address."""
    with failures(as_json):
        platform = connect(rpc_url, deployment)
        wanted = check.address(address, "--address") if address is not None else None
        start = platform.deployment.deployment_block if from_block is None else from_block
        with chain_errors():
            events = list(
                _select(
                    stream_events(platform.w3, list(platform.deployment.addresses.values()), start, to_block,
                                  decoder=platform.decoder),
                    issuance,
                    wanted,
                )
            )  # fmt: skip
        emit(
            [event_dict(e) for e in events], as_json, lambda _: "\n".join(event_line(e) for e in events) or "no events"
        )


def _select(events: Iterable[Event], issuance: int | None, address: str | None) -> Iterator[Event]:
    # Events that name only an encumbrance or attestation id belong to the issuance of the event
    # that created it, which comes earlier in the stream.
    encumbrances: set[int] = set()
    attestations: set[bytes] = set()
    for event in events:
        if issuance is not None:
            if event.name == "Encumbered" and event["id"] == issuance:
                encumbrances.add(event["encumbranceId"])
            if event.name == "AttestationAttached" and event["issuanceId"] == issuance:
                attestations.add(event["attestationId"])
            if not (
                _names_issuance(event.args, issuance)
                or event.args.get("encumbranceId") in encumbrances
                or event.args.get("attestationId") in attestations
            ):
                continue
        if address is not None and address not in set(_addresses(event.args)):
            continue
        yield event


def _names_issuance(args: Mapping[str, Any], issuance: int) -> bool:
    return args.get("id") == issuance or args.get("issuanceId") == issuance or issuance in args.get("ids", ())


def _addresses(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _addresses(item)
    elif isinstance(value, tuple):
        for item in value:
            yield from _addresses(item)
