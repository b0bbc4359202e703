"""Voice Connectors themselves: Create, Get, List, Update, Delete, and
ListAvailableVoiceConnectorRegions.

A connector lives in its `AwsRegion`, which never changes (SPEC: Voice Connectors, D): its ARN
names that Region, the quota counts there, porting looks there, and every other operation finds
it through that Region's endpoint. `AwsRegion` defaults to the Region of the endpoint called
when that is a Voice Connector Region, else us-east-1 (the model's documented default).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from localchime.core import quotas
from localchime.core.context import RequestContext
from localchime.core.family import Operations, Params
from localchime.core.ids import new_lowercase_id
from localchime.core.pagination import Keyset, Pagination
from localchime.families.phone_numbers import public as associations
from localchime.families.tags import public as tags
from localchime.families.tags.public import check_tags
from localchime.families.voice_connectors import repository as repo
from localchime.families.voice_connectors.access import owned_connector, visible_connector
from localchime.families.voice_connectors.errors import (
    HasNumbers,
    InGroups,
)
from localchime.families.voice_connectors.events import CONNECTOR_DELETED
from localchime.families.voice_connectors.handlers.settings import check_encryption_allows_routes
from localchime.families.voice_connectors.repository import ConnectorRecord
from localchime.families.voice_connectors.resources import CONNECTORS_PER_REGION
from localchime.families.voice_connectors.views import connector_arn, connector_view
from localchime.spec.model import service_model

OPERATIONS = Operations()
LISTING = Pagination[ConnectorRecord](
    "ListVoiceConnectors",
    "VoiceConnectors",
    key=lambda r: [r.created_ms, r.voice_connector_id],
    view=connector_view,
)
DEFAULT_AWS_REGION = "us-east-1"


@cache
def voice_connector_regions() -> tuple[str, ...]:
    """Read from the model once: `shape_for` builds a new shape object on every call."""
    return tuple(service_model().shape_for("VoiceConnectorAwsRegion").enum)


def target(connector_id: str) -> associations.Target:
    return associations.Target(
        "VoiceConnectorId", connector_id, "Voice Connector", "VoiceConnector"
    )


@OPERATIONS("ListAvailableVoiceConnectorRegions")
def list_available_voice_connector_regions(ctx: RequestContext, _params: Params) -> dict[str, Any]:
    return {"VoiceConnectorRegions": list(voice_connector_regions())}


@OPERATIONS("CreateVoiceConnector")
def create_voice_connector(ctx: RequestContext, params: Params) -> dict[str, Any]:
    given_tags = params.get("Tags", [])
    check_tags(given_tags)
    default_region = ctx.region if ctx.region in voice_connector_regions() else DEFAULT_AWS_REGION
    record = ConnectorRecord(
        voice_connector_id=new_lowercase_id(),
        account=ctx.account,
        region=params.get("AwsRegion", default_region),
        name=params["Name"],
        require_encryption=params["RequireEncryption"],
        integration_type=params.get("IntegrationType"),
        network_type=params.get("NetworkType", "IPV4_ONLY"),
        created_ms=ctx.now_ms,
        updated_ms=ctx.now_ms,
    )
    with ctx.store.write() as connection:
        quotas.check(
            CONNECTORS_PER_REGION,
            ctx.settings,
            connection,
            ctx.account,
            lambda: repo.count_connectors(connection, ctx.account, record.region),
            scope=f"in {record.region}",
        )
        repo.insert_connector(connection, record)
        tags.put(connection, ctx.account, record.region, connector_arn(record), given_tags)
    return {"VoiceConnector": connector_view(record)}


@OPERATIONS("GetVoiceConnector")
def get_voice_connector(ctx: RequestContext, params: Params) -> dict[str, Any]:
    return {"VoiceConnector": connector_view(visible_connector(ctx, params["VoiceConnectorId"]))}


@OPERATIONS("ListVoiceConnectors")
def list_voice_connectors(ctx: RequestContext, params: Params) -> dict[str, Any]:
    def fetch(after: Keyset | None, limit: int) -> list[ConnectorRecord]:
        return repo.connector_page(ctx.reads, ctx.account, ctx.region, after, limit)

    return LISTING.respond(ctx, params, {}, fetch)


@OPERATIONS("UpdateVoiceConnector")
def update_voice_connector(ctx: RequestContext, params: Params) -> dict[str, Any]:
    with ctx.store.write() as connection:
        record = owned_connector(ctx, connection, params["VoiceConnectorId"])
        if params["RequireEncryption"] and not record.require_encryption:
            check_encryption_allows_routes(connection, record.voice_connector_id)
        record.name = params["Name"]
        record.require_encryption = params["RequireEncryption"]
        record.updated_ms = ctx.now_ms
        repo.save_connector(connection, record)
    return {"VoiceConnector": connector_view(record)}


@OPERATIONS("DeleteVoiceConnector")
def delete_voice_connector(ctx: RequestContext, params: Params) -> None:
    connector_id = params["VoiceConnectorId"]
    with ctx.store.write() as connection:
        record = owned_connector(ctx, connection, connector_id)
        numbers = associations.count(connection, ctx, target(connector_id))
        if numbers:
            # SPEC (M): numbers must be disassociated before the connector can be deleted.
            raise HasNumbers("Voice Connector", connector_id, numbers)
        groups = repo.groups_containing(connection, connector_id)
        if groups:
            raise InGroups(connector_id, groups)
        repo.delete_connector(connection, connector_id)
        ctx.events.publish(connection, CONNECTOR_DELETED, voice_connector_id=connector_id)
        tags.drop(connection, connector_arn(record))
