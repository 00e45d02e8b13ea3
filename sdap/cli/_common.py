"""What every command shares: where the chain and the deployment are, output, and failures.

Options come from the command line or the environment (SDAP_RPC_URL, SDAP_DEPLOYMENT, ...), so a
shell session can set them once. A failure prints the decoded reason and exits non-zero; with
`--json` it prints `{"error": {"type": ..., "message": ..., "arguments": ...}}`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, is_dataclass
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from sdap.errors import ChainError, ContractError, SdapError
from sdap.platform import Platform
from sdap.types import PermitState, Role

T = TypeVar("T")

RpcUrl = Annotated[str, typer.Option("--rpc-url", envvar="SDAP_RPC_URL", help="JSON-RPC URL of a platform node.")]
DeploymentFile = Annotated[
    Path,
    typer.Option("--deployment", envvar="SDAP_DEPLOYMENT", help="Deployment file written by `sdap deploy`."),
]
JsonOutput = Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")]

#: Exit codes: 1 a contract or the node refused, 2 bad configuration, a wallet or an argument.
EXIT_REFUSED = 1
EXIT_CONFIG = 2


def jsonable(value: Any) -> Any:
    """Dataclasses, enums, bytes and mappings as plain JSON values."""
    if is_dataclass(value) and not isinstance(value, type):
        return {k: jsonable(v) for k, v in asdict(value).items()}
    if isinstance(value, Enum):
        return value.name
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, dict) or hasattr(value, "items"):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def emit(value: Any, as_json: bool, human: Callable[[Any], str] | None = None) -> None:
    """Prints `value` as JSON, or through `human` (default: one `key: value` line per field)."""
    if as_json:
        typer.echo(json.dumps(jsonable(value), indent=2, sort_keys=True))
        return
    if human is not None:
        typer.echo(human(value))
        return
    plain = jsonable(value)
    if isinstance(plain, dict):
        width = max((len(k) for k in plain), default=0)
        for key, item in plain.items():
            typer.echo(f"{key.ljust(width)}  {item}")
    else:
        typer.echo(str(plain))


@contextmanager
def failures(as_json: bool) -> Iterator[None]:
    """Turns SDK errors into a readable message (or JSON) and a non-zero exit, without traceback."""
    try:
        yield
    except ContractError as exc:
        # The words go to a person only: --json keeps the message and the arguments as decoded.
        message = str(exc) if as_json else str(exc) + _meaning(exc)
        _fail(as_json, type(exc).__name__, message, exc.arguments, EXIT_REFUSED)
    except ChainError as exc:
        _fail(as_json, type(exc).__name__, str(exc), {}, EXIT_REFUSED)
    except SdapError as exc:
        _fail(as_json, type(exc).__name__, str(exc), {}, EXIT_CONFIG)


#: A role is carried as its bytes32 id and a permit's state as a number; a person reads their names.
_ROLE_NAMES = {role.id: role.value for role in Role}
_PERMIT_STATES = {int(state): state.name for state in PermitState}


def _meaning(exc: ContractError) -> str:
    """The names of a role id among the arguments (" (role: OPERATOR_ROLE)") and of the permit
    state a *_PermitNotActive refusal carries (" (state: REVOKED)"); "" when there is none."""
    roles = {name: value for name, value in exc.arguments.items() if isinstance(value, bytes)}
    words = [f"{name}: {_ROLE_NAMES[value]}" for name, value in roles.items() if value in _ROLE_NAMES]
    state = exc.arguments.get("state")
    if exc.name.endswith("_PermitNotActive") and state in _PERMIT_STATES:
        words.append(f"state: {_PERMIT_STATES[state]}")
    return f" ({'; '.join(words)})" if words else ""


def _fail(as_json: bool, kind: str, message: str, arguments: dict[str, Any], code: int) -> None:
    if as_json:
        body = {"error": {"type": kind, "message": message, "arguments": jsonable(arguments)}}
        typer.echo(json.dumps(body, indent=2, sort_keys=True))
    else:
        typer.echo(f"error: {message}", err=True)
    sys.exit(code)


def connect(rpc_url: str, deployment: Path) -> Platform:
    return Platform.connect(rpc_url, deployment)
