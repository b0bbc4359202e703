"""The porting family: porting orders opened through the control API (the stand-in for AWS's
port-in support case), moved by carrier events, and completed on their FOC date.

Owns the tables `porting_requests` and `porting_history`; the orders themselves live in the
orders family's table, as `OrderType: Porting`.
"""

from localchime.core.family import Family
from localchime.families.porting import control, lifecycle, tables

FAMILY = Family(
    name="porting",
    transitions=(lifecycle.TRANSITIONS,),
    routes=(control.ROUTES,),
    tables=(tables.porting_requests, tables.porting_history),
)
