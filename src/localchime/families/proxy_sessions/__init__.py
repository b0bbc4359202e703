"""The proxy session family: masked two-party sessions on a Voice Connector with a proxy
configuration, each participant reaching the other through a proxy number taken from the
connector's own numbers. docs/proxy-sessions.md says what each choice is and why.

Owns the table `proxy_sessions`. It reads, and never writes, what the Voice Connector family
keeps: the connector, its proxy configuration and that configuration's removals (a session
ends when the configuration it was created under is deleted), and the numbers associated with
the connector (`phone_numbers`).
"""

from localchime.core.family import Family
from localchime.families.proxy_sessions import handlers, resources, tables

FAMILY = Family(
    resources=resources.RESOURCES,
    name="proxy_sessions",
    operations=(handlers.OPERATIONS,),
    tables=(tables.proxy_sessions,),
)
