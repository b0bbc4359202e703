"""Repository for timers: time-driven transitions waiting for the service clock."""

from __future__ import annotations

from sqlalchemy import Connection, select

from localchime.store.schema import timers


def schedule(connection: Connection, due_ms: int, kind: str, ref: str) -> None:
    connection.execute(timers.insert().values(due_ms=due_ms, kind=kind, ref=ref))


def due(connection: Connection, now_ms: int, limit: int) -> list[tuple[int, int, str, str]]:
    """(id, due_ms, kind, ref) of due timers, earliest first."""
    rows = connection.execute(
        select(timers.c.id, timers.c.due_ms, timers.c.kind, timers.c.ref)
        .where(timers.c.due_ms <= now_ms)
        .order_by(timers.c.due_ms, timers.c.id)
        .limit(limit)
    )
    return [tuple(row) for row in rows]  # type: ignore[misc]


def take(connection: Connection, timer_id: int) -> bool:
    """Deletes a timer; False if another worker or replica took it first."""
    return connection.execute(timers.delete().where(timers.c.id == timer_id)).rowcount == 1
