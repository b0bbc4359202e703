"""ValidateE911Address, offline (domain.e911_address), with pinned outcomes (overrides) first.

SPEC (ValidateE911Address): AccessDeniedException (since the 2025-04-03 change) when the caller
may not validate for that account; US addresses only.
"""

from __future__ import annotations

from typing import Any

from localchime.core.context import RequestContext
from localchime.core.family import Operations, Params
from localchime.domain.e911_address import US_NAMES, address_key, external_id, validate_us_address
from localchime.families.e911 import repository as overrides
from localchime.families.e911.errors import NotCallersAccount
from localchime.protocol.errors import BadRequest

OPERATIONS = Operations()


@OPERATIONS("ValidateE911Address")
def validate_e911_address(ctx: RequestContext, params: Params) -> dict[str, Any]:
    if params["AwsAccountId"] != ctx.account:
        raise NotCallersAccount(params["AwsAccountId"])
    if params["Country"].strip().upper() not in US_NAMES:
        raise BadRequest("ValidateE911Address validates US addresses only; Country must be US")
    key = address_key(params)
    pinned = overrides.get(ctx.reads, key)
    if pinned is not None:
        return pinned | {"AddressExternalId": external_id(key)}
    return validate_us_address(params)
