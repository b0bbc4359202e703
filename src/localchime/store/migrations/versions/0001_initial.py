"""Initial schema: orders, inventory, worldwide holdings, timers, clock and meta.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "service_clock",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("offset_ms", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "phone_number_orders",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("account", sa.String(12), nullable=False),
        sa.Column("region", sa.String(32), nullable=False),
        sa.Column("product_type", sa.String(32), nullable=False),
        sa.Column("order_type", sa.String(16), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("name", sa.String(256)),
        sa.Column("numbers", sa.Text, nullable=False),
        sa.Column("created_ms", sa.BigInteger, nullable=False),
        sa.Column("updated_ms", sa.BigInteger, nullable=False),
        sa.Column("foc_ms", sa.BigInteger),
    )
    op.create_index(
        "ix_orders_listing", "phone_number_orders", ["account", "region", "created_ms", "id"]
    )
    op.create_table(
        "phone_numbers",
        sa.Column("account", sa.String(12), primary_key=True),
        sa.Column("region", sa.String(32), primary_key=True),
        sa.Column("e164", sa.String(16), primary_key=True),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("product_type", sa.String(32), nullable=False),
        sa.Column("number_type", sa.String(16), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("name", sa.String(256)),
        sa.Column("order_id", sa.String(36)),
        sa.Column("capable", sa.Boolean, nullable=False),
        sa.Column("calling_name", sa.String(15)),
        sa.Column("calling_name_status", sa.String(32)),
        sa.Column("created_ms", sa.BigInteger, nullable=False),
        sa.Column("updated_ms", sa.BigInteger, nullable=False),
        sa.Column("deletion_ms", sa.BigInteger),
    )
    op.create_table(
        "number_holdings",
        sa.Column("e164", sa.String(16), primary_key=True),
        sa.Column("account", sa.String(12), nullable=False),
        sa.Column("region", sa.String(32), nullable=False),
        sa.Column("order_id", sa.String(36)),
        sa.Column("acquired_ms", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "timers",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("due_ms", sa.BigInteger, nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("ref", sa.String(64), nullable=False),
    )
    op.create_index("ix_timers_due_ms", "timers", ["due_ms"])


def downgrade() -> None:
    for table in ("timers", "number_holdings", "phone_numbers", "phone_number_orders"):
        op.drop_table(table)
    op.drop_table("service_clock")
    op.drop_table("meta")
