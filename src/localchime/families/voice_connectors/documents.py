"""The kinds of connector setting, and the Put/Get/Delete pattern each follows (termination, origination,
streaming, logging, emergency calling, external systems, proxy): a document per connector and
kind, stored as the Get operation answers it.

SPEC (Voice Connectors, I): Get or Delete of a setting never put, or deleted, is a NotFound.
A Delete also publishes `events.SETTING_DELETED`, for families that depend on a setting and come
after this one (proxy sessions end with the proxy configuration).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from localchime.core.context import RequestContext
from localchime.core.family import Params
from localchime.families.voice_connectors import repository as repo
from localchime.families.voice_connectors.access import owned_connector, visible_connector
from localchime.families.voice_connectors.errors import EmergencyCallingDependsOn, SettingNotFound
from localchime.families.voice_connectors.events import SETTING_DELETED
from localchime.families.voice_connectors.repository import ConnectorRecord
from localchime.protocol.errors import require

Document = dict[str, Any]
Build = Callable[[Connection, ConnectorRecord], Document]
Guard = Callable[[Connection, ConnectorRecord], None]


@dataclass(frozen=True, slots=True)
class Setting:
    kind: str
    """The stored kind, e.g. `termination`."""
    what: str
    """How messages name it: "termination settings"."""
    member: str
    """The output member that holds it: `Termination`."""


def get_setting(ctx: RequestContext, params: Params, setting: Setting) -> dict[str, Any]:
    connector = visible_connector(ctx, params["VoiceConnectorId"])
    found = repo.document(ctx.reads, connector.voice_connector_id, setting.kind)
    return {
        setting.member: require(found, SettingNotFound, connector.voice_connector_id, setting.what)
    }


def put_setting(
    ctx: RequestContext, params: Params, setting: Setting, build: Build
) -> dict[str, Any]:
    """`build` checks the input against the connector and its other settings and returns the
    document to keep; it raises to refuse."""
    with ctx.store.write() as connection:
        connector = owned_connector(ctx, connection, params["VoiceConnectorId"])
        document = build(connection, connector)
        repo.put_document(
            connection, connector.voice_connector_id, setting.kind, document, ctx.now_ms
        )
    return {setting.member: document}


def delete_setting(
    ctx: RequestContext, params: Params, setting: Setting, guard: Guard | None = None
) -> None:
    """`guard` refuses the delete while something depends on the setting."""
    with ctx.store.write() as connection:
        connector = owned_connector(ctx, connection, params["VoiceConnectorId"])
        connector_id = connector.voice_connector_id
        if repo.document_in(connection, connector_id, setting.kind) is None:
            raise SettingNotFound(connector_id, setting.what)
        if guard is not None:
            guard(connection, connector)
        repo.delete_document(connection, connector_id, setting.kind)
        ctx.events.publish(
            connection,
            SETTING_DELETED,
            voice_connector_id=connector_id,
            kind=setting.kind,
            removed_ms=ctx.now_ms,
        )


TERMINATION = Setting("termination", "termination settings", "Termination")
ORIGINATION = Setting("origination", "origination settings", "Origination")
EMERGENCY = Setting(
    "emergency-calling", "emergency calling configuration", "EmergencyCallingConfiguration"
)
STREAMING = Setting("streaming", "streaming configuration", "StreamingConfiguration")
LOGGING = Setting("logging", "logging configuration", "LoggingConfiguration")
EXTERNAL = Setting(
    "external-systems", "external systems configuration", "ExternalSystemsConfiguration"
)
PROXY = Setting("proxy", "proxy configuration", "Proxy")


def refuse_while_emergency_calling(what: str) -> Guard:
    """A guard for deleting termination or origination (SPEC, M: emergency calling must be
    deleted first)."""

    def guard(connection: Connection, connector: ConnectorRecord) -> None:
        if repo.document_in(connection, connector.voice_connector_id, EMERGENCY.kind):
            raise EmergencyCallingDependsOn(connector.voice_connector_id, what)

    return guard
