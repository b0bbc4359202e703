"""How a phone number order looks on the wire: the one view the orders operations answer and
porting's control routes show."""

from __future__ import annotations

from typing import Any

from localchime.core.clock import to_datetime
from localchime.families.orders.repository import OrderRecord


def order_view(order: OrderRecord) -> dict[str, Any]:
    created = to_datetime(order.created_ms)
    # A new order was updated when it was created: one datetime serves both.
    updated = created if order.updated_ms == order.created_ms else to_datetime(order.updated_ms)
    return {
        "PhoneNumberOrderId": order.id,
        "ProductType": order.product_type,
        "Status": order.status,
        "OrderType": order.order_type,
        "OrderedPhoneNumbers": [
            {"E164PhoneNumber": e164, "Status": status} for e164, status in order.numbers
        ],
        "CreatedTimestamp": created,
        "UpdatedTimestamp": updated,
        # FocDate exists on porting orders only, and only once confirmed (SPEC: FocDate).
        "FocDate": None if order.foc_ms is None else to_datetime(order.foc_ms),
    }
