from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sdap.audit.html import render_html
from sdap.audit.replay import Checkpoint
from sdap.audit.report import audit
from sdap.cli import app
from tests.audit.conftest import History, Permissive, build_clean_history

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SECTIONS = (
    "summary",
    "rules",
    "crosscheck",
    "code",
    "supply",
    "holders",
    "permits",
    "recoveries",
    "redemptions",
    "breaches",
    "aml",
)


def test_report_of_a_clean_history(history: History) -> None:
    built = build_clean_history(history)
    a, d = built["holders"][0].address, built["holders"][3].address
    report = audit(history.platform)
    assert report.ok and report.breaches == () and report.cross_check is not None
    assert all(rule.passed for rule in report.rules)
    assert len(report.digest) == 64
    body = json.loads(report.to_json())
    assert body["ok"] is True and body["digest"] == report.digest
    assert body["state"]["issuances"]["1"]["supply"] == report.issuances[0].supply
    assert [i["supply_series"][-1][1] for i in body["issuances"]] == [i.supply for i in report.issuances]
    # The second issuance's collateral was revoked after its last movement: uncovered, no breach.
    assert [(i.covered, i.undercollateralised) for i in report.issuances] == [(5_000, False), (0, True)]
    assert report.counts["issuances_undercollateralised"] == 1
    # Redemption requests with their state, the custody apart from the holders, each issuance's consent.
    assert [(r.holder, r.state) for r in report.redemptions] == [
        (a, "confirmed"),
        (a, "refused"),
        (d, "requested"),
    ]
    assert [i.in_custody for i in report.issuances] == [5, 0]
    assert all(history.asset.address not in dict(i.top_holders) for i in report.issuances)
    assert [i.consent.nonce for i in report.issuances if i.consent] == [0, 1]
    assert body["redemptions"][1]["returned_to"] == a and body["issuances"][0]["consent"]["nonce"] == 0


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_html_report_renders_in_headless_chromium(permissive: Permissive, tmp_path: Path) -> None:
    p = permissive.setup(holders=2)
    p.create(1)
    p.attest(1, 100)
    p.mint(1, p.holder(0), 150)  # beyond the collateral: a breach to show
    p.move(p.holder(0), p.holder(1), 1, 20)
    report = audit(p.platform, check_views=False)
    assert not report.ok
    page = tmp_path / "audit.html"
    page.write_text(render_html(report))
    html = page.read_text()
    assert "<script" not in html and "<link" not in html and " src=" not in html  # self-contained
    dom = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    for section in SECTIONS:
        assert f'id="{section}"' in dom, section
    assert "<svg" in dom and 'id="supply-chart"' in dom and "<path" in dom
    assert "collateral.insufficient" in dom and "FAIL" in dom
    assert p.holder(1).address in dom


def test_cli_replay_writes_reports_and_a_checkpoint_and_resumes(history: History, anvil, tmp_path: Path) -> None:
    history.setup(holders=2)
    iid = history.create_issuance()
    history.attest(iid, 100)
    history.mint(iid, history.holder(0), 10)
    deployment = history.platform.deployment.save(tmp_path / "deployment.json")
    runner = CliRunner()
    common = ["--rpc-url", anvil.url, "--deployment", str(deployment)]
    first = runner.invoke(
        app,
        [
            "audit",
            "replay",
            *common,
            "--checkpoint",
            str(tmp_path / "cp.json"),
            "--json-out",
            str(tmp_path / "a.json"),
            "--html-out",
            str(tmp_path / "a.html"),
        ],
    )
    assert first.exit_code == 0, first.output
    assert "PASS" in first.output
    history.transfer(history.holder(0), history.holder(1), iid, 4)
    resumed = runner.invoke(app, ["audit", "replay", *common, "--resume", str(tmp_path / "cp.json"), "--json"])
    full = runner.invoke(app, ["audit", "replay", *common, "--json"])
    assert resumed.exit_code == full.exit_code == 0, resumed.output
    assert json.loads(resumed.output)["digest"] == json.loads(full.output)["digest"]
    assert Checkpoint.load(tmp_path / "cp.json").digest == json.loads((tmp_path / "a.json").read_text())["digest"]
    trace = runner.invoke(app, ["audit", "trace", *common, history.holder(1).address, str(iid)])
    assert trace.exit_code == 0 and "4 units minted" in trace.output
    aml = runner.invoke(app, ["audit", "aml", *common, "--large", "5", "--csv", str(tmp_path / "aml.csv")])
    assert aml.exit_code == 0 and (tmp_path / "aml.csv").read_text().count("\n") == 2  # header, the mint


def test_cli_replay_exits_3_on_breaches(permissive: Permissive, anvil, tmp_path: Path) -> None:
    p = permissive.setup(holders=1)
    p.mint(5, p.holder(0), 1)  # units of an issuance that does not exist
    deployment = p.platform.deployment.save(tmp_path / "deployment.json")
    result = CliRunner().invoke(
        app, ["audit", "replay", "--rpc-url", anvil.url, "--deployment", str(deployment), "--no-cross-check"]
    )
    assert result.exit_code == 3
    assert "R1 issuance.unknown" in result.output


def test_cli_reports_go_under_out_not_into_the_working_directory(
    history: History, anvil, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    history.setup(holders=1)
    deployment = history.platform.deployment.save(tmp_path / "deployment.json")
    monkeypatch.chdir(tmp_path)
    common = ["--rpc-url", anvil.url, "--deployment", str(deployment)]
    runner = CliRunner()
    named = ["--json-out", "a.json", "--html-out", "a.html", "--checkpoint", "cp.json"]
    assert runner.invoke(app, ["audit", "replay", *common, *named]).exit_code == 0
    assert sorted(p.name for p in (tmp_path / "var" / "audit").iterdir()) == ["a.html", "a.json", "cp.json"]
    assert not (tmp_path / "a.json").exists()
    resumed = runner.invoke(app, ["audit", "replay", *common, "--resume", "cp.json"])  # found under var/audit
    assert resumed.exit_code == 0, resumed.output
    elsewhere = tmp_path / "reports"
    assert runner.invoke(app, ["audit", "aml", *common, "--out", str(elsewhere), "--csv", "aml.csv"]).exit_code == 0
    assert (elsewhere / "aml.csv").exists()
