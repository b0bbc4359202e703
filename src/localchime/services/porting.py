"""Porting orders: opened through the control API (standing in for AWS's support case) and
driven by carrier events; visible through GetPhoneNumberOrder and ListPhoneNumberOrders.

SPEC (porting orders): a porting order is `OrderType: Porting`; its statuses are Submitted,
PendingDocuments, FOC, ChangeRequested, Exception, CancelRequested, Cancelled and, once ported,
Successful. Its numbers are PortinInProgress until the FOC date, when they become Unassigned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from localchime.config import Settings
from localchime.core.accounts import REGION_NAME
from localchime.core.ids import new_guid
from localchime.lifecycle.porting import (
    CANCEL,
    COMPLETE,
    HAPPY_PATH,
    SCENARIO,
    confirm_foc,
    move,
    set_numbers,
)
from localchime.protocol.errors import bad_request, conflict, not_found
from localchime.protocol.validator import compile_pattern
from localchime.services.numbering import NumberInfo, orderable_numbers
from localchime.services.orders import inventory_entry
from localchime.services.phone_numbers import obstacle
from localchime.spec.model import service_model
from localchime.store import Store, orders, phone_numbers, porting, timers
from localchime.store.orders import OrderRecord
from localchime.store.porting import PortingRequest

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
_ACCOUNT_ID = re.compile(r"\d{12}")


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


def parse_spec(document: dict[str, Any], parse_time: Any) -> PortingSpec:
    """Checks the control API's body; every message names the field and the rule."""
    account = document.get("AccountId")
    if not isinstance(account, str) or not _ACCOUNT_ID.fullmatch(account):
        raise bad_request("AccountId must be a 12-digit AWS account id, such as 111122223333")
    region = document.get("Region", "us-east-1")
    if not isinstance(region, str) or not REGION_NAME.fullmatch(region):
        raise bad_request("Region must be an AWS Region name, such as us-east-1")
    product_type = document.get("ProductType")
    product_types = service_model().shape_for("PhoneNumberProductType").enum
    if product_type not in product_types:
        raise bad_request(f"ProductType must be one of: {', '.join(product_types)}")
    numbers = _numbers(document.get("E164PhoneNumbers"), product_type)
    name = document.get("Name")
    if name is not None:
        name_shape = service_model().shape_for("PhoneNumberName")
        pattern = compile_pattern(name_shape.metadata["pattern"])
        if not isinstance(name, str) or len(name) > 256 or not pattern.fullmatch(name):
            raise bad_request(
                "Name must be at most 256 letters, digits, spaces and , . _ - (PhoneNumberName)"
            )
    scenario = document.get("scenario")
    if scenario is not None and scenario not in SCENARIOS:
        raise bad_request(f"scenario must be one of: {', '.join(SCENARIOS)}")
    requested = document.get("RequestedFocDate")
    requested_ms = None if requested is None else parse_time("RequestedFocDate", requested)
    return PortingSpec(account, region, numbers, product_type, requested_ms, name, scenario)


def _numbers(raw: Any, product_type: str) -> list[NumberInfo]:
    if not isinstance(raw, list) or not raw or not all(isinstance(n, str) for n in raw):
        raise bad_request("E164PhoneNumbers must be a non-empty list of E.164 phone numbers")
    return orderable_numbers(raw, product_type)


def open_porting_order(
    store: Store, settings: Settings, spec: PortingSpec, now_ms: int
) -> OrderRecord:
    if spec.product_type == "VoiceConnector" and settings.porting_requires_voice_connector:
        # Voice Connectors do not exist in localchime yet, so none can be found (README).
        raise bad_request(
            "Porting VoiceConnector numbers needs at least one Voice Connector in "
            f"{spec.region} (LOCALCHIME_PORTING_REQUIRES_VOICE_CONNECTOR is on)"
        )
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
            _check_portable(connection, spec)
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
                due = now_ms + int(settings.porting_foc_confirm_seconds * 1000)
                timers.schedule(connection, due, SCENARIO, order.id)
    except IntegrityError:
        raise conflict(
            "E164PhoneNumbers: one of these numbers entered this account's inventory at the same "
            "moment through another request"
        ) from None
    return order


def _check_portable(connection: Connection, spec: PortingSpec) -> None:
    for number in spec.numbers:
        e164 = number.e164
        found = obstacle(connection, spec.account, spec.region, e164)
        if found is None:
            continue
        reason, detail = found
        if reason == "inventory":
            raise conflict(
                f"{e164} is already in account {spec.account}'s inventory in {spec.region} "
                f"with status {detail}; it cannot be ported in"
            )
        if reason == "held":
            raise conflict(
                f"{e164} is held by another account of this service; it cannot be ported in"
            )
        raise conflict(f"{e164} is already being ported into account {detail}")


def load_porting_order(connection: Connection, order_id: str) -> tuple[OrderRecord, PortingRequest]:
    order = orders.get_by_id(connection, order_id.lower())
    if order is None:
        raise not_found(f"No phone number order {order_id}")
    request = porting.get(connection, order.id)
    if order.order_type != "Porting" or request is None:
        raise conflict(
            f"Order {order.id} is a {order.order_type} order; porting events apply to Porting "
            "orders only"
        )
    return order, request


def apply_event(
    store: Store, settings: Settings, order_id: str, event: str, foc_ms: int | None, now_ms: int
) -> OrderRecord:
    if event not in EVENTS:
        raise bad_request(f"Unknown event {event!r}; valid events: {', '.join(EVENTS)}")
    with store.write() as connection:
        order, request = load_porting_order(connection, order_id)
        sources, target = EVENTS[event]
        if order.status not in sources:
            allowed = allowed_events(order.status)
            raise conflict(
                f"Event {event!r} cannot apply to order {order.id} in status {order.status}; "
                f"allowed events: {', '.join(allowed) if allowed else 'none (the order is final)'}"
            )
        if foc_ms is not None and foc_ms < now_ms:
            raise bad_request("foc_date must not be before the service clock's now")
        if event == "confirm-foc":
            confirmed = foc_ms if foc_ms is not None else request.requested_foc_ms
            if confirmed is None:
                raise bad_request("confirm-foc needs a foc_date: the porting request named none")
            if confirmed < now_ms:
                raise bad_request("The requested FOC date has passed; give a new foc_date")
            confirm_foc(connection, order, confirmed, now_ms)
            return order
        if foc_ms is not None and event in ("request-change", "change-accepted"):
            porting.set_requested_foc(connection, order.id, foc_ms)
        elif foc_ms is not None:
            raise bad_request(
                f"foc_date applies to confirm-foc, request-change and change-accepted, not {event}"
            )
        if order.status == "FOC":
            # The port no longer happens on the confirmed date unless it is confirmed again.
            timers.cancel(connection, COMPLETE, order.id)
        if event == "cancel":
            set_numbers(connection, order, "PortinCancelRequested", now_ms)
            due = now_ms + int(settings.porting_cancel_seconds * 1000)
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
