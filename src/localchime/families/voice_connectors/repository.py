"""Repository for Voice Connectors, groups, connector settings documents, termination
credentials and global settings."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

import orjson
from sqlalchemy import Connection, and_, bindparam, func, select, tuple_

from localchime.families.voice_connectors.tables import (
    global_settings,
    termination_credentials,
    voice_connector_group_items,
    voice_connector_groups,
    voice_connector_settings,
    voice_connectors,
)
from localchime.store.database import Snapshot
from localchime.store.prepared import PreparedQuery, insert_row, row_of, run, run_many


@dataclass(slots=True)
class ConnectorRecord:
    voice_connector_id: str
    account: str
    region: str
    """The endpoint Region it was created through, where Get and List find it."""
    name: str
    aws_region: str
    require_encryption: bool
    integration_type: str | None
    network_type: str | None
    created_ms: int
    updated_ms: int

    def __post_init__(self) -> None:
        self.require_encryption = bool(self.require_encryption)  # SQLite answers 0 and 1


@dataclass(slots=True)
class GroupRecord:
    group_id: str
    account: str
    region: str
    name: str
    call_distribution_type: str | None
    created_ms: int
    updated_ms: int
    items: list[tuple[str, int]] = field(default_factory=list)
    """(VoiceConnectorId, Priority) in the order the client gave them."""


def _columns(table: Any, record_type: Any) -> tuple[Any, ...]:
    return tuple(table.c[f.name] for f in fields(record_type) if f.name in table.c)


_CONNECTOR_COLUMNS = _columns(voice_connectors, ConnectorRecord)
_CONNECTOR_KEY = and_(
    voice_connectors.c.voice_connector_id == bindparam("id"),
    voice_connectors.c.account == bindparam("account"),
    voice_connectors.c.region == bindparam("region"),
)
_CONNECTOR = PreparedQuery(select(*_CONNECTOR_COLUMNS).where(_CONNECTOR_KEY))
_CONNECTOR_FOR_UPDATE = PreparedQuery(
    select(*_CONNECTOR_COLUMNS).where(_CONNECTOR_KEY).with_for_update()
)
_INSERT_CONNECTOR = insert_row(voice_connectors)


def _connector_page(after: bool) -> PreparedQuery:
    conditions = [
        voice_connectors.c.account == bindparam("account"),
        voice_connectors.c.region == bindparam("region"),
    ]
    if after:
        conditions.append(
            tuple_(voice_connectors.c.created_ms, voice_connectors.c.voice_connector_id)
            > tuple_(bindparam("after_ms"), bindparam("after_id"))
        )
    return PreparedQuery(
        select(*_CONNECTOR_COLUMNS)
        .where(*conditions)
        .order_by(voice_connectors.c.created_ms, voice_connectors.c.voice_connector_id)
        .limit(bindparam("limit"))
    )


_CONNECTOR_PAGES = {after: _connector_page(after) for after in (False, True)}


def connector(
    reads: Snapshot, account: str, region: str, connector_id: str
) -> ConnectorRecord | None:
    rows = reads.fetch(_CONNECTOR, id=connector_id, account=account, region=region)
    return ConnectorRecord(*rows[0]) if rows else None


def connector_for_update(
    connection: Connection, account: str, region: str, connector_id: str
) -> ConnectorRecord | None:
    """Reads and, on PostgreSQL, row-locks the connector: deleting it and associating numbers
    with it (or putting it in a group) take turns."""
    rows = run(connection, _CONNECTOR_FOR_UPDATE, id=connector_id, account=account, region=region)
    return ConnectorRecord(*rows[0]) if rows else None


def connector_page(
    reads: Snapshot, account: str, region: str, after: list[Any] | None, limit: int
) -> list[ConnectorRecord]:
    params: dict[str, Any] = {"account": account, "region": region, "limit": limit}
    if after is not None:
        params.update(after_ms=after[0], after_id=after[1])
    rows = reads.fetch(_CONNECTOR_PAGES[after is not None], **params)
    return [ConnectorRecord(*row) for row in rows]


def insert_connector(connection: Connection, record: ConnectorRecord) -> None:
    run(connection, _INSERT_CONNECTOR, **row_of(record))


def save_connector(connection: Connection, record: ConnectorRecord) -> None:
    connection.execute(
        voice_connectors.update()
        .where(voice_connectors.c.voice_connector_id == record.voice_connector_id)
        .values(
            name=record.name,
            require_encryption=record.require_encryption,
            updated_ms=record.updated_ms,
        )
    )


def delete_connector(connection: Connection, connector_id: str) -> None:
    """The connector and everything that hangs off it: settings documents and credentials."""
    for table in (voice_connector_settings, termination_credentials, voice_connectors):
        connection.execute(table.delete().where(table.c.voice_connector_id == connector_id))


def count_connectors(connection: Connection, account: str, aws_region: str) -> int:
    return int(
        connection.execute(
            select(func.count())
            .select_from(voice_connectors)
            .where(
                voice_connectors.c.account == account,
                voice_connectors.c.aws_region == aws_region,
            )
        ).scalar_one()
    )


def has_connector_in(connection: Connection, account: str, region: str) -> bool:
    """Whether the account has a Voice Connector in the Region (porting needs one)."""
    found = connection.execute(
        select(voice_connectors.c.voice_connector_id)
        .where(voice_connectors.c.account == account, voice_connectors.c.region == region)
        .limit(1)
    ).first()
    return found is not None


def connector_by_id(connection: Connection, connector_id: str) -> ConnectorRecord | None:
    """Any account's connector, by its globally unique id: for control routes."""
    found = connection.execute(
        select(*_CONNECTOR_COLUMNS).where(voice_connectors.c.voice_connector_id == connector_id)
    ).first()
    return ConnectorRecord(*found) if found else None


