"""The orders family's front door: what other families (porting) may use of phone number
orders. Other families import this module, never the family's internal ones
(tests/test_front_doors.py)."""

from localchime.families.orders.lifecycle import acquire_numbers, inventory_entry
from localchime.families.orders.repository import OrderRecord, get_by_id, insert, save_progress
from localchime.families.orders.views import order_view

__all__ = [
    "OrderRecord",
    "acquire_numbers",
    "get_by_id",
    "insert",
    "inventory_entry",
    "order_view",
    "save_progress",
]
