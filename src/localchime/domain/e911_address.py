"""E911 address standardisation, offline and without storage: usaddress-scourgify reads the
street, the `zipcodes` package knows every US ZIP code with its city and state.

SPEC (ValidateE911Address): US building addresses only; ValidationResult 0 (valid), 1 (close,
corrected in Address) or 2 (failed; retry with a candidate). What counts as "close" is
inferred; README lists the rules.
"""

from __future__ import annotations

import difflib
import hashlib
import uuid
from dataclasses import dataclass
from functools import cache
from typing import Any

import orjson
import usaddress
import zipcodes
from scourgify import normalize_address_record
from scourgify.exceptions import AddressNormalizationError

from localchime.domain.us_states import STATE_CODES

US_NAMES = {"US", "USA", "UNITED STATES", "UNITED STATES OF AMERICA"}
CLOSE_CITY = 0.8
MAX_CANDIDATES = 3
_ID_NAMESPACE = uuid.UUID("6f1c3a52-6a3e-4e0c-9d0a-6c6f63616c63")
Fields = dict[str, Any]
Candidate = tuple[str, str, str]  # city, state, ZIP


@dataclass(frozen=True, slots=True)
class Street:
    number: str
    pre_directional: str | None
    name: str
    suffix: str | None
    post_directional: str | None
    had_unit: bool

    @property
    def info(self) -> str:
        parts = (self.pre_directional, self.name, self.suffix, self.post_directional)
        return " ".join(p for p in parts if p)


def address_key(fields: dict[str, Any]) -> str:
    """The exact address, case and spacing aside: what an override pins."""
    names = ("StreetNumber", "StreetInfo", "City", "State", "Country", "PostalCode")
    text = "|".join(" ".join(str(fields.get(n, "")).split()).casefold() for n in names)
    return hashlib.sha256(text.encode()).hexdigest()


def external_id(key: str) -> str:
    return str(uuid.uuid5(_ID_NAMESPACE, key))


def validate_us_address(params: Fields) -> dict[str, Any]:
    corrected = False
    state = _state_code(params["State"])
    zip5, plus4 = _postal(params["PostalCode"])
    place = _place(zip5)
    if state is None and place is None:
        return _failed(params, None, [])
    # An unknown state is read as the ZIP's: scourgify wants one, and the street ignores it.
    street_state = state if state is not None else str(place["state"]) if place else ""
    street = _street(params["StreetNumber"], params["StreetInfo"], params["City"], street_state)
    if street is None:
        # A PO box, or nothing that reads as a building address: no candidate can fix that.
        return _failed(params, None, [])
    corrected |= street.had_unit
    city = _city_for(params["City"], place) if place is not None else None
    if state is None or zip5 is None or place is None or city is None or place["state"] != state:
        return _failed(params, street, _candidates(params["City"], state, place, city))
    corrected |= params["State"].strip().upper() != state
    corrected |= city != _plain(params["City"])
    address = _address(street, city, state, zip5, plus4)
    standard = orjson.dumps(address, option=orjson.OPT_SORT_KEYS).decode()
    return {
        "ValidationResult": 1 if corrected else 0,
        "AddressExternalId": external_id(hashlib.sha256(standard.encode()).hexdigest()),
        "Address": address,
    }


def _place(zip5: str | None) -> dict[str, Any] | None:
    """The ZIP's record in the `zipcodes` data; None for a malformed or unknown ZIP."""
    if zip5 is None or not zipcodes.is_real(zip5):
        return None
    place: dict[str, Any] = zipcodes.matching(zip5)[0]
    return place


def _candidates(
    given_city: str, state: str | None, place: dict[str, Any] | None, city: str | None
) -> list[Candidate]:
    """README (docs/e911.md), ValidationResult 2: the ZIP's own city first, then the given
    city's ZIP codes in the given state.

    The ZIP's own city is the given city as USPS spells it when the given city is the ZIP's (or
    close to it, or one USPS accepts for it), so a wrong state is fixed and nothing else changes;
    otherwise it is the ZIP's primary city.
    """
    found: list[Candidate] = []
    if place is not None:
        found.append((city or str(place["city"]).upper(), place["state"], place["zip_code"]))
    if state is not None:
        found += [
            (str(p["city"]).upper(), p["state"], p["zip_code"])
            for p in _zips_of_city(given_city, state)
        ]
    return found


def _state_code(value: str) -> str | None:
    text = " ".join(value.split()).upper()
    if text in STATE_CODES.values():
        return text
    return {name.upper(): code for name, code in STATE_CODES.items()}.get(text)