# Groups

_GROUP_COLUMNS = _columns(voice_connector_groups, GroupRecord)
_GROUP_KEY = and_(
    voice_connector_groups.c.group_id == bindparam("id"),
    voice_connector_groups.c.account == bindparam("account"),
    voice_connector_groups.c.region == bindparam("region"),
)
_GROUP = PreparedQuery(select(*_GROUP_COLUMNS).where(_GROUP_KEY))
_GROUP_FOR_UPDATE = PreparedQuery(select(*_GROUP_COLUMNS).where(_GROUP_KEY).with_for_update())
_ITEMS = PreparedQuery(
    select(voice_connector_group_items.c.voice_connector_id, voice_connector_group_items.c.priority)
    .where(voice_connector_group_items.c.group_id == bindparam("id"))
    .order_by(voice_connector_group_items.c.position)
)
_INSERT_ITEM = insert_row(voice_connector_group_items)


def _group_page(after: bool) -> PreparedQuery:
    conditions = [
        voice_connector_groups.c.account == bindparam("account"),
        voice_connector_groups.c.region == bindparam("region"),
    ]
    if after:
        conditions.append(
            tuple_(voice_connector_groups.c.created_ms, voice_connector_groups.c.group_id)
            > tuple_(bindparam("after_ms"), bindparam("after_id"))
        )
    return PreparedQuery(
        select(*_GROUP_COLUMNS)
        .where(*conditions)
        .order_by(voice_connector_groups.c.created_ms, voice_connector_groups.c.group_id)
        .limit(bindparam("limit"))
    )


_GROUP_PAGES = {after: _group_page(after) for after in (False, True)}


def group(reads: Snapshot, account: str, region: str, group_id: str) -> GroupRecord | None:
    rows = reads.fetch(_GROUP, id=group_id, account=account, region=region)
    if not rows:
        return None
    record = GroupRecord(*rows[0])
    record.items = [(c, p) for c, p in reads.fetch(_ITEMS, id=group_id)]
    return record


def group_for_update(
    connection: Connection, account: str, region: str, group_id: str
) -> GroupRecord | None:
    rows = run(connection, _GROUP_FOR_UPDATE, id=group_id, account=account, region=region)
    if not rows:
        return None
    record = GroupRecord(*rows[0])
    record.items = [(c, p) for c, p in run(connection, _ITEMS, id=group_id)]
    return record


def group_page(
    reads: Snapshot, account: str, region: str, after: list[Any] | None, limit: int
) -> list[GroupRecord]:
    params: dict[str, Any] = {"account": account, "region": region, "limit": limit}
    if after is not None:
        params.update(after_ms=after[0], after_id=after[1])
    records = [GroupRecord(*row) for row in reads.fetch(_GROUP_PAGES[after is not None], **params)]
    for record in records:
        record.items = [(c, p) for c, p in reads.fetch(_ITEMS, id=record.group_id)]
    return records


def insert_group(connection: Connection, record: GroupRecord) -> None:
    values = row_of(record)
    del values["items"]
    connection.execute(voice_connector_groups.insert().values(**values))
    _write_items(connection, record)


def save_group(connection: Connection, record: GroupRecord) -> None:
    connection.execute(
        voice_connector_groups.update()
        .where(voice_connector_groups.c.group_id == record.group_id)
        .values(
            name=record.name,
            call_distribution_type=record.call_distribution_type,
            updated_ms=record.updated_ms,
        )
    )
    connection.execute(
        voice_connector_group_items.delete().where(
            voice_connector_group_items.c.group_id == record.group_id
        )
    )
    _write_items(connection, record)


def _write_items(connection: Connection, record: GroupRecord) -> None:
    rows = [
        {"group_id": record.group_id, "voice_connector_id": c, "priority": p, "position": i}
        for i, (c, p) in enumerate(record.items)
    ]
    run_many(connection, _INSERT_ITEM, rows)


