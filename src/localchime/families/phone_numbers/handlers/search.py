"""SearchAvailablePhoneNumbers: numbers nobody holds, from the numbering plan's pool.

SPEC (inventory, search): for US numbers give at least one of AreaCode, City, State or
TollFreePrefix, and City needs State; outside the US only PhoneNumberType is supported, and it
is required; Country defaults to US. We treat Canada like the US (NANP area codes, cities and
provinces), and every other country as "outside the US" (docs/behaviour.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from localchime.core.context import RequestContext
from localchime.core.family import Operations, Params
from localchime.core.pagination import Tokens
from localchime.domain import numbering_plan
from localchime.domain.numbering import LOCAL, SUPPORTED_COUNTRIES, TOLL_FREE, classify
from localchime.domain.us_states import PROVINCE_CODES, STATE_CODES
from localchime.families.phone_numbers import repository as phone_numbers
from localchime.protocol.errors import BadRequest, ServiceError

OPERATIONS = Operations()
TOKENS = Tokens("SearchAvailablePhoneNumbers")
"""Search resumes by its scan cursor (round, index), not by a row's key."""
DEFAULT_RESULTS = 100
NANP_SEARCH = ("US", "CA")
_SCAN_LIMIT = 20_000
"""Candidates looked at per call at most; a page can come back short, with a NextToken."""
_BATCH = 256


@dataclass(frozen=True, slots=True)
class Query:
    country: str
    number_type: str
    prefixes: tuple[str, ...]
    filters: dict[str, Any]


@OPERATIONS("SearchAvailablePhoneNumbers")
def search_available_phone_numbers(ctx: RequestContext, params: Params) -> dict[str, Any]:
    query = _query(params)
    limit = params.get("MaxResults", DEFAULT_RESULTS)
    resumed = TOKENS.resume(ctx, params, query.filters)
    start = (0, 0) if resumed is None else (int(resumed[0]), int(resumed[1]))
    found, cursor = _available(ctx, query, start, limit)
    result: dict[str, Any] = {"E164PhoneNumbers": found}
    if cursor is not None:
        result["NextToken"] = TOKENS.token(ctx, query.filters, list(cursor))
    return result


def _query(params: Params) -> Query:
    country = params.get("Country", "US")
    if country not in SUPPORTED_COUNTRIES:
        raise BadRequest(
            f"Country {country} has no Amazon Chime SDK numbers; supported: "
            + ", ".join(sorted(SUPPORTED_COUNTRIES))
        )
    filters: dict[str, str] = {
        k: params[k] for k in ("AreaCode", "City", "State", "TollFreePrefix") if k in params
    }
    number_type = params.get("PhoneNumberType")
    if country in NANP_SEARCH:
        return _nanp_query(country, filters, number_type)
    if filters:
        raise BadRequest(
            f"{', '.join(filters)}: outside the US and Canada only PhoneNumberType is supported"
        )
    if number_type is None:
        raise BadRequest(f"PhoneNumberType is required when searching in {country}")
    _check_offered(country, number_type)
    prefixes = numbering_plan.elsewhere(country, number_type)
    return Query(
        country, number_type, prefixes, {"Country": country, "PhoneNumberType": number_type}
    )


def _nanp_query(country: str, filters: dict[str, str], number_type: str | None) -> Query:
    if not filters:
        raise BadRequest(
            f"Searching in {country} needs at least one of AreaCode, City, State or TollFreePrefix"
        )
    if "City" in filters and "State" not in filters:
        raise BadRequest("City needs State: give both, e.g. City=Seattle and State=WA")
    tollfree = "TollFreePrefix" in filters
    if tollfree and len(filters) > 1:
        raise BadRequest("TollFreePrefix cannot be combined with AreaCode, City or State")
    kind = TOLL_FREE if tollfree else LOCAL
    if number_type is not None and number_type != kind:
        raise BadRequest(
            f"PhoneNumberType {number_type} contradicts "
            + (
                "TollFreePrefix"
                if tollfree
                else "AreaCode, City and State, which find Local numbers"
            )
        )
    _check_offered(country, kind)
    if "State" in filters:
        # Users type "WA" or "Washington"; the pool knows codes.
        names = {name.upper(): code for name, code in (STATE_CODES | PROVINCE_CODES).items()}
        filters["State"] = names.get(filters["State"].strip().upper(), filters["State"].strip())
    if "AreaCode" in filters and not (
        filters["AreaCode"].isascii()
        and filters["AreaCode"].isdigit()
        and len(filters["AreaCode"]) == 3
    ):
        raise BadRequest(f"AreaCode must be three digits, such as 206; got '{filters['AreaCode']}'")
    if tollfree:
        prefixes = numbering_plan.toll_free(filters["TollFreePrefix"])
    else:
        prefixes = numbering_plan.local_nanp(
            country, filters.get("AreaCode"), filters.get("State"), filters.get("City")
        )
    normalised = {k: v.casefold() for k, v in filters.items()} | {"Country": country}
    return Query(country, kind, prefixes, normalised)


def _check_offered(country: str, number_type: str) -> None:
    offered = SUPPORTED_COUNTRIES[country]
    if number_type not in offered:
        raise BadRequest(
            f"{country} offers no {number_type} numbers; it offers: {', '.join(sorted(offered))}"
        )


def _available(
    ctx: RequestContext, query: Query, start: tuple[int, int], limit: int
) -> tuple[list[str], tuple[int, int] | None]:
    """Walks the pool from `start`, keeping orderable numbers nobody holds or has ordered."""
    found: list[str] = []
    walker = numbering_plan.walk(query.prefixes, start)
    scanned = 0
    cursor = start
    while len(found) < limit and scanned < _SCAN_LIMIT:
        batch = [item for _, item in zip(range(_BATCH), walker, strict=False)]
        if not batch:
            return found, None
        scanned += len(batch)
        candidates = [(c, e164) for c, e164 in batch if _orderable(e164, query)]
        with ctx.store.read() as connection:
            taken = phone_numbers.taken_among(connection, [e164 for _, e164 in candidates])
        for position, e164 in candidates:
            if e164 in taken:
                continue
            found.append(e164)
            cursor = position
            if len(found) == limit:
                return found, cursor
        cursor = batch[-1][0]
    return found, cursor


def _orderable(e164: str, query: Query) -> bool:
    """Only what CreatePhoneNumberOrder would accept, of the type asked for."""
    try:
        info = classify(e164)
    except ServiceError:
        return False
    return info.country == query.country and info.number_type == query.number_type
