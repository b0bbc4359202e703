"""The orders family's resource, declared once: phone number orders (`phone-number-order`)."""

from __future__ import annotations

from localchime.core.resources import Resource
from localchime.families.orders.repository import OrderRecord
from localchime.families.orders.tables import phone_number_orders


def _lowered(ident: str) -> str:
    return ident.strip().lower()  # GuidString ids are case-insensitive


ORDER = Resource(
    kind="phone number order",
    arn_type="phone-number-order",
    members=("PhoneNumberOrderId",),
    labels=("phoneNumberOrderId",),
    table=phone_number_orders,
    record=OrderRecord,
    list_operation="ListPhoneNumberOrders",
    canonical=_lowered,
)
RESOURCES = (ORDER,)
