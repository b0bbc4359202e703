"""Deleting and restoring numbers: DeletePhoneNumber, BatchDeletePhoneNumber, RestorePhoneNumber.

SPEC (inventory): a deleted number is DeleteInProgress with a DeletionTimestamp for 7 days, then
released; a number with associations must be disassociated first; RestorePhoneNumber brings a
number in the queue back to Unassigned and counts against the number quota.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from localchime.core.context import RequestContext
from localchime.core.family import Operations, Params
from localchime.families.phone_numbers import repository as phone_numbers
from localchime.families.phone_numbers.availability import check_number_quota, hold_number_quota
from localchime.families.phone_numbers.errors import AssociationsExist, WrongNumberStatus
from localchime.families.phone_numbers.handlers.inventory import batch_error, owned_number
from localchime.families.phone_numbers.lifecycle import DELETION_QUEUE_MS, RELEASE, number_ref
from localchime.families.phone_numbers.views import phone_number_id, phone_number_view
from localchime.protocol.errors import BadRequest, ServiceError
from localchime.store import timers

OPERATIONS = Operations()
GONE_AT_ONCE = ("AcquireFailed", "Cancelled")
"""Numbers the account never got: deleting them just clears the inventory entry."""


def delete_number(ctx: RequestContext, connection: Connection, e164: str) -> None:
    record = owned_number(connection, ctx, e164)
    if record.status in GONE_AT_ONCE:
        phone_numbers.delete(connection, ctx.account, ctx.region, e164)
        return
    if record.status == "Assigned":
        raise AssociationsExist(e164)
    if record.status != "Unassigned":
        raise WrongNumberStatus(e164, "deleted", record.status)
    record.status = "DeleteInProgress"
    record.deletion_ms = ctx.now_ms
    record.updated_ms = ctx.now_ms
    phone_numbers.save(connection, record)
    timers.schedule(connection, ctx.now_ms + DELETION_QUEUE_MS, RELEASE, number_ref(record))


@OPERATIONS("DeletePhoneNumber")
def delete_phone_number(ctx: RequestContext, params: Params) -> None:
    e164 = phone_number_id(params["PhoneNumberId"])
    with ctx.store.write() as connection:
        delete_number(ctx, connection, e164)


@OPERATIONS("BatchDeletePhoneNumber")
def batch_delete_phone_number(ctx: RequestContext, params: Params) -> dict[str, Any]:
    errors = []
    seen: set[str] = set()
    for raw in params["PhoneNumberIds"]:
        try:
            e164 = phone_number_id(raw)
            if e164 in seen:
                raise BadRequest(f"PhoneNumberIds names {e164} more than once")
            seen.add(e164)
            with ctx.store.write() as connection:
                delete_number(ctx, connection, e164)
        except ServiceError as error:
            errors.append(batch_error(raw, error))
    return {"PhoneNumberErrors": errors}


@OPERATIONS("RestorePhoneNumber")
def restore_phone_number(ctx: RequestContext, params: Params) -> dict[str, Any]:
    e164 = phone_number_id(params["PhoneNumberId"])
    with ctx.store.write() as connection:
        hold_number_quota(ctx.settings, connection, ctx.account)
        record = owned_number(connection, ctx, e164)
        if record.status != "DeleteInProgress":
            raise BadRequest(
                f"PhoneNumber {e164} is {record.status}; only a number in the deletion queue "
                "(DeleteInProgress) can be restored"
            )
        check_number_quota(ctx.settings, connection, ctx.account, 1)
        record.status = "Unassigned"
        record.deletion_ms = None
        record.updated_ms = ctx.now_ms
        phone_numbers.save(connection, record)
        timers.cancel(connection, RELEASE, number_ref(record))
    return {"PhoneNumber": phone_number_view(record)}
