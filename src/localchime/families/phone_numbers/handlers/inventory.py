"""The phone number inventory: GetPhoneNumber, ListPhoneNumbers, UpdatePhoneNumber and
BatchUpdatePhoneNumber."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from localchime.core.clock import later
from localchime.core.context import RequestContext
from localchime.core.family import Operations, Params
from localchime.core.lists import repeated, shown
from localchime.core.pagination import Keyset, Pagination
from localchime.families.phone_numbers import repository as phone_numbers
from localchime.families.phone_numbers.errors import PhoneNumberNotFound, WrongNumberStatus
from localchime.families.phone_numbers.lifecycle import CALLING_NAME, number_ref
from localchime.families.phone_numbers.repository import PhoneNumberRecord
from localchime.families.phone_numbers.views import phone_number_id, phone_number_view
from localchime.protocol.errors import BadRequest, Conflict, ServiceError, require
from localchime.spec.model import service_model
from localchime.store import timers

OPERATIONS = Operations()
LISTING = Pagination[PhoneNumberRecord](
    "ListPhoneNumbers", "PhoneNumbers", key=lambda r: [r.e164], view=phone_number_view
)


@OPERATIONS("GetPhoneNumber")
def get_phone_number(ctx: RequestContext, params: Params) -> dict[str, Any]:
    e164 = phone_number_id(params["PhoneNumberId"])
    record = phone_numbers.get(ctx.reads, ctx.account, ctx.region, e164)
    return {"PhoneNumber": phone_number_view(require(record, PhoneNumberNotFound, e164))}


@OPERATIONS("ListPhoneNumbers")
def list_phone_numbers(ctx: RequestContext, params: Params) -> dict[str, Any]:
    status = params.get("Status")
    statuses = service_model().shape_for("PhoneNumberStatus").enum
    if status is not None and status not in statuses:
        raise BadRequest(f"Status must be one of: {', '.join(statuses)}; got '{status}'")
    if ("FilterName" in params) != ("FilterValue" in params):
        raise BadRequest("FilterName and FilterValue go together: give both or neither")
    filters = {k: params.get(k) for k in ("Status", "ProductType", "FilterName", "FilterValue")}

    association = (params["FilterName"], params["FilterValue"]) if "FilterName" in params else None

    def fetch(after: Keyset | None, limit: int) -> list[PhoneNumberRecord]:
        return phone_numbers.page(
            ctx.reads,
            ctx.account,
            ctx.region,
            status=status,
            product_type=params.get("ProductType"),
            association=association,
            after=None if after is None else str(after[0]),
            limit=limit,
        )

    return LISTING.respond(ctx, params, filters, fetch)


@OPERATIONS("UpdatePhoneNumber")
def update_phone_number(ctx: RequestContext, params: Params) -> dict[str, Any]:
    e164 = phone_number_id(params["PhoneNumberId"])
    with ctx.store.write() as connection:
        record = apply_update(ctx, connection, e164, params)
    return {"PhoneNumber": phone_number_view(record)}


def apply_update(
    ctx: RequestContext, connection: Connection, e164: str, changes: Params
) -> PhoneNumberRecord:
    """One of ProductType, CallingName or Name per call (SPEC: UpdatePhoneNumber)."""
    given = [k for k in ("ProductType", "CallingName", "Name") if k in changes]
    if len(given) != 1:
        raise BadRequest(
            "Give exactly one of ProductType, CallingName or Name per update; got "
            + (", ".join(given) if given else "none")
        )
    record = owned_number(connection, ctx, e164)
    if record.status not in ("Unassigned", "Assigned"):
        raise WrongNumberStatus(e164, "updated", record.status)
    field = given[0]
    if field == "ProductType":
        _change_product_type(record, changes["ProductType"])
    elif field == "CallingName":
        _change_calling_name(ctx, connection, record, changes["CallingName"])
    else:
        record.name = changes["Name"]
    record.updated_ms = ctx.now_ms
    phone_numbers.save(connection, record)
    return record


def owned_number(connection: Connection, ctx: RequestContext, e164: str) -> PhoneNumberRecord:
    record = phone_numbers.get_for_update(connection, ctx.account, ctx.region, e164)
    return require(record, PhoneNumberNotFound, e164)


def _change_product_type(record: PhoneNumberRecord, product_type: str) -> None:
    if record.status != "Unassigned":
        # SPEC (D): the product type can change only while the number is unassigned.
        raise BadRequest(
            f"ProductType of {record.e164} can change only while it is Unassigned; it is "
            f"{record.status}"
        )
    if product_type == "VoiceConnector" and record.country != "US":
        raise BadRequest(
            f"{record.e164} is in {record.country}; numbers outside the U.S. must use "
            "ProductType SipMediaApplicationDialIn"
        )
    record.product_type = product_type


def _change_calling_name(
    ctx: RequestContext, connection: Connection, record: PhoneNumberRecord, calling_name: str
) -> None:
    if record.number_type != "Local":
        raise BadRequest(
            f"CallingName applies to toll numbers only; {record.e164} is {record.number_type}"
        )
    if record.calling_name_status == "UpdateInProgress":
        raise Conflict(
            f"A CallingName update of {record.e164} is still in progress; it must finish first"
        )
    record.calling_name = calling_name
    record.calling_name_status = "UpdateInProgress"
    due = later(ctx.now_ms, ctx.settings.calling_name_update_seconds)
    timers.schedule(connection, due, CALLING_NAME, number_ref(record))


@OPERATIONS("BatchUpdatePhoneNumber")
def batch_update_phone_number(ctx: RequestContext, params: Params) -> dict[str, Any]:
    items = params["UpdatePhoneNumberRequestItems"]
    ids = [phone_number_id(item["PhoneNumberId"]) for item in items]
    duplicates = repeated(ids)
    if duplicates:
        raise BadRequest(
            "UpdatePhoneNumberRequestItems names a PhoneNumberId more than once: "
            + shown(duplicates)
        )
    errors = []
    for item, e164 in zip(items, ids, strict=True):
        try:
            with ctx.store.write() as connection:
                apply_update(ctx, connection, e164, item)
        except ServiceError as error:
            errors.append(batch_error(item["PhoneNumberId"], error))
    return {"PhoneNumberErrors": errors}


def batch_error(phone_number_id: str, error: ServiceError) -> dict[str, str]:
    return {
        "PhoneNumberId": phone_number_id,
        "ErrorCode": error.batch_code or error.code,
        "ErrorMessage": error.message,
    }
