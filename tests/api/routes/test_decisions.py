"""The decision-document watch (Law art. 7.1): the endpoint, the periodic check and the CLI."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from gateway_support import Api, Documents
from typer.testing import CliRunner
from world import World

from api.cli import app
from sdap.anvil import Anvil


def issue(world: World, documents: Documents, path: str, content: bytes) -> int:
    world.platform.resync_nonces()
    uri = documents.publish(path, content)
    return world.create_issuance(world.params(decision_uri=uri, decision_hash=hashlib.sha256(content).digest())).id


def test_watch_reports_gone_and_changed_decisions(api: Api, world: World, documents: Documents) -> None:
    kept = issue(world, documents, "/kept.pdf", b"kept")
    changed = issue(world, documents, "/changed.pdf", b"original")
    documents.publish("/changed.pdf", b"edited afterwards")
    report = api.get("/v1/decisions/watch", "regulator", params={"refresh": True}).json()
    by_id = {r["issuance_id"]: r for r in report["issuances"]}
    assert report["ok"] is False
    assert by_id[kept]["status"] == "ok"
    assert by_id[changed]["status"] == "changed"
    assert by_id[changed]["found_hash"] == "0x" + hashlib.sha256(b"edited afterwards").hexdigest()
    assert by_id[world.issuance]["status"] == "unavailable"  # world's decision URI is not served
    last = api.get("/v1/decisions/watch", "auditor").json()
    assert last["checked_at"] == report["checked_at"]  # without refresh: the last check


def test_the_cli_watch_exits_non_zero_on_a_problem(
    world: World, documents: Documents, anvil: Anvil, tmp_path: Path
) -> None:
    deployment = world.platform.deployment.save(tmp_path / "deployment.json")
    runner = CliRunner()
    args = [
        "watch-decisions",
        "--rpc-url",
        anvil.url,
        "--deployment",
        str(deployment),
        "--allow-private",
        "--json",
    ]
    failing = runner.invoke(app, args)
    assert failing.exit_code == 1, failing.output
    assert json.loads(failing.output)["issuances"][0]["status"] == "unavailable"
    good = issue(world, documents, "/good.pdf", b"good")
    result = json.loads(runner.invoke(app, args).output)
    assert {r["issuance_id"]: r["status"] for r in result["issuances"]}[good] == "ok"


def test_the_watch_report_pages_its_issuances(api: Api, world: World, documents: Documents) -> None:
    issue(world, documents, "/one.pdf", b"one")
    issue(world, documents, "/two.pdf", b"two")
    first = api.get("/v1/decisions/watch", "regulator", params={"refresh": True, "limit": 2})
    assert [i["issuance_id"] for i in first.json()["issuances"]] == [1, 2]
    assert first.json()["ok"] is False  # the verdict on all of them: issuance 1's decision is not served
    cursor = first.headers["next-cursor"]
    second = api.get("/v1/decisions/watch", "regulator", params={"limit": 2, "cursor": cursor})
    assert [i["issuance_id"] for i in second.json()["issuances"]] == [3] and "next-cursor" not in second.headers
