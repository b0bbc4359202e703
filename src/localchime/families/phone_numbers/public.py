"""The phone number family's front door: the inventory records and lookups, the number quota
and availability checks that orders and porting share, and the association rules that Voice
Connectors, groups and SIP rules use. Other families import this module, never the family's
internal ones (tests/test_front_doors.py)."""

from localchime.families.phone_numbers.associations import (
    Target,
    associate,
    associate_one,
    count,
    disassociate,
    disassociate_one,
)
from localchime.families.phone_numbers.availability import (
    check_number_quota,
    hold_number_quota,
    obstacle,
)
from localchime.families.phone_numbers.events import NUMBER_HOLDER_DELETED
from localchime.families.phone_numbers.handlers.inventory import owned_number
from localchime.families.phone_numbers.repository import (
    PhoneNumberRecord,
    acquire,
    associated_in,
    delete,
    get_for_update,
    insert_many,
    set_status,
    status_of,
)

__all__ = [
    "NUMBER_HOLDER_DELETED",
    "PhoneNumberRecord",
    "Target",
    "acquire",
    "associate",
    "associate_one",
    "associated_in",
    "check_number_quota",
    "count",
    "delete",
    "disassociate",
    "disassociate_one",
    "get_for_update",
    "hold_number_quota",
    "insert_many",
    "obstacle",
    "owned_number",
    "set_status",
    "status_of",
]
