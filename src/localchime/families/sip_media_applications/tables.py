"""The SIP media application family's tables: applications, SIP rules and each rule's target
applications. Times are epoch milliseconds on the service clock."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Index, Integer, String, Table, UniqueConstraint

from localchime.store.columns import GUID, REGION, created_and_updated, owner
from localchime.store.schema import metadata

sip_media_applications = Table(
    "sip_media_applications",
    metadata,
    Column("application_id", GUID, primary_key=True),
    *owner(key=False),
    Column("name", String(256), nullable=False),
    Column("lambda_arn", String(512), nullable=False),
    Column("message_logs", Boolean, nullable=False),
    *created_and_updated(),
    Index("ix_sip_media_applications_listing", "account", "region", "created_ms", "application_id"),
)

sip_rules = Table(
    "sip_rules",
    metadata,
    Column("rule_id", GUID, primary_key=True),
    *owner(key=False),
    Column("name", String(256), nullable=False),
    Column("disabled", Boolean, nullable=False),
    Column("trigger_type", String(32), nullable=False),
    Column("trigger_value", String(256), nullable=False),
    *created_and_updated(),
    # One rule per trigger value (SPEC-voice, D); a number or a host name belongs to one
    # account, so the value is unique everywhere, and two racing creates cannot both win.
    UniqueConstraint("trigger_type", "trigger_value", name="uq_sip_rules_trigger"),
    Index("ix_sip_rules_listing", "account", "region", "created_ms", "rule_id"),
)

sip_rule_targets = Table(
    "sip_rule_targets",
    metadata,
    Column("rule_id", GUID, primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("application_id", GUID, nullable=False),
    Column("priority", Integer, nullable=False),
    Column("region", REGION, nullable=False),
    Index("ix_sip_rule_targets_application", "application_id"),
)
