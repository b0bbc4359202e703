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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import phonenumbers
from phonenumbers import PhoneNumberType

from localchime.domain.numbering import LOCAL, TOLL_FREE
from localchime.domain.us_states import PROVINCE_CODES, STATE_CODES

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


GEOCODER_NAMES = {
    **STATE_CODES,
    **PROVINCE_CODES,
    "Washington State": "WA",
    "Washington D.C.": "DC",
    "British Colombia": "BC",
}
"""The geocoder names some area codes by state or province only, sometimes spelled its own way;
these map them to the codes users search with."""


@cache
def nanp_prefixes() -> tuple[NanpPrefix, ...]:
    """Every NANP exchange the geocoder places, sorted; built once, on the first search.

    Exchanges the geocoder names one by one come with their city. An area code it names only as
    a whole ("Chicago, IL", or "New Jersey") contributes all its exchanges 200-999, with that
    city, or with the state alone.
    """
    # Imported here: the geocoder data costs a quarter second, which startup should not pay.
    from phonenumbers.geodata import GEOCODE_DATA

    country_of_area: dict[str, str | None] = {}
    named_exchanges = {d[1:4] for d in GEOCODE_DATA if len(d) == 7 and d.startswith("1")}
    found: list[NanpPrefix] = []
    for digits, names in GEOCODE_DATA.items():
        if not digits.startswith("1") or len(digits) not in (4, 7):
            continue
        area = digits[1:4]
        if len(digits) == 4 and area in named_exchanges:
            continue
        city, state = _place(names.get("en", ""))
        if state is None:
            continue
        if area not in country_of_area:
            country_of_area[area] = _nanp_country(area)
        country = country_of_area[area]
        if country not in NANP_COUNTRIES:
            continue
        exchanges = [digits] if len(digits) == 7 else [f"{digits}{x}" for x in range(200, 1000)]
        found += [NanpPrefix(e, country, state, city) for e in exchanges]
    return tuple(sorted(found, key=lambda p: p.digits))


def _place(description: str) -> tuple[str, str | None]:
    """("Seattle", "WA") from "Seattle, WA"; ("", "NJ") from "New Jersey"."""
    city, _, state = description.rpartition(", ")
    if city and len(state) == 2:
        return city, state
    return "", GEOCODER_NAMES.get(description)


def _nanp_country(area: str) -> str | None:
    for rest in ("2221234", "5551234", "3455678", "7892000", "4564567"):
        parsed = phonenumbers.parse(f"+1{area}{rest}")
        if phonenumbers.is_valid_number(parsed):
            return phonenumbers.region_code_for_number(parsed)
    return None


@lru_cache(maxsize=4096)
def local_nanp(
    country: str, area_code: str | None, state: str | None, city: str | None
) -> tuple[str, ...]:
    """The exchanges matching every filter given; cached, since queries repeat."""
    state = state.upper() if state else None
    city = city.casefold() if city else None
    if city is not None and state is None:
        return ()
    return tuple(
        p.digits
        for p in nanp_prefixes()
        if p.country == country
        and (area_code is None or p.area_code == area_code)
        and (state is None or p.state == state)
        and (city is None or p.city.casefold() == city)
    )


def toll_free(prefix: str | None) -> tuple[str, ...]:
    codes = (
        TOLL_FREE_PREFIXES
        if prefix is None
        else tuple(c for c in TOLL_FREE_PREFIXES if c == prefix)
    )
    return tuple(f"1{code}{exchange}" for code in codes for exchange in range(200, 1000))


def elsewhere(country: str, number_type: str) -> tuple[str, ...]:
    kinds = (
        (PhoneNumberType.TOLL_FREE,)
        if number_type == TOLL_FREE
        else (PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE)
    )
    for kind in kinds:
        example = phonenumbers.example_number_for_type(country, kind)
        if example is not None:
            e164 = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
            return (e164[1:-LINE_DIGITS],)
    return ()


def walk(prefixes: Sequence[str], start: tuple[int, int]) -> Iterator[tuple[tuple[int, int], str]]:
    """(cursor, E.164) in pool order from `start`; the cursor of an item resumes after it."""
    first_round, first_index = start
    offsets = [zlib.crc32(p.encode()) % _LINES for p in prefixes]
    for round_ in range(first_round, _LINES):
        for index in range(first_index if round_ == first_round else 0, len(prefixes)):
            line = (_STRIDE * round_ + offsets[index]) % _LINES
            yield (round_, index + 1), f"+{prefixes[index]}{line:0{LINE_DIGITS}d}"


__all__ = ["LOCAL", "TOLL_FREE", "elsewhere", "local_nanp", "nanp_prefixes", "toll_free", "walk"]
