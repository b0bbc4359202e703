"""Voice Connector groups: Create, Get, List, Update (202), Delete.

SPEC (Voice Connectors, M, D): at most 3 VoiceConnectorItems, Priority 1 to 99; the items'
connectors must be the caller's, in any Region ("items may be in different Regions"); the group
lives in the endpoint Region; a group with items or numbers cannot be deleted; up to 3 groups
per account under `--quota-profile aws`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from localchime.core import quotas
from localchime.core.context import RequestContext
from localchime.core.family import Operations, Params
from localchime.core.ids import new_guid
from localchime.core.lists import repeated, shown
from localchime.core.pagination import Keyset, Pagination
from localchime.families.phone_numbers import public as associations
from localchime.families.voice_connectors import repository as repo
from localchime.families.voice_connectors.errors import (
    GroupHasItems,
    GroupNotFound,
    HasNumbers,
    VoiceConnectorNotFound,
)
from localchime.families.voice_connectors.repository import GroupRecord
from localchime.families.voice_connectors.resources import GROUPS_PER_ACCOUNT
from localchime.families.voice_connectors.views import group_view
from localchime.protocol.errors import BadRequest, require

OPERATIONS = Operations()
LISTING = Pagination[GroupRecord](
    "ListVoiceConnectorGroups",
    "VoiceConnectorGroups",
    key=lambda r: [r.created_ms, r.group_id],
    view=group_view,
)
MAX_ITEMS = 3
"""SPEC (M): "Limit: 3 VoiceConnectorItems per Voice Connector group"."""


def target(group_id: str) -> associations.Target:
    return associations.Target(
        "VoiceConnectorGroupId", group_id, "Voice Connector group", "VoiceConnector"
    )


def owned_group(ctx: RequestContext, connection: Connection, group_id: str) -> GroupRecord:
    record = repo.group_for_update(connection, ctx.account, ctx.region, group_id)
    return require(record, GroupNotFound, group_id)


def _items(
    ctx: RequestContext, connection: Connection, given: list[dict[str, Any]]
) -> list[tuple[str, int]]:
    if len(given) > MAX_ITEMS:
        raise BadRequest(
            f"VoiceConnectorItems holds {len(given)} items; a group has at most {MAX_ITEMS}"
        )
    ids = [item["VoiceConnectorId"] for item in given]
    twice = repeated(ids)
    if twice:
        raise BadRequest(f"VoiceConnectorItems names {shown(twice)} more than once")
    items = []
    for item in given:
        if "Priority" not in item:
            raise BadRequest(
                f"VoiceConnectorItems entry {item['VoiceConnectorId']} needs a Priority from 1 "
                "(highest) to 99"
            )
        items.append((item["VoiceConnectorId"], item["Priority"]))
    # Locked in id order, so two group writes naming the same connectors cannot deadlock, and a
    # connector cannot be deleted while it joins the group.
    for connector_id in sorted(ids):
        found = repo.account_connector_for_update(connection, ctx.account, connector_id)
        require(found, VoiceConnectorNotFound, connector_id, "this account")
    return items


@OPERATIONS("CreateVoiceConnectorGroup")
def create_voice_connector_group(ctx: RequestContext, params: Params) -> dict[str, Any]:
    record = GroupRecord(
        group_id=new_guid(),
        account=ctx.account,
        region=ctx.region,
        name=params["Name"],
        call_distribution_type=params.get("CallDistributionType"),
        created_ms=ctx.now_ms,
        updated_ms=ctx.now_ms,
    )
    with ctx.store.write() as connection:
        # Before any connector row is locked, so the lock order is the same everywhere.
        quotas.hold(GROUPS_PER_ACCOUNT, ctx.settings, connection, ctx.account)
        record.items = _items(ctx, connection, params.get("VoiceConnectorItems", []))
        quotas.check(
            GROUPS_PER_ACCOUNT,
            ctx.settings,
            connection,
            ctx.account,
            lambda: repo.count_groups(connection, ctx.account),
            scope="in all Regions",
        )
        repo.insert_group(connection, record)
    return {"VoiceConnectorGroup": group_view(record)}


@OPERATIONS("GetVoiceConnectorGroup")
def get_voice_connector_group(ctx: RequestContext, params: Params) -> dict[str, Any]:
    group_id = params["VoiceConnectorGroupId"]
    record = repo.group(ctx.reads, ctx.account, ctx.region, group_id)
    return {"VoiceConnectorGroup": group_view(require(record, GroupNotFound, group_id))}


@OPERATIONS("ListVoiceConnectorGroups")
def list_voice_connector_groups(ctx: RequestContext, params: Params) -> dict[str, Any]:
    def fetch(after: Keyset | None, limit: int) -> list[GroupRecord]:
        return repo.group_page(ctx.reads, ctx.account, ctx.region, after, limit)

    return LISTING.respond(ctx, params, {}, fetch)


@OPERATIONS("UpdateVoiceConnectorGroup")
def update_voice_connector_group(ctx: RequestContext, params: Params) -> dict[str, Any]:
    with ctx.store.write() as connection:
        record = owned_group(ctx, connection, params["VoiceConnectorGroupId"])
        record.items = _items(ctx, connection, params["VoiceConnectorItems"])
        record.name = params["Name"]
        if "CallDistributionType" in params:
            record.call_distribution_type = params["CallDistributionType"]
        record.updated_ms = ctx.now_ms
        repo.save_group(connection, record)
    return {"VoiceConnectorGroup": group_view(record)}


@OPERATIONS("DeleteVoiceConnectorGroup")
def delete_voice_connector_group(ctx: RequestContext, params: Params) -> None:
    group_id = params["VoiceConnectorGroupId"]
    with ctx.store.write() as connection:
        record = owned_group(ctx, connection, group_id)
        if record.items:
            raise GroupHasItems(group_id, len(record.items))
        numbers = associations.count(connection, ctx, target(group_id))
        if numbers:
            raise HasNumbers("Voice Connector group", group_id, numbers)
        repo.delete_group(connection, group_id)
