"""The service clock: real time plus an offset kept in the database, so replicas agree.

`/_localchime/clock` moves it; every service time (order fulfilment and, later, porting, the
deletion queue and calling names) reads it.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from sqlalchemy import Connection, func, select

from localchime.store import schema
from localchime.store.database import Snapshot
from localchime.store.prepared import PreparedQuery


def real_ms() -> int:
    return time.time_ns() // 1_000_000


def later(now_ms: int, seconds: float) -> int:
    """The clock reading `seconds` after `now_ms`: how a configured delay becomes a due time."""
    return now_ms + int(seconds * 1000)


def to_datetime(ms: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(ms / 1000, dt.UTC)


def to_ms(moment: dt.datetime) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return int(moment.timestamp() * 1000)


_CLOCK_STATE = select(
    schema.service_clock.c.offset_ms,
    select(func.min(schema.timers.c.due_ms)).scalar_subquery(),
).where(schema.service_clock.c.id == 1)
_PREPARED_CLOCK_STATE = PreparedQuery(_CLOCK_STATE)


def _state(row: Any) -> tuple[int, int | None]:
    return int(row[0]), (None if row[1] is None else int(row[1]))


def clock_state(connection: Connection) -> tuple[int, int | None]:
    """(offset_ms, the earliest due timer or None), in one round trip."""
    return _state(connection.execute(_CLOCK_STATE).one())


def read_clock_state(reads: Snapshot) -> tuple[int, int | None]:
    """The same, through the request's snapshot: the fast path every request takes."""
    return _state(reads.fetch(_PREPARED_CLOCK_STATE)[0])


def set_offset(connection: Connection, offset_ms: int) -> None:
    connection.execute(
        schema.service_clock.update()
        .where(schema.service_clock.c.id == 1)
        .values(offset_ms=offset_ms)
    )
