"""The voice analytics family's tables: calls through Voice Connectors (which analytics tasks
analyse), voice profile domains and their profiles, speaker search and voice tone analysis
tasks, and the notifications those tasks would deliver. Times are epoch milliseconds on the
service clock."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Index, Integer, String, Table, Text

from localchime.store.columns import E164, GUID, created_and_updated, owner
from localchime.store.schema import metadata

CONNECTOR_ID = String(36)
LABEL = String(128)

voice_connector_calls = Table(
    "voice_connector_calls",
    metadata,
    Column("transaction_id", GUID, primary_key=True),
    *owner(key=False),
    Column("voice_connector_id", CONNECTOR_ID, nullable=False),
    Column("from_number", E164, nullable=False),
    Column("to_number", E164, nullable=False),
    # Whose voice each leg carries: the same label is the same person.
    Column("caller_speaker", LABEL, nullable=False),
    Column("caller_sentiment", String(8), nullable=False),
    Column("callee_speaker", LABEL, nullable=False),
    Column("callee_sentiment", String(8), nullable=False),
    Column("started_ms", BigInteger, nullable=False),
    Column("ended_ms", BigInteger),
    Index("ix_voice_connector_calls_connector", "voice_connector_id"),
)

voice_profile_domains = Table(
    "voice_profile_domains",
    metadata,
    Column("domain_id", GUID, primary_key=True),
    *owner(key=False),
    Column("name", String(256), nullable=False),
    Column("description", String(1024)),
    Column("kms_key_arn", String(1024), nullable=False),
    Column("client_token", String(64)),
    *created_and_updated(),
    Index("ix_voice_profile_domains_listing", "account", "region", "created_ms", "domain_id"),
    Index("ix_voice_profile_domains_token", "account", "client_token"),
)

voice_profiles = Table(
    "voice_profiles",
    metadata,
    Column("profile_id", GUID, primary_key=True),
    *owner(key=False),
    Column("domain_id", GUID, nullable=False),
    # The voice the profile was enrolled from, and the task that enrolled it last.
    Column("speaker", LABEL, nullable=False),
    Column("source_task_id", GUID, nullable=False),
    *created_and_updated(),
    Column("expires_ms", BigInteger, nullable=False),
    Index("ix_voice_profiles_domain", "domain_id", "created_ms", "profile_id"),
    Index("ix_voice_profiles_source", "source_task_id"),
)

voice_analytics_tasks = Table(
    "voice_analytics_tasks",
    metadata,
    Column("task_id", GUID, primary_key=True),
    # "speaker-search" or "voice-tone"
    Column("kind", String(16), nullable=False),
    *owner(key=False),
    Column("voice_connector_id", CONNECTOR_ID, nullable=False),
    Column("transaction_id", GUID, nullable=False),
    Column("domain_id", GUID),
    Column("is_caller", Boolean, nullable=False),
    Column("client_token", String(64)),
    Column("status", String(16), nullable=False),
    Column("status_message", Text),
    *created_and_updated(),
    Column("started_ms", BigInteger),
    Column("finished_ms", BigInteger),
    # Speaker search only: the identification's results (JSON) and the voiceprint's outcome.
    Column("results", Text),
    Column("voiceprint_status", String(64)),
    Index("ix_voice_analytics_tasks_call", "transaction_id", "kind", "finished_ms"),
    Index("ix_voice_analytics_tasks_active", "account", "region", "kind", "finished_ms"),
    Index("ix_voice_analytics_tasks_token", "account", "kind", "client_token"),
)

voice_analytics_notifications = Table(
    "voice_analytics_notifications",
    metadata,
    Column("notification_id", Integer, primary_key=True, autoincrement=True),
    Column("transaction_id", GUID, nullable=False),
    Column("at_ms", BigInteger, nullable=False),
    Column("target", String(16), nullable=False),
    # The event as the target would receive it (JSON).
    Column("event", Text, nullable=False),
    Index("ix_voice_analytics_notifications_call", "transaction_id", "notification_id"),
)
