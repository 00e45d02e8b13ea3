"""`sdap payment-token ...`: the electronic-money tokens the exchange accepts as payment. The
regulator lists (accepts) and delists them (`--propose FILE` on a governed deployment, like every
regulator act); a payer lets the exchange take its payment (`approve`), which the token itself
records, so that transaction is always the payer's own (no relay)."""

from __future__ import annotations

from typing import Annotated

import typer

from sdap.cli import _panels as panels
from sdap.cli._common import DeploymentFile, JsonOutput, RpcUrl, connect, emit, failures
from sdap.cli._governed import Propose, regulator_act
from sdap.cli._keys import KeySource, signed
from sdap.cli._output import report
from sdap.cli.app import app
from sdap.types import PaymentToken

token_app = typer.Typer(
    name="payment-token",
    no_args_is_help=True,
    help="E-money tokens the exchange accepts: list, delist (regulator), approve (payer), show.",
)
app.add_typer(token_app, rich_help_panel=panels.EXCHANGE)

Token = Annotated[str, typer.Argument(metavar="TOKEN", help="The token's address (an ERC-20 of a bank).")]


@token_app.command("list")
@signed
def list_(
    key: KeySource,
    token: Token,
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    currency: Annotated[str, typer.Option("--currency", help="ISO 4217 code of its money.")] = "KZT",
    propose: Propose = None,
    as_json: JsonOutput = False,
) -> None:
    """Accepts TOKEN as payment on the exchange (the regulator); its decimals are read from it."""
    with failures(as_json):
        platform = connect(rpc_url, deployment)
        done = f"payment token {token} listed in {currency}"
        receipt = regulator_act(platform, key, propose, as_json, done, lambda c: c.list_payment_token(token, currency))
        if receipt is not None:
            report(receipt, as_json, done)


@token_app.command("delist")
@signed
def delist(
    key: KeySource,
    token: Token,
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    propose: Propose = None,
    as_json: JsonOutput = False,
) -> None:
    """Stops accepting TOKEN (the regulator): offers paying in it can no longer be taken."""
    with failures(as_json):
        platform = connect(rpc_url, deployment)
        done = f"payment token {token} delisted"
        receipt = regulator_act(platform, key, propose, as_json, done, lambda c: c.delist_payment_token(token))
        if receipt is not None:
            report(receipt, as_json, done)


@token_app.command("approve")
@signed
def approve(
    key: KeySource,
    token: Token,
    amount: Annotated[int, typer.Option("--amount", help="Up to this much, in the token's smallest unit.")],
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    as_json: JsonOutput = False,
) -> None:
    """Lets the exchange take up to --amount of TOKEN from the signer, for the offers it pays with."""
    with failures(as_json):
        holder = connect(rpc_url, deployment).holder(key.unlock())
        receipt = holder.approve_payment(token, amount)
        report(receipt, as_json, f"the exchange may take up to {amount} of {token} from {holder.address}")


@token_app.command("show")
def show(
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    token: Annotated[
        str | None, typer.Argument(metavar="[TOKEN]", help="The token's address; without it, every token ever listed.")
    ] = None,
    as_json: JsonOutput = False,
) -> None:
    """Shows whether the exchange accepts TOKEN, in which currency and with how many decimals."""
    with failures(as_json):
        queries = connect(rpc_url, deployment).queries
        if token is not None:
            emit(queries.payment_token(token), as_json, _details)
            return
        every = queries.payment_tokens()
        emit(every, as_json, lambda _: "\n".join(_details(t) for t in every) or "no payment token was ever listed")


def _details(t: PaymentToken) -> str:
    if not t.currency:
        return f"payment token {t.token}: never listed"
    state = "listed" if t.listed else "delisted"
    return f"payment token {t.token}: {state}, {t.currency} with {t.decimals} decimals"
