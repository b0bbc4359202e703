"""What the Voice Connector family tells families that depend on a connector (core.events).
Each is published in the transaction of the write that did it, under the connector's row lock."""

from localchime.core.events import EventType

CONNECTOR_DELETED = EventType("voice-connector.deleted", ("voice_connector_id",))
"""DeleteVoiceConnector removed the connector: drop what hangs off it."""

SETTING_DELETED = EventType(
    "voice-connector.setting-deleted", ("voice_connector_id", "kind", "removed_ms")
)
"""A Delete… operation removed one of the connector's settings (`kind` is a
`documents.Setting.kind`, e.g. `proxy`) at `removed_ms` on the service clock."""
