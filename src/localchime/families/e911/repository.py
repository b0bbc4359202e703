"""Repository for pinned ValidateE911Address outcomes (overrides)."""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import Connection, bindparam, select

from localchime.families.e911.tables import e911_overrides
from localchime.store.database import Snapshot
from localchime.store.prepared import PreparedQuery

_GET = PreparedQuery(
    select(e911_overrides.c.response).where(e911_overrides.c.address_key == bindparam("key"))
)


def get(reads: Snapshot, key: str) -> dict[str, Any] | None:
    rows = reads.fetch(_GET, key=key)
    return orjson.loads(rows[0][0]) if rows else None


def put(connection: Connection, key: str, response: dict[str, Any]) -> None:
    connection.execute(e911_overrides.delete().where(e911_overrides.c.address_key == key))
    connection.execute(
        e911_overrides.insert().values(address_key=key, response=orjson.dumps(response).decode())
    )


def count(connection: Connection) -> int:
    return len(connection.execute(select(e911_overrides.c.address_key)).all())


def clear(connection: Connection) -> None:
    connection.execute(e911_overrides.delete())
