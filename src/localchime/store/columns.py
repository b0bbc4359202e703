"""Columns that several families' tables share, so an account, a Region, a number or a time has
one type everywhere. Times are integer milliseconds since the epoch on the service clock."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Column, String

ACCOUNT = String(12)
REGION = String(32)
E164 = String(16)
GUID = String(36)


def owner(*, key: bool) -> list[Column[Any]]:
    """The account and Region a row belongs to; `key` makes them the leading primary key."""
    if key:
        return [
            Column("account", ACCOUNT, primary_key=True),
            Column("region", REGION, primary_key=True),
        ]
    return [Column("account", ACCOUNT, nullable=False), Column("region", REGION, nullable=False)]


def created_and_updated() -> list[Column[Any]]:
    return [
        Column("created_ms", BigInteger, nullable=False),
        Column("updated_ms", BigInteger, nullable=False),
    ]
