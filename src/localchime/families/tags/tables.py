"""The tags family's table: one row per tag of a resource, by ARN."""

from __future__ import annotations

from sqlalchemy import Column, Index, String, Table

from localchime.store.columns import owner
from localchime.store.schema import metadata

resource_tags = Table(
    "resource_tags",
    metadata,
    # SPEC (tags, M): ResourceARN is 1-1024 characters, Key 1-128, Value 0-256.
    Column("resource_arn", String(1024), primary_key=True),
    Column("tag_key", String(128), primary_key=True),
    Column("tag_value", String(256), nullable=False),
    *owner(key=False),
    Index("ix_resource_tags_owner", "account", "region"),
)
