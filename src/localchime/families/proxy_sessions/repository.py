"""Repository for proxy sessions, and the one expression that says when a session ended.

A session ends at the first of two moments (docs/proxy-sessions.md):
- its expiry, `expires_ms`;
- the removal of its connector's proxy configuration: this family numbers each removal
  (`voice_connector_setting_removals`, from the Voice Connector family's `SETTING_DELETED`
  event), and the session ends at the one after those it was created under.
`session_end` computes that in SQL, so a status filter is a WHERE clause and every reading of the
clock sees the session as the clock says, with nothing to run when time passes.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import BindParameter, Connection, and_, bindparam, case, func, or_, select, tuple_

from localchime.families.proxy_sessions.tables import (
    proxy_sessions,
    voice_connector_setting_removals,
)
from localchime.families.voice_connectors.public import PROXY
from localchime.store.database import Snapshot
from localchime.store.prepared import PreparedQuery, insert_row, run

OPEN = "Open"
CLOSED = "Closed"


@dataclass(slots=True)
class Session:
    session_id: str
    account: str
    region: str
    voice_connector_id: str
    name: str | None
    capabilities: str
    """Comma-separated, in the order given: `Voice,SMS`."""
    expiry_minutes: int
    expires_ms: int
    number_selection: str | None
    geo_match_level: str | None
    geo_country: str | None
    geo_area_code: str | None
    participant_1: str
    participant_2: str
    proxy_phone_number: str
    proxy_removals: int
    created_ms: int
    updated_ms: int
    ended_ms: int = 0
    """When it ends or ended: computed by `session_end`, never stored."""

    def closed(self, now_ms: int) -> bool:
        return self.ended_ms <= now_ms


_STORED = tuple(f.name for f in fields(Session) if f.name in proxy_sessions.c)
_COLUMNS = tuple(proxy_sessions.c[name] for name in _STORED)
_REMOVALS = voice_connector_setting_removals
_WITH_REMOVAL = proxy_sessions.outerjoin(
    _REMOVALS,
    and_(
        _REMOVALS.c.voice_connector_id == proxy_sessions.c.voice_connector_id,
        _REMOVALS.c.kind == PROXY.kind,
        _REMOVALS.c.seq == proxy_sessions.c.proxy_removals + 1,
    ),
)
session_end = case(
    (_REMOVALS.c.removed_ms < proxy_sessions.c.expires_ms, _REMOVALS.c.removed_ms),
    else_=proxy_sessions.c.expires_ms,
)
_SELECT = select(*_COLUMNS, session_end.label("ended_ms")).select_from(_WITH_REMOVAL)
_KEY = (
    proxy_sessions.c.session_id == bindparam("id"),
    proxy_sessions.c.voice_connector_id == bindparam("connector_id"),
    proxy_sessions.c.account == bindparam("account"),
    proxy_sessions.c.region == bindparam("region"),
)
_ONE = PreparedQuery(_SELECT.where(*_KEY))
# PostgreSQL cannot lock the nullable side of an outer join: only the session row is locked.
_ONE_FOR_UPDATE = PreparedQuery(_SELECT.where(*_KEY).with_for_update(of=proxy_sessions))
_INSERT = insert_row(proxy_sessions)
_UPDATE = PreparedQuery(
    proxy_sessions.update()
    .where(proxy_sessions.c.session_id == bindparam("id"))
    .values(
        capabilities=bindparam("capabilities"),
        expiry_minutes=bindparam("expiry_minutes"),
        expires_ms=bindparam("expires_ms"),
        updated_ms=bindparam("updated_ms"),
    )
)
_DELETE = PreparedQuery(
    proxy_sessions.delete().where(proxy_sessions.c.session_id == bindparam("id"))
)

_STATUS_FILTERS = {
    None: (),
    OPEN: (session_end > bindparam("now"),),
    CLOSED: (session_end <= bindparam("now"),),
}
_ORDER = (proxy_sessions.c.created_ms, proxy_sessions.c.session_id)
_PAGES = {
    (status, resumed): PreparedQuery(
        _SELECT.where(
            proxy_sessions.c.voice_connector_id == bindparam("connector_id"),
            *_STATUS_FILTERS[status],
            *(
                (tuple_(*_ORDER) > tuple_(bindparam("after_ms"), bindparam("after_id")),)
                if resumed
                else ()
            ),
        )
        .order_by(*_ORDER)
        .limit(bindparam("limit"))
    )
    for status in _STATUS_FILTERS
    for resumed in (False, True)
}
_PARTICIPANTS: tuple[BindParameter[str], ...] = (bindparam("a"), bindparam("b"))
_INVOLVING = PreparedQuery(
    select(proxy_sessions.c.proxy_phone_number, proxy_sessions.c.created_ms, session_end)
    .select_from(_WITH_REMOVAL)
    .where(
        proxy_sessions.c.account == bindparam("account"),
        proxy_sessions.c.region == bindparam("region"),
        or_(
            proxy_sessions.c.participant_1.in_(_PARTICIPANTS),
            proxy_sessions.c.participant_2.in_(_PARTICIPANTS),
        ),
    )
)


@dataclass(frozen=True, slots=True)
class Use:
    """A session, of any connector that still exists (a deleted connector's sessions go with
    it), in which one of two participants had `proxy_phone_number`."""

    proxy_phone_number: str
    created_ms: int
    ended_ms: int


def session(
    reads: Snapshot, account: str, region: str, connector_id: str, session_id: str
) -> Session | None:
    rows = reads.fetch(
        _ONE, id=session_id, connector_id=connector_id, account=account, region=region
    )
    return Session(*rows[0]) if rows else None


def session_for_update(
    connection: Connection, account: str, region: str, connector_id: str, session_id: str
) -> Session | None:
    rows = run(
        connection,
        _ONE_FOR_UPDATE,
        id=session_id,
        connector_id=connector_id,
        account=account,
        region=region,
    )
    return Session(*rows[0]) if rows else None


def session_page(
    reads: Snapshot,
    connector_id: str,
    status: str | None,
    now_ms: int,
    after: list[Any] | None,
    limit: int,
) -> list[Session]:
    """A page of the connector's sessions in creation order, of one status as of `now_ms` when
    `status` is Open or Closed."""
    params: dict[str, Any] = {"connector_id": connector_id, "limit": limit}
    if status is not None:
        params["now"] = now_ms
    if after is not None:
        params.update(after_ms=after[0], after_id=after[1])
    rows = reads.fetch(_PAGES[status, after is not None], **params)
    return [Session(*row) for row in rows]


def uses_by(
    connection: Connection, account: str, region: str, participants: tuple[str, str]
) -> list[Use]:
    """Every session, open or closed, of the account's connectors in the Region that either
    participant is in: what the choice of a proxy number weighs."""
    a, b = participants
    rows = run(connection, _INVOLVING, account=account, region=region, a=a, b=b)
    return [Use(*row) for row in rows]


def insert_session(connection: Connection, record: Session) -> None:
    run(connection, _INSERT, **{name: getattr(record, name) for name in _STORED})


def save_session(connection: Connection, record: Session) -> None:
    run(
        connection,
        _UPDATE,
        id=record.session_id,
        capabilities=record.capabilities,
        expiry_minutes=record.expiry_minutes,
        expires_ms=record.expires_ms,
        updated_ms=record.updated_ms,
    )


def delete_session(connection: Connection, session_id: str) -> None:
    run(connection, _DELETE, id=session_id)


# The proxy configuration's removals, and a deleted connector's leftovers

_REMOVAL_COUNT = PreparedQuery(
    select(func.count())
    .select_from(_REMOVALS)
    .where(_REMOVALS.c.voice_connector_id == bindparam("id"), _REMOVALS.c.kind == PROXY.kind)
)
_NOTE_REMOVAL = insert_row(_REMOVALS)
_DROP_REMOVALS = PreparedQuery(
    _REMOVALS.delete().where(_REMOVALS.c.voice_connector_id == bindparam("id"))
)
_DROP_SESSIONS = PreparedQuery(
    proxy_sessions.delete().where(proxy_sessions.c.voice_connector_id == bindparam("id"))
)


def proxy_removal_count(connection: Connection, connector_id: str) -> int:
    """How many times the connector's proxy configuration has been deleted."""
    return int(run(connection, _REMOVAL_COUNT, id=connector_id)[0][0])


def note_proxy_removal(connection: Connection, connector_id: str, at_ms: int) -> None:
    """Numbers the removal after those already kept. The publisher holds the connector's row
    lock, so the count it numbers from is its own."""
    run(
        connection,
        _NOTE_REMOVAL,
        voice_connector_id=connector_id,
        kind=PROXY.kind,
        seq=proxy_removal_count(connection, connector_id) + 1,
        removed_ms=at_ms,
    )


def drop_connector(connection: Connection, connector_id: str) -> None:
    """A deleted connector's sessions and removals: no operation can reach them any more, and
    the choice of a proxy number weighs only sessions of connectors that exist."""
    run(connection, _DROP_SESSIONS, id=connector_id)
    run(connection, _DROP_REMOVALS, id=connector_id)
