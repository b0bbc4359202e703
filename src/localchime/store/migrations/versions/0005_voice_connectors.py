"""Voice Connectors and groups, their settings and credentials, global settings, resource tags,
and each phone number's association.

Revision ID: 0005
Revises: 0004
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _owner() -> list[sa.Column[Any]]:
    return [
        sa.Column("account", sa.String(12), nullable=False),
        sa.Column("region", sa.String(32), nullable=False),
    ]


def _created_and_updated() -> list[sa.Column[Any]]:
    return [
        sa.Column("created_ms", sa.BigInteger, nullable=False),
        sa.Column("updated_ms", sa.BigInteger, nullable=False),
    ]


def upgrade() -> None:
    with op.batch_alter_table("phone_numbers") as batch:
        batch.add_column(sa.Column("association_name", sa.String(32)))
        batch.add_column(sa.Column("association_value", sa.String(64)))
        batch.add_column(sa.Column("associated_ms", sa.BigInteger))
    op.create_index(
        "ix_phone_numbers_association",
        "phone_numbers",
        ["account", "region", "association_name", "association_value", "e164"],
    )
    op.create_table(
        "resource_tags",
        sa.Column("resource_arn", sa.String(1024), primary_key=True),
        sa.Column("tag_key", sa.String(128), primary_key=True),
        sa.Column("tag_value", sa.String(256), nullable=False),
        *_owner(),
    )
    op.create_index("ix_resource_tags_owner", "resource_tags", ["account", "region"])
    op.create_table(
        "voice_connectors",
        sa.Column("voice_connector_id", sa.String(36), primary_key=True),
        *_owner(),
        sa.Column("name", sa.String(256), nullable=False),
        sa.Column("require_encryption", sa.Boolean, nullable=False),
        sa.Column("integration_type", sa.String(64)),
        sa.Column("network_type", sa.String(16)),
        *_created_and_updated(),
    )
    op.create_index(
        "ix_voice_connectors_listing",
        "voice_connectors",
        ["account", "region", "created_ms", "voice_connector_id"],
    )
    op.create_table(
        "voice_connector_groups",
        sa.Column("group_id", sa.String(36), primary_key=True),
        *_owner(),
        sa.Column("name", sa.String(256), nullable=False),
        sa.Column("call_distribution_type", sa.String(64)),
        *_created_and_updated(),
    )
    op.create_index(
        "ix_voice_connector_groups_listing",
        "voice_connector_groups",
        ["account", "region", "created_ms", "group_id"],
    )
    op.create_table(
        "voice_connector_group_items",
        sa.Column("group_id", sa.String(36), primary_key=True),
        sa.Column("voice_connector_id", sa.String(36), primary_key=True),
        sa.Column("priority", sa.Integer, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.create_index(
        "ix_voice_connector_group_items_connector",
        "voice_connector_group_items",
        ["voice_connector_id"],
    )
    op.create_table(
        "voice_connector_settings",
        sa.Column("voice_connector_id", sa.String(36), primary_key=True),
        sa.Column("kind", sa.String(32), primary_key=True),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("updated_ms", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "termination_credentials",
        sa.Column("voice_connector_id", sa.String(36), primary_key=True),
        sa.Column("username", sa.String(256), primary_key=True),
        sa.Column("password_digest", sa.String(128), nullable=False),
        sa.Column("created_ms", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "global_settings",
        sa.Column("account", sa.String(12), primary_key=True),
        sa.Column("cdr_bucket", sa.String(64)),
        sa.Column("updated_ms", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "global_settings",
        "termination_credentials",
        "voice_connector_settings",
        "voice_connector_group_items",
        "voice_connector_groups",
        "voice_connectors",
        "resource_tags",
    ):
        op.drop_table(table)
    op.drop_index("ix_phone_numbers_association", "phone_numbers")
    with op.batch_alter_table("phone_numbers") as batch:
        batch.drop_column("associated_ms")
        batch.drop_column("association_value")
        batch.drop_column("association_name")
