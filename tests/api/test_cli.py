"""`sdap-gateway`: serving by default, API keys made, listed and revoked, every command documented.
(The decision watch's command is tested with the watch, in tests/api/routes/test_decisions.py.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from api.auth import list_api_keys
from api.cli import app
from api.db import Database

ROOT = typer.main.get_command(app)
COMMANDS = getattr(ROOT, "commands", {})
IDENTITY = "0x" + "ab" * 20


def test_every_command_and_parameter_is_documented() -> None:
    assert set(COMMANDS) == {"serve", "create-key", "list-keys", "revoke-key", "watch-decisions"}
    for name, command in COMMANDS.items():
        assert command.help, name
        for param in command.params:
            assert getattr(param, "help", None), f"sdap-gateway {name}: {param.name} has no help text"


@pytest.mark.parametrize("name", ["", *sorted(COMMANDS)])
def test_help(name: str) -> None:
    done = CliRunner().invoke(app, [*([name] if name else []), "--help"], prog_name="sdap-gateway")
    assert done.exit_code == 0, done.output
    assert ("Usage: sdap-gateway " + name).rstrip() in done.output


def test_keys_are_created_listed_and_revoked(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'gateway.db'}"
    runner = CliRunner()
    made = runner.invoke(
        app, ["create-key", "--role", "issuer", "--identity", IDENTITY, "--database-url", url, "--json"]
    )
    assert made.exit_code == 0, made.output
    issued = json.loads(made.output)
    assert issued["role"] == "issuer" and issued["key"]

    listed = runner.invoke(app, ["list-keys", "--database-url", url, "--json"])
    assert listed.exit_code == 0, listed.output
    assert issued["key"] not in listed.output  # the secret is shown once, never again
    assert [k["id"] for k in json.loads(listed.output)] == [issued["id"]]

    assert runner.invoke(app, ["revoke-key", issued["id"], "--database-url", url]).exit_code == 0
    db = Database(url)
    try:
        assert [k.revoked_at is not None for k in list_api_keys(db)] == [True]
    finally:
        db.dispose()
    again = runner.invoke(app, ["revoke-key", issued["id"], "--database-url", url])
    assert again.exit_code == 1 and "no live key" in again.output


def test_a_key_for_an_unknown_role_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'gateway.db'}"
    done = CliRunner().invoke(app, ["create-key", "--role", "emperor", "--identity", IDENTITY, "--database-url", url])
    assert done.exit_code == 2 and "error:" in done.output


@pytest.mark.parametrize("argv", [[], ["serve"]], ids=["no command", "serve"])
def test_the_console_script_serves_by_default(argv: list[str], tmp_path: Path) -> None:
    """With no settings, the server refuses to start and names what is missing: proof the command
    went to the server (tests/api/test_server.py serves for real)."""
    script = Path(sys.executable).with_name("sdap-gateway")
    command = [str(script)] if script.exists() else [sys.executable, "-c", "from api.cli import main; main()"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("SDAP_")}
    done = subprocess.run(
        [*command, *argv], capture_output=True, text=True, timeout=60, check=False, env=env, cwd=tmp_path
    )
    assert done.returncode == 2, done.stderr
    assert "error: SDAP_DEPLOYMENT" in done.stderr
