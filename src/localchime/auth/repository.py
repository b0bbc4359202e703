"""Repository for credentials and the identity policies attached to them."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import orjson
from sqlalchemy import Connection, bindparam, select

from localchime.auth.tables import credentials, policies
from localchime.store.database import Snapshot, insert_ignoring_conflict
from localchime.store.prepared import PreparedQuery, run


@dataclass(frozen=True, slots=True)
class Credential:
    access_key_id: str
    secret_access_key: str
    account: str
    principal_name: str
    created_ms: int


_FIELDS = tuple(field.name for field in fields(Credential))
_COLUMNS = tuple(credentials.c[name] for name in _FIELDS)
_GET = PreparedQuery(select(*_COLUMNS).where(credentials.c.access_key_id == bindparam("key")))
_POLICIES = PreparedQuery(
    select(policies.c.policy_name, policies.c.document)
    .where(policies.c.access_key_id == bindparam("key"))
    .order_by(policies.c.policy_name)
)


def get(reads: Snapshot, access_key_id: str) -> Credential | None:
    rows = reads.fetch(_GET, key=access_key_id)
    return Credential(*rows[0]) if rows else None


def all_credentials(connection: Connection) -> list[Credential]:
    rows = connection.execute(select(*_COLUMNS).order_by(credentials.c.access_key_id))
    return [Credential(*row) for row in rows]


_ADD = insert_ignoring_conflict(credentials)


def add(connection: Connection, credential: Credential) -> bool:
    """Registers the key; False if it is registered already (nothing is overwritten)."""
    values = {name: getattr(credential, name) for name in _FIELDS}
    return bool(run(connection, _ADD, **values))


def delete(connection: Connection, access_key_id: str) -> bool:
    connection.execute(policies.delete().where(policies.c.access_key_id == access_key_id))
    result = connection.execute(
        credentials.delete().where(credentials.c.access_key_id == access_key_id)
    )
    return result.rowcount == 1


def policies_of(reads: Snapshot, access_key_id: str) -> list[tuple[str, dict[str, Any]]]:
    return [(name, orjson.loads(doc)) for name, doc in reads.fetch(_POLICIES, key=access_key_id)]


def attach(connection: Connection, access_key_id: str, name: str, document: dict[str, Any]) -> None:
    detach(connection, access_key_id, name)
    connection.execute(
        policies.insert().values(
            access_key_id=access_key_id, policy_name=name, document=orjson.dumps(document).decode()
        )
    )


def detach(connection: Connection, access_key_id: str, name: str) -> bool:
    result = connection.execute(
        policies.delete().where(
            policies.c.access_key_id == access_key_id, policies.c.policy_name == name
        )
    )
    return result.rowcount == 1
