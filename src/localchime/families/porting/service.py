"""The porting workflow: opening a porting order, carrier events, history. The control API
(standing in for AWS's support case) drives it; GetPhoneNumberOrder and ListPhoneNumberOrders
show its orders.

SPEC (porting orders): a porting order is `OrderType: Porting`; its statuses are Submitted,
PendingDocuments, FOC, ChangeRequested, Exception, CancelRequested, Cancelled and, once ported,
Successful. Its numbers are PortinInProgress until the FOC date, when they become Unassigned.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from localchime.config import Settings
from localchime.core.clock import later
from localchime.core.ids import new_guid
from localchime.domain.numbering import NumberInfo
from localchime.families.orders import public as orders
from localchime.families.orders.public import OrderRecord, inventory_entry
from localchime.families.phone_numbers import public as phone_numbers
from localchime.families.phone_numbers.public import (
    check_number_quota,
    hold_number_quota,
    obstacle,
)
from localchime.families.porting import repository as porting
from localchime.families.porting.errors import (
    EventNotAllowed,
    NotAPortingOrder,
    NumberNotPortable,
    PortedConcurrently,
    PortingOrderNotFound,
    UnknownEvent,
)
from localchime.families.porting.lifecycle import (
    CANCEL,
    COMPLETE,
    HAPPY_PATH,
    SCENARIO,
    confirm_foc,
    move,
    set_numbers,
)
from localchime.families.porting.repository import PortingRequest
from localchime.families.voice_connectors import public as voice_connectors
from localchime.protocol.errors import BadRequest
from localchime.store import Store, timers

ACTIVE = ("Submitted", "PendingDocuments", "FOC", "ChangeRequested", "Exception")
EVENTS: dict[str, tuple[tuple[str, ...], str]] = {
    "request-documents": (("Submitted",), "PendingDocuments"),
    "documents-received": (("PendingDocuments",), "Submitted"),
    "confirm-foc": (("Submitted",), "FOC"),
    "request-change": (("Submitted", "PendingDocuments", "FOC"), "ChangeRequested"),
    "change-accepted": (("ChangeRequested",), "Submitted"),
    "raise-exception": (("Submitted", "PendingDocuments", "FOC", "ChangeRequested"), "Exception"),
    "resolve": (("Exception",), "Submitted"),
    "cancel": (ACTIVE, "CancelRequested"),
}
"""event → (statuses it applies to, status it leads to)."""
SCENARIOS = (HAPPY_PATH,)


def allowed_events(status: str) -> list[str]:
    return [event for event, (sources, _) in EVENTS.items() if status in sources]


@dataclass(frozen=True, slots=True)
class PortingSpec:
    """A validated request to open a porting order."""

    account: str
    region: str
    numbers: list[NumberInfo]
    product_type: str
    requested_foc_ms: int | None
    name: str | None
    scenario: str | None


def open_porting_order(
    store: Store, settings: Settings, spec: PortingSpec, now_ms: int
) -> OrderRecord:
    order = OrderRecord(
        id=new_guid(),
        account=spec.account,
        region=spec.region,
        product_type=spec.product_type,
        order_type="Porting",
        status="Submitted",
        name=spec.name,
        numbers=[[n.e164, "Processing"] for n in spec.numbers],
        created_ms=now_ms,
        updated_ms=now_ms,
    )
    try:
        with store.write() as connection:
            hold_number_quota(settings, connection, spec.account)
            if settings.porting_requires_voice_connector:
                _check_voice_connector(connection, spec)
            _check_portable(connection, spec)
            # Numbers being ported in count against the quota (SPEC: default quotas).
            check_number_quota(settings, connection, spec.account, len(spec.numbers))
            orders.insert(connection, order)
            porting.insert(
                connection, PortingRequest(order.id, spec.requested_foc_ms, spec.scenario)
            )
            phone_numbers.insert_many(
                connection, [inventory_entry(order, n, "PortinInProgress") for n in spec.numbers]
            )
            porting.record(
                connection,
                order.id,
                porting.HistoryEntry(now_ms, "submitted", None, "Submitted", None),
            )
            if spec.scenario == HAPPY_PATH:
                due = later(now_ms, settings.porting_foc_confirm_seconds)
                timers.schedule(connection, due, SCENARIO, order.id)
    except IntegrityError:
        raise PortedConcurrently() from None
    return order


def _check_voice_connector(connection: Connection, spec: PortingSpec) -> None:
    """SPEC (porting orders): VoiceConnector numbers port only into a Region where the account
    has a Voice Connector."""
    if spec.product_type != "VoiceConnector":
        return
    if not voice_connectors.has_connector_in(connection, spec.account, spec.region):
        raise BadRequest(
            f"Porting VoiceConnector numbers needs a Voice Connector in {spec.region}; account "
            f"{spec.account} has none there. Create one first (CreateVoiceConnector), or start "
            "localchime with LOCALCHIME_PORTING_REQUIRES_VOICE_CONNECTOR=false"
        )


def _check_portable(connection: Connection, spec: PortingSpec) -> None:
    for number in spec.numbers:
        found = obstacle(connection, spec.account, spec.region, number.e164)
        if found is not None:
            raise NumberNotPortable(number.e164, spec.account, spec.region, *found)


def load_porting_order(connection: Connection, order_id: str) -> tuple[OrderRecord, PortingRequest]:
    order = orders.get_by_id(connection, order_id.lower())
    if order is None:
        raise PortingOrderNotFound(order_id)
    request = porting.get(connection, order.id)
    if order.order_type != "Porting" or request is None:
        raise NotAPortingOrder(order.id, order.order_type)
    return order, request


def apply_event(
    store: Store, settings: Settings, order_id: str, event: str, foc_ms: int | None, now_ms: int
) -> OrderRecord:
    if event not in EVENTS:
        raise UnknownEvent(event, list(EVENTS))
    with store.write() as connection:
        order, request = load_porting_order(connection, order_id)
        sources, target = EVENTS[event]
        if order.status not in sources:
            raise EventNotAllowed(event, order.id, order.status, allowed_events(order.status))
        if foc_ms is not None and foc_ms < now_ms:
            raise BadRequest("FocDate must not be before the service clock's now")
        if event == "confirm-foc":
            confirmed = foc_ms if foc_ms is not None else request.requested_foc_ms
            if confirmed is None:
                raise BadRequest("confirm-foc needs a FocDate: the porting request named none")
            if confirmed < now_ms:
                raise BadRequest("The requested FOC date has passed; give a new FocDate")
            confirm_foc(connection, order, confirmed, now_ms)
            return order
        if foc_ms is not None and event in ("request-change", "change-accepted"):
            porting.set_requested_foc(connection, order.id, foc_ms)
        elif foc_ms is not None:
            raise BadRequest(
                f"FocDate applies to confirm-foc, request-change and change-accepted, not {event}"
            )
        if order.status == "FOC":
            # The port no longer happens on the confirmed date unless it is confirmed again.
            timers.cancel(connection, COMPLETE, order.id)
        if event == "cancel":
            set_numbers(connection, order, "PortinCancelRequested", now_ms)
            due = later(now_ms, settings.porting_cancel_seconds)
            timers.schedule(connection, due, CANCEL, order.id)
        move(connection, order, event, target, now_ms)
    return order


def history(store: Store, order_id: str) -> list[porting.HistoryEntry]:
    with store.read() as connection:
        order, _ = load_porting_order(connection, order_id)
        return porting.history(connection, order.id)


def porting_order(store: Store, order_id: str) -> tuple[OrderRecord, PortingRequest]:
    with store.read() as connection:
        return load_porting_order(connection, order_id)
