"""The orders family: CreatePhoneNumberOrder, GetPhoneNumberOrder and ListPhoneNumberOrders,
and the fulfilment that acquires each ordered number worldwide on the service clock.

Owns the table `phone_number_orders`; porting orders live in it too (OrderType Porting).
"""

from localchime.core.family import Family
from localchime.families.orders import handlers, lifecycle, resources, tables

FAMILY = Family(
    resources=resources.RESOURCES,
    name="orders",
    operations=(handlers.OPERATIONS,),
    transitions=(lifecycle.TRANSITIONS,),
    tables=(tables.phone_number_orders,),
)
