"""`sdap dvp ...`: delivery against a payment made off-chain. The seller holds units for a named
buyer at a price (`open`); the settlement agent (the bank that sees the payment, holding the role
`settlement_agent`: `sdap role grant settlement_agent ADDR`) confirms the payment (`confirm`) and
the units move to the buyer; if nothing is confirmed by the deadline (or the agent lost its role),
anyone ends the escrow (`lapse`) and the units are the seller's again; the regulator may end it by
order (`cancel`). Meanwhile the units stay in the seller's balance but move by no other route.
`list` and `show` read the escrows."""

from __future__ import annotations

from typing import Annotated

import typer

from sdap.cli import _panels as panels
from sdap.cli._args import Order, OrderFile, document_hash, named, names, parse_time, show_time, text_hash
from sdap.cli._common import DeploymentFile, JsonOutput, RpcUrl, connect, emit, failures
from sdap.cli._governed import Propose, regulator_act
from sdap.cli._keys import KeySource, signed
from sdap.cli._output import report
from sdap.cli.app import app
from sdap.cli.relaying import SignOnly
from sdap.errors import InvalidArgument
from sdap.types import Escrow, EscrowState

dvp_app = typer.Typer(
    name="dvp",
    no_args_is_help=True,
    help="Delivery against a payment made off-chain: open, confirm, lapse, cancel, list, show.",
)
app.add_typer(dvp_app, rich_help_panel=panels.EXCHANGE)

EscrowId = Annotated[int, typer.Argument(help="The escrow's id (`sdap dvp list`).")]
_TEXT = "0x and 64 hex digits as anchored, or any text, anchored by its sha256"
_STATES = (EscrowState.OPEN, EscrowState.SETTLED, EscrowState.LAPSED, EscrowState.CANCELLED)
#: ISO 4217 minor units of the currencies a price is shown in; others show in their smallest unit.
_MINOR_UNITS = {"KZT": 2, "USD": 2, "EUR": 2, "RUB": 2, "CNY": 2}


@dvp_app.command("open")
@signed
def open_(
    key: KeySource,
    issuance_id: Annotated[int, typer.Argument(help="The issuance whose units are sold.")],
    amount: Annotated[int, typer.Option("--amount", help="Number of units.")],
    buyer: Annotated[str, typer.Option("--buyer", help="The buyer's address.")],
    agent: Annotated[str, typer.Option("--agent", help="The settlement agent who confirms the payment.")],
    price: Annotated[int, typer.Option("--price", help="The price in the currency's smallest unit (tiyn for KZT).")],
    deadline: Annotated[
        str, typer.Option("--deadline", help="Until when the agent may confirm: unix seconds, a date or +N[smhdwy].")
    ],
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    currency: Annotated[str, typer.Option("--currency", help="ISO 4217 code of the price.")] = "KZT",
    sign_only: SignOnly = False,
    as_json: JsonOutput = False,
) -> None:
    """Holds the signer's units for --buyer until --deadline, against a payment made off-chain.

    Refused unless a transfer to the buyer could pass now and the units are free.
    With --sign-only, prints the escrow signed for an operator to send with `sdap relay FILE`."""
    with failures(as_json):
        platform = connect(rpc_url, deployment)
        seller = platform.holder(key.unlock())
        until = parse_time(deadline, "--deadline", platform.queries.chain_time)
        if sign_only:
            signed_request = seller.sign_open_escrow_request(
                issuance_id, amount, buyer, agent, price, currency=currency, deadline=until
            )
            emit(signed_request, as_json=True)
            return
        created = seller.open_escrow(issuance_id, amount, buyer, agent, price, currency=currency, deadline=until)
        summary = (
            f"escrow {created.id} opened: {amount} units of issuance {issuance_id} held for {buyer} at "
            f"{show_price(price, currency)} until {show_time(until)}; agent {agent}"
        )
        report(created.receipt, as_json, summary, escrow_id=created.id)


@dvp_app.command("confirm")
@signed
def confirm(
    key: KeySource,
    escrow_id: EscrowId,
    payment: Annotated[str, typer.Option("--payment", help=f"The agent's record of the payment ({_TEXT}).")],
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    as_json: JsonOutput = False,
) -> None:
    """Confirms that the buyer paid (the escrow's settlement agent): the units move to the buyer."""
    with failures(as_json):
        agent = connect(rpc_url, deployment).settlement_agent(key.unlock())
        receipt = agent.confirm_payment(escrow_id, text_hash("--payment", payment))
        delivered = receipt.event("EscrowSettled")["deliveredTo"]
        report(receipt, as_json, f"escrow {escrow_id} settled: its units went to {delivered}",
               escrow_id=escrow_id, delivered_to=delivered)  # fmt: skip


