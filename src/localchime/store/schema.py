"""The platform's tables and the one MetaData every family's tables join.

Each family owns its tables in its own `tables.py`; this module holds only what the platform
itself keeps: settings (`meta`), the service clock and timers. Times are integer milliseconds
since the epoch on the service clock. Alembic migrations under `migrations/` create all tables;
`tests/test_migrations.py` checks the two agree.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Integer, MetaData, String, Table, Text

metadata = MetaData()

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

service_clock = Table(
    "service_clock",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("offset_ms", BigInteger, nullable=False),
)

timers = Table(
    "timers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("due_ms", BigInteger, nullable=False, index=True),
    Column("kind", String(64), nullable=False),
    Column("ref", String(64), nullable=False),
)

PRESERVED = frozenset({"alembic_version", "meta", "credentials", "policies"})
"""What `/_localchime/reset` keeps: schema metadata, the token secret, and credentials with their
policies (a reset must not lock the caller out). It wipes every other table of the schema."""
