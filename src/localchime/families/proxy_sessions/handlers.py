"""CreateProxySession, GetProxySession, ListProxySessions, UpdateProxySession and
DeleteProxySession, and the rules the model does not state (docs/proxy-sessions.md):

- a session needs its connector's proxy configuration, not Disabled;
- two different E.164 participants; Capabilities at least one of Voice and SMS, each once;
- GeoMatchLevel and GeoMatchParams go together, and the params name what the level matches;
- ExpiryMinutes defaults to the configuration's DefaultSessionExpiryMinutes and counts from
  creation, or from the update that last set it;
- a Closed session can be read and deleted, not updated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from localchime.core.context import RequestContext
from localchime.core.family import Operations, Params
from localchime.core.ids import new_guid
from localchime.core.lists import repeated, shown
from localchime.core.pagination import Keyset, Pagination
from localchime.domain.numbering_plan import NANP_COUNTRIES
from localchime.families.phone_numbers import public as phone_numbers
from localchime.families.proxy_sessions import repository as repo
from localchime.families.proxy_sessions.errors import (
    NoProxyConfiguration,
    NoProxyNumber,
    ProxyDisabled,
    SessionClosed,
    SessionNotFound,
)
from localchime.families.proxy_sessions.repository import CLOSED, OPEN, Session
from localchime.families.proxy_sessions.selection import (
    AREA_CODE,
    COUNTRY,
    PREFER_STICKY,
    Candidate,
    GeoMatch,
    NoNumber,
    choose,
)
from localchime.families.proxy_sessions.views import session_view
from localchime.families.voice_connectors import public as connectors
from localchime.families.voice_connectors.public import (
    COUNTRIES,
    PROXY,
    connector_target,
    owned_connector,
    visible_connector,
)
from localchime.protocol.errors import BadRequest, require
from localchime.store.locks import lock_for_account

OPERATIONS = Operations()
MS_PER_MINUTE = 60_000
E164 = re.compile(r"\+[1-9][0-9]{1,14}")
ASSIGNED = "Assigned"


@dataclass(frozen=True, slots=True)
class Seen:
    """A session as of one reading of the clock: what a listing's view needs."""

    session: Session
    now_ms: int


LISTING = Pagination[Seen](
    "ListProxySessions",
    "ProxySessions",
    key=lambda seen: [seen.session.created_ms, seen.session.session_id],
    view=lambda seen: session_view(seen.session, seen.now_ms),
)


@OPERATIONS("CreateProxySession")
def create_proxy_session(ctx: RequestContext, params: Params) -> dict[str, Any]:
    participants = _participants(params["ParticipantPhoneNumbers"])
    capabilities = _capabilities(params["Capabilities"])
    geo = _geo(params)
    behaviour = params.get("NumberSelectionBehavior")
    with ctx.store.write() as connection:
        # One account's creates take turns, so two cannot give one (proxy number, participant)
        # pair to two open sessions (nothing on SQLite, whose writers take turns already).
        lock_for_account(connection, "proxy-sessions", ctx.account)
        connector_id = owned_connector(
            ctx, connection, params["VoiceConnectorId"]
        ).voice_connector_id
        proxy = _proxy_configuration(connection, connector_id)
        minutes = params.get("ExpiryMinutes", proxy["DefaultSessionExpiryMinutes"])
        number = _proxy_number(ctx, connection, connector_id, proxy, geo, participants, behaviour)
        record = Session(
            session_id=new_guid(),
            account=ctx.account,
            region=ctx.region,
            voice_connector_id=connector_id,
            name=params.get("Name"),
            capabilities=",".join(capabilities),
            expiry_minutes=minutes,
            expires_ms=ctx.now_ms + minutes * MS_PER_MINUTE,
            number_selection=behaviour,
            geo_match_level=None if geo is None else geo.level,
            geo_country=None if geo is None else geo.country,
            geo_area_code=None if geo is None else geo.area_code,
            participant_1=participants[0],
            participant_2=participants[1],
            proxy_phone_number=number,
            proxy_removals=repo.proxy_removal_count(connection, connector_id),
            created_ms=ctx.now_ms,
            updated_ms=ctx.now_ms,
        )
        record.ended_ms = record.expires_ms
        repo.insert_session(connection, record)
    return {"ProxySession": session_view(record, ctx.now_ms)}


@OPERATIONS("GetProxySession")
def get_proxy_session(ctx: RequestContext, params: Params) -> dict[str, Any]:
    connector_id = visible_connector(ctx, params["VoiceConnectorId"]).voice_connector_id
    session_id = params["ProxySessionId"]
    found = repo.session(ctx.reads, ctx.account, ctx.region, connector_id, session_id)
    record = require(found, SessionNotFound, session_id, connector_id)
    return {"ProxySession": session_view(record, ctx.now_ms)}


@OPERATIONS("ListProxySessions")
def list_proxy_sessions(ctx: RequestContext, params: Params) -> dict[str, Any]:
    connector_id = visible_connector(ctx, params["VoiceConnectorId"]).voice_connector_id
    status = params.get("Status")

    def fetch(after: Keyset | None, limit: int) -> list[Seen]:
        if status not in (None, OPEN, CLOSED):
            return []  # InProgress: no session carries a call here (docs/proxy-sessions.md)
        rows = repo.session_page(ctx.reads, connector_id, status, ctx.now_ms, after, limit)
        return [Seen(row, ctx.now_ms) for row in rows]

    filters = {"VoiceConnectorId": connector_id, "Status": status}
    return LISTING.respond(ctx, params, filters, fetch)


