"""Encrypted keystores (the Web3 Secret Storage format geth and eth-account use) and the accounts
they unlock.

Every state change must be attributable to a registered key (Rules item 4.1), so keys are what the
platform's trust rests on: they live encrypted on disk, passwords come from a prompt, a file or an
environment variable, and neither a key nor a password is ever in a repr, a str, a log line or an
exception's traceback (the locals of its frames included).
"""

from __future__ import annotations

import getpass
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_keys.datatypes import PrivateKey
from eth_utils import is_address, to_checksum_address

from sdap.errors import WalletError

#: The environment variable `password_from_env` reads by default.
PASSWORD_ENV = "SDAP_KEYSTORE_PASSWORD"  # noqa: S105 - the variable's name, not a password

Kdf = Literal["scrypt", "pbkdf2"]


class Secret:
    """A password or key held so it cannot be shown by accident: its repr and str are masked, it
    does not pickle, and only `reveal()` gives the value."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not isinstance(value, str):
            raise WalletError("a secret must be a string")
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __reduce__(self) -> Any:
        raise TypeError("a Secret cannot be pickled")


class Signer(LocalAccount):
    """A LocalAccount whose repr and str show only its address, so logging a client, a transactor
    or a traceback's locals never prints the key. Works wherever a LocalAccount does."""

    def __repr__(self) -> str:
        return f"Signer({self.address})"

    __str__ = __repr__

    def __reduce__(self) -> Any:
        raise TypeError("a Signer cannot be pickled: keep its keystore instead")


@dataclass(frozen=True)
class KeystoreEntry:
    """A keystore file and the address it holds (read from the file, no password needed)."""

    address: str
    path: Path


def password_from_prompt(prompt: str = "Keystore password: ", *, confirm: bool = False) -> Secret:
    """Asks on the terminal without echo; with `confirm`, asks twice (for a new keystore)."""
    try:
        first = Secret(getpass.getpass(prompt))
        if confirm and getpass.getpass("Repeat the password: ") != first.reveal():
            raise WalletError("the passwords do not match")
    except (EOFError, KeyboardInterrupt):
        raise WalletError("no password given") from None
    return first


def password_from_file(path: str | Path) -> Secret:
    """The first line of `path` (a secrets file mounted by the orchestrator), newline dropped."""
    try:
        content = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise WalletError(f"cannot read the password file {path}: {exc.strerror}") from None
    lines = content.splitlines()
    return Secret(lines[0] if lines else "")


def password_from_env(name: str = PASSWORD_ENV) -> Secret:
    value = os.environ.get(name)
    if value is None:
        raise WalletError(f"the environment variable {name} is not set")
    return Secret(value)


def unlock_file(path: str | Path, password: Secret | str) -> Signer:
    """The account of the keystore at `path`; WalletError if it cannot be read or the password is wrong."""
    password = _secret(password)  # from here on, only the masked form is in this frame
    keyfile = _read_keyfile(Path(path))
    key = _decrypt(keyfile, password)
    if key is None:
        raise WalletError(f"wrong password for keystore {path}")
    return _signer(key)


