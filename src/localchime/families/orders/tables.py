"""The orders family's table: one row per phone number order, new or porting."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, String, Table, Text

from localchime.store.columns import GUID, created_and_updated, owner
from localchime.store.schema import metadata

phone_number_orders = Table(
    "phone_number_orders",
    metadata,
    Column("id", GUID, primary_key=True),
    *owner(key=False),
    Column("product_type", String(32), nullable=False),
    Column("order_type", String(16), nullable=False),
    Column("status", String(32), nullable=False),
    Column("name", String(256)),
    # JSON list of [E.164, status] pairs, in the order the client sent them: one row read
    # answers GetPhoneNumberOrder.
    Column("numbers", Text, nullable=False),
    *created_and_updated(),
    Column("foc_ms", BigInteger),
    Index("ix_orders_listing", "account", "region", "created_ms", "id"),
)
