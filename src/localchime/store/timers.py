"""Repository for timers: time-driven transitions waiting for the service clock."""

from __future__ import annotations

from sqlalchemy import Connection, bindparam, select

from localchime.store.prepared import PreparedQuery, run
from localchime.store.schema import timers

_SCHEDULE = PreparedQuery(
    timers.insert().values(due_ms=bindparam("due_ms"), kind=bindparam("kind"), ref=bindparam("ref"))
)
_DUE = PreparedQuery(
    select(timers.c.id, timers.c.due_ms, timers.c.kind, timers.c.ref)
    .where(timers.c.due_ms <= bindparam("now_ms"))
    .order_by(timers.c.due_ms, timers.c.id)
    .limit(bindparam("limit"))
)
_TAKE = PreparedQuery(
    timers.delete().where(timers.c.id == bindparam("timer_id")).returning(timers.c.id)
)


def schedule(connection: Connection, due_ms: int, kind: str, ref: str) -> None:
    run(connection, _SCHEDULE, due_ms=due_ms, kind=kind, ref=ref)


def due(connection: Connection, now_ms: int, limit: int) -> list[tuple[int, int, str, str]]:
    """(id, due_ms, kind, ref) of due timers, earliest first."""
    return [
        (int(timer_id), int(due_ms), str(kind), str(ref))
        for timer_id, due_ms, kind, ref in run(connection, _DUE, now_ms=now_ms, limit=limit)
    ]


def kinds(connection: Connection) -> set[str]:
    """Every kind of timer waiting in the database."""
    return {str(kind) for (kind,) in connection.execute(select(timers.c.kind).distinct())}


def take(connection: Connection, timer_id: int) -> bool:
    """Deletes a timer; False if another worker or replica took it first."""
    return bool(run(connection, _TAKE, timer_id=timer_id))


_CANCEL = PreparedQuery(
    timers.delete().where(timers.c.kind == bindparam("kind"), timers.c.ref == bindparam("ref"))
)


def cancel(connection: Connection, kind: str, ref: str) -> None:
    """Drops a scheduled transition that no longer applies."""
    run(connection, _CANCEL, kind=kind, ref=ref)
