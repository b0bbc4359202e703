"""The proxy session family's named errors. The five operations list only BadRequest,
NotFound, Forbidden and the service's own failures, so every refusal that is not a missing
resource is a BadRequest (docs/proxy-sessions.md)."""

from __future__ import annotations

from localchime.protocol.errors import BadRequest, NotFound


class SessionNotFound(NotFound):
    def __init__(self, session_id: str, connector_id: str) -> None:
        super().__init__(
            f"Proxy session {session_id} does not exist on Voice Connector {connector_id}"
        )


class NoProxyConfiguration(BadRequest):
    def __init__(self, connector_id: str) -> None:
        super().__init__(
            f"Voice Connector {connector_id} has no proxy configuration; put one with "
            "PutVoiceConnectorProxy before creating proxy sessions"
        )


class ProxyDisabled(BadRequest):
    def __init__(self, connector_id: str) -> None:
        super().__init__(
            f"Voice Connector {connector_id}'s proxy configuration is Disabled; put it with "
            "Disabled false before creating proxy sessions"
        )


class SessionClosed(BadRequest):
    def __init__(self, session_id: str) -> None:
        super().__init__(
            f"Proxy session {session_id} is Closed; a closed session cannot be updated"
        )


class NoProxyNumber(BadRequest):
    """The connector's pool has no number this session can use; `why` says which step
    emptied it."""

    def __init__(self, connector_id: str, why: str) -> None:
        super().__init__(f"Voice Connector {connector_id} has no proxy phone number to give: {why}")