@OPERATIONS("UpdateProxySession")
def update_proxy_session(ctx: RequestContext, params: Params) -> dict[str, Any]:
    capabilities = _capabilities(params["Capabilities"])
    with ctx.store.write() as connection:
        record = _owned(ctx, connection, params)
        if record.closed(ctx.now_ms):
            raise SessionClosed(record.session_id)
        record.capabilities = ",".join(capabilities)
        if "ExpiryMinutes" in params:
            # Counted from this update: "N more minutes" can never end the session at once.
            record.expiry_minutes = params["ExpiryMinutes"]
            record.expires_ms = ctx.now_ms + record.expiry_minutes * MS_PER_MINUTE
        record.updated_ms = ctx.now_ms
        # Open, so its proxy configuration is still there: it ends at its expiry.
        record.ended_ms = record.expires_ms
        repo.save_session(connection, record)
    return {"ProxySession": session_view(record, ctx.now_ms)}


@OPERATIONS("DeleteProxySession")
def delete_proxy_session(ctx: RequestContext, params: Params) -> None:
    with ctx.store.write() as connection:
        repo.delete_session(connection, _owned(ctx, connection, params).session_id)


def _owned(ctx: RequestContext, connection: Connection, params: Params) -> Session:
    connector_id = owned_connector(ctx, connection, params["VoiceConnectorId"]).voice_connector_id
    session_id = params["ProxySessionId"]
    found = repo.session_for_update(connection, ctx.account, ctx.region, connector_id, session_id)
    return require(found, SessionNotFound, session_id, connector_id)


def _proxy_configuration(connection: Connection, connector_id: str) -> dict[str, Any]:
    proxy = connectors.document_in(connection, connector_id, PROXY.kind)
    if proxy is None:
        raise NoProxyConfiguration(connector_id)
    if proxy.get("Disabled"):
        raise ProxyDisabled(connector_id)
    return proxy


def _proxy_number(
    ctx: RequestContext,
    connection: Connection,
    connector_id: str,
    proxy: dict[str, Any],
    geo: GeoMatch | None,
    participants: tuple[str, str],
    behaviour: str | None,
) -> str:
    association = connector_target(connector_id)
    associated = [
        Candidate(number.e164, number.country)
        for number in phone_numbers.associated_in(
            connection, ctx.account, ctx.region, association.name, association.value
        )
        if number.status == ASSIGNED
    ]
    uses = repo.uses_by(connection, ctx.account, ctx.region, participants)
    try:
        return choose(
            associated,
            proxy["PhoneNumberCountries"],
            geo,
            participants,
            uses,
            behaviour or PREFER_STICKY,
            ctx.now_ms,
        )
    except NoNumber as why:
        raise NoProxyNumber(connector_id, str(why)) from None


def _participants(given: list[str]) -> tuple[str, str]:
    numbers = [n if n.startswith("+") else "+" + n for n in given]
    wrong = [n for n in numbers if not E164.fullmatch(n)]
    if wrong:
        raise BadRequest(
            f"ParticipantPhoneNumbers must be E.164 phone numbers (+<country code><number>, at "
            f"most 15 digits); not: {shown(wrong)}"
        )
    if len(numbers) != 2 or numbers[0] == numbers[1]:
        raise BadRequest(
            "ParticipantPhoneNumbers must be exactly two different phone numbers; got "
            f"{shown(numbers) or 'none'}"
        )
    return numbers[0], numbers[1]


def _capabilities(given: list[str]) -> list[str]:
    if not given:
        raise BadRequest("Capabilities must hold at least one of Voice and SMS")
    twice = repeated(given)
    if twice:
        raise BadRequest(f"Capabilities names {shown(twice)} more than once")
    return given


def _geo(params: Params) -> GeoMatch | None:
    level = params.get("GeoMatchLevel")
    given = params.get("GeoMatchParams")
    if level is None:
        if given is not None:
            raise BadRequest(
                "GeoMatchParams needs GeoMatchLevel (Country or AreaCode) to say what to match"
            )
        return None
    if given is None:
        raise BadRequest(f"GeoMatchLevel {level} needs GeoMatchParams with its {level}")
    country = given.get("Country", "")
    area_code = given.get("AreaCode", "")
    if level == COUNTRY and not country:
        raise BadRequest(
            "GeoMatchLevel Country needs GeoMatchParams.Country, an ISO 3166-1 alpha-2 code "
            "such as US"
        )
    if country and country not in COUNTRIES:
        raise BadRequest(
            f"GeoMatchParams.Country must be an ISO 3166-1 alpha-2 country code such as US; "
            f"not {country}"
        )
    if level == AREA_CODE:
        if not area_code:
            raise BadRequest(
                "GeoMatchLevel AreaCode needs GeoMatchParams.AreaCode, three digits such as 206"
            )
        if country and country not in NANP_COUNTRIES:
            raise BadRequest(
                f"GeoMatchParams.AreaCode is a North American area code, but "
                f"GeoMatchParams.Country is {country}, which is not in the North American "
                f"numbering plan ({', '.join(sorted(NANP_COUNTRIES))})"
            )
    return GeoMatch(level, country, area_code)
