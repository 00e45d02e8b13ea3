"""`sdap offer ...`: swaps between holders and delivery against an e-money token (the exchange).

A maker signs an offer (`make`): what it gives, what it wants, for whom, until when; nothing is
sent. The offer is a JSON file the maker hands to a taker, who takes it (`take`): both legs move in
one transaction or neither does, under every rule of a transfer. An offer is filled whole and once;
`cancel` spends its nonce. Units are named by issuance id; a payment token by its address (the
regulator lists those: `sdap payment-token`), its amounts in the token's smallest unit (tiyn for a
tenge token). `sdap check offer FILE --taker ADDR` says whether a taker could take it now and why
not. `list` shows the offers filled on-chain (signed offers not yet taken exist only as files).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sdap.cli import _panels as panels
from sdap.cli._args import parse_time, read_json, show_time
from sdap.cli._common import DeploymentFile, JsonOutput, RpcUrl, connect, emit, failures
from sdap.cli._keys import KeySource, signed
from sdap.cli._output import report
from sdap.cli.app import app
from sdap.cli.relaying import SignOnly
from sdap.errors import InvalidArgument
from sdap.platform import Platform
from sdap.signing import require_offer_hash
from sdap.types import Offer, SignedOffer, TakenOffer

offer_app = typer.Typer(
    name="offer",
    no_args_is_help=True,
    help="Swaps and delivery against an e-money token: make, take, cancel, list, show.",
)
app.add_typer(offer_app, rich_help_panel=panels.EXCHANGE)

OfferFile = Annotated[Path, typer.Argument(metavar="FILE", help="A signed offer file (`sdap offer make`); - stdin.")]


@offer_app.command("make")
@signed
def make(
    key: KeySource,
    give_amount: Annotated[int, typer.Option("--give-amount", help="What the signer gives: units, or token amount.")],
    want_amount: Annotated[int, typer.Option("--want-amount", help="What it wants: units, or token amount.")],
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    give_id: Annotated[int, typer.Option("--give-id", help="The issuance whose units it gives (0 for a token).")] = 0,
    want_id: Annotated[
        int | None, typer.Option("--want-id", help="The issuance whose units it wants (none for a token).")
    ] = None,
    give_token: Annotated[
        str | None, typer.Option("--give-token", help="A payment token it gives instead of units (its address).")
    ] = None,
    want_token: Annotated[
        str | None, typer.Option("--want-token", help="A payment token it wants instead of units (its address).")
    ] = None,
    taker: Annotated[
        str | None, typer.Option("--taker", help="The only one who may take it (default: anyone).")
    ] = None,
    expiry: Annotated[
        str | None, typer.Option("--expiry", help="Last moment it may be taken: unix seconds, a date or +N[smhdwy].")
    ] = None,
    nonce: Annotated[int | None, typer.Option("--nonce", help="Its nonce (default: a random one).")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Write the signed offer to this file.")] = None,
    as_json: JsonOutput = False,
) -> None:
    """Signs an offer for a taker; sends nothing.

    Without --out, prints the signed offer (JSON) for the taker.
    Offers nobody could take (the same issuance on both sides, an unlisted token,
    nothing for something) are refused instead of signed.
    To sell in lots, sign several offers: each is taken whole."""
    with failures(as_json):
        platform = connect(rpc_url, deployment)
        holder = platform.holder(key.unlock())
        when = None if expiry is None else parse_time(expiry, "--expiry", platform.queries.chain_time)
        made = holder.make_offer(
            give_id=give_id, give_amount=give_amount, give_token=give_token, want_id=want_id, want_amount=want_amount,
            want_token=want_token, taker=taker, expiry=when, nonce=nonce,
        )  # fmt: skip
        if out is None:
            typer.echo(made.to_json(), nl=False)
            return
        out.write_text(made.to_json())
        emit(
            {"offer_file": str(out), "offer_hash": made.offer_hash, "nonce": str(made.offer.nonce)},
            as_json,
            lambda _: (
                f"offer signed and written to {out}: {describe(platform, made.offer)}\n"
                f"  hash 0x{made.offer_hash.hex()}, nonce {made.offer.nonce}"
            ),
        )


@offer_app.command("take")
@signed
def take(
    key: KeySource,
    file: OfferFile,
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    sign_only: SignOnly = False,
    as_json: JsonOutput = False,
) -> None:
    """Takes a signed offer: both legs move in one transaction or neither does.

    A payment the signer makes needs its allowance to the exchange first
    (`sdap payment-token approve`).
    With --sign-only, prints the take signed for an operator to send with `sdap relay FILE`."""
    with failures(as_json):
        platform = connect(rpc_url, deployment)
        offer = read_offer(platform, file)
        holder = platform.holder(key.unlock())
        if sign_only:
            emit(holder.sign_take_request(offer), as_json=True)
            return
        receipt = holder.take_offer(offer)
        summary = f"offer 0x{offer.offer_hash.hex()} taken by {holder.address}: {describe(platform, offer.offer)}"
        report(receipt, as_json, summary, offer_hash=offer.offer_hash)


@offer_app.command("cancel")
@signed
def cancel(
    key: KeySource,
    offer: Annotated[str, typer.Argument(metavar="OFFER", help="A signed offer file of the signer's, or its nonce.")],
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    sign_only: SignOnly = False,
    as_json: JsonOutput = False,
) -> None:
    """Spends an offer's nonce: no offer the signer signed with it can be taken any more.

    With --sign-only, prints the cancellation signed for an operator to send with `sdap relay FILE`."""
    with failures(as_json):
        platform = connect(rpc_url, deployment)
        holder = platform.holder(key.unlock())
        if offer.isdigit():
            nonce = int(offer)
        else:
            made = read_offer(platform, Path(offer)).offer
            if made.maker != holder.address:
                raise InvalidArgument(f"the offer is {made.maker}'s: only its maker cancels it")
            nonce = made.nonce
        if sign_only:
            emit(holder.sign_cancel_offer_request(nonce), as_json=True)
            return
        report(holder.cancel_offer(nonce), as_json, f"offers of {holder.address} with nonce {nonce} cancelled")


@offer_app.command("list")
def list_(
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    maker: Annotated[str | None, typer.Option("--maker", help="Only the offers this maker signed.")] = None,
    taker: Annotated[str | None, typer.Option("--taker", help="Only the offers this taker took.")] = None,
    from_block: Annotated[
        int | None, typer.Option("--from-block", help="From this block (default: the deployment's).")
    ] = None,
    as_json: JsonOutput = False,
) -> None:
    """Lists the offers filled on-chain, in chain order (OfferTaken events)."""
    with failures(as_json):
        platform = connect(rpc_url, deployment)
        found = platform.queries.offers_taken(maker=maker, taker=taker, from_block=from_block)
        emit(
            [_taken_dict(t) for t in found],
            as_json,
            lambda _: "\n".join(_taken_row(platform, t) for t in found) if found else "no offer taken",
        )


@offer_app.command("show")
def show(file: OfferFile, rpc_url: RpcUrl, deployment: DeploymentFile, as_json: JsonOutput = False) -> None:
    """Shows a signed offer: its legs, its parties, and whether it can still be taken."""
    with failures(as_json):
        platform = connect(rpc_url, deployment)
        signed_offer = read_offer(platform, file)
        o = signed_offer.offer
        spent = platform.queries.is_offer_nonce_used(o.maker, o.nonce)
        expired = o.expiry < platform.queries.chain_time()
        state = "spent (taken or cancelled)" if spent else "expired" if expired else "open"
        body = {**signed_offer.as_dict(), "state": state.split(" ")[0]}
        lines = [
            f"offer 0x{signed_offer.offer_hash.hex()}: {describe(platform, o)}",
            f"  state    {state}",
            f"  maker    {o.maker}",
            f"  taker    {'anyone' if o.open_to_anyone else o.taker}",
            f"  expiry   {show_time(o.expiry)}",
            f"  nonce    {o.nonce}",
        ]
        emit(body, as_json, lambda _: "\n".join(lines))


def read_offer(platform: Platform, path: Path) -> SignedOffer:
    """The signed offer in `path`, refused unless it was signed for this platform's exchange (its
    recorded hash is the one this exchange computes)."""
    signed_offer = SignedOffer.from_json(read_json(path, "offer file"))
    d = platform.deployment
    try:
        return require_offer_hash(signed_offer, chain_id=d.chain_id, exchange=d.exchange)
    except InvalidArgument as e:
        raise InvalidArgument(f"the offer in {path}: {e}") from e


def describe(platform: Platform, offer: Offer) -> str:
    """`gives 10 units of issuance 1 for 250000 of token 0x...`."""
    return f"gives {_leg(platform, offer.give_token, offer.give_id, offer.give_amount)} for " + _leg(
        platform, offer.want_token, offer.want_id, offer.want_amount
    )


def _leg(platform: Platform, token: str, token_id: int, amount: int) -> str:
    if token == platform.deployment.asset:
        return f"{amount} units of issuance {token_id}"
    return f"{amount} (smallest unit) of token {token}"


def _taken_dict(t: TakenOffer) -> dict[str, object]:
    return {
        "offer_hash": "0x" + t.offer_hash.hex(),
        "maker": t.maker,
        "taker": t.taker,
        "offer": t.offer.as_dict(),
        "block_number": t.block_number,
        "tx_hash": t.tx_hash,
    }


def _taken_row(platform: Platform, t: TakenOffer) -> str:
    parties = f"maker {t.maker} {describe(platform, t.offer)}, taker {t.taker}"
    return f"block {t.block_number:<6} 0x{t.offer_hash.hex()}  {parties}"
