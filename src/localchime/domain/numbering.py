"""Phone numbers as the service sees them: E.164 validity, country and type (phonenumbers).

Which countries sell which number types is SPEC's list (ListSupportedPhoneNumberCountries, D).
The types per country beyond SPEC's two examples (Canada local only, Italy toll-free only) are
inferred: the rest offer both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import phonenumbers
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, PhoneMetadata, PhoneNumberType

from localchime.protocol.errors import BadRequest, ServiceError

LOCAL = "Local"
TOLL_FREE = "TollFree"
BOTH = frozenset({LOCAL, TOLL_FREE})

SUPPORTED_COUNTRIES: dict[str, frozenset[str]] = {
    "US": BOTH,
    "AU": BOTH,
    "AT": BOTH,
    "CA": frozenset({LOCAL}),
    "DK": BOTH,
    "DE": BOTH,
    "IE": BOTH,
    "IT": frozenset({TOLL_FREE}),
    "NZ": BOTH,
    "NG": BOTH,
    "PR": BOTH,
    "KR": BOTH,
    "SE": BOTH,
    "CH": BOTH,
    "GB": BOTH,
}

_TYPE_OF = {
    PhoneNumberType.TOLL_FREE: TOLL_FREE,
    PhoneNumberType.FIXED_LINE: LOCAL,
    PhoneNumberType.MOBILE: LOCAL,
    PhoneNumberType.FIXED_LINE_OR_MOBILE: LOCAL,
}


@dataclass(frozen=True, slots=True)
class NumberInfo:
    e164: str
    country: str
    number_type: str


def e164_of(raw: str) -> str:
    """The model allows the leading `+` to be left out (`^\\+?[1-9]\\d{1,14}$`); we add it."""
    return raw if raw.startswith("+") else "+" + raw


NANP = re.compile(r"\+1[2-9]\d{9}")


def parse_e164(e164: str) -> phonenumbers.PhoneNumber:
    """The number as phonenumbers sees it. A +1 number of ten digits not starting with 0 or 1 is
    built directly: that is all `parse` would find in it (a leading 0 would also set its
    leading-zero fields), and building it costs a tenth of parsing."""
    if NANP.fullmatch(e164):
        return phonenumbers.PhoneNumber(country_code=1, national_number=int(e164[2:]))
    try:
        return phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException as exc:
        raise BadRequest(f"{e164} is not a valid E.164 phone number: {exc}") from None


Desc = tuple[frozenset[int], re.Pattern[str]] | None
"""A number type's plan as the typing needs it: its possible lengths and its pattern."""
_TYPE_DESCS = (
    ("premium_rate", PhoneNumberType.PREMIUM_RATE),
    ("toll_free", PhoneNumberType.TOLL_FREE),
    ("shared_cost", PhoneNumberType.SHARED_COST),
    ("voip", PhoneNumberType.VOIP),
    ("personal_number", PhoneNumberType.PERSONAL_NUMBER),
    ("pager", PhoneNumberType.PAGER),
    ("uan", PhoneNumberType.UAN),
    ("voicemail", PhoneNumberType.VOICEMAIL),
)
"""The types phonenumbers' `_number_type_helper` tries, in its order, before fixed line and
mobile."""


def _desc(number_desc: Any) -> Desc:
    if number_desc is None or not number_desc.national_number_pattern:
        return None
    return frozenset(number_desc.possible_length or ()), re.compile(
        number_desc.national_number_pattern
    )


def _matches(desc: Desc, national: str) -> bool:
    if desc is None:
        return False
    lengths, pattern = desc
    if lengths and len(national) not in lengths:
        return False
    return pattern.fullmatch(national) is not None


@lru_cache(maxsize=512)
def _plan(region: str) -> tuple[Desc, tuple[tuple[Desc, int], ...], Desc, Desc, bool] | None:
    """A region's plan read once from its metadata: (general, the other types in order, fixed
    line, mobile, whether fixed line and mobile share a pattern)."""
    metadata = PhoneMetadata.metadata_for_region(region, None)
    if metadata is None:
        return None
    others = tuple((_desc(getattr(metadata, name)), kind) for name, kind in _TYPE_DESCS)
    return (
        _desc(metadata.general_desc),
        tuple((desc, kind) for desc, kind in others if desc is not None),
        _desc(metadata.fixed_line),
        _desc(metadata.mobile),
        bool(metadata.same_mobile_and_fixed_line_pattern),
    )


def _type_in(region: str, national: str) -> int:
    """phonenumbers' `_number_type_helper(national, metadata of region)`, on the region's plan
    compiled once: its own walk costs four calls and a pattern lookup per type it tries."""
    plan = _plan(region)
    if plan is None:
        return PhoneNumberType.UNKNOWN
    general, others, fixed_line, mobile, same_pattern = plan
    if not _matches(general, national):
        return PhoneNumberType.UNKNOWN
    for desc, kind in others:
        if _matches(desc, national):
            return kind
    if _matches(fixed_line, national):
        if same_pattern or _matches(mobile, national):
            return PhoneNumberType.FIXED_LINE_OR_MOBILE
        return PhoneNumberType.FIXED_LINE
    if not same_pattern and _matches(mobile, national):
        return PhoneNumberType.MOBILE
    return PhoneNumberType.UNKNOWN


