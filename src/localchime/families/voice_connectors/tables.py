"""The Voice Connector family's tables: connectors, groups and their items, each connector's
settings documents and termination credentials, and the account's global settings. Times are
epoch milliseconds on the service clock."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Index, Integer, String, Table, Text

from localchime.store.columns import ACCOUNT, GUID, created_and_updated, owner
from localchime.store.schema import metadata

CONNECTOR_ID = String(36)
"""22 lowercase letters and digits as localchime makes them; the model also admits a GUID."""

voice_connectors = Table(
    "voice_connectors",
    metadata,
    Column("voice_connector_id", CONNECTOR_ID, primary_key=True),
    # `region` is the connector's AwsRegion: where it lives (docs/voice-connectors.md).
    *owner(key=False),
    Column("name", String(256), nullable=False),
    Column("require_encryption", Boolean, nullable=False),
    Column("integration_type", String(64)),
    Column("network_type", String(16)),
    *created_and_updated(),
    Index("ix_voice_connectors_listing", "account", "region", "created_ms", "voice_connector_id"),
)

voice_connector_groups = Table(
    "voice_connector_groups",
    metadata,
    Column("group_id", GUID, primary_key=True),
    *owner(key=False),
    Column("name", String(256), nullable=False),
    Column("call_distribution_type", String(64)),
    *created_and_updated(),
    Index("ix_voice_connector_groups_listing", "account", "region", "created_ms", "group_id"),
)

voice_connector_group_items = Table(
    "voice_connector_group_items",
    metadata,
    Column("group_id", GUID, primary_key=True),
    Column("voice_connector_id", CONNECTOR_ID, primary_key=True),
    Column("priority", Integer, nullable=False),
    Column("position", Integer, nullable=False),
    Index("ix_voice_connector_group_items_connector", "voice_connector_id"),
)

voice_connector_settings = Table(
    "voice_connector_settings",
    metadata,
    Column("voice_connector_id", CONNECTOR_ID, primary_key=True),
    Column("kind", String(32), primary_key=True),
    Column("document", Text, nullable=False),
    Column("updated_ms", BigInteger, nullable=False),
)
"""One JSON document per connector and kind (termination, origination, streaming, …) as the
Get operation answers it."""

termination_credentials = Table(
    "termination_credentials",
    metadata,
    Column("voice_connector_id", CONNECTOR_ID, primary_key=True),
    Column("username", String(256), primary_key=True),
    Column("password_digest", String(128), nullable=False),
    Column("created_ms", BigInteger, nullable=False),
)
"""SIP digest credentials. Only a salted digest of the password is kept: no operation ever
returns it (SPEC: termination credentials)."""

global_settings = Table(
    "global_settings",
    metadata,
    Column("account", ACCOUNT, primary_key=True),
    Column("cdr_bucket", String(64)),
    Column("updated_ms", BigInteger, nullable=False),
)
