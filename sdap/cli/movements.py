"""Units moving (Law art. 6.6, Rules item 4): `sdap mint`, `transfer`, `approve`, `forced-transfer`
(redemption, which needs the issuer's answer, is `sdap redemption`). Every movement passes the same
on-chain checks; a refused one exits non-zero with the decoded reason and sends nothing (`sdap
check` says in advance)."""

from __future__ import annotations

from typing import Annotated

import typer

from sdap.cli import _panels as panels
from sdap.cli._args import Order, OrderFile, document_hash
from sdap.cli._common import DeploymentFile, JsonOutput, RpcUrl, connect, emit, failures
from sdap.cli._governed import Propose, regulator_act
from sdap.cli._keys import KeySource, signed
from sdap.cli._output import report
from sdap.cli.app import app
from sdap.cli.relaying import SignOnly
from sdap.errors import InvalidArgument

IssuanceId = Annotated[int, typer.Argument(help="The issuance id.")]
To = Annotated[str, typer.Option("--to", help="The recipient's address.")]
Amount = Annotated[int, typer.Option("--amount", help="Number of units.")]


@app.command("mint", rich_help_panel=panels.ISSUANCE)
@signed
def mint(
    key: KeySource, issuance_id: IssuanceId, to: To, amount: Amount, rpc_url: RpcUrl, deployment: DeploymentFile,
    as_json: JsonOutput = False,
) -> None:  # fmt: skip
    """Mints units to an eligible holder (the issuance's operator).

    Within the units the verified collateral covers and the maximum supply."""
    with failures(as_json):
        receipt = connect(rpc_url, deployment).operator(key.unlock()).mint(issuance_id, to, amount)
        report(receipt, as_json, f"minted {amount} units of issuance {issuance_id} to {to}")


@app.command("transfer", rich_help_panel=panels.UNITS)
@signed
def transfer(
    key: KeySource, issuance_id: IssuanceId, to: To, amount: Amount, rpc_url: RpcUrl, deployment: DeploymentFile,
    from_: Annotated[
        str | None, typer.Option("--from", help="Move this holder's units, as the operator it approved.")
    ] = None,
    sign_only: SignOnly = False,
    as_json: JsonOutput = False,
) -> None:  # fmt: skip
    """Transfers units from the signing holder.

    With --from, moves the units of a holder that approved the signer.
    With --sign-only, prints the transfer signed for an operator to send with `sdap relay FILE`
    (the holder needs no gas).
    The rights pass when the transfer is on-chain (Law art. 6.6)."""
    with failures(as_json):
        holder = connect(rpc_url, deployment).holder(key.unlock())
        if sign_only:
            if from_ is not None:
                raise InvalidArgument("--sign-only signs a transfer of the signer's own units: drop --from")
            emit(holder.sign_transfer_request(to, issuance_id, amount), as_json=True)
            return
        if from_ is None:
            receipt, sender = holder.transfer(to, issuance_id, amount), holder.address
        else:
            receipt, sender = holder.transfer_from(from_, to, issuance_id, amount), from_
        report(receipt, as_json, f"transferred {amount} units of issuance {issuance_id} from {sender} to {to}")


@app.command("approve", rich_help_panel=panels.UNITS)
@signed
def approve(
    key: KeySource,
    operator: Annotated[str, typer.Argument(help="Who may move the signer's units and ask to redeem them.")],
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    revoke: Annotated[bool, typer.Option("--revoke", help="Withdraw the approval instead.")] = False,
    as_json: JsonOutput = False,
) -> None:
    """Lets OPERATOR move all the signer's units and ask for their redemption.

    OPERATOR is a broker or custodian (ERC-1155 approval for all); --revoke withdraws it."""
    with failures(as_json):
        receipt = connect(rpc_url, deployment).holder(key.unlock()).set_approval(operator, not revoke)
        report(receipt, as_json, f"approval of {operator} {'withdrawn' if revoke else 'given'}")


@app.command("forced-transfer", rich_help_panel=panels.UNITS)
@signed
def forced_transfer(
    key: KeySource,
    issuance_id: IssuanceId,
    from_: Annotated[str, typer.Option("--from", help="The holder whose units move.")],
    to: To,
    amount: Amount,
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    order: Order = None,
    order_file: OrderFile = None,
    propose: Propose = None,
    as_json: JsonOutput = False,
) -> None:
    """Moves units by the regulator's order.

    Whatever the freeze, pause or permit state;
    but never encumbered units, and never to a wallet that could not receive."""
    with failures(as_json):
        platform = connect(rpc_url, deployment)
        anchored = document_hash("order", order, order_file)
        done = f"moved {amount} units of issuance {issuance_id} from {from_} to {to} by order"
        act = lambda calls: calls.forced_transfer(issuance_id, from_, to, amount, anchored)  # noqa: E731
        receipt = regulator_act(platform, key, propose, as_json, done, act)
        if receipt is not None:
            report(receipt, as_json, done)
