"""Fault injection: rules that make matching API calls fail with a modelled error, or answer
late, so a client's retry and error handling can be tested against localchime.

Not a resource family of the API, but built like one (tables, control routes); the app asks
`rules.Faults.hit` for each call before it parses the input.
"""

from localchime.core.family import Family
from localchime.faults import control, tables

FAMILY = Family(name="faults", routes=(control.ROUTES,), tables=(tables.fault_rules,))
