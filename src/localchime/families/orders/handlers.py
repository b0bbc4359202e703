"""Phone number orders: CreatePhoneNumberOrder, GetPhoneNumberOrder, ListPhoneNumberOrders.

Creating an order validates every number, puts each into the account's inventory as
AcquireInProgress and schedules the order's fulfilment on the service clock
(`orders.lifecycle`). Whether a number is won is settled at fulfilment, where the worldwide
holdings table lets exactly one account acquire it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from localchime.core.clock import later
from localchime.core.context import RequestContext
from localchime.core.family import Operations, Params
from localchime.core.ids import new_guid
from localchime.core.pagination import Keyset, Pagination
from localchime.domain.numbering import NumberInfo, orderable_numbers
from localchime.families.orders import repository as orders
from localchime.families.orders.errors import (
    NumberNotOrderable,
    OrderedConcurrently,
    OrderNotFound,
)
from localchime.families.orders.lifecycle import FULFIL, inventory_entry
from localchime.families.orders.repository import OrderRecord
from localchime.families.orders.views import order_view
from localchime.families.phone_numbers import public as phone_numbers
from localchime.families.phone_numbers.public import (
    check_number_quota,
    hold_number_quota,
    obstacle,
)
from localchime.protocol.errors import BadRequest, require
from localchime.store import timers

OPERATIONS = Operations()
LISTING = Pagination[OrderRecord](
    "ListPhoneNumberOrders",
    "PhoneNumberOrders",
    key=lambda order: [order.created_ms, order.id],
    view=order_view,
)


@OPERATIONS("CreatePhoneNumberOrder")
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
            hold_number_quota(ctx.settings, connection, ctx.account)
            _check_available(connection, ctx, numbers)
            check_number_quota(ctx.settings, connection, ctx.account, len(numbers))
            orders.insert(connection, order)
            phone_numbers.insert_many(connection, [inventory_entry(order, n) for n in numbers])
            due_ms = later(ctx.now_ms, ctx.settings.order_fulfilment_seconds)
            timers.schedule(connection, due_ms, FULFIL, order.id)
    except IntegrityError:
        # Another request of this account ordered one of these numbers at the same moment; the
        # inventory's primary key let exactly one of us in.
        raise OrderedConcurrently() from None
    return {"PhoneNumberOrder": order_view(order)}


def _orderable_numbers(ctx: RequestContext, raw: list[str], product_type: str) -> list[NumberInfo]:
    limit = ctx.settings.max_numbers_per_order
    if not raw:
        raise BadRequest("E164PhoneNumbers must contain at least one phone number")
    if len(raw) > limit:
        raise BadRequest(
            f"E164PhoneNumbers has {len(raw)} numbers; an order may contain at most {limit} "
            "(LOCALCHIME_MAX_NUMBERS_PER_ORDER)"
        )
    return orderable_numbers(raw, product_type)


def _check_available(
    connection: Connection, ctx: RequestContext, numbers: list[NumberInfo]
) -> None:
    for number in numbers:
        found = obstacle(connection, ctx.account, ctx.region, number.e164)
        if found is not None:
            raise NumberNotOrderable(number.e164, *found)


@OPERATIONS("GetPhoneNumberOrder")
def get_phone_number_order(ctx: RequestContext, params: Params) -> dict[str, Any]:
    order_id = params["PhoneNumberOrderId"].lower()
    order = require(
        orders.get(ctx.reads, ctx.account, ctx.region, order_id), OrderNotFound, order_id
    )
    return {"PhoneNumberOrder": order_view(order)}


@OPERATIONS("ListPhoneNumberOrders")
def list_phone_number_orders(ctx: RequestContext, params: Params) -> dict[str, Any]:
    def fetch(after: Keyset | None, limit: int) -> list[OrderRecord]:
        start = None if after is None else (int(after[0]), str(after[1]))
        return orders.page_newest_first(ctx.reads, ctx.account, ctx.region, start, limit)

    return LISTING.respond(ctx, params, {}, fetch)
