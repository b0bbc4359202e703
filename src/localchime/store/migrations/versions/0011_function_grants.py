"""Lambda function registrations name the other accounts they grant (`AllowedAccounts`), as a
Lambda resource policy would: a SIP media application invokes only its own account's functions
and those granting its account (issue 20, break 8).

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A JSON list of 12-digit accounts; null grants none.
    op.add_column("lambda_functions", sa.Column("allowed_accounts", sa.Text))


def downgrade() -> None:
    op.drop_column("lambda_functions", "allowed_accounts")