class Keystore:
    """A directory of keystore files, one per account, named like geth's
    (`UTC--<time>--<address>`), readable by this user only.

    `kdf` and `iterations` choose the key derivation for new files: scrypt at eth-account's default
    cost unless told otherwise (tests pass a low cost to stay fast)."""

    def __init__(self, directory: str | Path, *, kdf: Kdf = "scrypt", iterations: int | None = None) -> None:
        self.directory = Path(directory)
        self._kdf: Kdf = kdf
        self._iterations = iterations

    def __repr__(self) -> str:
        return f"Keystore({str(self.directory)!r})"

    def list(self) -> list[KeystoreEntry]:
        """The keystore files of the directory, by address; other files are ignored."""
        if not self.directory.is_dir():
            return []
        entries = []
        for path in sorted(self.directory.iterdir()):
            address = _address_of(path)
            if address is not None:
                entries.append(KeystoreEntry(address, path))
        return entries

    def find(self, address: str) -> KeystoreEntry:
        if not is_address(address):
            raise WalletError(f"not an address: {address!r}")
        wanted = to_checksum_address(address)
        for entry in self.list():
            if entry.address == wanted:
                return entry
        raise WalletError(f"no keystore for {wanted} in {self.directory}")

    def create(self, password: Secret | str) -> KeystoreEntry:
        """A new random key, stored encrypted under `password`."""
        password = _secret(password)
        return self._store(Account.create().key, password)

    def import_key(self, private_key: Secret | str, password: Secret | str) -> KeystoreEntry:
        """Stores an existing key (64 hex digits, 0x optional), encrypted under `password`."""
        private_key, password = _secret(private_key), _secret(password)  # only masked forms stay in this frame
        raw = _parse_key(private_key)
        if raw is None:
            raise WalletError("the private key must be 32 bytes as 64 hex digits")
        return self._store(raw, password)

    def unlock(self, address_or_path: str | Path, password: Secret | str) -> Signer:
        """The account of the keystore for an address in this directory, or of a keystore file."""
        password = _secret(password)
        target = Path(address_or_path)
        if isinstance(address_or_path, str) and is_address(address_or_path):
            target = self.find(address_or_path).path
        return unlock_file(target, password)

    def _store(self, key: bytes, password: Secret) -> KeystoreEntry:
        if not password:
            raise WalletError("refusing to store a key under an empty password")
        address = to_checksum_address(PrivateKey(key).public_key.to_checksum_address())
        if any(e.address == address for e in self.list()):
            raise WalletError(f"a keystore for {address} already exists in {self.directory}")
        keyfile = _encrypt(key, password, self._kdf, self._iterations)
        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H-%M-%S.%fZ")
        path = self.directory / f"UTC--{stamp}--{address[2:].lower()}"
        try:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            # Created with owner-only permissions from the start, never readable by others.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(keyfile, out)
        except OSError as exc:
            raise WalletError(f"cannot write keystore {path}: {exc.strerror}") from None
        return KeystoreEntry(address, path)


def _secret(value: Secret | str) -> Secret:
    return value if isinstance(value, Secret) else Secret(value)


def _parse_key(key: Secret) -> bytes | None:
    text = key.reveal().strip()
    digits = text[2:] if text[:2] in ("0x", "0X") else text
    if len(digits) != 64:
        return None
    try:
        return bytes.fromhex(digits)
    except ValueError:
        return None


def _read_keyfile(path: Path) -> dict[str, Any]:
    try:
        keyfile = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise WalletError(f"cannot read keystore {path}: {exc.strerror}") from None
    except ValueError:
        raise WalletError(f"keystore {path} is not JSON") from None
    if not isinstance(keyfile, dict) or ("crypto" not in keyfile and "Crypto" not in keyfile):
        raise WalletError(f"{path} is not a keystore file")
    return keyfile


def _encrypt(key: bytes, password: Secret, kdf: Kdf, iterations: int | None) -> dict[str, Any]:
    failure = None
    try:
        return Account.encrypt(key, password.reveal(), kdf=kdf, iterations=iterations)
    except (ValueError, TypeError) as exc:
        failure = type(exc).__name__
    # Raised outside the handler, so the failed call's frames (the password in them) are not chained.
    raise WalletError(f"cannot encrypt the key ({failure}); check kdf and iterations")


def _decrypt(keyfile: dict[str, Any], password: Secret) -> bytes | None:
    """The key, or None for a wrong password. Returns rather than raises, so no exception carrying
    this frame (where the password is revealed) is ever chained to the caller's."""
    try:
        return bytes(Account.decrypt(keyfile, password.reveal()))
    except (ValueError, TypeError, KeyError):
        return None


def _signer(key: bytes) -> Signer:
    return Signer(PrivateKey(key), Account())


def _address_of(path: Path) -> str | None:
    if not path.is_file() or path.stat().st_size > 64 * 1024:
        return None
    try:
        keyfile = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    address = keyfile.get("address") if isinstance(keyfile, dict) else None
    if not isinstance(address, str) or not is_address(address if address.startswith("0x") else "0x" + address):
        return None
    return to_checksum_address(address if address.startswith("0x") else "0x" + address)
