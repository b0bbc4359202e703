"""The pool SearchAvailablePhoneNumbers draws from: a deterministic walk of real numbering plans.

- NANP (US, Canada, Puerto Rico): every NPA-NXX prefix that phonenumbers' geocoder places in a
  city ("Seattle, WA"), so area code, city and state filters give numbers that really belong
  there. Toll-free uses the 833-888 ranges; 800 is valid input but, as in AWS, the pool has none
  (SPEC: what real users stumbled on).
- Other countries: numbers shaped like phonenumbers' example number of the type, with the last
  four digits walked.

Within a prefix the line numbers are a fixed permutation of 0000-9999, and prefixes are visited
round-robin, so results are spread out yet identical for the same query and state.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import phonenumbers
from phonenumbers import PhoneNumberType
from phonenumbers.geodata import GEOCODE_DATA

from localchime.services.numbering import LOCAL, TOLL_FREE

NANP_COUNTRIES = frozenset({"US", "CA", "PR"})
TOLL_FREE_PREFIXES = ("833", "844", "855", "866", "877", "888")
"""What the pool holds; `TollFreePrefix` also accepts 800, which finds nothing (SPEC)."""
LINE_DIGITS = 4
_LINES = 10**LINE_DIGITS
_STRIDE = 7919
"""A prime, so coprime with 10**n: `(stride * round + offset) % 10**n` visits every line once."""


@dataclass(frozen=True, slots=True)
class NanpPrefix:
    digits: str
    """Country code, area code and exchange: `1206215`."""
    country: str
    state: str
    city: str

    @property
    def area_code(self) -> str:
        return self.digits[1:4]


@cache
def nanp_prefixes() -> tuple[NanpPrefix, ...]:
    """Every geocoded NANP exchange, sorted; built once, on the first search."""
    country_of_area: dict[str, str | None] = {}
    found: list[NanpPrefix] = []
    for digits, names in GEOCODE_DATA.items():
        if len(digits) != 7 or not digits.startswith("1"):
            continue
        city, _, state = names.get("en", "").rpartition(", ")
        if not city or len(state) != 2:
            continue
        area = digits[1:4]
        if area not in country_of_area:
            country_of_area[area] = _nanp_country(digits)
        country = country_of_area[area]
        if country in NANP_COUNTRIES:
            found.append(NanpPrefix(digits, country, state, city))
    return tuple(sorted(found, key=lambda p: p.digits))


def _nanp_country(prefix: str) -> str | None:
    for line in ("1234", "5678", "2000", "4567"):
        parsed = phonenumbers.parse("+" + prefix + line)
        if phonenumbers.is_valid_number(parsed):
            return phonenumbers.region_code_for_number(parsed)
    return None


def local_nanp(
    country: str, area_code: str | None, state: str | None, city: str | None
) -> list[str]:
    state = state.upper() if state else None
    city = city.casefold() if city else None
    return [
        p.digits
        for p in nanp_prefixes()
        if p.country == country
        and (area_code is None or p.area_code == area_code)
        and (state is None or p.state == state)
        and (city is None or p.city.casefold() == city)
    ]


def toll_free(prefix: str | None) -> list[str]:
    codes = (
        TOLL_FREE_PREFIXES
        if prefix is None
        else tuple(c for c in TOLL_FREE_PREFIXES if c == prefix)
    )
    return [f"1{code}{exchange}" for code in codes for exchange in range(200, 1000)]


def elsewhere(country: str, number_type: str) -> list[str]:
    kinds = (
        (PhoneNumberType.TOLL_FREE,)
        if number_type == TOLL_FREE
        else (PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE)
    )
    for kind in kinds:
        example = phonenumbers.example_number_for_type(country, kind)
        if example is not None:
            e164 = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
            return [e164[1:-LINE_DIGITS]]
    return []


def walk(prefixes: list[str], start: tuple[int, int]) -> Iterator[tuple[tuple[int, int], str]]:
    """(cursor, E.164) in pool order from `start`; the cursor of an item resumes after it."""
    first_round, first_index = start
    offsets = [zlib.crc32(p.encode()) % _LINES for p in prefixes]
    for round_ in range(first_round, _LINES):
        for index in range(first_index if round_ == first_round else 0, len(prefixes)):
            line = (_STRIDE * round_ + offsets[index]) % _LINES
            yield (round_, index + 1), f"+{prefixes[index]}{line:0{LINE_DIGITS}d}"


__all__ = ["LOCAL", "TOLL_FREE", "elsewhere", "local_nanp", "nanp_prefixes", "toll_free", "walk"]
