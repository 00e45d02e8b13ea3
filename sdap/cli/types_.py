"""`sdap type ...`: the regulator's list of recognised asset types (Law art. 4.1.8).

`type add` puts a new type on the list (the contract's `listAssetType`); `type list` prints the
list. Delisting stops new issuance of a type; what exists keeps circulating.
"""

from __future__ import annotations

from typing import Annotated

import typer

from sdap.cli import _panels as panels
from sdap.cli._args import named, names
from sdap.cli._common import DeploymentFile, JsonOutput, RpcUrl, connect, emit, failures
from sdap.cli._governed import Propose, regulator_act
from sdap.cli._keys import KeySource, signed
from sdap.cli._output import report
from sdap.cli.app import app
from sdap.types import AssetCategory, AssetType

type_app = typer.Typer(
    name="type", help="Recognised asset types: add, list, delist, relist, show.", no_args_is_help=True
)
app.add_typer(type_app, rich_help_panel=panels.SETUP)

TypeId = Annotated[int, typer.Argument(help="The asset type's id.")]


#: The categories the law admits; money and securities are refused by the chain and not offered.
ADMITTED = (AssetCategory.GOODS, AssetCategory.SERVICES, AssetCategory.INTELLECTUAL_PROPERTY)


@type_app.command("add")
@signed
def add(
    key: KeySource,
    name: Annotated[str, typer.Argument(help='The type\'s name, e.g. "Warehouse receipt for grain".')],
    category: Annotated[
        AssetCategory,
        typer.Option(
            "--category",
            metavar="CATEGORY",
            parser=named(*ADMITTED),
            show_choices=False,
            help=f"The category of right the units certify: {names(*ADMITTED)}.",
        ),
    ],
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    propose: Propose = None,
    as_json: JsonOutput = False,
) -> None:
    """Lists a new recognised asset type; prints its id."""
    with failures(as_json):
        platform = connect(rpc_url, deployment)
        act = lambda calls: calls.list_asset_type(name, category)  # noqa: E731
        receipt = regulator_act(platform, key, propose, as_json, f"asset type listed: {name}", act)
        if receipt is not None:
            type_id = int(receipt.event("AssetTypeListed")["typeId"])
            report(receipt, as_json, f"asset type {type_id} listed: {name}", type_id=type_id)


@type_app.command("list")
def list_(rpc_url: RpcUrl, deployment: DeploymentFile, as_json: JsonOutput = False) -> None:
    """Prints every asset type ever listed, delisted ones marked."""
    with failures(as_json):
        types = connect(rpc_url, deployment).queries.asset_types()
        emit(types, as_json, lambda _: "\n".join(_line(t) for t in types) or "no asset type listed yet")


def _line(t: AssetType) -> str:
    return f"{t.type_id:>4}  {t.category.name:<21} {'listed  ' if t.listed else 'DELISTED'}  {t.name}"


def _toggle(verb: str, help_text: str) -> None:
    @type_app.command(verb, help=help_text)
    @signed
    def command(
        key: KeySource, type_id: TypeId, rpc_url: RpcUrl, deployment: DeploymentFile, propose: Propose = None,
        as_json: JsonOutput = False,
    ) -> None:  # fmt: skip
        with failures(as_json):
            done = f"asset type {type_id} {verb}ed"
            act = (
                (lambda c: c.delist_asset_type(type_id))
                if verb == "delist"
                else (lambda c: c.relist_asset_type(type_id))
            )
            receipt = regulator_act(connect(rpc_url, deployment), key, propose, as_json, done, act)
            if receipt is not None:
                report(receipt, as_json, done)


_toggle("delist", "Stops new issuance of an asset type; what exists keeps circulating.")
_toggle("relist", "Lists a delisted asset type again.")


@type_app.command("show")
def show(type_id: TypeId, rpc_url: RpcUrl, deployment: DeploymentFile, as_json: JsonOutput = False) -> None:
    """Shows one asset type."""
    with failures(as_json):
        emit(connect(rpc_url, deployment).queries.asset_type(type_id), as_json)