@dvp_app.command("lapse")
@signed
def lapse(
    key: KeySource, escrow_id: EscrowId, rpc_url: RpcUrl, deployment: DeploymentFile, as_json: JsonOutput = False
) -> None:
    """Ends an escrow whose deadline passed unconfirmed (anyone): the units are the seller's again."""
    with failures(as_json):
        platform = connect(rpc_url, deployment)
        receipt = platform.holder(key.unlock()).lapse_escrow(escrow_id)
        report(receipt, as_json, f"escrow {escrow_id} lapsed: its units are free again", escrow_id=escrow_id)


@dvp_app.command("cancel")
@signed
def cancel(
    key: KeySource,
    escrow_id: EscrowId,
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    order: Order = None,
    order_file: OrderFile = None,
    propose: Propose = None,
    as_json: JsonOutput = False,
) -> None:
    """Ends an open escrow by the regulator's order: the units are the seller's again."""
    with failures(as_json):
        platform = connect(rpc_url, deployment)
        anchored = document_hash("order", order, order_file)
        done = f"escrow {escrow_id} cancelled by order: its units are the seller's again"
        receipt = regulator_act(platform, key, propose, as_json, done, lambda c: c.cancel_escrow(escrow_id, anchored))
        if receipt is not None:
            report(receipt, as_json, done, escrow_id=escrow_id)


@dvp_app.command("list")
def list_(
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    seller: Annotated[str | None, typer.Option("--seller", help="Only this seller's escrows.")] = None,
    buyer: Annotated[str | None, typer.Option("--buyer", help="Only the escrows for this buyer.")] = None,
    agent: Annotated[str | None, typer.Option("--agent", help="Only the escrows naming this agent.")] = None,
    issuance: Annotated[int | None, typer.Option("--issuance", help="Only the escrows of this issuance.")] = None,
    state: Annotated[
        EscrowState | None,
        typer.Option(
            "--state", parser=named(*_STATES), metavar="STATE", show_choices=False, help=f"Only {names(*_STATES)}."
        ),
    ] = None,
    after: Annotated[int, typer.Option("--after", help="Only ids above this one (the last of the previous page).")] = 0,
    limit: Annotated[int, typer.Option("--limit", help="At most this many escrows.")] = 100,
    as_json: JsonOutput = False,
) -> None:
    """Lists escrows in id order: an agent's queue is `--agent ADDR --state open`."""
    with failures(as_json):
        queries = connect(rpc_url, deployment).queries
        page = queries.escrows(
            seller=seller, buyer=buyer, agent=agent, issuance_id=issuance, state=state, after=after, limit=limit
        )
        full = len(page) == limit
        more = f"\n(the page is full: the next one starts with --after {page[-1].escrow_id})" if full else ""
        emit(page, as_json, lambda _: "\n".join(_row(e) for e in page) + more if page else "no escrow")


@dvp_app.command("show")
def show(escrow_id: EscrowId, rpc_url: RpcUrl, deployment: DeploymentFile, as_json: JsonOutput = False) -> None:
    """Shows an escrow: its units, parties, price, deadline and where it stands."""
    with failures(as_json):
        found = connect(rpc_url, deployment).queries.escrow(escrow_id)
        if found.state is EscrowState.NONE:
            raise InvalidArgument(f"there is no escrow {escrow_id}")
        emit(found, as_json, _details)


def show_price(price: int, currency: str) -> str:
    """`15,000.00 KZT` for a currency of known minor units; else `1500000 XXX (smallest unit)`."""
    digits = _MINOR_UNITS.get(currency)
    if digits is None:
        return f"{price} {currency} (smallest unit)"
    whole, part = divmod(price, 10**digits)
    return f"{whole:,}.{part:0{digits}d} {currency}"


_WHERE = {
    EscrowState.OPEN: "waiting for the agent's confirmation; the units are held in the seller's balance",
    EscrowState.SETTLED: "paid; the units went to the buyer",
    EscrowState.LAPSED: "lapsed unpaid; the units are the seller's again",
    EscrowState.CANCELLED: "cancelled by the regulator's order; the units are the seller's again",
}


def _row(e: Escrow) -> str:
    return (
        f"{e.escrow_id:>5}  {e.state.name.lower():<7}  issuance {e.issuance_id}  {e.amount} units  "
        f"{show_price(e.price, e.currency)}  seller {e.seller}  buyer {e.buyer}"
    )


def _details(e: Escrow) -> str:
    return "\n".join([
        f"escrow {e.escrow_id}: {e.amount} units of issuance {e.issuance_id} at {show_price(e.price, e.currency)}",
        f"  state      {e.state.name.lower()} ({_WHERE[e.state]})",
        f"  seller     {e.seller}",
        f"  buyer      {e.buyer}",
        f"  agent      {e.agent}",
        f"  deadline   {show_time(e.deadline)}",
    ])  # fmt: skip
