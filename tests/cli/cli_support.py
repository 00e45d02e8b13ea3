"""What the CLI tests share besides fixtures: the test password, runners for `sdap` (in-process and
as a subprocess), and a clean environment. A module of its own (not conftest) so test modules
import it by a name no other test directory uses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from typer.testing import CliRunner

from sdap.cli import app

T = TypeVar("T")

PASSWORD = "cli-test-password-7c1e"


@dataclass(frozen=True)
class Result:
    args: tuple[str, ...]
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@dataclass
class Cli:
    """Runs `sdap ARGS...`; raises unless the exit code is the one expected."""

    cwd: Path
    env: dict[str, str]
    secrets: set[str] = field(default_factory=set)
    runs: list[Result] = field(default_factory=list)

    def __call__(self, *args: object, code: int = 0, env: dict[str, str] | None = None) -> Result:
        argv = [str(a) for a in args]
        done = subprocess.run(
            [sys.executable, "-m", "sdap.cli", *argv],
            cwd=self.cwd,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # no controlling terminal: a prompt fails instead of waiting
        )
        result = Result(tuple(argv), done.returncode, done.stdout, done.stderr)
        self.runs.append(result)
        self.assert_no_secret(result)
        assert result.code == code, f"sdap {' '.join(argv)} exited {result.code}:\n{result.stdout}\n{result.stderr}"
        return result

    def json(self, *args: object, code: int = 0, env: dict[str, str] | None = None) -> Any:
        return self(*args, "--json", code=code, env=env).json()

    def together(self, *steps: Callable[[], T]) -> list[T]:
        """Runs independent steps at the same time (each may call the CLI several times), as
        different people would; returns their results in order. Steps must not share a signing
        key: two processes sending from one key would race for its nonce."""
        with ThreadPoolExecutor(len(steps)) as pool:
            return [f.result() for f in [pool.submit(step) for step in steps]]

    def add_secret(self, secret: str) -> None:
        """Adds a key (hex, 0x optional) or password to what no output may contain."""
        text = secret.lower().removeprefix("0x")
        self.secrets.add(text)
        for result in self.runs:  # earlier outputs too
            self.assert_no_secret(result)

    def assert_no_secret(self, result: Result) -> None:
        output = (result.stdout + result.stderr).lower()
        for secret in self.secrets:
            assert secret not in output, f"a secret was printed by sdap {' '.join(result.args)}"


def clean_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SDAP_")}
    env.update(HOME=str(home), COLUMNS="200", NO_COLOR="1")
    return env


@dataclass
class Run:
    """`sdap ARGS` in-process, with the world's deployment and every role's key in the environment
    (`--as regulator` reads REGULATOR_KEY)."""

    env: dict[str, str]
    secrets: list[str]
    cwd: Path

    def __call__(
        self,
        *args: object,
        code: int = 0,
        as_: str | None = None,
        env: dict[str, str] | None = None,
        input: str | None = None,
    ) -> Any:
        argv = [str(a) for a in args] + (["--key-env", f"{as_.upper()}_KEY"] if as_ else [])
        result = CliRunner().invoke(app, argv, env={**self.env, **(env or {})}, input=input)
        output = (result.stdout + result.stderr).lower()
        assert not any(s in output for s in self.secrets), f"a secret was printed by sdap {' '.join(argv)}"
        assert result.exit_code == code, f"sdap {' '.join(argv)} exited {result.exit_code}:\n{result.output}"
        return result

    def json(self, *args: object, **options: Any) -> Any:
        """`sdap ARGS --json`, its output parsed; `options` as for a call."""
        return json.loads(self(*args, "--json", **options).stdout)
