"""The `sdap` app (sdap/cli/app.py, the groups sdap/cli/__init__.py registers, in the sections of
_panels.py): `--help` for every command, found by walking what is registered on it (so a new command
is covered without touching this test), and a documented option for every parameter."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer

from sdap.cli import app

ROOT = typer.main.get_command(app)
#: Groups other modules own, checked for --help only.
FOREIGN = {"audit"}


def commands(command: object = ROOT, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], object]]:
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from commands(sub, (*path, name))


ALL = list(commands())


def test_the_app_has_every_command_of_the_brief() -> None:
    names = {" ".join(path) for path, _ in ALL}
    for expected in (
        "wallet new", "wallet import", "wallet list", "deploy",
        "permit grant", "permit renew", "permit suspend", "permit reinstate", "permit revoke", "permit show",
        "issuer register", "issuer status", "issuer show", "type add", "type list", "type delist", "type relist",
        "type show", "role grant", "role revoke", "participant register", "participant freeze",
        "participant unfreeze", "participant show", "notice publish", "notice acknowledge", "notice show",
        "issuance create", "issuance show", "issuance pause", "issuance unpause", "issuance close", "attest",
        "attach", "mint", "transfer", "encumber", "release", "enforce", "freeze-units", "unfreeze-units",
        "forced-transfer", "redemption request", "redemption confirm", "redemption refuse", "redemption list",
        "redemption show", "issuance consent", "issuance withdraw-consent", "balances", "history", "check transfer",
        "check mint",
        "collateral coverage", "collateral sync", "collateral status",
        "issuer list", "permit list", "permit details", "participant list", "issuance list", "issuance succeed",
        "issuance decision-uri", "participant recover", "participant recover-holdings",
        "proposal sign", "proposal schedule", "proposal execute", "proposal cancel", "proposal show",
    ):  # fmt: skip
        assert expected in names, expected


@pytest.mark.parametrize("path", [p for p, _ in ALL], ids=lambda p: " ".join(p) or "sdap")
def test_help(path: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        ROOT.main([*path, "--help"], prog_name="sdap")
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "Usage: sdap" + "".join(f" {p}" for p in path) in out


OWN = [(p, c) for p, c in ALL if p and p[0] not in FOREIGN]


@pytest.mark.parametrize("path, command", OWN, ids=[" ".join(p) for p, _ in OWN])
def test_every_command_and_parameter_is_documented(path: tuple[str, ...], command: object) -> None:
    assert getattr(command, "help", None), f"sdap {' '.join(path)} has no help text"
    for param in getattr(command, "params", []):
        assert getattr(param, "help", None), f"sdap {' '.join(path)}: {param.name} has no help text"


def test_the_console_script_starts() -> None:
    script = Path(sys.executable).with_name("sdap")
    argv = [str(script)] if script.exists() else [sys.executable, "-m", "sdap.cli"]
    done = subprocess.run([*argv, "--help"], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0 and "deploy" in done.stdout and "balances" in done.stdout


BRACKETED = [
    (path, param.opts[0] if param.opts else param.name, param.help.replace("\\[", "["))
    for path, command in OWN
    for param in getattr(command, "params", [])
    if "\\[" in (getattr(param, "help", None) or "")
]


@pytest.mark.parametrize("path, option, text", BRACKETED, ids=[f"{' '.join(p)} {o}" for p, o, _ in BRACKETED])
def test_a_default_in_brackets_is_printed(
    path: tuple[str, ...], option: str, text: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Rich reads "[default: ...]" as a style tag and drops it unless escaped: the help said "First block ."
    monkeypatch.setenv("COLUMNS", "1000")
    with pytest.raises(SystemExit):
        ROOT.main([*path, "--help"], prog_name="sdap")
    assert text in capsys.readouterr().out, option


def test_the_defaults_left_unsaid_are_found() -> None:
    options = {f"{' '.join(p)} {o}" for p, o, _ in BRACKETED}
    assert {"history --from-block", "participant recover-holdings --issuance", "balances --issuance"} <= options
