"""The exchange in the event index: each published offer's state, and the escrows (issue 15's
review: listings filter in the database instead of reading the chain per row).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_OFFER_COLUMNS = ("status", "filled_by", "fill_tx", "fill_block", "closed_at", "taking_until")


def upgrade() -> None:
    with op.batch_alter_table("offers") as batch:
        batch.add_column(sa.Column("status", sa.String(16), nullable=False, server_default="open"))
        batch.add_column(sa.Column("filled_by", sa.String(42), nullable=True))
        batch.add_column(sa.Column("fill_tx", sa.String(66), nullable=True))
        batch.add_column(sa.Column("fill_block", sa.BigInteger, nullable=True))
        batch.add_column(sa.Column("closed_at", sa.BigInteger, nullable=True))
        batch.add_column(sa.Column("taking_until", sa.Float, nullable=True))
        batch.drop_index("ix_offers_maker")
        batch.create_index("ix_offers_maker", ["maker", "status"])
        batch.create_index("ix_offers_nonce", ["maker", "nonce"])
    op.create_table(
        "escrows",
        sa.Column("escrow_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("issuance_id", sa.BigInteger, nullable=False),
        sa.Column("seller", sa.String(42), nullable=False),
        sa.Column("buyer", sa.String(42), nullable=False),
        sa.Column("agent", sa.String(42), nullable=False),
        sa.Column("amount", sa.String(78), nullable=False),
        sa.Column("price", sa.String(78), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("deadline", sa.BigInteger, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
    )
    op.create_index("ix_escrows_seller", "escrows", ["seller"])
    op.create_index("ix_escrows_buyer", "escrows", ["buyer"])
    op.create_index("ix_escrows_agent", "escrows", ["agent"])
    op.create_index("ix_escrows_issuance", "escrows", ["issuance_id"])
    # The index did not read the exchange so far: it is read again from the deployment block, so
    # that the offers already taken or cancelled and the escrows already opened are in it.
    op.execute("DELETE FROM index_cursor")


def downgrade() -> None:
    op.drop_table("escrows")
    with op.batch_alter_table("offers") as batch:
        batch.drop_index("ix_offers_nonce")
        batch.drop_index("ix_offers_maker")
        batch.create_index("ix_offers_maker", ["maker"])
        for column in _OFFER_COLUMNS:
            batch.drop_column(column)