def _street(number: str, info: str, city: str, state: str) -> Street | None:
    """Standardised street parts; None when the street cannot be read as a building address."""
    try:
        record = normalize_address_record(
            {
                "address_line_1": f"{number} {info}",
                "city": city,
                "state": state,
                "postal_code": "00000",  # scourgify insists on a ZIP; street parts ignore it
            }
        )
        tags, kind = usaddress.tag(record["address_line_1"])
    except (AddressNormalizationError, usaddress.RepeatedLabelError, ValueError):
        return None
    if kind != "Street Address" or "StreetName" not in tags or "AddressNumber" not in tags:
        return None
    # SPEC: building addresses only; a suite or apartment is dropped, and that is a correction.
    # So is any other part the Address shape has no field for.
    dropped = bool(record.get("address_line_2")) or bool(set(tags) - _KEPT_TAGS)
    return Street(
        number=_joined(tags, "AddressNumberPrefix", "AddressNumber", "AddressNumberSuffix"),
        pre_directional=tags.get("StreetNamePreDirectional"),
        # "County Road 5", "US Highway 1", "Avenue A": the type before the name is part of it.
        name=_joined(tags, "StreetNamePreModifier", "StreetNamePreType", "StreetName"),
        suffix=tags.get("StreetNamePostType"),
        post_directional=tags.get("StreetNamePostDirectional"),
        had_unit=dropped,
    )


_KEPT_TAGS = {
    "AddressNumberPrefix",
    "AddressNumber",
    "AddressNumberSuffix",
    "StreetNamePreDirectional",
    "StreetNamePreModifier",
    "StreetNamePreType",
    "StreetName",
    "StreetNamePostType",
    "StreetNamePostDirectional",
}


def _joined(tags: dict[str, str], *names: str) -> str:
    return " ".join(tags[n] for n in names if n in tags)


def _postal(value: str) -> tuple[str | None, str | None]:
    digits = "".join(c for c in value if c.isascii() and c.isdigit())
    if len(digits) == 5:
        return digits, None
    if len(digits) == 9:
        return digits[:5], digits[5:]
    return None, None


def _plain(city: str) -> str:
    """`St. Paul` and `St Paul` are one city."""
    return " ".join("".join(c if c.isalnum() else " " for c in city).split()).upper()


def _city_for(given: str, place: dict[str, Any]) -> str | None:
    """The ZIP's city as USPS spells it, when the given city is it or close to it."""
    wanted = _plain(given)
    names = [place["city"], *place.get("acceptable_cities", [])]
    for name in names:
        if _plain(name) == wanted:
            return str(name).upper()
    best = max(names, key=lambda n: difflib.SequenceMatcher(None, _plain(n), wanted).ratio())
    if difflib.SequenceMatcher(None, _plain(best), wanted).ratio() >= CLOSE_CITY:
        return str(best).upper()
    return None


@cache
def _zips_by_city() -> dict[tuple[str, str], list[dict[str, Any]]]:
    index: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for place in zipcodes.list_all():
        if place.get("zip_code_type") == "STANDARD" and place.get("active"):
            index.setdefault((_plain(place["city"]), place["state"]), []).append(place)
    return index


def _zips_of_city(city: str, state: str) -> list[dict[str, Any]]:
    """The city's standard ZIP codes in that state, in ZIP order; punctuation aside."""
    return _zips_by_city().get((_plain(city), state), [])


def _address(street: Street, city: str, state: str, zip5: str, plus4: str | None) -> dict[str, Any]:
    return {
        "streetNumber": street.number,
        "preDirectional": street.pre_directional,
        "streetName": street.name,
        "streetSuffix": street.suffix,
        "postDirectional": street.post_directional,
        "city": city,
        "state": state,
        "postalCode": zip5,
        "postalCodePlus4": plus4,
        "country": "US",
    }


def _failed(params: Fields, street: Street | None, places: list[Candidate]) -> dict[str, Any]:
    """ValidationResult 2, with up to MAX_CANDIDATES real candidates, one per ZIP, in order."""
    candidates = []
    seen: set[str] = set()
    for city, state, zip_code in places:
        if zip_code in seen:
            continue
        seen.add(zip_code)
        candidates.append(
            {
                "streetNumber": street.number if street else params["StreetNumber"].strip(),
                "streetInfo": street.info
                if street
                else " ".join(params["StreetInfo"].split()).upper(),
                "city": city,
                "state": state,
                "postalCode": zip_code,
                "country": "US",
            }
        )
        if len(candidates) == MAX_CANDIDATES:
            break
    return {
        "ValidationResult": 2,
        "AddressExternalId": external_id(address_key(params)),
        "CandidateAddressList": candidates,
    }
