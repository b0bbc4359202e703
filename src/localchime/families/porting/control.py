"""Control endpoints for porting orders, the stand-in for AWS's port-in support case.

- POST /_localchime/porting-orders                ← {AccountId, Region?, E164PhoneNumbers,
  ProductType, RequestedFocDate?, Name?, Scenario?}                      → 201, the order
- GET  /_localchime/porting-orders/{id}                                  → the order
- POST /_localchime/porting-orders/{id}/events    ← {"Event": ..., "FocDate"?} → the order
- GET  /_localchime/porting-orders/{id}/history                          → its transitions

The older names `scenario`, `event` and `foc_date` are accepted as aliases; any other key is a
400 that lists the allowed ones.
"""

from __future__ import annotations

import re
from typing import Any

from localchime.core.accounts import REGION_NAME
from localchime.core.clock import to_datetime
from localchime.core.control import (
    ControlContext,
    ControlRequest,
    Field,
    Reply,
    parse_moment,
)
from localchime.core.family import ControlRoutes
from localchime.domain.numbering import NumberInfo, orderable_numbers
from localchime.families.orders.public import OrderRecord, order_view
from localchime.families.porting import service as porting
from localchime.families.porting.repository import PortingRequest
from localchime.families.porting.service import SCENARIOS, PortingSpec
from localchime.protocol.errors import BadRequest
from localchime.protocol.serializer import format_timestamp, to_json
from localchime.protocol.validator import compile_pattern
from localchime.spec.model import service_model

ROUTES = ControlRoutes()
_ACCOUNT_ID = re.compile(r"\d{12}")
CREATE_FIELDS = (
    Field(
        "AccountId",
        required=True,
        help="The 12-digit AWS account id the numbers port into.",
        rule="a 12-digit AWS account id, such as 111122223333",
    ),
    Field("Region", help="The AWS Region the numbers port into; default us-east-1."),
    Field(
        "E164PhoneNumbers",
        "list",
        required=True,
        help="The numbers to port, in E.164 form such as +12065550100.",
        rule="a non-empty list of E.164 phone numbers",
    ),
    Field(
        "ProductType",
        required=True,
        help="The product the numbers will serve once ported.",
        rule="one of: VoiceConnector, SipMediaApplicationDialIn",
    ),
    Field("RequestedFocDate", help="The requested FOC date (the day the numbers move), ISO 8601."),
    Field("Name", help="A name for the order, shown as its Name."),
    Field("Scenario", help="A simulated carrier, e.g. happy-path.", aliases=("scenario",)),
)
ORDER_ID = Field("id", required=True, where="path", help="The porting order's id.")
EVENT_FIELDS = (
    ORDER_ID,
    Field(
        "Event",
        required=True,
        help="A carrier event, e.g. confirm-foc.",
        aliases=("event",),
        rule="one of: " + ", ".join(porting.EVENTS),
        missing=f'Send {{"Event": ...}}; valid events: {", ".join(porting.EVENTS)}',
    ),
    Field(
        "FocDate",
        help="The FOC date, ISO 8601, for confirm-foc, request-change or change-accepted.",
        aliases=("foc_date",),
    ),
)


def _iso(ms: int | None) -> str | None:
    return None if ms is None else format_timestamp(to_datetime(ms))


def porting_document(order: OrderRecord, request: PortingRequest) -> dict[str, Any]:
    return {
        "PhoneNumberOrder": to_json(
            order_view(order), service_model().shape_for("PhoneNumberOrder")
        ),
        "AccountId": order.account,
        "Region": order.region,
        "RequestedFocDate": _iso(request.requested_foc_ms),
        "Scenario": request.scenario,
        "AllowedEvents": porting.allowed_events(order.status),
    }


@ROUTES("POST", "/porting-orders", name="porting-create", fields=CREATE_FIELDS)
def create(ctx: ControlContext, request: ControlRequest) -> Reply:
    spec = parse_spec(request.fields())
    order = porting.open_porting_order(ctx.store, ctx.settings, spec, ctx.now_ms())
    return 201, porting_document(
        order, PortingRequest(order.id, spec.requested_foc_ms, spec.scenario)
    )


@ROUTES("GET", "/porting-orders/{id}", name="porting-show", fields=(ORDER_ID,))
def show(ctx: ControlContext, request: ControlRequest) -> Reply:
    ctx.now_ms()
    return 200, porting_document(*porting.porting_order(ctx.store, request.params["id"]))


@ROUTES("POST", "/porting-orders/{id}/events", name="porting-event", fields=EVENT_FIELDS)
def event(ctx: ControlContext, request: ControlRequest) -> Reply:
    body = request.fields()
    name = body["Event"]
    foc_ms = None if body.get("FocDate") is None else parse_moment("FocDate", body["FocDate"])
    order = porting.apply_event(
        ctx.store, ctx.settings, request.params["id"], name, foc_ms, ctx.now_ms()
    )
    return 200, porting_document(*porting.porting_order(ctx.store, order.id))


@ROUTES("GET", "/porting-orders/{id}/history", name="porting-history", fields=(ORDER_ID,))
def history(ctx: ControlContext, request: ControlRequest) -> Reply:
    ctx.now_ms()
    entries = porting.history(ctx.store, request.params["id"])
    return 200, {
        "PhoneNumberOrderId": request.params["id"].lower(),
        "History": [
            {
                "At": _iso(e.at_ms),
                "Event": e.event,
                "From": e.from_status,
                "To": e.to_status,
                "FocDate": _iso(e.foc_ms),
            }
            for e in entries
        ],
    }


def parse_spec(document: dict[str, Any]) -> PortingSpec:
    """Checks the control API's body, keyed by PascalCase names (`ControlRequest.fields`);
    every message names the field and the rule."""
    account = document.get("AccountId")
    if not isinstance(account, str) or not _ACCOUNT_ID.fullmatch(account):
        raise BadRequest("AccountId must be a 12-digit AWS account id, such as 111122223333")
    region = document.get("Region", "us-east-1")
    if not isinstance(region, str) or not REGION_NAME.fullmatch(region):
        raise BadRequest("Region must be an AWS Region name, such as us-east-1")
    product_type = document.get("ProductType")
    product_types = service_model().shape_for("PhoneNumberProductType").enum
    if not isinstance(product_type, str) or product_type not in product_types:
        raise BadRequest(f"ProductType must be one of: {', '.join(product_types)}")
    numbers = _numbers(document.get("E164PhoneNumbers"), product_type)
    name = document.get("Name")
    if name is not None:
        name_shape = service_model().shape_for("PhoneNumberName")
        pattern = compile_pattern(name_shape.metadata["pattern"])
        if not isinstance(name, str) or len(name) > 256 or not pattern.fullmatch(name):
            raise BadRequest(
                "Name must be at most 256 letters, digits, spaces and , . _ - (PhoneNumberName)"
            )
    scenario = document.get("Scenario")
    if scenario is not None and scenario not in SCENARIOS:
        raise BadRequest(f"Scenario must be one of: {', '.join(SCENARIOS)}")
    requested = document.get("RequestedFocDate")
    requested_ms = None if requested is None else parse_moment("RequestedFocDate", requested)
    return PortingSpec(account, region, numbers, product_type, requested_ms, name, scenario)


def _numbers(raw: Any, product_type: str) -> list[NumberInfo]:
    if not isinstance(raw, list) or not raw or not all(isinstance(n, str) for n in raw):
        raise BadRequest("E164PhoneNumbers must be a non-empty list of E.164 phone numbers")
    return orderable_numbers(raw, product_type)
