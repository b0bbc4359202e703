"""The porting family's tables: what each porting request asked for, and its history."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Integer, String, Table

from localchime.store.columns import GUID
from localchime.store.schema import metadata

porting_requests = Table(
    "porting_requests",
    metadata,
    Column("order_id", GUID, primary_key=True),
    Column("requested_foc_ms", BigInteger),
    Column("scenario", String(32)),
)
"""What the porting request (the stand-in for AWS's support case) asked for."""

porting_history = Table(
    "porting_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("order_id", GUID, nullable=False, index=True),
    Column("at_ms", BigInteger, nullable=False),
    Column("event", String(32), nullable=False),
    Column("from_status", String(32)),
    Column("to_status", String(32), nullable=False),
    Column("foc_ms", BigInteger),
)
