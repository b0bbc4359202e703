"""Repository for resource tags: a resource's tags are read, replaced key by key, or dropped
with the resource."""

from __future__ import annotations

from sqlalchemy import Connection, bindparam, select

from localchime.families.tags.tables import resource_tags
from localchime.store.database import Snapshot
from localchime.store.prepared import PreparedQuery, run, run_many

_OF = PreparedQuery(
    select(resource_tags.c.tag_key, resource_tags.c.tag_value)
    .where(resource_tags.c.resource_arn == bindparam("arn"))
    .order_by(resource_tags.c.tag_key)
)
_DELETE_ONE = PreparedQuery(
    resource_tags.delete().where(
        resource_tags.c.resource_arn == bindparam("arn"),
        resource_tags.c.tag_key == bindparam("key"),
    )
)
_INSERT = PreparedQuery(
    resource_tags.insert().values(
        resource_arn=bindparam("arn"),
        tag_key=bindparam("key"),
        tag_value=bindparam("value"),
        account=bindparam("account"),
        region=bindparam("region"),
    )
)
_DELETE_ALL = PreparedQuery(
    resource_tags.delete().where(resource_tags.c.resource_arn == bindparam("arn"))
)


def tags_of(reads: Snapshot, arn: str) -> list[dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in reads.fetch(_OF, arn=arn)]


def tags_in(connection: Connection, arn: str) -> list[dict[str, str]]:
    """`tags_of` inside a write transaction, seeing its own writes."""
    return [{"Key": key, "Value": value} for key, value in run(connection, _OF, arn=arn)]


def remove(connection: Connection, arn: str, keys: list[str]) -> None:
    """Deletes the tags of these keys; a key the resource does not have is no error."""
    run_many(connection, _DELETE_ONE, [{"arn": arn, "key": key} for key in keys])


def put(
    connection: Connection, account: str, region: str, arn: str, tags: list[dict[str, str]]
) -> None:
    """Sets each tag, replacing the value of a key the resource has already."""
    run_many(connection, _DELETE_ONE, [{"arn": arn, "key": tag["Key"]} for tag in tags])
    run_many(
        connection,
        _INSERT,
        [
            {"arn": arn, "key": t["Key"], "value": t["Value"], "account": account, "region": region}
            for t in tags
        ],
    )


def drop(connection: Connection, arn: str) -> None:
    """The resource is gone; so are its tags."""
    run(connection, _DELETE_ALL, arn=arn)
