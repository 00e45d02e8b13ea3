"""Holdings, issuances, encumbrances, redemption requests and payment tokens in the event index:
an issuance's holders, the issuances of an operator or an issuer, a holder's live encumbrances, the
redemption requests of an issuance, a holder or a state, and the listed payment tokens found in the
database, a page at a time, instead of by summing every movement of an issuance, reading every
issuance, encumbrance or request on the chain, or the exchange's logs from the deployment block,
on each request.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "holdings",
        sa.Column("issuance_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("holder", sa.String(42), primary_key=True),
        sa.Column("balance", sa.String(78), nullable=False),
    )
    op.create_table(
        "encumbrances",
        sa.Column("encumbrance_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("issuance_id", sa.BigInteger, nullable=False),
        sa.Column("holder", sa.String(42), nullable=False),
        sa.Column("beneficiary", sa.String(42), nullable=False),
        sa.Column("amount", sa.String(78), nullable=False),
        sa.Column("expiry", sa.BigInteger, nullable=False),
        sa.Column("reference_hash", sa.String(66), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
    )
    op.create_index("ix_encumbrances_holder", "encumbrances", ["holder", "state"])
    op.create_table(
        "payment_tokens",
        sa.Column("token", sa.String(42), primary_key=True),
        sa.Column("block_number", sa.BigInteger, nullable=False),
        sa.Column("log_index", sa.Integer, nullable=False),
    )
    op.create_index("ix_payment_tokens_listed", "payment_tokens", ["block_number", "log_index"])
    op.create_table(
        "redemptions",
        sa.Column("request_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("issuance_id", sa.BigInteger, nullable=False),
        sa.Column("holder", sa.String(42), nullable=False),
        sa.Column("amount", sa.String(78), nullable=False),
        sa.Column("fulfilment_ref", sa.String(66), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
    )
    op.create_index("ix_redemptions_issuance", "redemptions", ["issuance_id", "state"])
    op.create_index("ix_redemptions_holder", "redemptions", ["holder"])
    op.create_table(
        "issuances",
        sa.Column("issuance_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("issuer", sa.String(42), nullable=False),
        sa.Column("operator", sa.String(42), nullable=False),
    )
    op.create_index("ix_issuances_issuer", "issuances", ["issuer"])
    op.create_index("ix_issuances_operator", "issuances", ["operator"])
    # The index did not read these events so far: it is read again from the deployment block, its
    # movements with it, so that the holdings are the sum of every one of them.
    op.execute("DELETE FROM movements")
    op.execute("DELETE FROM index_cursor")


def downgrade() -> None:
    op.drop_table("holdings")
    op.drop_table("issuances")
    op.drop_table("redemptions")
    op.drop_table("payment_tokens")
    op.drop_table("encumbrances")
