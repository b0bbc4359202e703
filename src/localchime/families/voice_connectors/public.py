"""The Voice Connector family's front door: the connector lookups other families check a
VoiceConnectorId with, the settings kinds they read, the association target of a connector,
the column kind of a connector id, and the events they react to. Other families import this
module, never the family's internal ones (tests/test_front_doors.py)."""

from localchime.families.voice_connectors.access import owned_connector, visible_connector
from localchime.families.voice_connectors.documents import PROXY, STREAMING
from localchime.families.voice_connectors.events import CONNECTOR_DELETED, SETTING_DELETED
from localchime.families.voice_connectors.handlers.connectors import target as connector_target
from localchime.families.voice_connectors.repository import (
    account_connector_for_update,
    connector_by_id_for_update,
    document_in,
    has_connector_in,
)
from localchime.families.voice_connectors.resources import CONNECTOR
from localchime.families.voice_connectors.rules import COUNTRIES
from localchime.families.voice_connectors.tables import CONNECTOR_ID
from localchime.families.voice_connectors.views import outbound_host_name

__all__ = [
    "CONNECTOR",
    "CONNECTOR_DELETED",
    "CONNECTOR_ID",
    "COUNTRIES",
    "PROXY",
    "SETTING_DELETED",
    "STREAMING",
    "account_connector_for_update",
    "connector_by_id_for_update",
    "connector_target",
    "document_in",
    "has_connector_in",
    "outbound_host_name",
    "owned_connector",
    "visible_connector",
]
