"""`sdap participant recover` and `sdap participant recover-holdings`: a participant who lost its
wallet goes on under a new one. The registry records who the person is now (the regulator on an
order, or the operator that identified it once compliance has frozen the lost wallet); the asset
then moves the lost wallet's whole position there, which anyone may send, since where the units go
was decided in the registry."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from sdap.cli._args import Identity, IdentityFile, Reason, ReasonFile, document_hash, parse_time, show_time
from sdap.cli._common import DeploymentFile, JsonOutput, RpcUrl, connect, emit, failures
from sdap.cli._governed import Propose, write_proposal
from sdap.cli._keys import KeySource, signed
from sdap.cli._output import landed, receipt_dict
from sdap.cli.participants import Expiry, participant_app
from sdap.errors import InvalidArgument
from sdap.platform import Platform
from sdap.transactions import Receipt
from sdap.types import Role

NO_REASON = b"\x00" * 32

Lost = Annotated[str, typer.Argument(help="The lost wallet: the participant's address before the recovery.")]


@participant_app.command("recover")
@signed
def recover(
    key: KeySource,
    lost: Lost,
    replacement: Annotated[
        str, typer.Option("--to", help="The participant's new wallet: never registered before and not itself lost.")
    ],
    identity_expiry: Expiry,
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    identity: Identity = None,
    identity_file: IdentityFile = None,
    reason: Reason = None,
    reason_file: ReasonFile = None,
    registry_only: Annotated[
        bool,
        typer.Option(
            "--registry-only",
            help="Record the new wallet only; its units stay on the lost wallet until `participant recover-holdings`.",
        ),
    ] = False,
    propose: Propose = None,
    as_json: JsonOutput = False,
) -> None:
    """Moves a participant whose wallet is lost to a new wallet (the regulator on an order, given
    as --reason or --reason-file; or the operator that identified it, with a permit in force, having
    identified the person again, and only once a compliance officer has frozen the lost wallet with
    `participant freeze`; the regulator needs no freeze).

    The same person goes on under the new wallet, with the same operator, freeze and acknowledgement
    of the risk notice, identified as given: after an operator's recovery the new wallet is frozen,
    and its units move only once compliance unfreezes it (`participant unfreeze`). The lost wallet
    is deregistered for good: it never receives or sends again. Then its units of every issuance,
    frozen ones staying frozen, and its pledges and liens, which keep their beneficiaries, move to
    the new wallet (a second transaction; none if it held nothing)."""
    with failures(as_json):
        platform = connect(rpc_url, deployment)
        expiry = parse_time(identity_expiry, "--identity-expiry", platform.queries.chain_time)
        ref = document_hash("identity", identity, identity_file)
        if propose is not None:
            # The governed regulator's order records the new wallet; once executed, anyone moves
            # the units with `participant recover-holdings`.
            if reason is None and reason_file is None:
                raise InvalidArgument("the regulator recovers a wallet on an order: give --reason or --reason-file")
            why = document_hash("reason", reason, reason_file)
            act = lambda c: c.recover_participant(lost, replacement, ref, expiry, why)  # noqa: E731
            write_proposal(platform, propose, as_json, f"recover participant {lost} to {replacement}", act)
            return
        signer = platform.operator(key.unlock())
        why = _reason(platform, signer.address, reason, reason_file)
        # The operator's and the regulator's recovery are the same call; the registry checks who.
        if registry_only:
            recovered, holdings = signer.recover_participant(lost, replacement, ref, expiry, why), None
        else:
            done = signer.recover_wallet(lost, replacement, ref, expiry, why)
            recovered, holdings = done.recovered, done.holdings
        event = recovered.event("WalletRecovered")
        lost, replacement = event["lost"], event["replacement"]
        # The freeze goes with the person (always after an operator's recovery): say who lifts it.
        frozen = platform.queries.participant(replacement).frozen
        body = {
            "lost": lost,
            "replacement": replacement,
            "identity_expiry": expiry,
            "frozen": frozen,
            "registry": receipt_dict(recovered),
            "holdings": None if holdings is None else _moved(holdings),
        }
        emit(body, as_json, lambda _: _recovered(lost, replacement, expiry, recovered, holdings, registry_only, frozen))


@participant_app.command("recover-holdings")
@signed
def recover_holdings(
    key: KeySource,
    lost: Lost,
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    issuance: Annotated[
        list[int] | None,
        typer.Option(
            "--issuance", help="Only this issuance (repeatable) \\[default: every one the lost wallet holds]."
        ),
    ] = None,
    encumbrance: Annotated[
        list[int] | None,
        typer.Option(
            "--encumbrance",
            help="This pledge or lien of the lost wallet (repeatable) \\[default: every active one it holds].",
        ),
    ] = None,
    as_json: JsonOutput = False,
) -> None:
    """Moves a recovered wallet's units to the wallet its participant went on under (anyone may).

    Every unit of each issuance moves, frozen ones staying frozen, with the lost wallet's pledges
    and liens in it, which keep their beneficiaries; no pause, permit or collateral check stops it,
    as it is the same person's position, not a dealing. Without --issuance and --encumbrance, what
    the lost wallet holds is found from the chain's events."""
    with failures(as_json):
        platform = connect(rpc_url, deployment)
        queries = platform.queries
        ids, pledges = issuance or None, encumbrance or None
        if ids is None and pledges is None:
            found = queries.position(lost)
            ids, pledges = list(found.issuance_ids), list(found.encumbrance_ids)
            replacement = queries.recovered_to(lost)
            if not (ids or pledges) and replacement is not None:
                # Nothing left: sending would only record that. A wallet never recovered is sent
                # on, so the asset says why it is refused.
                emit(
                    {"lost": lost, "replacement": replacement, "holdings": None},
                    as_json,
                    lambda _: f"{lost} holds nothing left to recover to {replacement}",
                )
                return
        receipt = platform.holder(key.unlock()).recover_holdings(lost, ids, pledges)
        moved = _moved(receipt)
        body = {"lost": lost, "replacement": moved["replacement"], "holdings": moved}
        emit(body, as_json, lambda _: f"{_holdings_line(moved)}\n{landed(receipt)}")


