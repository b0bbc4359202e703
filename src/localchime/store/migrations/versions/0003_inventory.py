"""Inventory: filtered listings by status and product type, and per-account number settings.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_phone_numbers_status", "phone_numbers", ["account", "region", "status", "e164"]
    )
    op.create_index(
        "ix_phone_numbers_product_type",
        "phone_numbers",
        ["account", "region", "product_type", "e164"],
    )
    op.create_table(
        "phone_number_settings",
        sa.Column("account", sa.String(12), primary_key=True),
        sa.Column("region", sa.String(32), primary_key=True),
        sa.Column("calling_name", sa.String(15), nullable=False),
        sa.Column("updated_ms", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("phone_number_settings")
    op.drop_index("ix_phone_numbers_product_type", "phone_numbers")
    op.drop_index("ix_phone_numbers_status", "phone_numbers")
