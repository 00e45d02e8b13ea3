"""The settings: one class from SDAP_* variables, secrets without defaults, placeholders refused."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from api.settings import Settings

BASE = {"deployment": "d.json", "operator_address": "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"}


def test_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDAP_DEPLOYMENT", "deployments/local.json")
    monkeypatch.setenv("SDAP_OPERATOR_ADDRESS", BASE["operator_address"])
    monkeypatch.setenv("SDAP_SESSION_SECRET", "s" * 40)
    monkeypatch.setenv(
        "SDAP_SIGNER_ADDRESSES",
        "0x70997970C51812dc3A010C7d01b50e0d17dc79C8, 0x90F79bf6EB2c4f870365E785982E1f101E93b906",
    )
    monkeypatch.setenv("SDAP_DATABASE_URL", "postgresql://gateway@db/sdap")
    settings = Settings()  # type: ignore[call-arg]
    assert settings.database_url == "postgresql://gateway@db/sdap" and len(settings.signer_addresses) == 2
    assert "s" * 40 not in repr(settings)


def test_the_session_secret_has_no_default() -> None:
    with pytest.raises(ValidationError, match="session_secret"):
        Settings(**BASE)  # type: ignore[arg-type]


@pytest.mark.parametrize("secret", ["changeme", "secret", "short-but-not-placeholder"])
def test_placeholder_secrets_are_refused_outside_development(secret: str) -> None:
    with pytest.raises(ValidationError):
        Settings(**BASE, session_secret=secret, environment="production")  # type: ignore[arg-type]
    assert Settings(**BASE, session_secret=secret, environment="development")  # type: ignore[arg-type]


def test_raw_keys_are_refused_in_production() -> None:
    with pytest.raises(ValidationError, match="keystores"):
        Settings(**BASE, session_secret="x" * 40, environment="production", private_keys="0x" + "11" * 32)  # type: ignore[arg-type]


@pytest.mark.parametrize("field", ["rate_limit_api_key", "rate_limit_wallet", "rate_limit_sign_in"])
def test_a_rate_limit_must_be_readable(field: str) -> None:
    with pytest.raises(ValidationError, match=field):
        Settings(**BASE, session_secret="x" * 40, **{field: "many per while"})  # type: ignore[arg-type]
    assert Settings(**BASE, session_secret="x" * 40, **{field: ""})  # type: ignore[arg-type]  # no limit
