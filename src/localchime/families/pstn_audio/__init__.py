"""The PSTN audio family: the call simulator that drives a SIP media application's handler
through a call's events, CreateSipMediaApplicationCall and UpdateSipMediaApplicationCall, and
the registry of handlers behind Lambda ARNs. docs/pstn-audio.md says what each choice is and
why.

`machine` is the call as a pure state machine; `actions` the actions' rules and timings;
`functions` finds and calls a handler; `driver` alternates the two outside any transaction;
`control` is the control API that places calls and presses keys.

Owns the tables `pstn_calls`, `pstn_call_invocations` and `lambda_functions`.
"""

from localchime.core.family import Family
from localchime.families.pstn_audio import control, driver, handlers, tables

FAMILY = Family(
    name="pstn_audio",
    operations=(handlers.OPERATIONS,),
    routes=(control.ROUTES,),
    tables=(tables.pstn_calls, tables.pstn_call_invocations, tables.lambda_functions),
    background=(driver.settle_in_background,),
)
