"""scripts/demo.py, what `scripts/up` runs once it has installed everything: from nothing it
deploys, seeds the demo issuance and serves the gateway, the web app and the documents; Ctrl-C
stops every part of it; run again, it resumes with every asset kept. And scripts/screenshots.py,
which takes the README's pictures of the running demo."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from browser import CHROMIUM

ROOT = Path(__file__).resolve().parents[2]
RUNNING = "SDAP is running."


def free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [int(s.getsockname()[1]) for s in sockets]
    finally:
        for s in sockets:
            s.close()


class Demo:
    """One run of the demo in its own process group, as a terminal runs it; its output in a file."""

    def __init__(self, var: Path, ports: list[int], log: Path) -> None:
        chain, gateway, docs = ports
        self.log = log
        self.url = f"http://127.0.0.1:{gateway}"
        arguments = ["--var", str(var), "--chain-port", str(chain), "--gateway-port", str(gateway)]
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "scripts/demo.py", *arguments, "--docs-port", str(docs)],
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 180
        while RUNNING not in self.output():
            assert self.process.poll() is None, f"the demo stopped:\n{self.output()[-4000:]}"
            assert time.monotonic() < deadline, f"the demo did not start:\n{self.output()[-4000:]}"
            time.sleep(0.5)

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def ctrl_c(self) -> int:
        """Ctrl-C as a terminal sends it: SIGINT to every process of the group."""
        os.killpg(self.process.pid, signal.SIGINT)
        return self.process.wait(timeout=60)

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def issuance(demo: Demo, api_key: str) -> dict[str, Any]:
    answer = httpx.get(f"{demo.url}/v1/issuances/1", headers={"X-API-Key": api_key}, timeout=30)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def chain_port_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


@pytest.mark.timeout(600)
def test_the_demo_serves_stops_on_ctrl_c_and_resumes_with_every_asset(tmp_path: Path) -> None:
    var = tmp_path / "var"
    ports = free_ports(3)
    first = Demo(var, ports, tmp_path / "first.log")
    try:
        assert "deployed the platform" in first.output()
        assert "seeded issuance 1: 1,000 units minted, 250 transferred" in first.output()
        demo_keys = json.loads((var / "demo-keys.json").read_text())
        accounts, api_key = demo_keys["accounts"], demo_keys["api_keys"]["operator"]
        seeded = issuance(first, api_key)
        holders = {h["holder"]: h["balance"] for h in seeded["holders"]}
        assert seeded["total_supply"] == 1000
        assert holders == {accounts["holder_a"]["address"]: 750, accounts["holder_b"]["address"]: 250}
        assert httpx.get(f"{first.url}/app/", timeout=30).status_code == 200
        # The risk notice's text, published by the demo's document server, fetched in the background.
        deadline = time.monotonic() + 60
        while not (notice := httpx.get(f"{first.url}/v1/risk-notice", timeout=30).json())["text_verified"]:
            assert time.monotonic() < deadline, notice
            time.sleep(1)
        assert notice["text"].startswith("RISK NOTICE")
        assert first.ctrl_c() == 0
    finally:
        first.kill()
    assert chain_port_free(ports[0])
    assert (var / "chain-state.json").stat().st_size > 0

    second = Demo(var, ports, tmp_path / "second.log")
    try:
        assert "reusing the deployment" in second.output()
        assert "the demo issuance is already there" in second.output()
        assert "the contracts changed" not in second.output()
        resumed = issuance(second, api_key)
        assert resumed["total_supply"] == 1000
        assert resumed["holders"] == seeded["holders"]
        assert resumed["decision_hash"] == seeded["decision_hash"]
        assert second.ctrl_c() == 0
    finally:
        second.kill()


@pytest.mark.timeout(600)
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_the_readmes_screenshots_are_taken_of_the_running_demo(tmp_path: Path) -> None:
    var, shots = tmp_path / "var", tmp_path / "screenshots"
    ports = free_ports(3)
    demo = Demo(var, ports, tmp_path / "demo.log")
    try:
        arguments = ["--gateway", demo.url, "--rpc", f"http://127.0.0.1:{ports[0]}", "--out", str(shots)]
        taken = subprocess.run(
            [sys.executable, "scripts/screenshots.py", *arguments, "--keys", str(var / "demo-keys.json")],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert taken.returncode == 0, taken.stderr[-4000:]
        names = {"register", "issuance", "account", "account-ru", "api-docs"}
        assert {p.stem for p in shots.glob("*.png")} == names
        assert all((shots / f"{name}.png").read_bytes().startswith(b"\x89PNG") for name in names)
        assert demo.ctrl_c() == 0
    finally:
        demo.kill()
