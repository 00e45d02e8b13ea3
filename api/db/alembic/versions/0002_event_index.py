"""Event index: cursor and movements.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "index_cursor",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("block_number", sa.BigInteger, nullable=False),
        sa.Column("block_hash", sa.String(66), nullable=False),
    )
    op.create_table(
        "movements",
        sa.Column("tx_hash", sa.String(66), primary_key=True),
        sa.Column("log_index", sa.Integer, primary_key=True),
        sa.Column("item", sa.Integer, primary_key=True),
        sa.Column("block_number", sa.BigInteger, nullable=False),
        sa.Column("block_time", sa.BigInteger, nullable=False),
        sa.Column("issuance_id", sa.BigInteger, nullable=False),
        sa.Column("operator", sa.String(42), nullable=False),
        sa.Column("from_address", sa.String(42), nullable=False),
        sa.Column("to_address", sa.String(42), nullable=False),
        sa.Column("amount", sa.String(78), nullable=False),
    )
    op.create_index("ix_movements_from", "movements", ["from_address"])
    op.create_index("ix_movements_to", "movements", ["to_address"])
    op.create_index("ix_movements_issuance", "movements", ["issuance_id"])


def downgrade() -> None:
    op.drop_table("movements")
    op.drop_table("index_cursor")
