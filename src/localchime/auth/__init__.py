"""Who may call: SigV4 verification, the credentials registry and IAM-style identity policies.

Not a resource family of the API, but built like one: its tables and control routes load through
`localchime.registry` with the families'.
"""

from localchime.auth import credentials, tables
from localchime.core.family import Family

FAMILY = Family(
    name="auth",
    routes=(credentials.ROUTES,),
    tables=(tables.credentials, tables.policies),
)
