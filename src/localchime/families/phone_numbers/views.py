"""How a phone number looks on the wire, and how a PhoneNumberId is read.

PhoneNumberId is the E.164 number. Clients send `+12065550100` (botocore escapes it to
`%2B12065550100` in the path) or, copying what AWS returns, the escaped form itself; both name
the same number. The response carries the escaped form next to the plain E.164 (SPEC: inventory,
from the AWS CLI examples).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from localchime.core.arns import canonical_phone_number
from localchime.core.clock import to_datetime
from localchime.families.phone_numbers.errors import InvalidPhoneNumberId
from localchime.families.phone_numbers.repository import PhoneNumberRecord
from localchime.families.phone_numbers.resources import PHONE_NUMBER

CAPABILITIES = (
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
        raise InvalidPhoneNumberId(raw)
    return e164


def phone_number_arn(record: PhoneNumberRecord) -> str:
    # The real PhoneNumberArn format is undocumented (SPEC: inferred); docs/behaviour.md says
    # what localchime chose.
    return PHONE_NUMBER.arn(record.region, record.account, record.e164)


def associations_view(record: PhoneNumberRecord) -> list[dict[str, Any]]:
    """SPEC (phone number associations, R): `[{"Value", "Name", "AssociatedTimestamp"}]`,
    empty while the number is Unassigned."""
    if record.association_name is None or record.associated_ms is None:
        return []
    return [
        {
            "Value": record.association_value,
            "Name": record.association_name,
            "AssociatedTimestamp": to_datetime(record.associated_ms),
        }
    ]


def phone_number_view(record: PhoneNumberRecord) -> dict[str, Any]:
    return {
        "PhoneNumberId": quote(record.e164, safe=""),
        "E164PhoneNumber": record.e164,
        "PhoneNumberArn": phone_number_arn(record),
        "Country": record.country,
        "Type": record.number_type,
        "ProductType": record.product_type,
        "Status": record.status,
        "Capabilities": {name: record.capable for name in CAPABILITIES},
        "Associations": associations_view(record),
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
