"""The voice analytics family: calls through Voice Connectors (control API), voice profile
domains and voice profiles, speaker search and voice tone analysis tasks, and the notifications
those tasks would deliver to the connector's targets. docs/voice-analytics.md says what each
choice is and why.

Owns the tables `voice_connector_calls`, `voice_profile_domains`, `voice_profiles`,
`voice_analytics_tasks` and `voice_analytics_notifications`; a domain's tags are the `tags`
family's.
"""

from localchime.core.family import Family
from localchime.families.voice_analytics import control, lifecycle, resources, tables
from localchime.families.voice_analytics.handlers import domains, profiles, tasks

FAMILY = Family(
    resources=resources.RESOURCES,
    name="voice_analytics",
    operations=(domains.OPERATIONS, profiles.OPERATIONS, tasks.OPERATIONS),
    transitions=(lifecycle.TRANSITIONS,),
    routes=(control.ROUTES,),
    tables=(
        tables.voice_connector_calls,
        tables.voice_profile_domains,
        tables.voice_profiles,
        tables.voice_analytics_tasks,
        tables.voice_analytics_notifications,
    ),
)
