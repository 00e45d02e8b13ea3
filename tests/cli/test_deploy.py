"""`sdap deploy`: the platform deployed for a regulator, its deployment file never overwritten by
accident. (test_flow.py deploys the platform it drives.)"""

from __future__ import annotations

import json
from pathlib import Path

from cli_support import Run
from world import World


def test_deploy_refuses_to_overwrite_a_deployment(run: Run, world: World, tmp_path: Path) -> None:
    out = tmp_path / "d" / "platform.json"
    deployed = run.json("deploy", "--regulator", world.regulator.address, "--out", out, as_="deployer")
    assert json.loads(out.read_text())["registry"] == deployed["PlatformRegistry"]
    again = run("deploy", "--regulator", world.regulator.address, "--out", out, as_="deployer", code=2)
    assert "exists: pass --force to overwrite it" in again.stderr
    run("deploy", "--regulator", world.regulator.address, "--out", out, "--force", as_="deployer")
    assert json.loads(out.read_text())["registry"] != deployed["PlatformRegistry"]
