"""Keystores: created, imported, listed and unlocked; passwords from a prompt, a file or the
environment; and no key or password in any repr, str or traceback."""

from __future__ import annotations

import pickle
import stat
import traceback
from pathlib import Path

import pytest
from eth_account.signers.local import LocalAccount

from sdap.clients import HolderClient
from sdap.errors import WalletError
from sdap.platform import Platform
from sdap.types import Role
from sdap.wallet import (
    Keystore,
    Secret,
    Signer,
    password_from_env,
    password_from_file,
    password_from_prompt,
    unlock_file,
)

PASSWORD = Secret("correct horse battery staple")


@pytest.fixture
def keystore(tmp_path: Path) -> Keystore:
    # A low key-derivation cost keeps the tests fast; the default is eth-account's scrypt.
    return Keystore(tmp_path / "keys", kdf="pbkdf2", iterations=1_000)


def test_created_key_is_listed_and_unlocks(keystore: Keystore) -> None:
    entry = keystore.create(PASSWORD)
    assert keystore.list() == [entry]
    assert entry.path.parent == keystore.directory
    assert entry.path.name.startswith("UTC--") and entry.path.name.endswith(entry.address[2:].lower())
    assert stat.S_IMODE(entry.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(keystore.directory.stat().st_mode) == 0o700
    signer = keystore.unlock(entry.address, PASSWORD)
    assert isinstance(signer, Signer) and isinstance(signer, LocalAccount)
    assert signer.address == entry.address
    assert unlock_file(entry.path, PASSWORD).address == entry.address


def test_imported_key_unlocks_to_the_same_account(keystore: Keystore, accounts: list[LocalAccount]) -> None:
    key_hex = accounts[6].key.hex()
    entry = keystore.import_key(Secret(key_hex), PASSWORD)
    assert entry.address == accounts[6].address
    assert keystore.unlock(entry.address.lower(), PASSWORD).key == accounts[6].key
    other = keystore.import_key("0x" + accounts[7].key.hex(), "another password")
    assert {e.address for e in keystore.list()} == {accounts[6].address, accounts[7].address}
    assert keystore.unlock(other.path, "another password").address == accounts[7].address


def test_scrypt_keystore_round_trips(tmp_path: Path) -> None:
    keystore = Keystore(tmp_path, kdf="scrypt", iterations=2**10)
    entry = keystore.create(PASSWORD)
    assert keystore.unlock(entry.address, PASSWORD).address == entry.address


def test_listing_ignores_other_files(keystore: Keystore, tmp_path: Path) -> None:
    assert Keystore(tmp_path / "missing").list() == []
    entry = keystore.create(PASSWORD)
    (keystore.directory / "notes.txt").write_text("not a keystore")
    (keystore.directory / "broken.json").write_text("{")
    assert keystore.list() == [entry]


def test_refusals_are_wallet_errors(keystore: Keystore, accounts: list[LocalAccount]) -> None:
    entry = keystore.import_key(accounts[6].key.hex(), PASSWORD)
    with pytest.raises(WalletError, match="already exists"):
        keystore.import_key(accounts[6].key.hex(), PASSWORD)
    with pytest.raises(WalletError, match="64 hex digits"):
        keystore.import_key("0x1234", PASSWORD)
    with pytest.raises(WalletError, match="empty password"):
        keystore.create("")
    with pytest.raises(WalletError, match="no keystore for"):
        keystore.unlock(accounts[7].address, PASSWORD)
    with pytest.raises(WalletError, match="cannot read keystore"):
        unlock_file(keystore.directory / "nothing-here", PASSWORD)
    (keystore.directory / "junk").write_text("[]")
    with pytest.raises(WalletError, match="not a keystore file"):
        unlock_file(keystore.directory / "junk", PASSWORD)
    with pytest.raises(WalletError, match="wrong password"):
        keystore.unlock(entry.address, "not the password")


def test_failed_unlock_leaks_neither_key_nor_password(keystore: Keystore) -> None:
    entry = keystore.create(PASSWORD)
    wrong = Secret("hunter2-is-not-it")
    try:
        keystore.unlock(entry.address, wrong)
    except WalletError as exc:
        failure = exc
    # Every frame's locals, as rich or pytest --showlocals would print them.
    shown = "".join(traceback.TracebackException.from_exception(failure, capture_locals=True).format())
    shown += "".join(traceback.format_exception(failure)) + repr(failure) + str(failure)
    key_hex = keystore.unlock(entry.address, PASSWORD).key.hex()
    assert key_hex not in shown and key_hex.upper() not in shown
    assert wrong.reveal() not in shown and PASSWORD.reveal() not in shown
    assert failure.__cause__ is None and failure.__context__ is None


def test_failed_import_leaks_no_key(keystore: Keystore) -> None:
    almost_a_key = "ab" * 31 + "zz"  # 64 characters, not hex
    try:
        keystore.import_key(almost_a_key, PASSWORD)
    except WalletError as exc:
        failure = exc
    frames = traceback.TracebackException.from_exception(failure, capture_locals=True).stack
    shown = "".join(str(frame.locals) for frame in frames if "sdap" in frame.filename) + str(failure)
    assert almost_a_key not in shown and PASSWORD.reveal() not in shown


def test_reprs_show_addresses_only(keystore: Keystore, platform: Platform) -> None:
    entry = keystore.create(PASSWORD)
    signer = keystore.unlock(entry.address, PASSWORD)
    key_hex = signer.key.hex()
    holder = HolderClient(platform, signer)
    for text in (
        repr(signer),
        str(signer),
        f"{signer}",
        repr(holder),
        repr(platform.transactor(signer)),
        repr(PASSWORD),
    ):
        assert key_hex not in text and PASSWORD.reveal() not in text
    assert repr(signer) == f"Signer({entry.address})"
    assert str(PASSWORD) == "Secret('********')"
    with pytest.raises(TypeError):
        pickle.dumps(signer)
    with pytest.raises(TypeError):
        pickle.dumps(PASSWORD)


def test_unlocked_signer_acts_on_the_platform(keystore: Keystore, platform: Platform, accounts) -> None:
    entry = keystore.import_key(accounts[1].key.hex(), PASSWORD)
    regulator = platform.regulator(keystore.unlock(entry.address, PASSWORD))
    regulator.grant_role(Role.VERIFIER, accounts[3].address)
    assert platform.queries.has_role(Role.VERIFIER, accounts[3].address)


def test_password_from_file(tmp_path: Path) -> None:
    path = tmp_path / "password"
    path.write_text("s3cret\n")
    assert password_from_file(path).reveal() == "s3cret"
    with pytest.raises(WalletError, match="cannot read the password file"):
        password_from_file(tmp_path / "missing")


def test_password_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDAP_KEYSTORE_PASSWORD", "from-env")
    assert password_from_env().reveal() == "from-env"
    monkeypatch.delenv("SDAP_KEYSTORE_PASSWORD")
    with pytest.raises(WalletError, match="SDAP_KEYSTORE_PASSWORD is not set"):
        password_from_env()


def test_password_from_prompt(monkeypatch: pytest.MonkeyPatch) -> None:
    answers = iter(["typed", "twice", "twice", "first", "second"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert password_from_prompt().reveal() == "typed"
    assert password_from_prompt(confirm=True).reveal() == "twice"
    with pytest.raises(WalletError, match="do not match"):
        password_from_prompt(confirm=True)


def test_prompt_without_terminal_input_is_a_wallet_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def eof(prompt: str = "") -> str:
        raise EOFError

    monkeypatch.setattr("getpass.getpass", eof)
    with pytest.raises(WalletError, match="no password given"):
        password_from_prompt()
