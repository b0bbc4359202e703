"""The proxy session family: masked two-party sessions on a Voice Connector with a proxy
configuration, each participant reaching the other through a proxy number taken from the
connector's own numbers. docs/proxy-sessions.md says what each choice is and why.

Owns the tables `proxy_sessions` and `voice_connector_setting_removals` (when the proxy
configuration was deleted: a session ends when the configuration it was created under is
deleted). It reads, and never writes, what the Voice Connector family keeps (the connector, its
proxy configuration) and the numbers associated with the connector (`phone_numbers`), through
their `public` modules, and follows the connector by its events (`reactions.py`).
"""

from localchime.core.family import Family
from localchime.families.proxy_sessions import handlers, reactions, resources, tables

FAMILY = Family(
    resources=resources.RESOURCES,
    name="proxy_sessions",
    operations=(handlers.OPERATIONS,),
    tables=(tables.proxy_sessions, tables.voice_connector_setting_removals),
    reactions=(reactions.REACTIONS,),
)