@lru_cache(maxsize=512)
def _regions_of(country_code: int) -> tuple[tuple[str, re.Pattern[str] | None], ...] | None:
    """The regions sharing a country code, in phonenumbers' order, each with the leading digits
    that claim a number for it (if its plan has them); None for a code of one region or none,
    which phonenumbers' own lookups serve directly."""
    regions = COUNTRY_CODE_TO_REGION_CODE.get(country_code)
    if regions is None or len(regions) == 1:
        return None
    found = []
    for region in regions:
        metadata = PhoneMetadata.metadata_for_region(region.upper(), None)
        if metadata is None:
            continue  # as phonenumbers skips it
        leading = metadata.leading_digits
        found.append((region.upper(), None if leading is None else re.compile(leading)))
    return tuple(found)


def region_and_type(parsed: phonenumbers.PhoneNumber) -> tuple[str | None, int]:
    """`(region_code_for_number, number_type)` of a number in one walk of its country code's
    regions. phonenumbers' `number_type` first finds the region the same way, typing the number
    against each region's plan until one knows it, then types it again; for a +1 number that
    walk is most of a create's classification (docs/benchmarks.md). Equal to the two public
    calls for every number (tests/test_numbering_fast_path.py)."""
    regions = _regions_of(parsed.country_code or 0)
    if regions is None:
        return phonenumbers.region_code_for_number(parsed), phonenumbers.number_type(parsed)
    found = _walk(regions, phonenumbers.national_significant_number(parsed))
    return found if found is not None else (None, phonenumbers.number_type(parsed))


def _walk(
    regions: tuple[tuple[str, re.Pattern[str] | None], ...], national: str
) -> tuple[str, int] | None:
    """The first region claiming the national number, with its type there; None if none."""
    for region, leading_digits in regions:
        if leading_digits is not None:
            if leading_digits.match(national):
                return region, _type_in(region, national)
            continue
        kind = _type_in(region, national)
        if kind != PhoneNumberType.UNKNOWN:
            return region, kind
    return None


def _nanp_region_and_type(e164: str) -> tuple[str | None, int] | None:
    """`region_and_type` of a number `parse_e164` builds directly, from its text: its national
    significant number is its ten digits. None when no region claims it (phonenumbers then
    answers)."""
    regions = _regions_of(1)
    return None if regions is None else _walk(regions, e164[2:])


@lru_cache(maxsize=65536)
def classify(raw: str) -> NumberInfo:
    """Validates one orderable number; the BadRequest message says which rule it broke."""
    e164 = e164_of(raw)
    nanp = NANP.fullmatch(e164) is not None
    # One type lookup stands for is_valid_number too: a number is valid exactly when its type
    # in its region's plan is known (phonenumbers computes validity that way), and profiling
    # showed the two lookups costing a third of CreatePhoneNumberOrder (docs/benchmarks.md).
    found = _nanp_region_and_type(e164) if nanp else None
    parsed = None
    if found is None:
        parsed = parse_e164(e164)
        found = region_and_type(parsed)
    region, kind = found
    if kind == phonenumbers.PhoneNumberType.UNKNOWN:
        raise BadRequest(
            f"{e164} is not a valid phone number: it is not in any country's numbering plan"
        )
    country = region or "unknown"
    offered = SUPPORTED_COUNTRIES.get(country)
    if offered is None:
        raise BadRequest(
            f"{e164} is in {country}, where Amazon Chime SDK does not offer numbers; supported "
            "countries: " + ", ".join(sorted(SUPPORTED_COUNTRIES))
        )
    number_type = _TYPE_OF.get(kind)
    if number_type is None:
        raise BadRequest(
            f"{e164} is not a local or toll-free number, the only types that can be ordered"
        )
    if number_type not in offered:
        raise BadRequest(f"{e164}: {country} offers no {number_type} numbers")
    # A NANP number of ten digits is already in the form format_number would write.
    canonical = (
        e164
        if nanp or parsed is None
        else phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    )
    return NumberInfo(canonical, country, number_type)


def orderable_numbers(raw: list[str], product_type: str) -> list[NumberInfo]:
    """Classifies each number of an order; rejects repeats and non-US Voice Connector numbers.

    Messages name the list member, e.g. `E164PhoneNumbers[2]: ...`.
    """
    numbers: list[NumberInfo] = []
    seen: set[str] = set()
    for index, value in enumerate(raw):
        try:
            info = classify(value)
        except ServiceError as exc:
            raise BadRequest(f"E164PhoneNumbers[{index}]: {exc.message}") from None
        if info.e164 in seen:
            raise BadRequest(
                f"E164PhoneNumbers[{index}]: {info.e164} appears more than once in this order"
            )
        if product_type == "VoiceConnector" and info.country != "US":
            # SPEC (M/D): "For numbers outside the U.S., you must use the SIP media application
            # dial-in product type."
            raise BadRequest(
                f"E164PhoneNumbers[{index}]: {info.e164} is in {info.country}; numbers outside "
                "the U.S. must use ProductType SipMediaApplicationDialIn"
            )
        seen.add(info.e164)
        numbers.append(info)
    return numbers
