"""Repository for phone number orders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

import orjson
from sqlalchemy import Connection, and_, bindparam, or_, select

from localchime.families.orders.tables import phone_number_orders as orders
from localchime.store.database import Snapshot
from localchime.store.prepared import PreparedQuery, run


@dataclass(slots=True)
class OrderRecord:
    id: str
    account: str
    region: str
    product_type: str
    order_type: str
    status: str
    name: str | None
    numbers: list[list[str]]
    """[E.164, status] pairs."""
    created_ms: int
    updated_ms: int
    foc_ms: int | None = None


_FIELDS = tuple(field.name for field in fields(OrderRecord))
_COLUMNS = tuple(orders.c[name] for name in _FIELDS)
_IN_SCOPE = and_(orders.c.account == bindparam("account"), orders.c.region == bindparam("region"))
_NEWEST_FIRST = (orders.c.created_ms.desc(), orders.c.id.desc())

_INSERT = PreparedQuery(orders.insert().values({c.name: bindparam(c.name) for c in _COLUMNS}))
_GET = PreparedQuery(select(*_COLUMNS).where(orders.c.id == bindparam("order_id"), _IN_SCOPE))
_GET_BY_ID = PreparedQuery(select(*_COLUMNS).where(orders.c.id == bindparam("order_id")))
_FIRST_PAGE = PreparedQuery(
    select(*_COLUMNS).where(_IN_SCOPE).order_by(*_NEWEST_FIRST).limit(bindparam("limit"))
)
_NEXT_PAGE = PreparedQuery(
    select(*_COLUMNS)
    .where(
        _IN_SCOPE,
        or_(
            orders.c.created_ms < bindparam("after_ms"),
            and_(orders.c.created_ms == bindparam("after_ms"), orders.c.id < bindparam("after_id")),
        ),
    )
    .order_by(*_NEWEST_FIRST)
    .limit(bindparam("limit"))
)
_SAVE_PROGRESS = PreparedQuery(
    orders.update()
    .where(orders.c.id == bindparam("order_id"))
    .values(
        status=bindparam("status"),
        numbers=bindparam("numbers"),
        updated_ms=bindparam("updated_ms"),
        foc_ms=bindparam("foc_ms"),
    )
)


def _record(row: Sequence[Any]) -> OrderRecord:
    values = dict(zip(_FIELDS, row, strict=True))
    values["numbers"] = orjson.loads(values["numbers"])
    return OrderRecord(**values)


def insert(connection: Connection, record: OrderRecord) -> None:
    values = {name: getattr(record, name) for name in _FIELDS}
    values["numbers"] = orjson.dumps(record.numbers).decode()
    run(connection, _INSERT, **values)


def get(reads: Snapshot, account: str, region: str, order_id: str) -> OrderRecord | None:
    """GetPhoneNumberOrder's read, through the request's cached snapshot."""
    rows = reads.fetch(_GET, order_id=order_id, account=account, region=region)
    return _record(rows[0]) if rows else None


def get_by_id(connection: Connection, order_id: str) -> OrderRecord | None:
    rows = run(connection, _GET_BY_ID, order_id=order_id)
    return _record(rows[0]) if rows else None


def page_newest_first(
    reads: Snapshot, account: str, region: str, after: tuple[int, str] | None, limit: int
) -> list[OrderRecord]:
    """Up to `limit` orders, newest first, strictly after the (created_ms, id) key given."""
    if after is None:
        rows = reads.fetch(_FIRST_PAGE, account=account, region=region, limit=limit)
    else:
        rows = reads.fetch(
            _NEXT_PAGE,
            account=account,
            region=region,
            after_ms=after[0],
            after_id=after[1],
            limit=limit,
        )
    return [_record(row) for row in rows]


def save_progress(connection: Connection, record: OrderRecord) -> None:
    run(
        connection,
        _SAVE_PROGRESS,
        order_id=record.id,
        status=record.status,
        numbers=orjson.dumps(record.numbers).decode(),
        updated_ms=record.updated_ms,
        foc_ms=record.foc_ms,
    )
