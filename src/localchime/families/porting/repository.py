"""Repository for porting requests and their transition history."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, select

from localchime.families.porting.tables import porting_history, porting_requests
from localchime.store.prepared import PreparedQuery, run


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


_INSERT = PreparedQuery(
    porting_requests.insert().values(
        order_id=bindparam("order_id"),
        requested_foc_ms=bindparam("requested_foc_ms"),
        scenario=bindparam("scenario"),
    )
)
_GET = PreparedQuery(
    select(
        porting_requests.c.order_id,
        porting_requests.c.requested_foc_ms,
        porting_requests.c.scenario,
    ).where(porting_requests.c.order_id == bindparam("order_id"))
)
_SET_REQUESTED = PreparedQuery(
    porting_requests.update()
    .where(porting_requests.c.order_id == bindparam("order_id"))
    .values(requested_foc_ms=bindparam("requested_foc_ms"))
)
_RECORD = PreparedQuery(
    porting_history.insert().values(
        order_id=bindparam("order_id"),
        at_ms=bindparam("at_ms"),
        event=bindparam("event"),
        from_status=bindparam("from_status"),
        to_status=bindparam("to_status"),
        foc_ms=bindparam("foc_ms"),
    )
)
_HISTORY = PreparedQuery(
    select(
        porting_history.c.at_ms,
        porting_history.c.event,
        porting_history.c.from_status,
        porting_history.c.to_status,
        porting_history.c.foc_ms,
    )
    .where(porting_history.c.order_id == bindparam("order_id"))
    .order_by(porting_history.c.id)
)


def insert(connection: Connection, request: PortingRequest) -> None:
    run(
        connection,
        _INSERT,
        order_id=request.order_id,
        requested_foc_ms=request.requested_foc_ms,
        scenario=request.scenario,
    )


def get(connection: Connection, order_id: str) -> PortingRequest | None:
    rows = run(connection, _GET, order_id=order_id)
    return PortingRequest(*rows[0]) if rows else None


def set_requested_foc(connection: Connection, order_id: str, requested_foc_ms: int) -> None:
    run(connection, _SET_REQUESTED, order_id=order_id, requested_foc_ms=requested_foc_ms)


def record(connection: Connection, order_id: str, entry: HistoryEntry) -> None:
    run(
        connection,
        _RECORD,
        order_id=order_id,
        at_ms=entry.at_ms,
        event=entry.event,
        from_status=entry.from_status,
        to_status=entry.to_status,
        foc_ms=entry.foc_ms,
    )


def history(connection: Connection, order_id: str) -> list[HistoryEntry]:
    return [HistoryEntry(*row) for row in run(connection, _HISTORY, order_id=order_id)]
