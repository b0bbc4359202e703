"""The phone number family's resource, declared once: phone numbers (`phone-number/<digits>`),
named by id in paths and by E.164 number in bodies, and the provisioned-numbers quota."""

from __future__ import annotations

from localchime.core.arns import canonical_phone_number
from localchime.core.quotas import Quota
from localchime.core.resources import Resource
from localchime.families.phone_numbers.errors import NumberQuotaExceeded
from localchime.families.phone_numbers.repository import PhoneNumberRecord
from localchime.families.phone_numbers.tables import phone_numbers
from localchime.protocol.errors import ServiceError

PROVISIONED_NUMBERS = Quota(
    # The lock purpose orders, restores and ports of one account have always shared.
    "quota",
    "provisioned phone numbers",
    aws=5,
    refusal=lambda quota, held, adding, limit, scope: _over(held, adding, limit),
)
"""SPEC (default quotas): an account holds at most 5 numbers under `--quota-profile aws`."""


def _over(held: int, adding: int, limit: int) -> ServiceError:
    return NumberQuotaExceeded(held, adding, limit)


def _digits(ident: str) -> str:
    # `+12065550100`, `%2B12065550100` and `12065550100` are one number; a Deny on one
    # spelling must cover the others.
    return canonical_phone_number(ident)[1:]


PHONE_NUMBER = Resource(
    kind="phone number",
    arn_type="phone-number",
    members=("PhoneNumberId", "PhoneNumberIds", "E164PhoneNumbers"),
    labels=("phoneNumberId",),
    table=phone_numbers,
    record=PhoneNumberRecord,
    quotas=(PROVISIONED_NUMBERS,),
    list_operation="ListPhoneNumbers",
    canonical=_digits,
)
RESOURCES = (PHONE_NUMBER,)
