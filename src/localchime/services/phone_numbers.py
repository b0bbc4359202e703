"""The phone number inventory: GetPhoneNumber for now.

PhoneNumberId is the E.164 number. Clients send `+12065550100` (botocore escapes it to
`%2B12065550100` in the path) or, copying what AWS returns, the escaped form itself; both name
the same number. The response carries the escaped form next to the plain E.164 (SPEC: inventory,
from the AWS CLI examples).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, unquote

from localchime.core.clock import to_datetime
from localchime.core.context import RequestContext
from localchime.protocol.errors import bad_request, not_found
from localchime.services.numbering import e164_of
from localchime.services.registry import Params, operation
from localchime.store import phone_numbers
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
    e164 = e164_of(unquote(raw.strip()))
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
