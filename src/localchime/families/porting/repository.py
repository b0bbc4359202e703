"""Repository for porting requests and their transition history."""

from __future__ import annotations

from dataclasses import dataclass, fields

from sqlalchemy import Connection, bindparam, select

from localchime.families.porting.tables import porting_history, porting_requests
from localchime.store.prepared import PreparedQuery, insert_row, row_of, run


@dataclass(frozen=True, slots=True)
class PortingRequest:
    order_id: str
    requested_foc_ms: int | None
    scenario: str | None


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    at_ms: int
    event: str
    from_status: str | None
    to_status: str
    foc_ms: int | None


_REQUEST_COLUMNS = [porting_requests.c[field.name] for field in fields(PortingRequest)]
_HISTORY_COLUMNS = [porting_history.c[field.name] for field in fields(HistoryEntry)]
_INSERT = insert_row(porting_requests)
_GET = PreparedQuery(
    select(*_REQUEST_COLUMNS).where(porting_requests.c.order_id == bindparam("order_id"))
)
_SET_REQUESTED = PreparedQuery(
    porting_requests.update()
    .where(porting_requests.c.order_id == bindparam("order_id"))
    .values(requested_foc_ms=bindparam("requested_foc_ms"))
)
_RECORD = insert_row(porting_history)
_HISTORY = PreparedQuery(
    select(*_HISTORY_COLUMNS)
    .where(porting_history.c.order_id == bindparam("order_id"))
    .order_by(porting_history.c.id)
)


def insert(connection: Connection, request: PortingRequest) -> None:
    run(connection, _INSERT, **row_of(request))


def get(connection: Connection, order_id: str) -> PortingRequest | None:
    rows = run(connection, _GET, order_id=order_id)
    return PortingRequest(*rows[0]) if rows else None


def set_requested_foc(connection: Connection, order_id: str, requested_foc_ms: int) -> None:
    run(connection, _SET_REQUESTED, order_id=order_id, requested_foc_ms=requested_foc_ms)


def record(connection: Connection, order_id: str, entry: HistoryEntry) -> None:
    run(connection, _RECORD, order_id=order_id, **row_of(entry))


def history(connection: Connection, order_id: str) -> list[HistoryEntry]:
    return [HistoryEntry(*row) for row in run(connection, _HISTORY, order_id=order_id)]
