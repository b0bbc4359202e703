"""The phone number family's tables: the inventory (with each number's association), the
worldwide holdings and the account's calling-name settings. Times are epoch milliseconds on the
service clock.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Index, String, Table

from localchime.store.columns import E164, GUID, created_and_updated, owner
from localchime.store.schema import metadata

phone_numbers = Table(
    "phone_numbers",
    metadata,
    *owner(key=True),
    Column("e164", E164, primary_key=True),
    Column("status", String(32), nullable=False),
    Column("product_type", String(32), nullable=False),
    Column("number_type", String(16), nullable=False),
    Column("country", String(2), nullable=False),
    Column("name", String(256)),
    Column("order_id", GUID),
    # All six capability flags share one value until an issue needs them apart.
    Column("capable", Boolean, nullable=False),
    Column("calling_name", String(15)),
    Column("calling_name_status", String(32)),
    *created_and_updated(),
    Column("deletion_ms", BigInteger),
    # A number has at most one association (SPEC: phone number associations): a VoiceConnector
    # number joins one connector or one group, a SipMediaApplicationDialIn number one SIP rule.
    # Kept on the row, so the view and the filtered listing need no join.
    Column("association_name", String(32)),
    Column("association_value", String(64)),
    Column("associated_ms", BigInteger),
    Index("ix_phone_numbers_e164", "e164"),
    Index(
        "ix_phone_numbers_association",
        "account",
        "region",
        "association_name",
        "association_value",
        "e164",
    ),
    Index("ix_phone_numbers_status", "account", "region", "status", "e164"),
    Index("ix_phone_numbers_product_type", "account", "region", "product_type", "e164"),
)

number_holdings = Table(
    "number_holdings",
    metadata,
    Column("e164", E164, primary_key=True),
    *owner(key=False),
    Column("order_id", GUID),
    Column("acquired_ms", BigInteger, nullable=False),
)
"""One row per number an account holds: the primary key makes a number belong to at most one
account worldwide (DESIGN: accounts and regions)."""

phone_number_settings = Table(
    "phone_number_settings",
    metadata,
    *owner(key=True),
    Column("calling_name", String(15), nullable=False),
    Column("updated_ms", BigInteger, nullable=False),
)
