"""Repository for phone number orders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

import orjson
from sqlalchemy import Connection, and_, bindparam, or_, select

from localchime.families.orders.tables import phone_number_orders as orders
from localchime.store.database import Snapshot
from localchime.store.prepared import PreparedQuery, insert_row, row_of, run


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

_INSERT = insert_row(orders)
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
_PROGRESS = ("status", "numbers", "updated_ms", "foc_ms")
"""What moves as an order progresses; the rest of the row never changes."""
_SAVE_PROGRESS = PreparedQuery(
    orders.update()
    .where(orders.c.id == bindparam("order_id"))
    .values({name: bindparam(name) for name in _PROGRESS})
)


def _record(row: Sequence[Any]) -> OrderRecord:
    values = dict(zip(_FIELDS, row, strict=True))
    values["numbers"] = orjson.loads(values["numbers"])
    return OrderRecord(**values)


def _row(record: OrderRecord) -> dict[str, Any]:
    return row_of(record) | {"numbers": orjson.dumps(record.numbers).decode()}


def insert(connection: Connection, record: OrderRecord) -> None:
    run(connection, _INSERT, **_row(record))


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
    row = _row(record)
    run(connection, _SAVE_PROGRESS, order_id=record.id, **{name: row[name] for name in _PROGRESS})
