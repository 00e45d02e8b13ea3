"""`sdap wallet new|import|list`: encrypted keystore files, one per account, in a directory.

A key is never read from the command line: `import` takes it from a hidden prompt, a file
(`--key-file`) or, for development, an environment variable (`--key-env`).
"""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from sdap.cli import _panels as panels
from sdap.cli._common import JsonOutput, emit, failures
from sdap.cli._keys import DEFAULT_KEYSTORE_DIR, KeyEnv, KeystoreDir, PasswordFile, parse_key, read_password
from sdap.cli.app import app
from sdap.errors import WalletError
from sdap.wallet import Keystore, KeystoreEntry, Secret, password_from_prompt

wallet_app = typer.Typer(name="wallet", help="Encrypted keystores: create, import and list keys.", no_args_is_help=True)
app.add_typer(wallet_app, rich_help_panel=panels.SETUP)


class Kdf(StrEnum):
    scrypt = "scrypt"
    pbkdf2 = "pbkdf2"


KdfOption = Annotated[Kdf, typer.Option("--kdf", help="Key derivation of the new keystore file.")]
Iterations = Annotated[
    int | None,
    typer.Option(
        "--iterations",
        help="Key-derivation cost (scrypt n or pbkdf2 rounds). Default: eth-account's. Lower it only for tests.",
    ),
]


def _entry(entry: KeystoreEntry) -> dict[str, str]:
    return {"address": entry.address, "path": str(entry.path)}


@wallet_app.command("new")
def new(
    keystore_dir: KeystoreDir = DEFAULT_KEYSTORE_DIR,
    password_file: PasswordFile = None,
    kdf: KdfOption = Kdf.scrypt,
    iterations: Iterations = None,
    as_json: JsonOutput = False,
) -> None:
    """Creates a new random key, stored encrypted in the keystore directory."""
    with failures(as_json):
        keystore = Keystore(keystore_dir.expanduser(), kdf=kdf.value, iterations=iterations)
        password = read_password(password_file, "Password for the new key: ", confirm=True)
        created = keystore.create(password)
        emit(_entry(created), as_json, lambda e: f"created {e['address']}\n  {e['path']}")


@wallet_app.command("import")
def import_(
    key_file: Annotated[
        Path | None, typer.Option("--key-file", help="File whose first line is the hex private key.")
    ] = None,
    key_env: KeyEnv = None,
    keystore_dir: KeystoreDir = DEFAULT_KEYSTORE_DIR,
    password_file: PasswordFile = None,
    kdf: KdfOption = Kdf.scrypt,
    iterations: Iterations = None,
    as_json: JsonOutput = False,
) -> None:
    """Imports an existing private key into the keystore directory, encrypted.

    The key (64 hex digits) comes from --key-file, --key-env or a hidden prompt."""
    with failures(as_json):
        key = _key(key_file, key_env)
        keystore = Keystore(keystore_dir.expanduser(), kdf=kdf.value, iterations=iterations)
        password = read_password(password_file, "Password for the keystore: ", confirm=True)
        imported = keystore.import_key(key, password)
        emit(_entry(imported), as_json, lambda e: f"imported {e['address']}\n  {e['path']}")


def _key(key_file: Path | None, key_env: str | None) -> Secret:
    if key_file is not None and key_env is not None:
        raise WalletError("give --key-file or --key-env, not both")
    if key_file is not None:
        try:
            lines = key_file.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise WalletError(f"cannot read the key file {key_file}: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise WalletError(f"the key file {key_file} is not text") from None
        key = Secret(lines[0] if lines else "")
    elif key_env is not None:
        if key_env not in os.environ:
            raise WalletError(f"the environment variable {key_env} is not set")
        key = Secret(os.environ[key_env])
    else:
        key = password_from_prompt("Private key (hex, hidden): ")
    if parse_key(key) is None:
        raise WalletError("the private key must be 32 bytes as 64 hex digits")
    return key


@wallet_app.command("list")
def list_(keystore_dir: KeystoreDir = DEFAULT_KEYSTORE_DIR, as_json: JsonOutput = False) -> None:
    """Lists the accounts of the keystore directory (no password needed)."""
    with failures(as_json):
        entries = Keystore(keystore_dir.expanduser()).list()
        emit(
            [_entry(e) for e in entries],
            as_json,
            lambda _: "\n".join(f"{e.address}  {e.path.name}" for e in entries) or f"no keystore in {keystore_dir}",
        )
