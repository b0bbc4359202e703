"""Finding the caller's connector: every operation on a connector starts here, and an id of
another account, another Region or nothing is a NotFound."""

from __future__ import annotations

from sqlalchemy import Connection

from localchime.core.context import RequestContext
from localchime.families.voice_connectors import repository as repo
from localchime.families.voice_connectors.errors import VoiceConnectorNotFound
from localchime.families.voice_connectors.repository import ConnectorRecord
from localchime.protocol.errors import require


def owned_connector(
    ctx: RequestContext, connection: Connection, connector_id: str
) -> ConnectorRecord:
    """The caller's connector, row-locked until the transaction ends (PostgreSQL), so that
    deleting it and attaching numbers, settings or groups to it take turns."""
    record = repo.connector_for_update(connection, ctx.account, ctx.region, connector_id)
    return require(record, VoiceConnectorNotFound, connector_id)


def visible_connector(ctx: RequestContext, connector_id: str) -> ConnectorRecord:
    record = repo.connector(ctx.reads, ctx.account, ctx.region, connector_id)
    return require(record, VoiceConnectorNotFound, connector_id)
