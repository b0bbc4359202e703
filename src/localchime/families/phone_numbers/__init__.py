"""The phone number family: the inventory, deletion and restore, calling-name settings, number
search and supported countries, and the worldwide holdings that make a number one account's.

Owns the tables `phone_numbers`, `number_holdings` and `phone_number_settings`. A resource
that holds numbers by association publishes `events.NUMBER_HOLDER_DELETED` when it goes, and
this family releases them (`reactions.py`).
"""

from localchime.core.family import Family
from localchime.families.phone_numbers import events, lifecycle, reactions, resources, tables
from localchime.families.phone_numbers.handlers import (
    calling_name_settings,
    countries,
    deletion,
    inventory,
    search,
)

FAMILY = Family(
    resources=resources.RESOURCES,
    name="phone_numbers",
    operations=(
        inventory.OPERATIONS,
        deletion.OPERATIONS,
        calling_name_settings.OPERATIONS,
        search.OPERATIONS,
        countries.OPERATIONS,
    ),
    transitions=(lifecycle.TRANSITIONS,),
    tables=(tables.phone_numbers, tables.number_holdings, tables.phone_number_settings),
    events=(events.NUMBER_HOLDER_DELETED,),
    reactions=(reactions.REACTIONS,),
)
