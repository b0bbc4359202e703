"""Simulated PSTN audio calls, their handler invocations, and Lambda function registrations.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pstn_calls",
        sa.Column("transaction_id", sa.String(36), primary_key=True),
        sa.Column("account", sa.String(12), nullable=False),
        sa.Column("region", sa.String(32), nullable=False),
        sa.Column("application_id", sa.String(36), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_ms", sa.BigInteger, nullable=False),
        sa.Column("due_ms", sa.BigInteger),
        sa.Column("pending", sa.Boolean, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
    )
    op.create_index("ix_pstn_calls_newest", "pstn_calls", ["created_ms", "transaction_id"])
    op.create_index("ix_pstn_calls_due", "pstn_calls", ["status", "due_ms"])
    op.create_table(
        "pstn_call_invocations",
        sa.Column("transaction_id", sa.String(36), primary_key=True),
        sa.Column("sequence", sa.Integer, primary_key=True),
        sa.Column("at_ms", sa.BigInteger, nullable=False),
        sa.Column("event_type", sa.String(32), nullable=False),
        sa.Column("event", sa.Text, nullable=False),
        sa.Column("answer", sa.Text),
        sa.Column("failures", sa.Text, nullable=False),
        sa.Column("refusal", sa.Text),
    )
    op.create_table(
        "lambda_functions",
        sa.Column("function_arn", sa.String(256), primary_key=True),
        sa.Column("invoke_url", sa.Text),
        sa.Column("handler", sa.String(512)),
        sa.Column("created_ms", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("lambda_functions")
    op.drop_table("pstn_call_invocations")
    op.drop_index("ix_pstn_calls_due", "pstn_calls")
    op.drop_index("ix_pstn_calls_newest", "pstn_calls")
    op.drop_table("pstn_calls")
