"""Ordered migrations of the gateway's database.

Each migration has a version, a name and a function of a connection; `migrate` applies, in one
transaction each, those whose version is not yet in `schema_migrations`. A migration's tables are
written out in the migration itself, frozen as they were then: never import api.db.schema here,
which describes the tables as they are now.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    insert,
    select,
    text,
)

from api.db.database import now

if TYPE_CHECKING:
    from api.db.database import Database


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    upgrade: Callable[[Connection], None]


_versions = MetaData()
schema_migrations = Table(
    "schema_migrations",
    _versions,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("name", String(200), nullable=False),
    Column("applied_at", BigInteger, nullable=False),
)


def _v1_initial(conn: Connection) -> None:
    m = MetaData()
    Table(
        "api_keys",
        m,
        Column("id", String(32), primary_key=True),
        Column("secret_hash", String(64), nullable=False, unique=True),
        Column("role", String(16), nullable=False),
        Column("identity", String(42), nullable=False),
        Column("label", String(200), nullable=False),
        Column("created_at", BigInteger, nullable=False),
        Column("revoked_at", BigInteger, nullable=True),
    )
    Table(
        "sessions",
        m,
        Column("token_hash", String(64), primary_key=True),
        Column("address", String(42), nullable=False),
        Column("nonce", String(128), nullable=False, unique=True),
        Column("created_at", BigInteger, nullable=False),
        Column("expires_at", BigInteger, nullable=False),
    )
    Table(
        "idempotency_records",
        m,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("principal", String(80), nullable=False),
        Column("key", String(255), nullable=False),
        Column("fingerprint", String(64), nullable=False),
        Column("state", String(16), nullable=False),
        Column("status_code", Integer, nullable=True),
        Column("response", Text, nullable=True),
        Column("created_at", BigInteger, nullable=False),
        Column("lease_until", Float, nullable=False),
        UniqueConstraint("principal", "key", name="uq_idempotency_principal_key"),
    )
    Table(
        "transactions",
        m,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("tx_hash", String(66), nullable=False, unique=True),
        Column("sender", String(42), nullable=False),
        Column("nonce", BigInteger, nullable=False),
        Column("raw", Text, nullable=False),
        Column("purpose", String(80), nullable=False),
        Column("idempotency_id", Integer, nullable=True),
        Column("seq", Integer, nullable=True),
        Column("state", String(16), nullable=False),
        Column("block_number", BigInteger, nullable=True),
        Column("created_at", BigInteger, nullable=False),
        Column("updated_at", BigInteger, nullable=False),
        UniqueConstraint("idempotency_id", "seq", name="uq_transactions_operation"),
        Index("ix_transactions_state", "state"),
    )
    m.create_all(conn)


def _v2_event_index(conn: Connection) -> None:
    m = MetaData()
    Table(
        "index_cursor",
        m,
        Column("id", Integer, primary_key=True),
        Column("block_number", BigInteger, nullable=False),
        Column("block_hash", String(66), nullable=False),
    )
    Table(
        "movements",
        m,
        Column("tx_hash", String(66), primary_key=True),
        Column("log_index", Integer, primary_key=True),
        Column("item", Integer, primary_key=True),
        Column("block_number", BigInteger, nullable=False),
        Column("block_time", BigInteger, nullable=False),
        Column("issuance_id", BigInteger, nullable=False),
        Column("operator", String(42), nullable=False),
        Column("from_address", String(42), nullable=False),
        Column("to_address", String(42), nullable=False),
        Column("amount", String(78), nullable=False),
        Index("ix_movements_from", "from_address"),
        Index("ix_movements_to", "to_address"),
        Index("ix_movements_issuance", "issuance_id"),
    )
    m.create_all(conn)


def _v3_risk_notice_texts(conn: Connection) -> None:
    m = MetaData()
    Table(
        "risk_notice_texts",
        m,
        Column("content_hash", String(66), primary_key=True),
        Column("text", Text, nullable=False),
        Column("created_at", BigInteger, nullable=False),
    )
    m.create_all(conn)


def _v4_collateral_index(conn: Connection) -> None:
    m = MetaData()
    Table(
        "attestations",
        m,
        Column("attestation_id", String(66), primary_key=True),
        Column("issuance_id", BigInteger, nullable=False),
        Column("verifier", String(42), nullable=False),
        Column("valid_until", BigInteger, nullable=False),
        Column("ended_block", BigInteger, nullable=True),
        Index("ix_attestations_issuance", "issuance_id"),
        Index("ix_attestations_verifier", "verifier"),
    )
    Table(
        "coverage_records",
        m,
        Column("issuance_id", BigInteger, primary_key=True),
        Column("block_number", BigInteger, nullable=False),
        Column("log_index", Integer, nullable=False),
        Column("block_time", BigInteger, nullable=False),
        Column("supply", String(78), nullable=False),
    )
    Table(
        "accreditation_withdrawals",
        m,
        Column("tx_hash", String(66), primary_key=True),
        Column("log_index", Integer, primary_key=True),
        Column("block_number", BigInteger, nullable=False),
        Column("block_time", BigInteger, nullable=False),
        Column("verifier", String(42), nullable=False),
        Index("ix_accreditation_withdrawals_verifier", "verifier"),
    )
    m.create_all(conn)
    # The index read only the asset's movements so far: it is read again from the deployment
    # block, so that the collateral and registry events already on-chain are in it too.
    conn.execute(text("DELETE FROM movements"))
    conn.execute(text("DELETE FROM index_cursor"))


#: Every migration, in the order applied. Append only: never edit one that was released.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "api keys, sessions, idempotency records, transaction journal", _v1_initial),
    Migration(2, "event index: cursor and movements", _v2_event_index),
    Migration(3, "texts of the risk notices the gateway publishes", _v3_risk_notice_texts),
    Migration(4, "event index: attestations, recorded coverage, accreditations withdrawn", _v4_collateral_index),
)


def migrate(db: Database) -> list[int]:
    versions = [m.version for m in MIGRATIONS]
    if versions != sorted(set(versions)):
        raise RuntimeError("migrations must have increasing, unique versions")
    with db.write() as conn:
        _versions.create_all(conn)
        applied = set(conn.scalars(select(schema_migrations.c.version)))
    done: list[int] = []
    for migration in MIGRATIONS:
        if migration.version in applied:
            continue
        with db.write() as conn:
            migration.upgrade(conn)
            conn.execute(
                insert(schema_migrations).values(version=migration.version, name=migration.name, applied_at=now())
            )
        done.append(migration.version)
    return done
