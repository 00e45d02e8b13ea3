"""The keys the gateway holds: from keystores (production) or raw keys (development only)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from eth_account.signers.local import LocalAccount
from fastapi.testclient import TestClient
from gateway_support import settings_for
from world import World

from api.app import create_app
from api.chain.platform import load_signers
from api.gateway import Gateway
from api.settings import Settings
from sdap.anvil import Anvil
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


def test_a_gateway_opened_before_its_event_loop_sends_from_its_periodic_tasks(
    world: World, anvil: Anvil, accounts: list[LocalAccount], deployment_file: Path, tmp_path: Path
) -> None:
    """`python -m api` opens the gateway, then uvicorn starts the event loop: the periodic tasks,
    plain threads, still reach the key's writer on that loop."""
    world.platform.resync_nonces()
    settings = settings_for(anvil, deployment_file, f"sqlite:///{tmp_path / 'gateway.db'}")
    gateway = Gateway.open(settings, [accounts[i] for i in (1, 2, 3, 4, 5)])  # no event loop yet
    with TestClient(create_app(settings, gateway=gateway)):  # serving: the periodic tasks start
        answers: list[object] = []
        thread = threading.Thread(target=lambda: answers.append(gateway.chain.operator().sync_coverage(world.issuance)))
        thread.start()
        thread.join(30)
    assert len(answers) == 1 and world.queries.coverage(world.issuance).supply == 100, answers
