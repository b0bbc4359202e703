"""Deleting and restoring numbers: DeletePhoneNumber, BatchDeletePhoneNumber, RestorePhoneNumber.

SPEC (inventory): a deleted number is DeleteInProgress with a DeletionTimestamp for 7 days, then
released; a number with associations must be disassociated first; RestorePhoneNumber brings a
number in the queue back to Unassigned and counts against the number quota.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from localchime.core.context import RequestContext
from localchime.lifecycle.numbers import DELETION_QUEUE_MS, RELEASE, number_ref
from localchime.protocol.errors import ServiceError, bad_request
from localchime.services.phone_numbers import (
    batch_error,
    check_number_quota,
    owned_number,
    phone_number_id,
    phone_number_view,
)
from localchime.services.registry import Params, operation
from localchime.store import phone_numbers, timers

GONE_AT_ONCE = ("AcquireFailed", "Cancelled")
"""Numbers the account never got: deleting them just clears the inventory entry."""


class AssociationsExist(ServiceError):
    """BadRequest alone; in a batch its ErrorCode is PhoneNumberAssociationsExist (model enum)."""

    batch_code = "PhoneNumberAssociationsExist"

    def __init__(self, e164: str) -> None:
        super().__init__(
            "BadRequestException",
            f"PhoneNumber {e164} is associated with a Voice Connector, group or SIP rule; "
            "disassociate it before deleting it",
        )


def delete_number(ctx: RequestContext, connection: Connection, e164: str) -> None:
    record = owned_number(connection, ctx, e164)
    if record.status in GONE_AT_ONCE:
        phone_numbers.delete(connection, ctx.account, ctx.region, e164)
        return
    if record.status == "Assigned":
        raise AssociationsExist(e164)
    if record.status != "Unassigned":
        raise bad_request(
            f"PhoneNumber {e164} cannot be deleted while its status is {record.status}"
        )
    record.status = "DeleteInProgress"
    record.deletion_ms = ctx.now_ms
    record.updated_ms = ctx.now_ms
    phone_numbers.save(connection, record)
    timers.schedule(connection, ctx.now_ms + DELETION_QUEUE_MS, RELEASE, number_ref(record))


@operation("DeletePhoneNumber")
def delete_phone_number(ctx: RequestContext, params: Params) -> None:
    e164 = phone_number_id(params["PhoneNumberId"])
    with ctx.store.write() as connection:
        delete_number(ctx, connection, e164)


@operation("BatchDeletePhoneNumber")
def batch_delete_phone_number(ctx: RequestContext, params: Params) -> dict[str, Any]:
    errors = []
    seen: set[str] = set()
    for raw in params["PhoneNumberIds"]:
        try:
            e164 = phone_number_id(raw)
            if e164 in seen:
                raise bad_request(f"PhoneNumberIds names {e164} more than once")
            seen.add(e164)
            with ctx.store.write() as connection:
                delete_number(ctx, connection, e164)
        except ServiceError as error:
            errors.append(batch_error(raw, error))
    return {"PhoneNumberErrors": errors}


@operation("RestorePhoneNumber")
def restore_phone_number(ctx: RequestContext, params: Params) -> dict[str, Any]:
    e164 = phone_number_id(params["PhoneNumberId"])
    with ctx.store.write() as connection:
        record = owned_number(connection, ctx, e164)
        if record.status != "DeleteInProgress":
            raise bad_request(
                f"PhoneNumber {e164} is {record.status}; only a number in the deletion queue "
                "(DeleteInProgress) can be restored"
            )
        check_number_quota(ctx, connection, 1)
        record.status = "Unassigned"
        record.deletion_ms = None
        record.updated_ms = ctx.now_ms
        phone_numbers.save(connection, record)
        timers.cancel(connection, RELEASE, number_ref(record))
    return {"PhoneNumber": phone_number_view(record)}
