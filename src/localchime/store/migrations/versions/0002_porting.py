"""Porting orders: the request behind each, its transition history, numbers by E.164.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "porting_requests",
        sa.Column("order_id", sa.String(36), primary_key=True),
        sa.Column("requested_foc_ms", sa.BigInteger),
        sa.Column("scenario", sa.String(32)),
    )
    op.create_table(
        "porting_history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("order_id", sa.String(36), nullable=False),
        sa.Column("at_ms", sa.BigInteger, nullable=False),
        sa.Column("event", sa.String(32), nullable=False),
        sa.Column("from_status", sa.String(32)),
        sa.Column("to_status", sa.String(32), nullable=False),
        sa.Column("foc_ms", sa.BigInteger),
    )
    op.create_index("ix_porting_history_order_id", "porting_history", ["order_id"])
    op.create_index("ix_phone_numbers_e164", "phone_numbers", ["e164"])


def downgrade() -> None:
    op.drop_index("ix_phone_numbers_e164", "phone_numbers")
    op.drop_table("porting_history")
    op.drop_table("porting_requests")
