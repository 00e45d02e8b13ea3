"""The gateway as it runs in production: `python -m api` under uvicorn, configured by SDAP_*
variables, against a real anvil; killed with SIGKILL and started again on the same database."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from eth_account.signers.local import LocalAccount
from typer.testing import CliRunner
from world import World

from api.cli import app
from api.server import main
from sdap.anvil import Anvil

ROOT = Path(__file__).resolve().parents[2]
SECRET = "server-test-session-secret-0123456789abcdef"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log = env, log
        self.url = f"http://127.0.0.1:{env['SDAP_PORT']}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "api"], env=self.env, stdout=out, stderr=out, cwd=ROOT
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/v1/ready", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            assert self.process.poll() is None, self.log.read_text()
            time.sleep(0.1)
        raise AssertionError("the gateway did not become ready:\n" + self.log.read_text())

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)


@pytest.fixture
def server_env(world: World, anvil: Anvil, accounts: list[LocalAccount], tmp_path: Path) -> dict[str, str]:
    deployment = world.platform.deployment.save(tmp_path / "deployment.json")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SDAP_")}
    env.update(
        {
            "SDAP_ENVIRONMENT": "test",
            "SDAP_RPC_URL": anvil.url,
            "SDAP_DEPLOYMENT": str(deployment),
            "SDAP_DATABASE_URL": f"sqlite:///{tmp_path / 'gateway.db'}",
            "SDAP_OPERATOR_ADDRESS": accounts[2].address,
            "SDAP_PRIVATE_KEYS": ",".join("0x" + bytes(accounts[i].key).hex() for i in (1, 2, 4)),
            "SDAP_SESSION_SECRET": SECRET,
            "SDAP_PORT": str(free_port()),
            "SDAP_PUBLIC_URL": "http://127.0.0.1",
            "SDAP_DECISION_WATCH_INTERVAL": "0",
        }
    )
    return env


@pytest.fixture
def server(server_env: dict[str, str], tmp_path: Path) -> Iterator[Server]:
    running = Server(server_env, tmp_path / "gateway.log")
    running.start()
    yield running
    running.stop()


def create_key(env: dict[str, str], role: str, identity: str) -> str:
    """Through the CLI, as an operator would."""
    args = ["create-key", "--role", role, "--identity", identity, "--json"]
    done = CliRunner().invoke(app, [*args, "--database-url", env["SDAP_DATABASE_URL"]])
    assert done.exit_code == 0, done.output
    return str(json.loads(done.output)["key"])


def test_serves_survives_sigkill_and_keeps_its_records(
    server: Server, server_env: dict[str, str], world: World
) -> None:
    issuer_key = create_key(server_env, "issuer", world.issuer.address)
    headers = {"X-API-Key": issuer_key, "Idempotency-Key": "server-mint-1"}
    body = {"to": world.b.address, "amount": 9}
    path = f"{server.url}/v1/issuances/{world.issuance}/mint"
    first = httpx.post(path, json=body, headers=headers, timeout=30)
    assert first.status_code == 201, first.text
    assert httpx.get(server.url + "/v1/openapi.json").json()["info"]["title"] == "SDAP gateway"

    server.kill()
    server.start()
    again = httpx.post(path, json=body, headers=headers, timeout=30)
    assert again.status_code == 201 and again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert world.queries.balance_of(world.b.address, world.issuance) == 9
    refused = httpx.post(
        path, json={"to": world.b.address, "amount": 10_000}, headers={"X-API-Key": issuer_key}, timeout=30
    )
    assert refused.status_code == 409 and refused.headers["content-type"] == "application/problem+json"
    broken = httpx.post(
        path, content=b"{not json", headers={"X-API-Key": issuer_key, "Content-Type": "application/json"}
    )
    assert broken.status_code == 422

    server.stop()
    log = server.log.read_text()
    assert "Traceback" not in log
    for secret in (SECRET, issuer_key, *server_env["SDAP_PRIVATE_KEYS"].split(",")):
        assert secret not in log and secret[2:] not in log


def test_a_second_gateway_on_the_same_database_refuses_to_start(server: Server, server_env: dict[str, str]) -> None:
    """Two processes would hand out the same nonces, and the second's start would interrupt the
    first's requests in flight; so the second stops with one line before it touches anything."""
    second = subprocess.run(
        [sys.executable, "-m", "api"],
        env={**server_env, "SDAP_PORT": str(free_port())},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert second.returncode == 2
    assert "another gateway process is serving this database" in second.stderr
    assert "Traceback" not in second.stderr
    assert httpx.get(server.url + "/v1/ready", timeout=5).status_code == 200  # the first serves on


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"SDAP_DEPLOYMENT": "/nowhere/deployment.json"}, "no deployment file"),
        ({"SDAP_SESSION_SECRET": None}, "SDAP_SESSION_SECRET"),
    ],
)
def test_a_bad_configuration_fails_with_one_line(
    server_env: dict[str, str],
    change: dict[str, str | None],
    message: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name in [k for k in os.environ if k.startswith("SDAP_")]:
        monkeypatch.delenv(name)
    for name, value in {**server_env, **change}.items():
        if name.startswith("SDAP_") and value is not None:
            monkeypatch.setenv(name, value)
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and SECRET not in err
