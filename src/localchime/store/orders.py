"""Repository for phone number orders."""

from __future__ import annotations

from dataclasses import dataclass

import orjson
from sqlalchemy import Connection, and_, bindparam, or_, select

from localchime.store.database import PreparedQuery, Snapshot
from localchime.store.schema import phone_number_orders as orders


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


_COLUMNS = (
    orders.c.id,
    orders.c.account,
    orders.c.region,
    orders.c.product_type,
    orders.c.order_type,
    orders.c.status,
    orders.c.name,
    orders.c.numbers,
    orders.c.created_ms,
    orders.c.updated_ms,
    orders.c.foc_ms,
)


def _record(row: tuple) -> OrderRecord:  # type: ignore[type-arg]
    values = list(row)
    values[7] = orjson.loads(values[7])
    return OrderRecord(*values)


def insert(connection: Connection, record: OrderRecord) -> None:
    connection.execute(
        orders.insert().values(
            id=record.id,
            account=record.account,
            region=record.region,
            product_type=record.product_type,
            order_type=record.order_type,
            status=record.status,
            name=record.name,
            numbers=orjson.dumps(record.numbers).decode(),
            created_ms=record.created_ms,
            updated_ms=record.updated_ms,
            foc_ms=record.foc_ms,
        )
    )


_GET = PreparedQuery(
    select(*_COLUMNS).where(
        orders.c.id == bindparam("order_id"),
        orders.c.account == bindparam("account"),
        orders.c.region == bindparam("region"),
    )
)


def get(reads: Snapshot, account: str, region: str, order_id: str) -> OrderRecord | None:
    """GetPhoneNumberOrder's read, on the store's fast path."""
    rows = reads.fetch(_GET, order_id=order_id, account=account, region=region)
    return _record(rows[0]) if rows else None


def get_by_id(connection: Connection, order_id: str) -> OrderRecord | None:
    row = connection.execute(select(*_COLUMNS).where(orders.c.id == order_id)).first()
    return None if row is None else _record(row)


def page_newest_first(
    connection: Connection, account: str, region: str, after: tuple[int, str] | None, limit: int
) -> list[OrderRecord]:
    """Up to `limit` orders, newest first, strictly after the (created_ms, id) key given."""
    query = select(*_COLUMNS).where(orders.c.account == account, orders.c.region == region)
    if after is not None:
        created_ms, order_id = after
        query = query.where(
            or_(
                orders.c.created_ms < created_ms,
                and_(orders.c.created_ms == created_ms, orders.c.id < order_id),
            )
        )
    query = query.order_by(orders.c.created_ms.desc(), orders.c.id.desc()).limit(limit)
    return [_record(row) for row in connection.execute(query)]


def save_progress(connection: Connection, record: OrderRecord) -> None:
    connection.execute(
        orders.update()
        .where(orders.c.id == record.id)
        .values(
            status=record.status,
            numbers=orjson.dumps(record.numbers).decode(),
            updated_ms=record.updated_ms,
            foc_ms=record.foc_ms,
        )
    )
