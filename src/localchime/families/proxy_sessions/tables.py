"""The proxy session family's table. Times are epoch milliseconds on the service clock.

A session has exactly two participants who share one proxy number (SPEC-voice, M and R), so
they are columns of the session rather than rows of their own. Its status is not stored: it is
computed from the clock, its expiry and the connector's proxy configuration removals
(`repository.session_end`), so it is exact at every reading of the clock. Those removals are
this family's own record (`voice_connector_setting_removals`), kept from the Voice Connector
family's events (`reactions.py`).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, String, Table

from localchime.families.voice_connectors.public import CONNECTOR_ID
from localchime.store.columns import E164, GUID, created_and_updated, owner
from localchime.store.schema import metadata

proxy_sessions = Table(
    "proxy_sessions",
    metadata,
    Column("session_id", GUID, primary_key=True),
    *owner(key=False),
    Column("voice_connector_id", CONNECTOR_ID, nullable=False),
    Column("name", String(30)),
    Column("capabilities", String(16), nullable=False),
    Column("expiry_minutes", Integer, nullable=False),
    Column("expires_ms", BigInteger, nullable=False),
    Column("number_selection", String(16)),
    Column("geo_match_level", String(16)),
    Column("geo_country", String(2)),
    Column("geo_area_code", String(3)),
    Column("participant_1", E164, nullable=False),
    Column("participant_2", E164, nullable=False),
    Column("proxy_phone_number", E164, nullable=False),
    # How many times the connector's proxy configuration had been deleted when the session
    # was created: the next removal (`voice_connector_setting_removals.seq` one higher) ends it.
    Column("proxy_removals", Integer, nullable=False),
    *created_and_updated(),
    Index("ix_proxy_sessions_listing", "voice_connector_id", "created_ms", "session_id"),
    Index("ix_proxy_sessions_participant_1", "account", "region", "participant_1"),
    Index("ix_proxy_sessions_participant_2", "account", "region", "participant_2"),
)

voice_connector_setting_removals = Table(
    "voice_connector_setting_removals",
    metadata,
    Column("voice_connector_id", CONNECTOR_ID, primary_key=True),
    Column("kind", String(32), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("removed_ms", BigInteger, nullable=False),
)
"""When a connector's proxy configuration was deleted: its `seq`-th removal, numbered from 1
under the connector's row lock (`kind` is always `proxy`). Kept from the Voice Connector
family's `SETTING_DELETED` event, so a session can close at that moment without that family
knowing sessions exist; dropped on `CONNECTOR_DELETED`. The table's name is older than its
move to this family."""
