"""Control endpoints for porting orders, the stand-in for AWS's port-in support case.

- POST /_localchime/porting-orders                ← {AccountId, Region, E164PhoneNumbers,
  ProductType, RequestedFocDate?, Name?, scenario?}                      → 201, the order
- GET  /_localchime/porting-orders/{id}                                  → the order
- POST /_localchime/porting-orders/{id}/events    ← {"event": ..., "foc_date"?} → the order
- GET  /_localchime/porting-orders/{id}/history                          → its transitions
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from localchime.control.api import Handler, Reply, bad_control_request, json_object, parse_moment
from localchime.core.clock import to_datetime
from localchime.protocol.messages import Request
from localchime.protocol.serializer import format_timestamp, to_json
from localchime.services import porting
from localchime.services.orders import order_view
from localchime.spec.model import service_model
from localchime.store.orders import OrderRecord
from localchime.store.porting import PortingRequest

if TYPE_CHECKING:
    from localchime.app import LocalChime


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


def porting_routes(app: LocalChime) -> list[tuple[str, str, Handler]]:
    def create(request: Request, _params: dict[str, str]) -> Reply:
        spec = porting.parse_spec(json_object(request.body), parse_moment)
        order = porting.open_porting_order(app.store, app.settings, spec, app.now_ms())
        return 201, porting_document(
            order, PortingRequest(order.id, spec.requested_foc_ms, spec.scenario)
        )

    def show(_request: Request, params: dict[str, str]) -> Reply:
        app.now_ms()
        return 200, porting_document(*porting.porting_order(app.store, params["id"]))

    def event(request: Request, params: dict[str, str]) -> Reply:
        body = json_object(request.body)
        name = body.get("event")
        if not isinstance(name, str):
            raise bad_control_request(
                f'Send {{"event": ...}}; valid events: {", ".join(porting.EVENTS)}'
            )
        foc_ms = (
            None if body.get("foc_date") is None else parse_moment("foc_date", body["foc_date"])
        )
        order = porting.apply_event(
            app.store, app.settings, params["id"], name, foc_ms, app.now_ms()
        )
        return 200, porting_document(*porting.porting_order(app.store, order.id))

    def history(_request: Request, params: dict[str, str]) -> Reply:
        app.now_ms()
        entries = porting.history(app.store, params["id"])
        return 200, {
            "PhoneNumberOrderId": params["id"].lower(),
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

    return [
        ("POST", "/porting-orders", create),
        ("GET", "/porting-orders/{id}", show),
        ("POST", "/porting-orders/{id}/events", event),
        ("GET", "/porting-orders/{id}/history", history),
    ]
