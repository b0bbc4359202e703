"""The tables. Times are integer milliseconds since the epoch on the service clock.

Alembic migrations under `migrations/` create these; `tests/test_migrations.py` checks the two
agree.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

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

phone_number_orders = Table(
    "phone_number_orders",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("account", String(12), nullable=False),
    Column("region", String(32), nullable=False),
    Column("product_type", String(32), nullable=False),
    Column("order_type", String(16), nullable=False),
    Column("status", String(32), nullable=False),
    Column("name", String(256)),
    # JSON list of [E.164, status] pairs, in the order the client sent them: one row read
    # answers GetPhoneNumberOrder.
    Column("numbers", Text, nullable=False),
    Column("created_ms", BigInteger, nullable=False),
    Column("updated_ms", BigInteger, nullable=False),
    Column("foc_ms", BigInteger),
    Index("ix_orders_listing", "account", "region", "created_ms", "id"),
)

phone_numbers = Table(
    "phone_numbers",
    metadata,
    Column("account", String(12), primary_key=True),
    Column("region", String(32), primary_key=True),
    Column("e164", String(16), primary_key=True),
    Column("status", String(32), nullable=False),
    Column("product_type", String(32), nullable=False),
    Column("number_type", String(16), nullable=False),
    Column("country", String(2), nullable=False),
    Column("name", String(256)),
    Column("order_id", String(36)),
    # All six capability flags share one value until an issue needs them apart.
    Column("capable", Boolean, nullable=False),
    Column("calling_name", String(15)),
    Column("calling_name_status", String(32)),
    Column("created_ms", BigInteger, nullable=False),
    Column("updated_ms", BigInteger, nullable=False),
    Column("deletion_ms", BigInteger),
    Index("ix_phone_numbers_e164", "e164"),
    Index("ix_phone_numbers_status", "account", "region", "status", "e164"),
    Index("ix_phone_numbers_product_type", "account", "region", "product_type", "e164"),
)

phone_number_settings = Table(
    "phone_number_settings",
    metadata,
    Column("account", String(12), primary_key=True),
    Column("region", String(32), primary_key=True),
    Column("calling_name", String(15), nullable=False),
    Column("updated_ms", BigInteger, nullable=False),
)

number_holdings = Table(
    "number_holdings",
    metadata,
    Column("e164", String(16), primary_key=True),
    Column("account", String(12), nullable=False),
    Column("region", String(32), nullable=False),
    Column("order_id", String(36)),
    Column("acquired_ms", BigInteger, nullable=False),
)
"""One row per number an account holds: the primary key makes a number belong to at most one
account worldwide (DESIGN: accounts and regions)."""

timers = Table(
    "timers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("due_ms", BigInteger, nullable=False, index=True),
    Column("kind", String(64), nullable=False),
    Column("ref", String(64), nullable=False),
)

porting_requests = Table(
    "porting_requests",
    metadata,
    Column("order_id", String(36), primary_key=True),
    Column("requested_foc_ms", BigInteger),
    Column("scenario", String(32)),
)
"""What the porting request (the stand-in for AWS's support case) asked for."""

porting_history = Table(
    "porting_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("order_id", String(36), nullable=False, index=True),
    Column("at_ms", BigInteger, nullable=False),
    Column("event", String(32), nullable=False),
    Column("from_status", String(32)),
    Column("to_status", String(32), nullable=False),
    Column("foc_ms", BigInteger),
)

credentials = Table(
    "credentials",
    metadata,
    Column("access_key_id", String(128), primary_key=True),
    Column("secret_access_key", String(128), nullable=False),
    Column("account", String(12), nullable=False),
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

e911_overrides = Table(
    "e911_overrides",
    metadata,
    Column("address_key", String(64), primary_key=True),
    Column("response", Text, nullable=False),
)

STATE_TABLES = (
    phone_number_orders,
    phone_numbers,
    number_holdings,
    timers,
    porting_requests,
    porting_history,
    phone_number_settings,
    e911_overrides,
)
"""Credentials and their policies survive a reset: a reset must not lock the caller out."""
"""What `/_localchime/reset` wipes."""
