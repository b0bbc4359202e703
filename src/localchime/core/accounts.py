"""Who is calling and where: the account and region come from the SigV4 credential scope.

DESIGN (accounts and regions): a 12-digit access key id *is* the account id; any other key maps
to 123456789012. The region is the credential scope's, defaulting to us-east-1. No signature is
verified here.
"""

from __future__ import annotations

import re
from functools import lru_cache

from localchime.protocol.errors import BadRequest

DEFAULT_ACCOUNT = "123456789012"
DEFAULT_REGION = "us-east-1"

_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/[^/]*/([^/]+)/")
_ACCOUNT_ID = re.compile(r"[0-9]{12}")
REGION_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,31}")
"""Lower-case letters, digits and dashes, 32 characters at most: every AWS Region name fits."""


@lru_cache(maxsize=1024)
def caller_identity(authorization: str | None) -> tuple[str, str]:
    """Returns (account, region) for an Authorization header value. Cached: in a mock every
    call of a day carries the same header (no signature), and the search was a microsecond."""
    if not authorization:
        return DEFAULT_ACCOUNT, DEFAULT_REGION
    found = _CREDENTIAL.search(authorization)
    if found is None:
        return DEFAULT_ACCOUNT, DEFAULT_REGION
    access_key, region = found.groups()
    if not REGION_NAME.fullmatch(region):
        raise BadRequest(
            f"The SigV4 credential scope names Region '{region[:64]}', which is not a Region "
            "name (lower-case letters, digits and dashes, at most 32 characters)"
        )
    account = access_key if _ACCOUNT_ID.fullmatch(access_key) else DEFAULT_ACCOUNT
    return account, region
