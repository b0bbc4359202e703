"""Phone number orders: CreatePhoneNumberOrder, GetPhoneNumberOrder, ListPhoneNumberOrders.

Creating an order validates every number, puts each into the account's inventory as
AcquireInProgress and schedules the order's fulfilment on the service clock
(`lifecycle.orders`). Whether a number is won is settled at fulfilment, where the worldwide
holdings table lets exactly one account acquire it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from localchime.core.clock import to_datetime
from localchime.core.context import RequestContext
from localchime.core.ids import new_guid
from localchime.core.pagination import decode_token, encode_token
from localchime.lifecycle.orders import FULFIL
from localchime.protocol.errors import bad_request, not_found
from localchime.services.numbering import NumberInfo, orderable_numbers
from localchime.services.phone_numbers import check_number_quota, obstacle
from localchime.services.registry import Params, operation
from localchime.store import orders, phone_numbers, timers
from localchime.store.orders import OrderRecord
from localchime.store.phone_numbers import PhoneNumberRecord

DEFAULT_PAGE = 100
US = "US"


def order_view(order: OrderRecord) -> dict[str, Any]:
    return {
        "PhoneNumberOrderId": order.id,
        "ProductType": order.product_type,
        "Status": order.status,
        "OrderType": order.order_type,
        "OrderedPhoneNumbers": [
            {"E164PhoneNumber": e164, "Status": status} for e164, status in order.numbers
        ],
        "CreatedTimestamp": to_datetime(order.created_ms),
        "UpdatedTimestamp": to_datetime(order.updated_ms),
        # FocDate exists on porting orders only, and only once confirmed (SPEC: FocDate).
        "FocDate": None if order.foc_ms is None else to_datetime(order.foc_ms),
    }


@operation("CreatePhoneNumberOrder")
def create_phone_number_order(ctx: RequestContext, params: Params) -> dict[str, Any]:
    product_type = params["ProductType"]
    numbers = _orderable_numbers(ctx, params["E164PhoneNumbers"], product_type)
    order = OrderRecord(
        id=new_guid(),
        account=ctx.account,
        region=ctx.region,
        product_type=product_type,
        order_type="New",
        status="Processing",
        name=params.get("Name"),
        numbers=[[n.e164, "Processing"] for n in numbers],
        created_ms=ctx.now_ms,
        updated_ms=ctx.now_ms,
    )
    try:
        with ctx.store.write() as connection:
            _check_available(connection, ctx, numbers)
            check_number_quota(ctx, connection, len(numbers))
            orders.insert(connection, order)
            phone_numbers.insert_many(connection, [inventory_entry(order, n) for n in numbers])
            due_ms = ctx.now_ms + int(ctx.settings.order_fulfilment_seconds * 1000)
            timers.schedule(connection, due_ms, FULFIL, order.id)
    except IntegrityError:
        # Another request of this account ordered one of these numbers at the same moment; the
        # inventory's primary key let exactly one of us in.
        raise bad_request(
            "E164PhoneNumbers: one of these numbers was ordered by a concurrent request of this "
            "account; it is no longer available to order here"
        ) from None
    return {"PhoneNumberOrder": order_view(order)}


def _orderable_numbers(ctx: RequestContext, raw: list[str], product_type: str) -> list[NumberInfo]:
    limit = ctx.settings.max_numbers_per_order
    if not raw:
        raise bad_request("E164PhoneNumbers must contain at least one phone number")
    if len(raw) > limit:
        raise bad_request(
            f"E164PhoneNumbers has {len(raw)} numbers; an order may contain at most {limit} "
            "(LOCALCHIME_MAX_NUMBERS_PER_ORDER)"
        )
    return orderable_numbers(raw, product_type)


def _check_available(
    connection: Connection, ctx: RequestContext, numbers: list[NumberInfo]
) -> None:
    for number in numbers:
        found = obstacle(connection, ctx.account, ctx.region, number.e164)
        if found is None:
            continue
        reason, detail = found
        if reason == "inventory":
            raise bad_request(
                f"E164PhoneNumbers: {number.e164} is already in this account's inventory with "
                f"status {detail}; it cannot be ordered again"
            )
        # SPEC (R): a number taken between search and order fails with BadRequest. Which
        # account has it is not this caller's business.
        why = "another account holds it" if reason == "held" else "it is being ported in"
        raise bad_request(f"E164PhoneNumbers: {number.e164} is not available; {why}")


def inventory_entry(
    order: OrderRecord, number: NumberInfo, status: str = "AcquireInProgress"
) -> PhoneNumberRecord:
    """The inventory row a number gets while its order (new or porting) is under way."""
    return PhoneNumberRecord(
        account=order.account,
        region=order.region,
        e164=number.e164,
        status=status,
        product_type=order.product_type,
        number_type=number.number_type,
        country=number.country,
        name=order.name,
        order_id=order.id,
        capable=False,
        calling_name=None,
        calling_name_status=None,
        created_ms=order.created_ms,
        updated_ms=order.created_ms,
    )


@operation("GetPhoneNumberOrder")
def get_phone_number_order(ctx: RequestContext, params: Params) -> dict[str, Any]:
    order_id = params["PhoneNumberOrderId"].lower()
    order = orders.get(ctx.reads, ctx.account, ctx.region, order_id)
    if order is None:
        raise not_found(f"PhoneNumberOrder {order_id} does not exist in this account and Region")
    return {"PhoneNumberOrder": order_view(order)}


@operation("ListPhoneNumberOrders")
def list_phone_number_orders(ctx: RequestContext, params: Params) -> dict[str, Any]:
    limit = params.get("MaxResults", DEFAULT_PAGE)
    scope = {"account": ctx.account, "region": ctx.region}
    after = None
    if "NextToken" in params:
        created_ms, order_id = decode_token(
            ctx.token_secret, "ListPhoneNumberOrders", scope, params["NextToken"]
        )
        after = (int(created_ms), str(order_id))
    page = orders.page_newest_first(ctx.reads, ctx.account, ctx.region, after, limit + 1)
    result: dict[str, Any] = {"PhoneNumberOrders": [order_view(o) for o in page[:limit]]}
    if len(page) > limit:
        last = page[limit - 1]
        result["NextToken"] = encode_token(
            ctx.token_secret, "ListPhoneNumberOrders", scope, [last.created_ms, last.id]
        )
    return result
