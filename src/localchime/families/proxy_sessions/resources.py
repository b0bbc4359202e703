"""The proxy session family's resource, declared once: proxy sessions (`proxy-session`)."""

from __future__ import annotations

from localchime.core.resources import Resource
from localchime.families.proxy_sessions.repository import Session
from localchime.families.proxy_sessions.tables import proxy_sessions

SESSION = Resource(
    kind="proxy session",
    arn_type="proxy-session",
    members=("ProxySessionId",),
    labels=("proxySessionId",),
    table=proxy_sessions,
    record=Session,
    list_operation="ListProxySessions",
)
RESOURCES = (SESSION,)
