"""Fault rules for /_localchime/faults.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fault_rules",
        sa.Column("rule_id", sa.String(36), primary_key=True),
        sa.Column("operation", sa.String(64), nullable=False),
        sa.Column("account", sa.String(12)),
        sa.Column("error", sa.String(64)),
        sa.Column("probability", sa.Float, nullable=False),
        sa.Column("remaining", sa.Integer),
        sa.Column("latency_ms", sa.Integer),
        sa.Column("hits", sa.Integer, nullable=False),
        sa.Column("created_ms", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("fault_rules")
