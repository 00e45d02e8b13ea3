"""Offers published through the gateway (issue 15: the exchange).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "offers",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("offer_hash", sa.String(66), nullable=False, unique=True),
        sa.Column("maker", sa.String(42), nullable=False),
        sa.Column("taker", sa.String(42), nullable=False),
        sa.Column("give_token", sa.String(42), nullable=False),
        sa.Column("give_id", sa.String(78), nullable=False),
        sa.Column("give_amount", sa.String(78), nullable=False),
        sa.Column("want_token", sa.String(42), nullable=False),
        sa.Column("want_id", sa.String(78), nullable=False),
        sa.Column("want_amount", sa.String(78), nullable=False),
        sa.Column("nonce", sa.String(78), nullable=False),
        sa.Column("expiry", sa.BigInteger, nullable=False),
        sa.Column("signature", sa.String(132), nullable=False),
        sa.Column("published_at", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_offers_maker", "offers", ["maker"])
    op.create_index("ix_offers_taker", "offers", ["taker"])
    op.create_index("ix_offers_give", "offers", ["give_token", "give_id"])
    op.create_index("ix_offers_want", "offers", ["want_token", "want_id"])


def downgrade() -> None:
    op.drop_table("offers")
