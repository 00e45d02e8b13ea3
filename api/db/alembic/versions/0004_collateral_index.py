"""Event index: attestations, recorded coverage, accreditations withdrawn.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attestations",
        sa.Column("attestation_id", sa.String(66), primary_key=True),
        sa.Column("issuance_id", sa.BigInteger, nullable=False),
        sa.Column("verifier", sa.String(42), nullable=False),
        sa.Column("valid_until", sa.BigInteger, nullable=False),
        sa.Column("ended_block", sa.BigInteger, nullable=True),
    )
    op.create_index("ix_attestations_issuance", "attestations", ["issuance_id"])
    op.create_index("ix_attestations_verifier", "attestations", ["verifier"])
    op.create_table(
        "coverage_records",
        sa.Column("issuance_id", sa.BigInteger, primary_key=True),
        sa.Column("block_number", sa.BigInteger, nullable=False),
        sa.Column("log_index", sa.Integer, nullable=False),
        sa.Column("block_time", sa.BigInteger, nullable=False),
        sa.Column("supply", sa.String(78), nullable=False),
    )
    op.create_table(
        "accreditation_withdrawals",
        sa.Column("tx_hash", sa.String(66), primary_key=True),
        sa.Column("log_index", sa.Integer, primary_key=True),
        sa.Column("block_number", sa.BigInteger, nullable=False),
        sa.Column("block_time", sa.BigInteger, nullable=False),
        sa.Column("verifier", sa.String(42), nullable=False),
    )
    op.create_index("ix_accreditation_withdrawals_verifier", "accreditation_withdrawals", ["verifier"])
    # The index read only the asset's movements so far: it is read again from the deployment
    # block, so that the collateral and registry events already on-chain are in it too.
    op.execute("DELETE FROM movements")
    op.execute("DELETE FROM index_cursor")


def downgrade() -> None:
    for table in ("accreditation_withdrawals", "coverage_records", "attestations"):
        op.drop_table(table)