def delete_group(connection: Connection, group_id: str) -> None:
    for table in (voice_connector_group_items, voice_connector_groups):
        connection.execute(table.delete().where(table.c.group_id == group_id))


def count_groups(connection: Connection, account: str) -> int:
    return int(
        connection.execute(
            select(func.count())
            .select_from(voice_connector_groups)
            .where(voice_connector_groups.c.account == account)
        ).scalar_one()
    )


def groups_containing(connection: Connection, connector_id: str) -> list[str]:
    """The ids of the groups that have the connector as an item."""
    return list(
        connection.execute(
            select(voice_connector_group_items.c.group_id)
            .where(voice_connector_group_items.c.voice_connector_id == connector_id)
            .order_by(voice_connector_group_items.c.group_id)
        ).scalars()
    )


# Settings documents

_DOCUMENT_KEY = and_(
    voice_connector_settings.c.voice_connector_id == bindparam("id"),
    voice_connector_settings.c.kind == bindparam("kind"),
)
_DOCUMENT = PreparedQuery(select(voice_connector_settings.c.document).where(_DOCUMENT_KEY))
_DELETE_DOCUMENT = PreparedQuery(voice_connector_settings.delete().where(_DOCUMENT_KEY))
_INSERT_DOCUMENT = insert_row(voice_connector_settings)


def document(reads: Snapshot, connector_id: str, kind: str) -> dict[str, Any] | None:
    rows = reads.fetch(_DOCUMENT, id=connector_id, kind=kind)
    return orjson.loads(rows[0][0]) if rows else None


def document_in(connection: Connection, connector_id: str, kind: str) -> dict[str, Any] | None:
    """The document as the current transaction sees it."""
    rows = run(connection, _DOCUMENT, id=connector_id, kind=kind)
    return orjson.loads(rows[0][0]) if rows else None


def put_document(
    connection: Connection, connector_id: str, kind: str, value: dict[str, Any], at_ms: int
) -> None:
    run(connection, _DELETE_DOCUMENT, id=connector_id, kind=kind)
    run(
        connection,
        _INSERT_DOCUMENT,
        voice_connector_id=connector_id,
        kind=kind,
        document=orjson.dumps(value).decode(),
        updated_ms=at_ms,
    )


def delete_document(connection: Connection, connector_id: str, kind: str) -> None:
    run(connection, _DELETE_DOCUMENT, id=connector_id, kind=kind)


# Termination credentials

_USERNAMES = PreparedQuery(
    select(termination_credentials.c.username)
    .where(termination_credentials.c.voice_connector_id == bindparam("id"))
    .order_by(termination_credentials.c.username)
)
_DELETE_CREDENTIAL = PreparedQuery(
    termination_credentials.delete().where(
        termination_credentials.c.voice_connector_id == bindparam("voice_connector_id"),
        termination_credentials.c.username == bindparam("username"),
    )
)
_INSERT_CREDENTIAL = insert_row(termination_credentials)


def usernames(reads: Snapshot, connector_id: str) -> list[str]:
    return [name for (name,) in reads.fetch(_USERNAMES, id=connector_id)]


def usernames_in(connection: Connection, connector_id: str) -> list[str]:
    return [name for (name,) in run(connection, _USERNAMES, id=connector_id)]


def put_credentials(
    connection: Connection, connector_id: str, digests: dict[str, str], at_ms: int
) -> None:
    """Sets each username's password digest, replacing the digest of a username it has."""
    keys = [{"voice_connector_id": connector_id, "username": name} for name in sorted(digests)]
    run_many(connection, _DELETE_CREDENTIAL, keys)
    run_many(
        connection,
        _INSERT_CREDENTIAL,
        [{**key, "password_digest": digests[key["username"]], "created_ms": at_ms} for key in keys],
    )


def delete_credentials(connection: Connection, connector_id: str, names: list[str]) -> None:
    run_many(
        connection,
        _DELETE_CREDENTIAL,
        [{"voice_connector_id": connector_id, "username": name} for name in names],
    )


# Global settings

_GLOBAL = PreparedQuery(
    select(global_settings.c.cdr_bucket).where(global_settings.c.account == bindparam("account"))
)


def cdr_bucket(reads: Snapshot, account: str) -> str | None:
    rows = reads.fetch(_GLOBAL, account=account)
    return rows[0][0] if rows else None


def put_cdr_bucket(connection: Connection, account: str, bucket: str | None, at_ms: int) -> None:
    connection.execute(global_settings.delete().where(global_settings.c.account == account))
    connection.execute(
        global_settings.insert().values(account=account, cdr_bucket=bucket, updated_ms=at_ms)
    )
