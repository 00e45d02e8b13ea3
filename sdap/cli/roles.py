"""`sdap role ...`: the registry's roles, administered by the regulator."""

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
from sdap.types import Role

role_app = typer.Typer(name="role", help="Roles: grant, revoke, show.", no_args_is_help=True)
app.add_typer(role_app, rich_help_panel=panels.SETUP)


RoleArg = Annotated[
    Role, typer.Argument(metavar="ROLE", parser=named(*Role), show_choices=False, help=names(*Role) + ".")
]
Account = Annotated[str, typer.Argument(metavar="ACCOUNT", help="The account's address.")]


@role_app.command("grant")
@signed
def grant(
    key: KeySource, role: RoleArg, member: Account, rpc_url: RpcUrl, deployment: DeploymentFile,
    propose: Propose = None, as_json: JsonOutput = False,
) -> None:  # fmt: skip
    """Grants ROLE to ACCOUNT."""
    with failures(as_json):
        done = f"{role.name.lower()} role granted to {member}"
        act = lambda calls: calls.grant_role(role, member)  # noqa: E731
        receipt = regulator_act(connect(rpc_url, deployment), key, propose, as_json, done, act)
        if receipt is not None:
            report(receipt, as_json, done)


@role_app.command("revoke")
@signed
def revoke(
    key: KeySource, role: RoleArg, member: Account, rpc_url: RpcUrl, deployment: DeploymentFile,
    propose: Propose = None, as_json: JsonOutput = False,
) -> None:  # fmt: skip
    """Revokes ROLE from ACCOUNT."""
    with failures(as_json):
        done = f"{role.name.lower()} role revoked from {member}"
        act = lambda calls: calls.revoke_role(role, member)  # noqa: E731
        receipt = regulator_act(connect(rpc_url, deployment), key, propose, as_json, done, act)
        if receipt is not None:
            report(receipt, as_json, done)


@role_app.command("show")
def show(account: Account, rpc_url: RpcUrl, deployment: DeploymentFile, as_json: JsonOutput = False) -> None:
    """Shows the roles ACCOUNT holds."""
    with failures(as_json):
        queries = connect(rpc_url, deployment).queries
        held = [r.name.lower() for r in Role if queries.has_role(r, account)]
        emit({"account": account, "roles": held}, as_json, lambda _: f"{account}: {', '.join(held) or 'no role'}")
