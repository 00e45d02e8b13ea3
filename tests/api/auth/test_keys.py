"""API keys: shown once, stored hashed, bound to a role and an identity, revocable."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from api.auth import create_api_key, list_api_keys, revoke_api_key
from api.auth.keys import authenticate_api_key
from api.db import Database
from api.db.schema import api_keys

ADDRESS = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"


def test_keys_are_stored_hashed_and_authenticate(database_url: str) -> None:
    db = Database(database_url)
    db.migrate()
    try:
        issued = create_api_key(db, "issuer", ADDRESS.lower(), "the grain issuer")
        assert issued.token.startswith(f"sdap_{issued.id}_") and issued.token not in repr(issued)
        with db.read() as conn:
            row = conn.execute(select(api_keys)).one()
        assert row.secret_hash == hashlib.sha256(issued.token.encode()).hexdigest()
        assert issued.token not in str(tuple(row))
        principal = authenticate_api_key(db, issued.token)
        assert principal is not None and principal.role == "issuer" and principal.address == ADDRESS
        assert authenticate_api_key(db, issued.token + "x") is None
        assert [k.id for k in list_api_keys(db)] == [issued.id]
        assert revoke_api_key(db, issued.id) and not revoke_api_key(db, issued.id)
        assert authenticate_api_key(db, issued.token) is None
    finally:
        db.dispose()


def test_holders_get_no_key_and_roles_are_checked(tmp_path: object) -> None:
    db = Database(f"sqlite:///{tmp_path}/k.db")
    db.migrate()
    with pytest.raises(ValueError, match="sign in"):
        create_api_key(db, "holder", ADDRESS)
    with pytest.raises(ValueError, match="unknown role"):
        create_api_key(db, "king", ADDRESS)
    with pytest.raises(ValueError, match="address"):
        create_api_key(db, "issuer", "0x1234")


def test_keys_can_be_made_before_the_gateway_ever_ran(tmp_path: object) -> None:
    url = f"sqlite:///{tmp_path}/fresh.db"
    issued = create_api_key(url, "regulator", ADDRESS, "demo regulator")
    db = Database(url)
    assert authenticate_api_key(db, issued.token) is not None
    db.dispose()
