"""SIP media applications, SIP rules and their target applications.

Revision ID: 0006
Revises: 0005
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _owned() -> list[sa.Column[Any]]:
    return [
        sa.Column("account", sa.String(12), nullable=False),
        sa.Column("region", sa.String(32), nullable=False),
    ]


def _times() -> list[sa.Column[Any]]:
    return [
        sa.Column("created_ms", sa.BigInteger, nullable=False),
        sa.Column("updated_ms", sa.BigInteger, nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "sip_media_applications",
        sa.Column("application_id", sa.String(36), primary_key=True),
        *_owned(),
        sa.Column("name", sa.String(256), nullable=False),
        sa.Column("lambda_arn", sa.String(512), nullable=False),
        sa.Column("message_logs", sa.Boolean, nullable=False),
        *_times(),
    )
    op.create_index(
        "ix_sip_media_applications_listing",
        "sip_media_applications",
        ["account", "region", "created_ms", "application_id"],
    )
    op.create_table(
        "sip_rules",
        sa.Column("rule_id", sa.String(36), primary_key=True),
        *_owned(),
        sa.Column("name", sa.String(256), nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("trigger_type", sa.String(32), nullable=False),
        sa.Column("trigger_value", sa.String(256), nullable=False),
        *_times(),
        sa.UniqueConstraint("trigger_type", "trigger_value", name="uq_sip_rules_trigger"),
    )
    op.create_index(
        "ix_sip_rules_listing", "sip_rules", ["account", "region", "created_ms", "rule_id"]
    )
    op.create_table(
        "sip_rule_targets",
        sa.Column("rule_id", sa.String(36), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("application_id", sa.String(36), nullable=False),
        sa.Column("priority", sa.Integer, nullable=False),
        sa.Column("region", sa.String(32), nullable=False),
    )
    op.create_index("ix_sip_rule_targets_application", "sip_rule_targets", ["application_id"])


def downgrade() -> None:
    op.drop_index("ix_sip_rule_targets_application", "sip_rule_targets")
    op.drop_table("sip_rule_targets")
    op.drop_index("ix_sip_rules_listing", "sip_rules")
    op.drop_table("sip_rules")
    op.drop_index("ix_sip_media_applications_listing", "sip_media_applications")
    op.drop_table("sip_media_applications")
