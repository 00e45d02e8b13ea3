"""The keys the gateway holds: from keystores (production) or raw keys (development only)."""

from __future__ import annotations

from pathlib import Path

import pytest
from eth_account.signers.local import LocalAccount

from api.chain.platform import load_signers
from api.settings import Settings
from sdap.errors import ConfigurationError
from sdap.wallet import Keystore

PASSWORD = "keystore-password-for-tests"


def settings(**values: object) -> Settings:
    return Settings(deployment="d.json", session_secret="s" * 40, **values)  # type: ignore[arg-type]


def test_keys_from_the_keystore_directory(accounts: list[LocalAccount], tmp_path: Path) -> None:
    keystore = Keystore(tmp_path / "keys", kdf="pbkdf2", iterations=2)
    for account in accounts[1:3]:
        keystore.import_key("0x" + bytes(account.key).hex(), PASSWORD)
    (tmp_path / "password").write_text(PASSWORD + "\n")
    loaded = load_signers(
        settings(
            operator_address=accounts[2].address,
            signer_addresses=[accounts[1].address],
            keystore_dir=tmp_path / "keys",
            keystore_password_file=tmp_path / "password",
        )
    )
    assert [a.address for a in loaded] == [accounts[2].address, accounts[1].address]
    assert "0x" + bytes(accounts[2].key).hex() not in repr(loaded)
    with pytest.raises(ConfigurationError) as refused:
        load_signers(
            settings(operator_address=accounts[2].address, keystore_dir=tmp_path / "keys", keystore_password="wrong")
        )
    assert "wrong" not in str(refused.value).replace("wrong password", "")


def test_development_keys(accounts: list[LocalAccount]) -> None:
    key = "0x" + bytes(accounts[2].key).hex()
    loaded = load_signers(settings(operator_address=accounts[2].address, private_keys=key))
    assert [a.address for a in loaded] == [accounts[2].address] and key not in repr(loaded)
    with pytest.raises(ConfigurationError, match="not a private key"):
        load_signers(settings(operator_address=accounts[2].address, private_keys="0x1234"))
