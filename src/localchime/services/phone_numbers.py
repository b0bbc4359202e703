"""The phone number inventory: get, list, update and batch update, and the number quota.

PhoneNumberId is the E.164 number. Clients send `+12065550100` (botocore escapes it to
`%2B12065550100` in the path) or, copying what AWS returns, the escaped form itself; both name
the same number. The response carries the escaped form next to the plain E.164 (SPEC: inventory,
from the AWS CLI examples).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection

from localchime.core.arns import canonical_phone_number
from localchime.core.clock import to_datetime
from localchime.core.context import RequestContext
from localchime.core.pagination import decode_token, encode_token
from localchime.lifecycle.numbers import CALLING_NAME, number_ref
from localchime.protocol.errors import (
    ServiceError,
    bad_request,
    conflict,
    limit_exceeded,
    not_found,
)
from localchime.services.registry import Params, operation
from localchime.spec.model import service_model
from localchime.store import phone_numbers, porting, timers
from localchime.store.phone_numbers import PhoneNumberRecord

_CAPABILITIES = (
    "InboundCall",
    "OutboundCall",
    "InboundSMS",
    "OutboundSMS",
    "InboundMMS",
    "OutboundMMS",
)


def phone_number_id(raw: str) -> str:
    """The E.164 number a PhoneNumberId names, whether or not the client escaped its `+`."""
    e164 = canonical_phone_number(raw)
    if not (e164[1:].isdigit() and 2 <= len(e164) <= 16 and e164[1] != "0"):
        raise bad_request(
            f"PhoneNumberId '{raw}' is not a phone number in E.164 form, such as +12065550100"
        )
    return e164


def phone_number_arn(record: PhoneNumberRecord) -> str:
    # The real PhoneNumberArn format is undocumented (SPEC: inferred); README states this choice.
    return f"arn:aws:chime:{record.region}:{record.account}:phone-number/{record.e164[1:]}"


def phone_number_view(record: PhoneNumberRecord) -> dict[str, Any]:
    return {
        "PhoneNumberId": quote(record.e164, safe=""),
        "E164PhoneNumber": record.e164,
        "PhoneNumberArn": phone_number_arn(record),
        "Country": record.country,
        "Type": record.number_type,
        "ProductType": record.product_type,
        "Status": record.status,
        "Capabilities": {name: record.capable for name in _CAPABILITIES},
        "Associations": [],
        "CallingName": record.calling_name,
        "CallingNameStatus": record.calling_name_status,
        "CreatedTimestamp": to_datetime(record.created_ms),
        "UpdatedTimestamp": to_datetime(record.updated_ms),
        "DeletionTimestamp": None
        if record.deletion_ms is None
        else to_datetime(record.deletion_ms),
        "OrderId": record.order_id,
        "Name": record.name,
    }


@operation("GetPhoneNumber")
def get_phone_number(ctx: RequestContext, params: Params) -> dict[str, Any]:
    e164 = phone_number_id(params["PhoneNumberId"])
    record = phone_numbers.get(ctx.reads, ctx.account, ctx.region, e164)
    if record is None:
        raise not_found(f"PhoneNumber {e164} does not exist in this account and Region")
    return {"PhoneNumber": phone_number_view(record)}


DEFAULT_PAGE = 100
ACTIVE_STATUSES = (
    "AcquireInProgress",
    "Unassigned",
    "Assigned",
    "PortinInProgress",
    "PortinCancelRequested",
)
"""What counts against the provisioned-numbers quota; numbers in the deletion queue do not,
which is why restoring one can exceed it (SPEC: RestorePhoneNumber may raise
ResourceLimitExceededException)."""
AWS_PROVISIONED_NUMBERS = 5


STALE_ENTRIES = ("AcquireFailed", "Cancelled")
"""Inventory entries of numbers the account never got; a new order or port replaces them."""


def obstacle(
    connection: Connection, account: str, region: str, e164: str
) -> tuple[str, str | None] | None:
    """Why the account cannot take the number now, or None, clearing its stale entry first.

    ("inventory", status): the account has it already; ("held", None): another account holds
    it; ("porting", account): it is being ported into that account.
    """
    status = phone_numbers.status_of(connection, account, region, e164)
    if status in STALE_ENTRIES:
        phone_numbers.delete(connection, account, region, e164)
    elif status is not None:
        return "inventory", status
    if phone_numbers.is_held(connection, e164):
        return "held", None
    porting_into = porting.being_ported_by(connection, e164)
    if porting_into is not None:
        return "porting", porting_into
    return None


def check_number_quota(ctx: RequestContext, connection: Connection, adding: int) -> None:
    """Under `--quota-profile aws`, an account holds at most 5 numbers (SPEC: default quotas)."""
    if ctx.settings.quota_profile != "aws":
        return
    held = phone_numbers.count_provisioned(connection, ctx.account, ACTIVE_STATUSES)
    if held + adding > AWS_PROVISIONED_NUMBERS:
        raise limit_exceeded(
            f"This account has {held} provisioned phone numbers; adding {adding} would exceed "
            f"the quota of {AWS_PROVISIONED_NUMBERS} (--quota-profile aws)"
        )


@operation("ListPhoneNumbers")
def list_phone_numbers(ctx: RequestContext, params: Params) -> dict[str, Any]:
    status = params.get("Status")
    statuses = service_model().shape_for("PhoneNumberStatus").enum
    if status is not None and status not in statuses:
        raise bad_request(f"Status must be one of: {', '.join(statuses)}; got '{status}'")
    if ("FilterName" in params) != ("FilterValue" in params):
        raise bad_request("FilterName and FilterValue go together: give both or neither")
    limit = params.get("MaxResults", DEFAULT_PAGE)
    filters = {k: params.get(k) for k in ("Status", "ProductType", "FilterName", "FilterValue")} | {
        "account": ctx.account,
        "region": ctx.region,
    }
    after = None
    if "NextToken" in params:
        (after,) = decode_token(ctx.token_secret, "ListPhoneNumbers", filters, params["NextToken"])
    if "FilterName" in params:
        # Associations with Voice Connectors, groups and SIP rules do not exist yet.
        return {"PhoneNumbers": []}
    page = phone_numbers.page(
        ctx.reads,
        ctx.account,
        ctx.region,
        status=status,
        product_type=params.get("ProductType"),
        after=after,
        limit=limit + 1,
    )
    result: dict[str, Any] = {"PhoneNumbers": [phone_number_view(r) for r in page[:limit]]}
    if len(page) > limit:
        result["NextToken"] = encode_token(
            ctx.token_secret, "ListPhoneNumbers", filters, [page[limit - 1].e164]
        )
    return result


@operation("UpdatePhoneNumber")
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
        raise bad_request(
            "Give exactly one of ProductType, CallingName or Name per update; got "
            + (", ".join(given) if given else "none")
        )
    record = owned_number(connection, ctx, e164)
    if record.status not in ("Unassigned", "Assigned"):
        raise bad_request(
            f"PhoneNumber {e164} cannot be updated while its status is {record.status}"
        )
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
    if record is None:
        raise not_found(f"PhoneNumber {e164} does not exist in this account and Region")
    return record


def _change_product_type(record: PhoneNumberRecord, product_type: str) -> None:
    if record.status != "Unassigned":
        # SPEC (D): the product type can change only while the number is unassigned.
        raise bad_request(
            f"ProductType of {record.e164} can change only while it is Unassigned; it is "
            f"{record.status}"
        )
    if product_type == "VoiceConnector" and record.country != "US":
        raise bad_request(
            f"{record.e164} is in {record.country}; numbers outside the U.S. must use "
            "ProductType SipMediaApplicationDialIn"
        )
    record.product_type = product_type


def _change_calling_name(
    ctx: RequestContext, connection: Connection, record: PhoneNumberRecord, calling_name: str
) -> None:
    if record.number_type != "Local":
        raise bad_request(
            f"CallingName applies to toll numbers only; {record.e164} is {record.number_type}"
        )
    if record.calling_name_status == "UpdateInProgress":
        raise conflict(
            f"A CallingName update of {record.e164} is still in progress; it must finish first"
        )
    record.calling_name = calling_name
    record.calling_name_status = "UpdateInProgress"
    due = ctx.now_ms + int(ctx.settings.calling_name_update_seconds * 1000)
    timers.schedule(connection, due, CALLING_NAME, number_ref(record))


@operation("BatchUpdatePhoneNumber")
def batch_update_phone_number(ctx: RequestContext, params: Params) -> dict[str, Any]:
    items = params["UpdatePhoneNumberRequestItems"]
    ids = [phone_number_id(item["PhoneNumberId"]) for item in items]
    duplicates = sorted({e for e in ids if ids.count(e) > 1})
    if duplicates:
        raise bad_request(
            "UpdatePhoneNumberRequestItems names a PhoneNumberId more than once: "
            + ", ".join(duplicates)
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
        "ErrorCode": getattr(error, "batch_code", error.code),
        "ErrorMessage": error.message,
    }
