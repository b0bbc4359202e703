"""The E911 family: ValidateE911Address, offline, and the control routes that pin its outcome
for an exact address. The template family in docs/architecture.md.

Owns the table `e911_overrides`.
"""

from localchime.core.family import Family
from localchime.families.e911 import control, handlers, tables

FAMILY = Family(
    name="e911",
    operations=(handlers.OPERATIONS,),
    routes=(control.ROUTES,),
    tables=(tables.e911_overrides,),
)
