"""Fault rules: modelled errors and latency injected into matching API calls."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Float, Integer, String, Table

from localchime.store.columns import ACCOUNT
from localchime.store.schema import metadata

fault_rules = Table(
    "fault_rules",
    metadata,
    Column("rule_id", String(36), primary_key=True),
    Column("operation", String(64), nullable=False),
    Column("account", ACCOUNT),
    Column("error", String(64)),
    Column("probability", Float, nullable=False),
    # How many more calls the rule may hit; null for no limit.
    Column("remaining", Integer),
    Column("latency_ms", Integer),
    Column("hits", Integer, nullable=False),
    Column("created_ms", BigInteger, nullable=False),
)
