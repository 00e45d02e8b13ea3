"""`sdap wallet ...`: keys made or imported into an encrypted keystore directory, and listed. (No
chain needed: a keystore is a local file.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_support import PASSWORD, Run, clean_env
from eth_account import Account
from eth_account.signers.local import LocalAccount

FAST = ("--kdf", "pbkdf2", "--iterations", 1000)  # a low key-derivation cost keeps the test fast


@pytest.fixture
def run(tmp_path: Path, accounts: list[LocalAccount]) -> Run:
    (tmp_path / "password").write_text(PASSWORD)
    env = clean_env(tmp_path) | {"SDAP_KEYSTORE_DIR": str(tmp_path / "keys")}
    return Run(env, [a.key.hex() for a in accounts] + [PASSWORD], tmp_path)


def test_a_key_is_imported_once_made_and_listed(run: Run, accounts: list[LocalAccount]) -> None:
    password = run.cwd / "password"
    key = accounts[1]
    imported = run.json("wallet", "import", "--key-env", "THE_KEY", "--password-file", password, *FAST,
                        env={"THE_KEY": key.key.hex()})  # fmt: skip
    assert imported["address"] == key.address
    stored = json.loads(Path(imported["path"]).read_text())
    assert bytes(Account.decrypt(stored, PASSWORD)) == bytes(key.key)  # encrypted, with that password
    again = run("wallet", "import", "--key-env", "THE_KEY", "--password-file", password, *FAST,
                env={"THE_KEY": key.key.hex()}, code=2)  # fmt: skip
    assert again.stdout == ""

    created = run.json("wallet", "new", "--password-file", password, *FAST)
    listed = run.json("wallet", "list")
    assert sorted(e["address"] for e in listed) == sorted([key.address, created["address"]])


def test_a_malformed_key_is_refused(run: Run) -> None:
    refused = run("wallet", "import", "--key-env", "THE_KEY", "--password-file", run.cwd / "password", *FAST,
                  env={"THE_KEY": "0x1234"}, code=2)  # fmt: skip
    assert "the private key must be 32 bytes as 64 hex digits" in refused.stderr
