"""Account phone number settings: GetPhoneNumberSettings and UpdatePhoneNumberSettings.

SPEC (inventory): the account's default outbound CallingName can change once every 7 days.
"""

from __future__ import annotations

from typing import Any

from localchime.core.clock import to_datetime
from localchime.core.context import RequestContext
from localchime.core.family import Operations, Params
from localchime.families.phone_numbers import repository as phone_numbers
from localchime.protocol.errors import BadRequest
from localchime.protocol.serializer import format_timestamp

OPERATIONS = Operations()
CHANGE_INTERVAL_MS = 7 * 86400 * 1000


@OPERATIONS("GetPhoneNumberSettings")
def get_phone_number_settings(ctx: RequestContext, _params: Params) -> dict[str, Any]:
    current = phone_numbers.settings_of(ctx.reads, ctx.account, ctx.region)
    if current is None:
        return {}
    calling_name, updated_ms = current
    return {"CallingName": calling_name, "CallingNameUpdatedTimestamp": to_datetime(updated_ms)}


@OPERATIONS("UpdatePhoneNumberSettings")
def update_phone_number_settings(ctx: RequestContext, params: Params) -> None:
    with ctx.store.write() as connection:
        current = phone_numbers.settings_for_update(connection, ctx.account, ctx.region)
        if current is not None and ctx.now_ms - current[1] < CHANGE_INTERVAL_MS:
            allowed_at = format_timestamp(to_datetime(current[1] + CHANGE_INTERVAL_MS))
            raise BadRequest(
                "CallingName can change once every 7 days; it was last changed at "
                f"{format_timestamp(to_datetime(current[1]))}, next change allowed at {allowed_at}"
            )
        phone_numbers.save_settings(
            connection, ctx.account, ctx.region, params["CallingName"], ctx.now_ms
        )
