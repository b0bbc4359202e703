"""The Voice Connector family: connectors, groups, their settings (termination and its
credentials and health, origination, emergency calling, streaming, logging, external systems,
proxy), the account's global settings, and phone number associations with connectors and
groups. docs/voice-connectors.md says what each choice is and why.

Owns the tables `voice_connectors`, `voice_connector_groups`, `voice_connector_group_items`,
`voice_connector_settings`, `termination_credentials` and `global_settings`. The associations
themselves are columns of `phone_numbers` (the phone number family's `associations` module).
"""

from localchime.core.family import Family
from localchime.families.voice_connectors import control, events, resources, tables
from localchime.families.voice_connectors.handlers import (
    connectors,
    groups,
    numbers,
    settings,
    termination,
)

FAMILY = Family(
    resources=resources.RESOURCES,
    name="voice_connectors",
    operations=(
        connectors.OPERATIONS,
        groups.OPERATIONS,
        settings.OPERATIONS,
        termination.OPERATIONS,
        numbers.OPERATIONS,
    ),
    routes=(control.ROUTES,),
    events=(events.CONNECTOR_DELETED, events.SETTING_DELETED),
    tables=(
        tables.voice_connectors,
        tables.voice_connector_groups,
        tables.voice_connector_group_items,
        tables.voice_connector_settings,
        tables.termination_credentials,
        tables.global_settings,
    ),
)
