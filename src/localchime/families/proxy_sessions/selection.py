"""Which proxy number a new session gets: pure rules over the connector's pool and the
participants' past sessions, no storage (docs/proxy-sessions.md).

1. The pool: the numbers associated with the connector itself (not through a group) whose
   country is one of the proxy configuration's PhoneNumberCountries.
2. GeoMatchLevel Country keeps the numbers of GeoMatchParams.Country; AreaCode keeps the North
   American numbers of GeoMatchParams.AreaCode (and of its Country, when one is given).
3. A number is free for the session unless it is one of the two participants, or either
   participant already has it in an open session: a call or message from a participant to a
   proxy number must name one session, so a (proxy number, participant) pair is in at most one
   open session.
4. PreferSticky (the default) takes the free number either participant had most recently;
   AvoidSticky takes one neither ever had, else the one they had least recently. Ties go to
   E.164 order, so the choice is reproducible.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from localchime.core.lists import shown
from localchime.domain.numbering_plan import NANP_COUNTRIES
from localchime.families.proxy_sessions.repository import Use

PREFER_STICKY = "PreferSticky"
AVOID_STICKY = "AvoidSticky"
COUNTRY = "Country"
AREA_CODE = "AreaCode"


@dataclass(frozen=True, slots=True)
class Candidate:
    e164: str
    country: str


@dataclass(frozen=True, slots=True)
class GeoMatch:
    level: str
    country: str
    """"" when not given (the model requires the member but admits the empty string)."""
    area_code: str


class NoNumber(Exception):
    """Why no number is left; the caller names the connector."""


def area_code(candidate: Candidate) -> str | None:
    if candidate.country in NANP_COUNTRIES and candidate.e164.startswith("+1"):
        return candidate.e164[2:5]
    return None


def choose(
    associated: Sequence[Candidate],
    countries: Sequence[str],
    geo: GeoMatch | None,
    participants: tuple[str, str],
    uses: Iterable[Use],
    behaviour: str,
    now_ms: int,
) -> str:
    pool = [c for c in associated if c.country in countries]
    if not pool:
        raise NoNumber(_empty_pool(associated, countries))
    matching = pool
    if geo is not None:
        if geo.country and geo.country not in countries:
            raise NoNumber(
                f"GeoMatchParams.Country {geo.country} is not one of its proxy configuration's "
                f"PhoneNumberCountries ({', '.join(countries)})"
            )
        matching = [c for c in pool if _matches(c, geo)]
        if not matching:
            raise NoNumber(
                f"none of its {len(pool)} pool number(s) matches GeoMatchLevel {geo.level} "
                f"with {_described(geo)}"
            )
    last_had: dict[str, int] = {}
    busy: set[str] = set()
    for use in uses:
        last_had[use.proxy_phone_number] = max(
            use.created_ms, last_had.get(use.proxy_phone_number, use.created_ms)
        )
        if use.ended_ms > now_ms:
            busy.add(use.proxy_phone_number)
    free = [c.e164 for c in matching if c.e164 not in busy and c.e164 not in participants]
    if not free:
        raise NoNumber(
            f"each of the {len(matching)} matching number(s) {shown([c.e164 for c in matching])} "
            f"is a participant, or already the proxy number of {participants[0]} or "
            f"{participants[1]} in an open session"
        )
    never = -1
    if behaviour == AVOID_STICKY:
        return min(free, key=lambda e164: (last_had.get(e164, never), e164))
    return min(free, key=lambda e164: (-last_had.get(e164, never), e164))


def _matches(candidate: Candidate, geo: GeoMatch) -> bool:
    if geo.country and candidate.country != geo.country:
        return False
    return geo.level == COUNTRY or area_code(candidate) == geo.area_code


def _described(geo: GeoMatch) -> str:
    if geo.level == COUNTRY:
        return f"Country {geo.country}"
    country = f" in {geo.country}" if geo.country else ""
    return f"AreaCode {geo.area_code}{country}"


def _empty_pool(associated: Sequence[Candidate], countries: Sequence[str]) -> str:
    if not associated:
        return "no phone numbers are associated with it (AssociatePhoneNumbersWithVoiceConnector)"
    return (
        f"none of the {len(associated)} number(s) associated with it is in the proxy "
        f"configuration's PhoneNumberCountries {', '.join(countries)}"
    )
