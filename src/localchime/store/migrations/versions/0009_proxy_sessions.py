"""Proxy sessions, and when each Voice Connector setting was deleted (a session ends when its
connector's proxy configuration is).

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "voice_connector_setting_removals",
        sa.Column("voice_connector_id", sa.String(36), primary_key=True),
        sa.Column("kind", sa.String(32), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("removed_ms", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "proxy_sessions",
        sa.Column("session_id", sa.String(36), primary_key=True),
        sa.Column("account", sa.String(12), nullable=False),
        sa.Column("region", sa.String(32), nullable=False),
        sa.Column("voice_connector_id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(30)),
        sa.Column("capabilities", sa.String(16), nullable=False),
        sa.Column("expiry_minutes", sa.Integer, nullable=False),
        sa.Column("expires_ms", sa.BigInteger, nullable=False),
        sa.Column("number_selection", sa.String(16)),
        sa.Column("geo_match_level", sa.String(16)),
        sa.Column("geo_country", sa.String(2)),
        sa.Column("geo_area_code", sa.String(3)),
        sa.Column("participant_1", sa.String(16), nullable=False),
        sa.Column("participant_2", sa.String(16), nullable=False),
        sa.Column("proxy_phone_number", sa.String(16), nullable=False),
        sa.Column("proxy_removals", sa.Integer, nullable=False),
        sa.Column("created_ms", sa.BigInteger, nullable=False),
        sa.Column("updated_ms", sa.BigInteger, nullable=False),
    )
    op.create_index(
        "ix_proxy_sessions_listing",
        "proxy_sessions",
        ["voice_connector_id", "created_ms", "session_id"],
    )
    op.create_index(
        "ix_proxy_sessions_participant_1", "proxy_sessions", ["account", "region", "participant_1"]
    )
    op.create_index(
        "ix_proxy_sessions_participant_2", "proxy_sessions", ["account", "region", "participant_2"]
    )


def downgrade() -> None:
    for index in (
        "ix_proxy_sessions_participant_2",
        "ix_proxy_sessions_participant_1",
        "ix_proxy_sessions_listing",
    ):
        op.drop_index(index, "proxy_sessions")
    op.drop_table("proxy_sessions")
    op.drop_table("voice_connector_setting_removals")
