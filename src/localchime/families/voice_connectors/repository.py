"""Repository for Voice Connectors, groups, connector settings documents, termination
credentials and global settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import Connection, and_, bindparam, func, select

from localchime.families.voice_connectors.tables import (
    global_settings,
    termination_credentials,
    voice_connector_group_items,
    voice_connector_groups,
    voice_connector_settings,
    voice_connectors,
)
from localchime.store.database import Snapshot, upsert
from localchime.store.owned import OwnedReads, count_owned
from localchime.store.prepared import PreparedQuery, insert_row, row_of, run, run_many


@dataclass(slots=True)
class ConnectorRecord:
    voice_connector_id: str
    account: str
    region: str
    """Its AwsRegion: where it lives, and the endpoint Region that finds it."""
    name: str
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


CONNECTORS = OwnedReads(voice_connectors, voice_connectors.c.voice_connector_id, ConnectorRecord)
GROUPS = OwnedReads(voice_connector_groups, voice_connector_groups.c.group_id, GroupRecord)

# Connectors

_INSERT_CONNECTOR = insert_row(voice_connectors)
_CONNECTOR_OF_ACCOUNT_FOR_UPDATE = PreparedQuery(
    select(*CONNECTORS.columns)
    .where(
        voice_connectors.c.voice_connector_id == bindparam("id"),
        voice_connectors.c.account == bindparam("account"),
    )
    .with_for_update()
)
_CONNECTOR_BY_ID_FOR_UPDATE = PreparedQuery(
    select(*CONNECTORS.columns)
    .where(voice_connectors.c.voice_connector_id == bindparam("id"))
    .with_for_update()
)


def connector(
    reads: Snapshot, account: str, region: str, connector_id: str
) -> ConnectorRecord | None:
    rows = reads.fetch(CONNECTORS.one, id=connector_id, account=account, region=region)
    return ConnectorRecord(*rows[0]) if rows else None


def connector_for_update(
    connection: Connection, account: str, region: str, connector_id: str
) -> ConnectorRecord | None:
    """Reads and, on PostgreSQL, row-locks the connector: deleting it and associating numbers
    with it (or putting it in a group) take turns."""
    rows = run(
        connection, CONNECTORS.one_for_update, id=connector_id, account=account, region=region
    )
    return ConnectorRecord(*rows[0]) if rows else None


def account_connector_for_update(
    connection: Connection, account: str, connector_id: str
) -> ConnectorRecord | None:
    """The account's connector in any Region, row-locked: a group's items may live in other
    Regions than the group (SPEC: Voice Connectors)."""
    rows = run(connection, _CONNECTOR_OF_ACCOUNT_FOR_UPDATE, id=connector_id, account=account)
    return ConnectorRecord(*rows[0]) if rows else None


def connector_by_id_for_update(connection: Connection, connector_id: str) -> ConnectorRecord | None:
    """Any account's connector, by its globally unique id, row-locked: for control routes."""
    rows = run(connection, _CONNECTOR_BY_ID_FOR_UPDATE, id=connector_id)
    return ConnectorRecord(*rows[0]) if rows else None


def connector_page(
    reads: Snapshot, account: str, region: str, after: list[Any] | None, limit: int
) -> list[ConnectorRecord]:
    return [ConnectorRecord(*row) for row in CONNECTORS.page(reads, account, region, after, limit)]


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
    """The connector and everything that hangs off it: settings documents and credentials.
    Families that keep more about a connector drop it on `events.CONNECTOR_DELETED`."""
    for table in (
        voice_connector_settings,
        termination_credentials,
        voice_connectors,
    ):
        connection.execute(table.delete().where(table.c.voice_connector_id == connector_id))


def count_connectors(connection: Connection, account: str, region: str) -> int:
    return count_owned(connection, voice_connectors, account, region)


def has_connector_in(connection: Connection, account: str, region: str) -> bool:
    """Whether the account has a Voice Connector in the Region (porting needs one)."""
    return count_connectors(connection, account, region) > 0


# Groups

_ITEMS = PreparedQuery(
    select(voice_connector_group_items.c.voice_connector_id, voice_connector_group_items.c.priority)
    .where(voice_connector_group_items.c.group_id == bindparam("id"))
    .order_by(voice_connector_group_items.c.position)
)
_INSERT_ITEM = insert_row(voice_connector_group_items)


def group(reads: Snapshot, account: str, region: str, group_id: str) -> GroupRecord | None:
    rows = reads.fetch(GROUPS.one, id=group_id, account=account, region=region)
    if not rows:
        return None
    record = GroupRecord(*rows[0])
    record.items = [(c, p) for c, p in reads.fetch(_ITEMS, id=group_id)]
    return record


def group_for_update(
    connection: Connection, account: str, region: str, group_id: str
) -> GroupRecord | None:
    rows = run(connection, GROUPS.one_for_update, id=group_id, account=account, region=region)
    if not rows:
        return None
    record = GroupRecord(*rows[0])
    record.items = [(c, p) for c, p in run(connection, _ITEMS, id=group_id)]
    return record


def group_page(
    reads: Snapshot, account: str, region: str, after: list[Any] | None, limit: int
) -> list[GroupRecord]:
    records = [GroupRecord(*row) for row in GROUPS.page(reads, account, region, after, limit)]
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
_PUT_DOCUMENT = upsert(voice_connector_settings)


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
    run(
        connection,
        _PUT_DOCUMENT,
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
_PUT_CREDENTIAL = upsert(termination_credentials)


def usernames(reads: Snapshot, connector_id: str) -> list[str]:
    return [name for (name,) in reads.fetch(_USERNAMES, id=connector_id)]


def usernames_in(connection: Connection, connector_id: str) -> list[str]:
    return [name for (name,) in run(connection, _USERNAMES, id=connector_id)]


def put_credentials(
    connection: Connection, connector_id: str, digests: dict[str, str], at_ms: int
) -> None:
    """Sets each username's password digest, replacing the digest of a username it has."""
    run_many(
        connection,
        _PUT_CREDENTIAL,
        [
            {
                "voice_connector_id": connector_id,
                "username": name,
                "password_digest": digests[name],
                "created_ms": at_ms,
            }
            for name in sorted(digests)
        ],
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
_PUT_GLOBAL = upsert(global_settings)


def cdr_bucket(reads: Snapshot, account: str) -> str | None:
    rows = reads.fetch(_GLOBAL, account=account)
    return rows[0][0] if rows else None


def put_cdr_bucket(connection: Connection, account: str, bucket: str | None, at_ms: int) -> None:
    run(connection, _PUT_GLOBAL, account=account, cdr_bucket=bucket, updated_ms=at_ms)
