"""`sdap gateway ...`: serve the gateway, manage its API keys, and run the decision watch.

The gateway lives in the `api` package; it is imported only when one of these commands runs, so
the SDK's own commands never need it.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from sdap.cli._common import DeploymentFile, JsonOutput, RpcUrl, connect, emit, failures
from sdap.cli.app import app

gateway_app = typer.Typer(name="gateway", help="The HTTP gateway: serve it, manage API keys, watch decisions.")
app.add_typer(gateway_app)

DatabaseUrl = Annotated[
    str,
    typer.Option(
        "--database-url", envvar="SDAP_DATABASE_URL", help="The gateway's database (sqlite:/// or postgresql://)."
    ),
]


@gateway_app.command("serve")
def serve() -> None:
    """Serves the gateway, configured by SDAP_* environment variables (same as `python -m api`)."""
    from api.server import main

    main()


@gateway_app.command("create-key")
def create_key(
    role: Annotated[str, typer.Option(help="regulator, operator, compliance, issuer, verifier or auditor.")],
    identity: Annotated[str, typer.Option(help="The on-chain address the key acts as.")],
    database_url: DatabaseUrl = "sqlite:///sdap-gateway.db",
    label: Annotated[str, typer.Option(help="What the key is for.")] = "",
    as_json: JsonOutput = False,
) -> None:
    """Creates an API key and prints it once: only its hash is kept."""
    from api.auth import create_api_key

    try:
        issued = create_api_key(database_url, role, identity, label)
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)
    emit({"id": issued.id, "role": issued.role.value, "identity": issued.identity, "key": issued.token}, as_json)


@gateway_app.command("list-keys")
def list_keys(database_url: DatabaseUrl = "sqlite:///sdap-gateway.db", as_json: JsonOutput = False) -> None:
    """Lists the API keys (never their secrets)."""
    from api.auth import list_api_keys
    from api.db import Database

    db = Database(database_url)
    db.migrate()
    keys = list_api_keys(db)
    db.dispose()
    emit(keys, as_json, lambda ks: "\n".join(
        f"{k.id}  {k.role.value:<10} {k.identity}  {'revoked' if k.revoked_at else 'live'}  {k.label}" for k in ks
    ) or "no keys")  # fmt: skip


@gateway_app.command("revoke-key")
def revoke_key(key_id: str, database_url: DatabaseUrl = "sqlite:///sdap-gateway.db") -> None:
    """Revokes an API key at once."""
    from api.auth import revoke_api_key
    from api.db import Database

    db = Database(database_url)
    db.migrate()
    revoked = revoke_api_key(db, key_id)
    db.dispose()
    if not revoked:
        typer.echo(f"error: no live key {key_id}", err=True)
        sys.exit(1)
    typer.echo(f"revoked {key_id}")


@gateway_app.command("watch-decisions")
def watch_decisions(
    rpc_url: RpcUrl,
    deployment: DeploymentFile,
    allow_private: Annotated[bool, typer.Option(help="Also fetch from loopback/private addresses.")] = False,
    timeout: Annotated[float, typer.Option(help="Seconds per fetch.")] = 10.0,
    as_json: JsonOutput = False,
) -> None:
    """Fetches every open issuance's decision to issue from its URI and compares it with the hash
    anchored on-chain (Law art. 7.1). Exits 1 if any is gone or changed."""
    from api.services.decisions import check_decisions
    from api.services.documents import Fetcher

    with failures(as_json):
        platform = connect(rpc_url, deployment)
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
