"""How proxy sessions follow their Voice Connector (core.events): a deleted proxy configuration
is numbered here, so the sessions created under it close at that moment; a deleted connector
takes its sessions and their removals with it."""

from __future__ import annotations

from sqlalchemy import Connection

from localchime.core.events import Event, Reactions
from localchime.families.proxy_sessions import repository as repo
from localchime.families.voice_connectors.public import CONNECTOR_DELETED, PROXY, SETTING_DELETED

REACTIONS = Reactions()


@REACTIONS(SETTING_DELETED)
def proxy_configuration_deleted(connection: Connection, event: Event) -> None:
    if event.payload["kind"] == PROXY.kind:
        repo.note_proxy_removal(
            connection, event.payload["voice_connector_id"], event.payload["removed_ms"]
        )


@REACTIONS(CONNECTOR_DELETED)
def connector_deleted(connection: Connection, event: Event) -> None:
    repo.drop_connector(connection, event.payload["voice_connector_id"])