def _reason(platform: Platform, signer: str, reason: str | None, path: Path | None) -> bytes:
    """The hash of --reason/--reason-file; the regulator recovers only on an order, so it must give
    one, while an operator's re-identification is in --identity and may come without."""
    if reason is not None or path is not None:
        return document_hash("reason", reason, path)
    if platform.queries.has_role(Role.REGULATOR, signer):
        raise InvalidArgument("the regulator recovers a wallet on an order: give --reason HASH or --reason-file PATH")
    return NO_REASON


def _moved(receipt: Receipt) -> dict[str, Any]:
    """What the asset's HoldingsRecovered and EncumbranceRecovered events say moved, and the receipt."""
    event = receipt.event("HoldingsRecovered")
    return {
        "replacement": event["replacement"],
        "issuances": [
            {"issuance_id": i, "amount": amount, "frozen": frozen}
            for i, amount, frozen in zip(event["ids"], event["amounts"], event["frozen"], strict=True)
        ],
        "encumbrance_ids": [e["encumbranceId"] for e in receipt.events_named("EncumbranceRecovered")],
        **receipt_dict(receipt),
    }


def _holdings_line(moved: dict[str, Any]) -> str:
    units = ", ".join(
        f"{r['amount']} of issuance {r['issuance_id']}" + (f" ({r['frozen']} frozen)" if r["frozen"] else "")
        for r in moved["issuances"]
    )
    pledges = ", ".join(str(i) for i in moved["encumbrance_ids"])
    return f"moved to {moved['replacement']}: {units or 'no units'}" + (
        f"; encumbrances {pledges} now bind it" if pledges else ""
    )


def _recovered(
    lost: str,
    replacement: str,
    expiry: int,
    recovered: Receipt,
    holdings: Receipt | None,
    registry_only: bool,
    frozen: bool,
) -> str:
    lines = [f"participant {lost} recovered to {replacement}, identified until {show_time(expiry)}", landed(recovered)]
    if registry_only:
        lines.append(f"its units stay on {lost} until `sdap participant recover-holdings {lost}`")
    elif holdings is None:
        lines.append(f"{lost} held nothing to move")
    else:
        lines += [_holdings_line(_moved(holdings)), landed(holdings)]
    if frozen:
        lines.append(f"{replacement} is frozen: its units move once compliance has reviewed it "
                     f"(`sdap participant unfreeze {replacement}`)")  # fmt: skip
    return "\n".join(lines)
