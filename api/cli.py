"""`sdap-gateway`: serve the gateway (the default), manage its API keys, and run the decision watch.

    sdap-gateway                       # serve, configured by SDAP_* environment variables
    sdap-gateway create-key --role issuer --identity 0x...
    sdap-gateway watch-decisions --rpc-url ... --deployment ...

The gateway's commands live here, with the gateway, so the SDK's `sdap` command line never needs it.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from api.auth import create_api_key, list_api_keys, revoke_api_key
from api.db import Database
from api.services.decisions import check_decisions
from api.services.documents import Fetcher
from sdap.cli import DeploymentFile, JsonOutput, RpcUrl, emit, failures
from sdap.platform import Platform

app = typer.Typer(
    name="sdap-gateway",
    help="The SDAP HTTP gateway: serve it (the default), manage API keys, watch decisions.",
    invoke_without_command=True,
    pretty_exceptions_enable=False,  # never print locals (keys, passwords) in a traceback
    add_completion=False,
)

DatabaseUrl = Annotated[
    str,
    typer.Option(
        "--database-url", envvar="SDAP_DATABASE_URL", help="The gateway's database (sqlite:/// or postgresql://)."
    ),
]


@app.callback()
def default(ctx: typer.Context) -> None:
    """Without a command, serves the gateway as `sdap-gateway serve` does."""
    if ctx.invoked_subcommand is None:
        serve()


@app.command("serve")
def serve() -> None:
    """Serves the gateway, configured by SDAP_* environment variables (same as `python -m api`)."""
    from api.server import main  # uvicorn and the app are loaded only to serve

    main()


@app.command("create-key")
def create_key(
    role: Annotated[
        str, typer.Option(help="regulator, operator, compliance, supervisor, issuer, verifier or auditor.")
    ],
    identity: Annotated[str, typer.Option(help="The on-chain address the key acts as.")],
    database_url: DatabaseUrl = "sqlite:///sdap-gateway.db",
    label: Annotated[str, typer.Option(help="What the key is for.")] = "",
    as_json: JsonOutput = False,
) -> None:
    """Creates an API key and prints it once: only its hash is kept."""
    try:
        issued = create_api_key(database_url, role, identity, label)
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)
    emit({"id": issued.id, "role": issued.role.value, "identity": issued.identity, "key": issued.token}, as_json)


@app.command("list-keys")
def list_keys(database_url: DatabaseUrl = "sqlite:///sdap-gateway.db", as_json: JsonOutput = False) -> None:
    """Lists the API keys (never their secrets)."""
    db = Database(database_url)
    db.migrate()
    keys = list_api_keys(db)
    db.dispose()
    emit(keys, as_json, lambda ks: "\n".join(
        f"{k.id}  {k.role.value:<10} {k.identity}  {'revoked' if k.revoked_at else 'live'}  {k.label}" for k in ks
    ) or "no keys")  # fmt: skip


@app.command("revoke-key")
def revoke_key(
    key_id: Annotated[str, typer.Argument(help="The key's id, as create-key and list-keys print it.")],
    database_url: DatabaseUrl = "sqlite:///sdap-gateway.db",
) -> None:
    """Revokes an API key at once."""
    db = Database(database_url)
    db.migrate()
    revoked = revoke_api_key(db, key_id)
    db.dispose()
    if not revoked:
        typer.echo(f"error: no live key {key_id}", err=True)
        sys.exit(1)
    typer.echo(f"revoked {key_id}")


@app.command("watch-decisions")
def watch_decisions(
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    allow_private: Annotated[bool, typer.Option(help="Also fetch from loopback/private addresses.")] = False,
    timeout: Annotated[float, typer.Option(help="Seconds per fetch.")] = 10.0,
    as_json: JsonOutput = False,
) -> None:
    """Fetches every open issuance's decision to issue from its URI and compares it with the hash
    anchored on-chain (Law art. 7.1). Exits 1 if any is gone or changed."""
    with failures(as_json):
        platform = Platform.connect(rpc_url, deployment)
        report = check_decisions(platform.queries, Fetcher(timeout=timeout, allow_private=allow_private))
    rows = [
        {
            "issuance_id": s.issuance_id,
            "status": s.status,
            "decision_uri": s.decision_uri,
            "decision_hash": s.decision_hash,
            "found_hash": s.found_hash,
            "detail": s.detail,
        }
        for s in report.issuances
    ]
    emit({"ok": report.ok, "block_number": report.block_number, "issuances": rows}, as_json, _human)
    if not report.ok:
        sys.exit(1)


def _human(value: dict[str, object]) -> str:
    rows = value["issuances"]
    assert isinstance(rows, list)
    if not rows:
        return "no open issuance"
    lines = [
        f"{r['issuance_id']:>6}  {r['status']:<11} {r['decision_uri']}" + (f"  ({r['detail']})" if r["detail"] else "")
        for r in rows
    ]
    return "\n".join(lines)


def main() -> None:
    app()
