"""The Voice Connector family: so far ListAvailableVoiceConnectorRegions; connectors, groups
and their settings land here next (issue 9)."""

from localchime.core.family import Family
from localchime.families.voice_connectors import handlers

FAMILY = Family(name="voice_connectors", operations=(handlers.OPERATIONS,))
