"""The E911 family's table: pinned ValidateE911Address outcomes."""

from __future__ import annotations

from sqlalchemy import Column, String, Table, Text

from localchime.store.schema import metadata

e911_overrides = Table(
    "e911_overrides",
    metadata,
    Column("address_key", String(64), primary_key=True),
    Column("response", Text, nullable=False),
)
