"""Porting orders over time: the FOC date, cancellation, and the simulated carrier.

- `porting.complete` at the FOC date: the numbers are acquired as a new order's are, and the
  order ends Successful (or Partial/Failed if another account got a number first). SPEC: numbers
  activate on the FOC date.
- `porting.cancel`, a configurable delay after `cancel`: CancelRequested → Cancelled, and the
  numbers become Cancelled; `porting.release`, as long again, takes them out of the inventory.
- `porting.scenario`: the happy-path carrier confirms the FOC date on its own timetable.
"""

from __future__ import annotations

from sqlalchemy import Connection

from localchime.config import Settings
from localchime.core.clock import later
from localchime.core.family import Transitions
from localchime.families.orders import public as orders
from localchime.families.orders.public import OrderRecord, acquire_numbers
from localchime.families.phone_numbers import public as phone_numbers
from localchime.families.porting import repository as porting
from localchime.families.porting.repository import HistoryEntry
from localchime.store import timers

TRANSITIONS = Transitions()
COMPLETE = "porting.complete"
CANCEL = "porting.cancel"
RELEASE = "porting.release"
SCENARIO = "porting.scenario"
HAPPY_PATH = "happy-path"


def move(
    connection: Connection, order: OrderRecord, event: str, to_status: str, at_ms: int
) -> None:
    """Moves the order, stamps UpdatedTimestamp, saves it and writes the history line."""
    entry = HistoryEntry(at_ms, event, order.status, to_status, order.foc_ms)
    order.status = to_status
    order.updated_ms = at_ms
    orders.save_progress(connection, order)
    porting.record(connection, order.id, entry)


def set_numbers(connection: Connection, order: OrderRecord, status: str, at_ms: int) -> None:
    for e164, _ in order.numbers:
        phone_numbers.set_status(
            connection, order.account, order.region, e164, status, at_ms, capable=False
        )


def confirm_foc(connection: Connection, order: OrderRecord, foc_ms: int, at_ms: int) -> None:
    order.foc_ms = foc_ms
    move(connection, order, "confirm-foc", "FOC", at_ms)
    timers.schedule(connection, foc_ms, COMPLETE, order.id)


@TRANSITIONS(COMPLETE)
def complete(connection: Connection, _settings: Settings, order_id: str, due_ms: int) -> None:
    order = orders.get_by_id(connection, order_id)
    if order is None or order.status != "FOC":
        return
    before = order.status
    acquire_numbers(connection, order, due_ms)
    orders.save_progress(connection, order)
    porting.record(
        connection,
        order.id,
        HistoryEntry(due_ms, "foc-date-reached", before, order.status, order.foc_ms),
    )


@TRANSITIONS(CANCEL)
def cancelled(connection: Connection, settings: Settings, order_id: str, due_ms: int) -> None:
    order = orders.get_by_id(connection, order_id)
    if order is None or order.status != "CancelRequested":
        return
    for entry in order.numbers:
        entry[1] = "Failed"
    set_numbers(connection, order, "Cancelled", due_ms)
    move(connection, order, "cancelled", "Cancelled", due_ms)
    timers.schedule(connection, later(due_ms, settings.porting_cancel_seconds), RELEASE, order_id)


@TRANSITIONS(RELEASE)
def release(connection: Connection, _settings: Settings, order_id: str, _due_ms: int) -> None:
    order = orders.get_by_id(connection, order_id)
    if order is None:
        return
    for e164, _ in order.numbers:
        record = phone_numbers.status_of(connection, order.account, order.region, e164)
        if record == "Cancelled":
            phone_numbers.delete(connection, order.account, order.region, e164)


@TRANSITIONS(SCENARIO)
def carrier_confirms(
    connection: Connection, settings: Settings, order_id: str, due_ms: int
) -> None:
    """The simulated carrier confirms once; if someone moved the order by hand meanwhile, the
    hand wins and the scenario stands aside."""
    order = orders.get_by_id(connection, order_id)
    request = porting.get(connection, order_id)
    if order is None or request is None or order.status != "Submitted":
        return
    earliest = later(due_ms, settings.porting_foc_lead_seconds)
    requested = request.requested_foc_ms
    confirm_foc(
        connection, order, requested if requested and requested > due_ms else earliest, due_ms
    )
