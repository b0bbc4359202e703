"""Calls and their invocations in the store. A call is saved whole, as its machine state, with
the columns the background driver and the listing search on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Connection, bindparam, or_, select

from localchime.families.pstn_audio import machine
from localchime.families.pstn_audio.machine import CallState
from localchime.families.pstn_audio.tables import pstn_call_invocations, pstn_calls
from localchime.store import Store
from localchime.store.prepared import PreparedQuery, insert_row, run


@dataclass(frozen=True, slots=True)
class Invocation:
    sequence: int
    at_ms: int
    event_type: str
    event: dict[str, Any]
    answered: bool
    """False when every attempt failed; then `answer` means nothing."""
    answer: Any
    failures: list[str]
    refusal: str | None


_INSERT_CALL = insert_row(pstn_calls)
_CALL_FOR_UPDATE = PreparedQuery(
    select(pstn_calls.c.version, pstn_calls.c.state)
    .where(pstn_calls.c.transaction_id == bindparam("id"))
    .with_for_update()
)
_CALL = PreparedQuery(
    select(pstn_calls.c.state).where(pstn_calls.c.transaction_id == bindparam("id"))
)
_SAVE = PreparedQuery(
    pstn_calls.update()
    .where(pstn_calls.c.transaction_id == bindparam("id"))
    .values(
        status=bindparam("status"),
        due_ms=bindparam("due_ms"),
        pending=bindparam("pending"),
        version=bindparam("version"),
        state=bindparam("state"),
    )
)
_NEWEST = PreparedQuery(
    select(pstn_calls.c.state)
    .order_by(pstn_calls.c.created_ms.desc(), pstn_calls.c.transaction_id.desc())
    .limit(bindparam("limit"))
)
_WAITING = PreparedQuery(
    select(pstn_calls.c.transaction_id)
    .where(
        pstn_calls.c.status == "InProgress",
        or_(pstn_calls.c.pending.is_(True), pstn_calls.c.due_ms <= bindparam("now_ms")),
    )
    .order_by(pstn_calls.c.due_ms)
    .limit(bindparam("limit"))
)
_INSERT_INVOCATION = insert_row(pstn_call_invocations)
_INVOCATIONS = PreparedQuery(
    select(
        pstn_call_invocations.c.sequence,
        pstn_call_invocations.c.at_ms,
        pstn_call_invocations.c.event_type,
        pstn_call_invocations.c.event,
        pstn_call_invocations.c.answer,
        pstn_call_invocations.c.failures,
        pstn_call_invocations.c.refusal,
    )
    .where(pstn_call_invocations.c.transaction_id == bindparam("id"))
    .order_by(pstn_call_invocations.c.sequence)
)


def _columns(state: CallState, version: int) -> dict[str, Any]:
    return {
        "status": state["Status"],
        "due_ms": machine.due_ms(state),
        "pending": machine.needs_handler(state) or state.get("InFlight") is not None,
        "version": version,
        "state": orjson.dumps(state).decode(),
    }


def insert_call(connection: Connection, state: CallState) -> None:
    run(
        connection,
        _INSERT_CALL,
        transaction_id=state["TransactionId"],
        account=state["AccountId"],
        region=state["AwsRegion"],
        application_id=state["SipMediaApplicationId"],
        created_ms=state["CreatedMs"],
        **_columns(state, 1),
    )


def call_for_update(connection: Connection, transaction_id: str) -> tuple[int, CallState] | None:
    rows = run(connection, _CALL_FOR_UPDATE, id=transaction_id)
    if not rows:
        return None
    version, state = rows[0]
    return int(version), orjson.loads(state)


def save_call(connection: Connection, state: CallState, version: int) -> None:
    run(connection, _SAVE, id=state["TransactionId"], **_columns(state, version))


def call(store: Store, transaction_id: str) -> CallState | None:
    rows = store.fetch(_CALL, id=transaction_id)
    return orjson.loads(rows[0][0]) if rows else None


def newest_calls(store: Store, limit: int) -> list[CallState]:
    return [orjson.loads(row[0]) for row in store.fetch(_NEWEST, limit=limit)]


def waiting_calls(store: Store, now_ms: int, limit: int) -> list[str]:
    """Calls in progress with an event for the handler, or a step due by `now_ms`."""
    return [row[0] for row in store.fetch(_WAITING, now_ms=now_ms, limit=limit)]


def record_invocation(connection: Connection, transaction_id: str, invocation: Invocation) -> None:
    run(
        connection,
        _INSERT_INVOCATION,
        transaction_id=transaction_id,
        sequence=invocation.sequence,
        at_ms=invocation.at_ms,
        event_type=invocation.event_type,
        event=orjson.dumps(invocation.event).decode(),
        answer=orjson.dumps(invocation.answer).decode() if invocation.answered else None,
        failures=orjson.dumps(invocation.failures).decode(),
        refusal=invocation.refusal,
    )


def invocations(store: Store, transaction_id: str) -> list[Invocation]:
    return [
        Invocation(
            sequence=sequence,
            at_ms=at_ms,
            event_type=event_type,
            event=orjson.loads(event),
            answered=answer is not None,
            answer=None if answer is None else orjson.loads(answer),
            failures=orjson.loads(failures),
            refusal=refusal,
        )
        for sequence, at_ms, event_type, event, answer, failures, refusal in store.fetch(
            _INVOCATIONS, id=transaction_id
        )
    ]
