"""API keys: a random secret shown once, stored only as its sha256, bound to a role and an
on-chain identity.

A key reads `sdap_<id>_<secret>`: the id names it (listing, revoking) and is not secret; the
whole string is what the client sends in the `X-API-Key` header.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from eth_utils import is_address, to_checksum_address
from sqlalchemy import bindparam, select, update

from api.auth.principal import API_KEY_ROLES, Principal, Role
from api.db import Database, now
from api.db.schema import api_keys

PREFIX = "sdap_"


@dataclass(frozen=True)
class IssuedKey:
    """A new key. `token` is shown once and never stored: keep it safe."""

    id: str
    token: str
    role: Role
    identity: str
    label: str

    def __repr__(self) -> str:
        return f"IssuedKey(id={self.id!r}, role={self.role.value!r}, identity={self.identity!r})"


@dataclass(frozen=True)
class KeyInfo:
    id: str
    role: Role
    identity: str
    label: str
    created_at: int
    revoked_at: int | None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_key(db: Database | str, role: Role | str, identity: str, label: str = "") -> IssuedKey:
    """Creates a key for `role` acting as `identity` (an address) and returns it with its secret.
    `db` is the gateway's Database or its URL (then migrated first if need be: a demo can make keys
    before the gateway ever started)."""
    if isinstance(db, str):
        database = Database(db)
        try:
            database.migrate()
            return create_api_key(database, role, identity, label)
        finally:
            database.dispose()
    try:
        parsed = Role(role)
    except ValueError:
        raise ValueError(
            f"unknown role {role!r}; one of: {', '.join(sorted(r.value for r in API_KEY_ROLES))}"
        ) from None
    if parsed not in API_KEY_ROLES:
        raise ValueError("holders sign in with their wallet; they get no API key")
    if not is_address(identity):
        raise ValueError(f"identity must be an address, got {identity!r}")
    key_id = secrets.token_hex(6)
    token = f"{PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
    with db.write() as conn:
        conn.execute(
            api_keys.insert().values(
                id=key_id,
                secret_hash=_hash(token),
                role=parsed.value,
                identity=to_checksum_address(identity),
                label=label[:200],
                created_at=now(),
            )
        )
    return IssuedKey(key_id, token, parsed, to_checksum_address(identity), label)


def revoke_api_key(db: Database, key_id: str) -> bool:
    """Revokes a key at once; False if there is no such live key."""
    with db.write() as conn:
        result = conn.execute(
            update(api_keys).where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None)).values(revoked_at=now())
        )
    return bool(result.rowcount)


def list_api_keys(db: Database) -> list[KeyInfo]:
    with db.read() as conn:
        rows = conn.execute(select(api_keys).order_by(api_keys.c.created_at, api_keys.c.id)).all()
    return [
        KeyInfo(
            r.id,
            Role(r.role),
            r.identity,
            r.label,
            int(r.created_at),
            None if r.revoked_at is None else int(r.revoked_at),
        )
        for r in rows
    ]


#: Built once: constructing and cache-keying a SQLAlchemy statement costs more than running it,
#: and this runs on every request with an API key.
_BY_SECRET = select(api_keys.c.id, api_keys.c.role, api_keys.c.identity).where(
    api_keys.c.secret_hash == bindparam("p_hash"), api_keys.c.revoked_at.is_(None)
)


def authenticate_api_key(db: Database, token: str) -> Principal | None:
    """The caller a key stands for, or None for an unknown or revoked key."""
    if not token.startswith(PREFIX) or len(token) > 200:
        return None
    # On every request: from a worker thread (api.deps), never the event loop.
    with db.read() as conn:
        row = conn.execute(_BY_SECRET, {"p_hash": _hash(token)}).first()
    if row is None:
        return None
    key_id, role, identity = row
    return Principal(Role(role), identity, key_id)
