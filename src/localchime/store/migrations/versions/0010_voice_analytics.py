"""Voice analytics: calls through Voice Connectors, voice profile domains and profiles,
analytics tasks and their notifications.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

GUID = sa.String(36)


def upgrade() -> None:
    op.create_table(
        "voice_connector_calls",
        sa.Column("transaction_id", GUID, primary_key=True),
        sa.Column("account", sa.String(12), nullable=False),
        sa.Column("region", sa.String(32), nullable=False),
        sa.Column("voice_connector_id", sa.String(36), nullable=False),
        sa.Column("from_number", sa.String(16), nullable=False),
        sa.Column("to_number", sa.String(16), nullable=False),
        sa.Column("caller_speaker", sa.String(128), nullable=False),
        sa.Column("caller_sentiment", sa.String(8), nullable=False),
        sa.Column("callee_speaker", sa.String(128), nullable=False),
        sa.Column("callee_sentiment", sa.String(8), nullable=False),
        sa.Column("started_ms", sa.BigInteger, nullable=False),
        sa.Column("ended_ms", sa.BigInteger),
    )
    op.create_index(
        "ix_voice_connector_calls_connector", "voice_connector_calls", ["voice_connector_id"]
    )
    op.create_table(
        "voice_profile_domains",
        sa.Column("domain_id", GUID, primary_key=True),
        sa.Column("account", sa.String(12), nullable=False),
        sa.Column("region", sa.String(32), nullable=False),
        sa.Column("name", sa.String(256), nullable=False),
        sa.Column("description", sa.String(1024)),
        sa.Column("kms_key_arn", sa.String(1024), nullable=False),
        sa.Column("client_token", sa.String(64)),
        sa.Column("created_ms", sa.BigInteger, nullable=False),
        sa.Column("updated_ms", sa.BigInteger, nullable=False),
    )
    op.create_index(
        "ix_voice_profile_domains_listing",
        "voice_profile_domains",
        ["account", "region", "created_ms", "domain_id"],
    )
    op.create_index(
        "ix_voice_profile_domains_token", "voice_profile_domains", ["account", "client_token"]
    )
    op.create_table(
        "voice_profiles",
        sa.Column("profile_id", GUID, primary_key=True),
        sa.Column("account", sa.String(12), nullable=False),
        sa.Column("region", sa.String(32), nullable=False),
        sa.Column("domain_id", GUID, nullable=False),
        sa.Column("speaker", sa.String(128), nullable=False),
        sa.Column("source_task_id", GUID, nullable=False),
        sa.Column("created_ms", sa.BigInteger, nullable=False),
        sa.Column("updated_ms", sa.BigInteger, nullable=False),
        sa.Column("expires_ms", sa.BigInteger, nullable=False),
    )
    op.create_index(
        "ix_voice_profiles_domain", "voice_profiles", ["domain_id", "created_ms", "profile_id"]
    )
    op.create_index("ix_voice_profiles_source", "voice_profiles", ["source_task_id"])
    op.create_table(
        "voice_analytics_tasks",
        sa.Column("task_id", GUID, primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("account", sa.String(12), nullable=False),
        sa.Column("region", sa.String(32), nullable=False),
        sa.Column("voice_connector_id", sa.String(36), nullable=False),
        sa.Column("transaction_id", GUID, nullable=False),
        sa.Column("domain_id", GUID),
        sa.Column("is_caller", sa.Boolean, nullable=False),
        sa.Column("client_token", sa.String(64)),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("status_message", sa.Text),
        sa.Column("created_ms", sa.BigInteger, nullable=False),
        sa.Column("updated_ms", sa.BigInteger, nullable=False),
        sa.Column("started_ms", sa.BigInteger),
        sa.Column("finished_ms", sa.BigInteger),
        sa.Column("results", sa.Text),
        sa.Column("voiceprint_status", sa.String(64)),
    )
    op.create_index(
        "ix_voice_analytics_tasks_call",
        "voice_analytics_tasks",
        ["transaction_id", "kind", "finished_ms"],
    )
    op.create_index(
        "ix_voice_analytics_tasks_active",
        "voice_analytics_tasks",
        ["account", "region", "kind", "finished_ms"],
    )
    op.create_index(
        "ix_voice_analytics_tasks_token",
        "voice_analytics_tasks",
        ["account", "kind", "client_token"],
    )
    op.create_table(
        "voice_analytics_notifications",
        sa.Column("notification_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("transaction_id", GUID, nullable=False),
        sa.Column("at_ms", sa.BigInteger, nullable=False),
        sa.Column("target", sa.String(16), nullable=False),
        sa.Column("event", sa.Text, nullable=False),
    )
    op.create_index(
        "ix_voice_analytics_notifications_call",
        "voice_analytics_notifications",
        ["transaction_id", "notification_id"],
    )


def downgrade() -> None:
    for table in (
        "voice_analytics_notifications",
        "voice_analytics_tasks",
        "voice_profiles",
        "voice_profile_domains",
        "voice_connector_calls",
    ):
        op.drop_table(table)
