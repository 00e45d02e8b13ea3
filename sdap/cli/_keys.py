"""How a command gets the key it signs with. Never from the command line itself:

- `--keystore FILE`, or `--account ADDRESS` looked up in `--keystore-dir` (env SDAP_KEYSTORE_DIR,
  default ~/.sdap/keystore); the password from `--password-file`, else the environment variable
  SDAP_KEYSTORE_PASSWORD, else a prompt on the terminal;
- `--key-env VAR`: the name of an environment variable holding a raw hex private key. For
  development and automation against a devnet only: a real key belongs in a keystore.

`@signed` adds these options to a command, which receives them as one `key: KeySource` parameter.
"""

from __future__ import annotations

import functools
import inspect
import os
import typing
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from eth_account import Account
from eth_keys.datatypes import PrivateKey

from sdap.errors import WalletError
from sdap.wallet import (
    PASSWORD_ENV,
    Keystore,
    Secret,
    Signer,
    password_from_env,
    password_from_file,
    password_from_prompt,
    unlock_file,
)

DEFAULT_KEYSTORE_DIR = Path("~/.sdap/keystore")

KeystoreDir = Annotated[
    Path,
    typer.Option("--keystore-dir", envvar="SDAP_KEYSTORE_DIR", help="Directory of keystore files.", show_default=True),
]
PasswordFile = Annotated[
    Path | None,
    typer.Option(
        "--password-file",
        envvar="SDAP_KEYSTORE_PASSWORD_FILE",
        help=f"File whose first line is the keystore password (else ${PASSWORD_ENV}, else a prompt).",
    ),
]
KeyEnv = Annotated[
    str | None,
    typer.Option(
        "--key-env",
        metavar="VAR",
        help="Name of an environment variable holding a raw hex private key. Development only.",
    ),
]


@dataclass(frozen=True)
class KeySource:
    """Where the signing key comes from, as the options said; `unlock()` reads it."""

    keystore: Path | None
    account: str | None
    keystore_dir: Path
    password_file: Path | None
    key_env: str | None

    def unlock(self) -> Signer:
        options = {"--keystore": self.keystore, "--account": self.account, "--key-env": self.key_env}
        given = [name for name, value in options.items() if value]
        if len(given) != 1:
            raise WalletError(
                "give exactly one of --keystore FILE, --account ADDRESS (with --keystore-dir) or --key-env VAR"
                + (f"; got {' and '.join(given)}" if given else "")
            )
        if self.key_env:
            return signer_from_env(self.key_env)
        if self.keystore is not None:
            if not self.keystore.is_file():  # say so before asking for a password
                raise WalletError(f"cannot read keystore {self.keystore}: no such file")
            return unlock_file(self.keystore, self.password(f"Password for {self.keystore}: "))
        assert self.account is not None
        keystore = Keystore(self.keystore_dir.expanduser())
        entry = keystore.find(self.account)
        return unlock_file(entry.path, self.password(f"Password for {entry.address}: "))

    def password(self, prompt: str) -> Secret:
        return read_password(self.password_file, prompt)


def read_password(password_file: Path | None, prompt: str, *, confirm: bool = False) -> Secret:
    """From the file, else the environment variable SDAP_KEYSTORE_PASSWORD, else the terminal."""
    if password_file is not None:
        return password_from_file(password_file)
    if PASSWORD_ENV in os.environ:
        return password_from_env()
    return password_from_prompt(prompt, confirm=confirm)


def signer_from_env(name: str) -> Signer:
    """The account of the raw hex key in environment variable `name` (never shown in a message)."""
    value = os.environ.get(name)
    if value is None:
        raise WalletError(f"the environment variable {name} is not set")
    raw = parse_key(Secret(value))
    if raw is None:
        raise WalletError(f"the environment variable {name} does not hold a private key (64 hex digits)")
    return Signer(PrivateKey(raw), Account())


def parse_key(key: Secret) -> bytes | None:
    """32 bytes from 64 hex digits (0x optional), or None."""
    text = key.reveal().strip()
    digits = text[2:] if text[:2] in ("0x", "0X") else text
    if len(digits) != 64:
        return None
    try:
        return bytes.fromhex(digits)
    except ValueError:
        return None


_KEY_PARAMETERS = [
    inspect.Parameter(
        "keystore",
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[
            Path | None, typer.Option("--keystore", envvar="SDAP_KEYSTORE", help="Keystore file of the signing key.")
        ],
    ),
    inspect.Parameter(
        "account",
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[
            str | None,
            typer.Option(
                "--account", envvar="SDAP_ACCOUNT", help="Address of the signing key, found in --keystore-dir."
            ),
        ],
    ),
    inspect.Parameter(
        "keystore_dir", inspect.Parameter.KEYWORD_ONLY, default=DEFAULT_KEYSTORE_DIR, annotation=KeystoreDir
    ),
    inspect.Parameter("password_file", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=PasswordFile),
    inspect.Parameter("key_env", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=KeyEnv),
]
_KEY_NAMES = [p.name for p in _KEY_PARAMETERS]


def signed(command: Callable[..., None]) -> Callable[..., None]:
    """Gives `command` the signing-key options; it receives them as its `key: KeySource` parameter.

    Typer reads a command's options from its signature, so the wrapper shows Typer the command's
    own parameters (without `key`) followed by the key options, and builds the KeySource."""
    hints = typing.get_type_hints(command, include_extras=True)
    own = [
        p.replace(annotation=hints.get(p.name, p.annotation))
        for p in inspect.signature(command).parameters.values()
        if p.name != "key"
    ]
    parameters = own + _KEY_PARAMETERS

    @functools.wraps(command)
    def run(**kwargs: Any) -> None:
        key = KeySource(**{name: kwargs.pop(name) for name in _KEY_NAMES})
        command(key=key, **kwargs)

    run.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    run.__annotations__ = {p.name: p.annotation for p in parameters}
    return run
