"""Credentials and identity policies for `--auth verify`. Both survive a reset
(store.schema.PRESERVED): a reset must not lock the caller out.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, String, Table, Text

from localchime.store.columns import ACCOUNT
from localchime.store.schema import metadata

credentials = Table(
    "credentials",
    metadata,
    Column("access_key_id", String(128), primary_key=True),
    Column("secret_access_key", String(128), nullable=False),
    Column("account", ACCOUNT, nullable=False),
    Column("principal_name", String(64), nullable=False),
    Column("created_ms", BigInteger, nullable=False),
)
"""The secret must be kept to recompute signatures; the control API never returns it after
creation and nothing logs it."""

policies = Table(
    "policies",
    metadata,
    Column("access_key_id", String(128), primary_key=True),
    Column("policy_name", String(128), primary_key=True),
    Column("document", Text, nullable=False),
)
