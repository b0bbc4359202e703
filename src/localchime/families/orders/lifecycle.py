"""Order fulfilment: a New order completes when its timer falls due; porting orders reuse
`acquire_numbers` on their FOC date.

Each number is acquired by inserting its row in `number_holdings`, whose primary key is the
number: the first order to get there wins it worldwide, any later one finds the row taken and
that number is Failed (SPEC: order completion). The order ends Successful, Partial or Failed.
"""

from __future__ import annotations

from sqlalchemy import Connection

from localchime.config import Settings
from localchime.core.family import Transitions
from localchime.domain.numbering import NumberInfo
from localchime.families.orders import repository as orders
from localchime.families.orders.repository import OrderRecord
from localchime.families.phone_numbers import public as phone_numbers
from localchime.families.phone_numbers.public import PhoneNumberRecord

TRANSITIONS = Transitions()
FULFIL = "order.fulfil"


@TRANSITIONS(FULFIL)
def fulfil_order(connection: Connection, _settings: Settings, order_id: str, due_ms: int) -> None:
    order = orders.get_by_id(connection, order_id)
    if order is None or order.status != "Processing":
        return
    acquire_numbers(connection, order, due_ms)
    orders.save_progress(connection, order)


def acquire_numbers(connection: Connection, order: OrderRecord, at_ms: int) -> None:
    """Acquires each of the order's numbers worldwide, and settles the order's status."""
    for entry in order.numbers:
        e164 = entry[0]
        won = phone_numbers.acquire(connection, e164, order.account, order.region, order.id, at_ms)
        entry[1] = "Acquired" if won else "Failed"
        phone_numbers.set_status(
            connection,
            order.account,
            order.region,
            e164,
            "Unassigned" if won else "AcquireFailed",
            at_ms,
            capable=won,
        )
    acquired = sum(1 for _, status in order.numbers if status == "Acquired")
    if acquired == len(order.numbers):
        order.status = "Successful"
    elif acquired == 0:
        order.status = "Failed"
    else:
        order.status = "Partial"
    order.updated_ms = at_ms


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
