"""Proxy sessions through boto3, on every backend: the issue's journey, the shape, the choice of
proxy number (pool, geography, stickiness, one open session per proxy number and participant),
expiry on the service clock, Update's re-based expiry, deleting the proxy configuration or the
connector, the status filter and pagination, validation, and another account's ids."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from sqlalchemy import func, select

from localchime.families.proxy_sessions.tables import (
    proxy_sessions,
    voice_connector_setting_removals,
)
from tests.harness import Chime, InProcessChime, failure_of

OTHER_ACCOUNT = "999999999999"
SEATTLE = "+12065550100"
SEATTLE_2 = "+12065550101"
SAN_FRANCISCO = "+14155550100"
POOL = [SEATTLE, SAN_FRANCISCO]
DRIVER, RIDER, THIRD, FOURTH = "+14015550101", "+14015550102", "+14015550103", "+14015550104"
UNKNOWN_SESSION = "00000000-0000-0000-0000-000000000000"
GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
MINUTE = dt.timedelta(minutes=1)


def connector(
    chime: Chime,
    client: Any,
    numbers: list[str] | None = None,
    countries: list[str] | None = None,
    **proxy: Any,
) -> str:
    """A connector with `numbers` (default: one Seattle and one San Francisco number)
    associated and a proxy configuration of 60 minutes in `countries` (default US)."""
    connector_id = client.create_voice_connector(Name="proxy", RequireEncryption=True)[
        "VoiceConnector"
    ]["VoiceConnectorId"]
    numbers = POOL if numbers is None else numbers
    if numbers:
        client.create_phone_number_order(ProductType="VoiceConnector", E164PhoneNumbers=numbers)
        chime.advance(5)
        answer = client.associate_phone_numbers_with_voice_connector(
            VoiceConnectorId=connector_id, E164PhoneNumbers=numbers
        )
        assert answer["PhoneNumberErrors"] == []
    client.put_voice_connector_proxy(
        VoiceConnectorId=connector_id,
        DefaultSessionExpiryMinutes=60,
        PhoneNumberPoolCountries=countries or ["US"],
        **proxy,
    )
    return str(connector_id)


def create(client: Any, connector_id: str, *participants: str, **extra: Any) -> dict[str, Any]:
    response = client.create_proxy_session(
        VoiceConnectorId=connector_id,
        ParticipantPhoneNumbers=list(participants or (DRIVER, RIDER)),
        Capabilities=extra.pop("Capabilities", ["Voice", "SMS"]),
        **extra,
    )
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 201
    return dict(response["ProxySession"])


def proxy_number(session: dict[str, Any]) -> str:
    numbers = {p["ProxyPhoneNumber"] for p in session["Participants"]}
    assert len(numbers) == 1  # SPEC (R): both participants get the same proxy number
    return numbers.pop()


def get(client: Any, connector_id: str, session_id: str) -> dict[str, Any]:
    response = client.get_proxy_session(VoiceConnectorId=connector_id, ProxySessionId=session_id)
    return dict(response["ProxySession"])


def listed(client: Any, connector_id: str, **extra: Any) -> list[str]:
    answer = client.list_proxy_sessions(VoiceConnectorId=connector_id, **extra)
    return [s["ProxySessionId"] for s in answer["ProxySessions"]]


def clock_now(chime: Chime) -> dt.datetime:
    response = chime.control("GET", "clock")
    assert response.status == 200
    return dt.datetime.fromisoformat(response.json()["Now"].replace("Z", "+00:00"))


def refused(call: Any, **params: Any) -> tuple[str, str]:
    return failure_of(lambda: call(**params))


# The journey


def test_a_session_gets_one_proxy_number_and_closes_when_the_clock_passes_expiry(
    chime: Chime, client: Any
) -> None:
    vc = connector(chime, client)
    session = create(client, vc)
    assert session["Status"] == "Open"
    assert session["ExpiryMinutes"] == 60  # the proxy configuration's default
    assert "EndedTimestamp" not in session
    assert session["Participants"] == [
        {"PhoneNumber": DRIVER, "ProxyPhoneNumber": SEATTLE},
        {"PhoneNumber": RIDER, "ProxyPhoneNumber": SEATTLE},
    ]
    session_id = session["ProxySessionId"]
    assert GUID.fullmatch(session_id)

    chime.advance(60 * 60 - 2)
    assert get(client, vc, session_id)["Status"] == "Open"
    assert listed(client, vc, Status="Open") == [session_id]

    chime.advance(2)
    closed = get(client, vc, session_id)
    assert closed["Status"] == "Closed"
    assert closed["EndedTimestamp"] == session["CreatedTimestamp"] + 60 * MINUTE
    assert closed["UpdatedTimestamp"] == session["UpdatedTimestamp"]
    assert listed(client, vc, Status="Open") == []
    assert listed(client, vc, Status="Closed") == [session_id]
    (in_list,) = client.list_proxy_sessions(VoiceConnectorId=vc)["ProxySessions"]
    assert in_list == closed


def test_the_session_shows_what_was_asked(chime: Chime, client: Any) -> None:
    vc = connector(chime, client)
    session = create(
        client,
        vc,
        DRIVER[1:],  # the model's pattern admits a number without its +
        RIDER,
        Name="ride 42",
        ExpiryMinutes=15,
        Capabilities=["SMS", "Voice"],
        NumberSelectionBehavior="AvoidSticky",
        GeoMatchLevel="AreaCode",
        GeoMatchParams={"Country": "US", "AreaCode": "415"},
    )
    assert session == {
        "ProxySessionId": session["ProxySessionId"],
        "VoiceConnectorId": vc,
        "Name": "ride 42",
        "Status": "Open",
        "ExpiryMinutes": 15,
        "Capabilities": ["SMS", "Voice"],
        "CreatedTimestamp": session["CreatedTimestamp"],
        "UpdatedTimestamp": session["CreatedTimestamp"],
        "Participants": [
            {"PhoneNumber": DRIVER, "ProxyPhoneNumber": SAN_FRANCISCO},
            {"PhoneNumber": RIDER, "ProxyPhoneNumber": SAN_FRANCISCO},
        ],
        "NumberSelectionBehavior": "AvoidSticky",
        "GeoMatchLevel": "AreaCode",
        "GeoMatchParams": {"Country": "US", "AreaCode": "415"},
    }
    assert get(client, vc, session["ProxySessionId"]) == session


# The proxy configuration


def test_a_connector_needs_an_enabled_proxy_configuration(chime: Chime, client: Any) -> None:
    vc = connector(chime, client)
    client.delete_voice_connector_proxy(VoiceConnectorId=vc)
    create_session = client.create_proxy_session
    given = {
        "VoiceConnectorId": vc,
        "ParticipantPhoneNumbers": [DRIVER, RIDER],
        "Capabilities": ["Voice"],
    }
    assert refused(create_session, **given) == (
        "BadRequestException",
        f"Voice Connector {vc} has no proxy configuration; put one with PutVoiceConnectorProxy "
        "before creating proxy sessions",
    )
    client.put_voice_connector_proxy(
        VoiceConnectorId=vc,
        DefaultSessionExpiryMinutes=30,
        PhoneNumberPoolCountries=["US"],
        Disabled=True,
    )
    assert refused(create_session, **given) == (
        "BadRequestException",
        f"Voice Connector {vc}'s proxy configuration is Disabled; put it with Disabled false "
        "before creating proxy sessions",
    )
    client.put_voice_connector_proxy(
        VoiceConnectorId=vc, DefaultSessionExpiryMinutes=30, PhoneNumberPoolCountries=["US"]
    )
    assert create(client, vc)["ExpiryMinutes"] == 30


def test_disabling_the_proxy_configuration_keeps_open_sessions(chime: Chime, client: Any) -> None:
    vc = connector(chime, client)
    session_id = create(client, vc)["ProxySessionId"]
    client.put_voice_connector_proxy(
        VoiceConnectorId=vc,
        DefaultSessionExpiryMinutes=60,
        PhoneNumberPoolCountries=["US"],
        Disabled=True,
    )
    assert get(client, vc, session_id)["Status"] == "Open"
    updated = client.update_proxy_session(
        VoiceConnectorId=vc, ProxySessionId=session_id, Capabilities=["SMS"]
    )
    assert updated["ProxySession"]["Capabilities"] == ["SMS"]


def test_deleting_the_proxy_configuration_closes_its_sessions_at_that_moment(
    chime: Chime, client: Any
) -> None:
    vc = connector(chime, client)
    first = create(client, vc)["ProxySessionId"]
    chime.advance(30)
    # Putting the configuration again changes it; the sessions live on.
    client.put_voice_connector_proxy(
        VoiceConnectorId=vc, DefaultSessionExpiryMinutes=5, PhoneNumberPoolCountries=["US"]
    )
    assert get(client, vc, first)["Status"] == "Open"

    before = clock_now(chime)
    client.delete_voice_connector_proxy(VoiceConnectorId=vc)
    after = clock_now(chime)
    closed = get(client, vc, first)
    assert closed["Status"] == "Closed"
    assert before <= closed["EndedTimestamp"] <= after
    assert listed(client, vc, Status="Closed") == [first]
    assert refused(
        client.update_proxy_session, VoiceConnectorId=vc, ProxySessionId=first, Capabilities=["SMS"]
    ) == (
        "BadRequestException",
        f"Proxy session {first} is Closed; a closed session cannot be updated",
    )

    # A configuration put again opens no closed session, and new sessions run under it.
    chime.advance(60)
    client.put_voice_connector_proxy(
        VoiceConnectorId=vc, DefaultSessionExpiryMinutes=5, PhoneNumberPoolCountries=["US"]
    )
    assert get(client, vc, first) == closed
    second = create(client, vc)
    assert proxy_number(second) == SEATTLE  # the closed session's pair is free again
    assert second["ExpiryMinutes"] == 5
    assert listed(client, vc, Status="Open") == [second["ProxySessionId"]]

    # A second deletion ends only what was created since the first.
    client.delete_voice_connector_proxy(VoiceConnectorId=vc)
    assert get(client, vc, first) == closed
    assert get(client, vc, second["ProxySessionId"])["EndedTimestamp"] > closed["EndedTimestamp"]
    assert listed(client, vc, Status="Closed") == [first, second["ProxySessionId"]]


# Choosing the proxy number


def test_a_proxy_number_and_a_participant_share_one_open_session_at_most(
    chime: Chime, client: Any
) -> None:
    vc = connector(chime, client)
    assert proxy_number(create(client, vc, DRIVER, RIDER)) == SEATTLE
    # The driver already reaches the rider on SEATTLE: a second partner needs another number.
    assert proxy_number(create(client, vc, DRIVER, THIRD)) == SAN_FRANCISCO
    # Two other people can share SEATTLE: a call to it from either names one session.
    assert proxy_number(create(client, vc, THIRD.replace("03", "05"), FOURTH)) == SEATTLE
    code, message = refused(
        client.create_proxy_session,
        VoiceConnectorId=vc,
        ParticipantPhoneNumbers=[DRIVER, FOURTH],
        Capabilities=["Voice"],
    )
    assert code == "BadRequestException"
    assert message == (
        f"Voice Connector {vc} has no proxy phone number to give: each of the 2 matching "
        f"number(s) {SEATTLE}, {SAN_FRANCISCO} is a participant, or already the proxy number "
        f"of {DRIVER} or {FOURTH} in an open session"
    )


def test_a_participant_is_never_its_own_proxy_number(chime: Chime, client: Any) -> None:
    vc = connector(chime, client)
    assert proxy_number(create(client, vc, SEATTLE, RIDER)) == SAN_FRANCISCO


def test_prefer_sticky_keeps_a_participants_number_and_avoid_sticky_changes_it(
    chime: Chime, client: Any
) -> None:
    vc = connector(chime, client)
    by_area = {"GeoMatchLevel": "AreaCode", "GeoMatchParams": {"Country": "", "AreaCode": "415"}}
    assert proxy_number(create(client, vc, DRIVER, RIDER, ExpiryMinutes=1, **by_area)) == (
        SAN_FRANCISCO
    )
    chime.advance(60)
    # SEATTLE comes first in E.164 order, but the driver had SAN_FRANCISCO.
    sticky = create(
        client, vc, DRIVER, THIRD, ExpiryMinutes=1, NumberSelectionBehavior="PreferSticky"
    )
    assert proxy_number(sticky) == SAN_FRANCISCO
    chime.advance(60)
    avoided = create(
        client, vc, DRIVER, FOURTH, ExpiryMinutes=1, NumberSelectionBehavior="AvoidSticky"
    )
    assert proxy_number(avoided) == SEATTLE
    chime.advance(60)
    # Without NumberSelectionBehavior the choice is sticky: the driver's latest was SEATTLE.
    assert proxy_number(create(client, vc, DRIVER, THIRD, ExpiryMinutes=1)) == SEATTLE
    chime.advance(60)
    # AvoidSticky prefers the number the participants had least recently: SAN_FRANCISCO.
    assert proxy_number(
        create(client, vc, DRIVER, RIDER, NumberSelectionBehavior="AvoidSticky")
    ) == (SAN_FRANCISCO)


def test_avoid_sticky_takes_the_same_number_when_no_other_matches(
    chime: Chime, client: Any
) -> None:
    vc = connector(chime, client)
    by_area = {"GeoMatchLevel": "AreaCode", "GeoMatchParams": {"Country": "US", "AreaCode": "206"}}
    assert proxy_number(create(client, vc, ExpiryMinutes=1, **by_area)) == SEATTLE
    chime.advance(60)
    again = create(client, vc, NumberSelectionBehavior="AvoidSticky", **by_area)
    assert proxy_number(again) == SEATTLE


def test_geo_match_picks_the_country_or_the_area_code(chime: Chime, client: Any) -> None:
    vc = connector(chime, client, [SEATTLE, SEATTLE_2, SAN_FRANCISCO], countries=["US", "CA"])
    by_country = create(
        client, vc, GeoMatchLevel="Country", GeoMatchParams={"Country": "US", "AreaCode": ""}
    )
    assert proxy_number(by_country) == SEATTLE
    by_area = create(
        client,
        vc,
        DRIVER,
        THIRD,
        GeoMatchLevel="AreaCode",
        GeoMatchParams={"Country": "", "AreaCode": "206"},
    )
    assert proxy_number(by_area) == SEATTLE_2
    assert (
        proxy_number(
            create(
                client,
                vc,
                THIRD,
                FOURTH,
                GeoMatchLevel="AreaCode",
                GeoMatchParams={"Country": "", "AreaCode": "415"},
            )
        )
        == SAN_FRANCISCO
    )

    def no_number(geo_level: str, country: str, area_code: str) -> str:
        code, message = refused(
            client.create_proxy_session,
            VoiceConnectorId=vc,
            ParticipantPhoneNumbers=[DRIVER, FOURTH],
            Capabilities=["Voice"],
            GeoMatchLevel=geo_level,
            GeoMatchParams={"Country": country, "AreaCode": area_code},
        )
        assert code == "BadRequestException"
        prefix = f"Voice Connector {vc} has no proxy phone number to give: "
        assert message.startswith(prefix)
        return message.removeprefix(prefix)

    assert no_number("Country", "CA", "") == (
        "none of its 3 pool number(s) matches GeoMatchLevel Country with Country CA"
    )
    assert no_number("AreaCode", "", "212") == (
        "none of its 3 pool number(s) matches GeoMatchLevel AreaCode with AreaCode 212"
    )
    assert no_number("AreaCode", "CA", "206") == (
        "none of its 3 pool number(s) matches GeoMatchLevel AreaCode with AreaCode 206 in CA"
    )
    assert no_number("Country", "GB", "") == (
        "GeoMatchParams.Country GB is not one of its proxy configuration's "
        "PhoneNumberCountries (US, CA)"
    )


def test_a_pool_without_a_matching_number_is_a_clear_error(chime: Chime, client: Any) -> None:
    empty = connector(chime, client, numbers=[])
    others = connector(chime, client, countries=["GB", "CA"])
    # A number associated with a group, not the connector, is not in the connector's pool.
    grouped = client.create_voice_connector(Name="grouped", RequireEncryption=True)[
        "VoiceConnector"
    ]["VoiceConnectorId"]
    client.put_voice_connector_proxy(
        VoiceConnectorId=grouped, DefaultSessionExpiryMinutes=60, PhoneNumberPoolCountries=["US"]
    )
    group_id = client.create_voice_connector_group(
        Name="g", VoiceConnectorItems=[{"VoiceConnectorId": grouped, "Priority": 1}]
    )["VoiceConnectorGroup"]["VoiceConnectorGroupId"]
    client.create_phone_number_order(ProductType="VoiceConnector", E164PhoneNumbers=[SEATTLE_2])
    chime.advance(5)
    client.associate_phone_numbers_with_voice_connector_group(
        VoiceConnectorGroupId=group_id, E164PhoneNumbers=[SEATTLE_2]
    )

    def why(connector_id: str) -> tuple[str, str]:
        return refused(
            client.create_proxy_session,
            VoiceConnectorId=connector_id,
            ParticipantPhoneNumbers=[DRIVER, RIDER],
            Capabilities=["Voice"],
        )

    none_associated = (
        "no phone numbers are associated with it (AssociatePhoneNumbersWithVoiceConnector)"
    )
    assert why(empty) == (
        "BadRequestException",
        f"Voice Connector {empty} has no proxy phone number to give: {none_associated}",
    )
    assert why(grouped) == (
        "BadRequestException",
        f"Voice Connector {grouped} has no proxy phone number to give: {none_associated}",
    )
    assert why(others) == (
        "BadRequestException",
        f"Voice Connector {others} has no proxy phone number to give: none of the 2 number(s) "
        "associated with it is in the proxy configuration's PhoneNumberCountries GB, CA",
    )


# Update and Delete


def test_update_answers_201_and_rebases_expiry_from_the_update(chime: Chime, client: Any) -> None:
    vc = connector(chime, client)
    session = create(client, vc, ExpiryMinutes=10)
    session_id = session["ProxySessionId"]
    chime.advance(5 * 60)
    response = client.update_proxy_session(
        VoiceConnectorId=vc, ProxySessionId=session_id, Capabilities=["SMS"], ExpiryMinutes=10
    )
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 201
    updated = response["ProxySession"]
    assert updated["Capabilities"] == ["SMS"]
    assert updated["ExpiryMinutes"] == 10
    assert updated["Status"] == "Open"
    assert updated["CreatedTimestamp"] == session["CreatedTimestamp"]
    assert updated["UpdatedTimestamp"] - session["CreatedTimestamp"] >= 5 * MINUTE
    assert get(client, vc, session_id) == updated

    # Without ExpiryMinutes the expiry stays where the last update put it.
    again = client.update_proxy_session(
        VoiceConnectorId=vc, ProxySessionId=session_id, Capabilities=["Voice", "SMS"]
    )["ProxySession"]
    assert again["ExpiryMinutes"] == 10
    chime.advance(9 * 60)
    assert get(client, vc, session_id)["Status"] == "Open"  # 14 minutes after creation
    chime.advance(60 + 1)
    closed = get(client, vc, session_id)
    assert closed["Status"] == "Closed"
    assert closed["EndedTimestamp"] == updated["UpdatedTimestamp"] + 10 * MINUTE
    assert refused(
        client.update_proxy_session,
        VoiceConnectorId=vc,
        ProxySessionId=session_id,
        Capabilities=["Voice"],
        ExpiryMinutes=30,
    ) == (
        "BadRequestException",
        f"Proxy session {session_id} is Closed; a closed session cannot be updated",
    )


def test_delete_answers_204_open_or_closed(chime: Chime, client: Any) -> None:
    vc = connector(chime, client)
    open_id = create(client, vc)["ProxySessionId"]
    closed_id = create(client, vc, THIRD, FOURTH, ExpiryMinutes=1)["ProxySessionId"]
    chime.advance(60)
    for session_id in (open_id, closed_id):
        response = client.delete_proxy_session(VoiceConnectorId=vc, ProxySessionId=session_id)
        assert response["ResponseMetadata"]["HTTPStatusCode"] == 204
        assert refused(
            client.get_proxy_session, VoiceConnectorId=vc, ProxySessionId=session_id
        ) == (
            "NotFoundException",
            f"Proxy session {session_id} does not exist on Voice Connector {vc}",
        )
    assert listed(client, vc) == []
    # A deleted session leaves its pair free at once.
    assert proxy_number(create(client, vc)) == SEATTLE


def test_deleting_the_connector_makes_its_sessions_not_found(chime: Chime, client: Any) -> None:
    vc = connector(chime, client)
    session_id = create(client, vc)["ProxySessionId"]
    client.disassociate_phone_numbers_from_voice_connector(
        VoiceConnectorId=vc, E164PhoneNumbers=POOL
    )
    # Its numbers gone, the session keeps the proxy number it was given.
    assert proxy_number(get(client, vc, session_id)) == SEATTLE
    client.delete_voice_connector(VoiceConnectorId=vc)
    gone = ("NotFoundException", f"Voice Connector {vc} does not exist in this account and Region")
    assert refused(client.get_proxy_session, VoiceConnectorId=vc, ProxySessionId=session_id) == gone
    assert refused(client.list_proxy_sessions, VoiceConnectorId=vc) == gone
    assert (
        refused(client.delete_proxy_session, VoiceConnectorId=vc, ProxySessionId=session_id) == gone
    )
    # The numbers on a new connector owe nothing to the deleted connector's sessions.
    fresh = client.create_voice_connector(Name="fresh", RequireEncryption=True)["VoiceConnector"][
        "VoiceConnectorId"
    ]
    client.associate_phone_numbers_with_voice_connector(
        VoiceConnectorId=fresh, E164PhoneNumbers=POOL
    )
    client.put_voice_connector_proxy(
        VoiceConnectorId=fresh, DefaultSessionExpiryMinutes=60, PhoneNumberPoolCountries=["US"]
    )
    assert proxy_number(create(client, fresh, DRIVER, THIRD)) == SEATTLE


# Listing


def test_list_filters_by_status_and_pages(chime: Chime, client: Any) -> None:
    vc = connector(chime, client, [SEATTLE, SEATTLE_2, SAN_FRANCISCO])
    short = create(client, vc, DRIVER, RIDER, ExpiryMinutes=1)["ProxySessionId"]
    chime.advance(1)
    second = create(client, vc, DRIVER, THIRD)["ProxySessionId"]
    chime.advance(1)
    third = create(client, vc, DRIVER, FOURTH)["ProxySessionId"]
    chime.advance(60)
    assert listed(client, vc) == [short, second, third]
    assert listed(client, vc, Status="Open") == [second, third]
    assert listed(client, vc, Status="Closed") == [short]
    assert listed(client, vc, Status="InProgress") == []

    first_page = client.list_proxy_sessions(VoiceConnectorId=vc, MaxResults=2)
    assert [s["ProxySessionId"] for s in first_page["ProxySessions"]] == [short, second]
    rest = client.list_proxy_sessions(
        VoiceConnectorId=vc, MaxResults=2, NextToken=first_page["NextToken"]
    )
    assert [s["ProxySessionId"] for s in rest["ProxySessions"]] == [third]
    assert "NextToken" not in rest

    open_page = client.list_proxy_sessions(VoiceConnectorId=vc, Status="Open", MaxResults=1)
    assert [s["ProxySessionId"] for s in open_page["ProxySessions"]] == [second]
    assert [
        s["ProxySessionId"]
        for s in client.list_proxy_sessions(
            VoiceConnectorId=vc, Status="Open", MaxResults=1, NextToken=open_page["NextToken"]
        )["ProxySessions"]
    ] == [third]
    assert refused(
        client.list_proxy_sessions,
        VoiceConnectorId=vc,
        Status="Closed",
        NextToken=open_page["NextToken"],
    ) == (
        "BadRequestException",
        "NextToken does not belong to this query: it was issued for different filters",
    )


# Bad input and other accounts


def test_bad_input_names_the_member_and_the_rule(chime: Chime) -> None:
    client = chime.client(validate=False)
    vc = connector(chime, client)

    def bad(**changes: Any) -> str:
        given: dict[str, Any] = {
            "VoiceConnectorId": vc,
            "ParticipantPhoneNumbers": [DRIVER, RIDER],
            "Capabilities": ["Voice"],
            **changes,
        }
        code, message = refused(client.create_proxy_session, **given)
        assert code == "BadRequestException"
        return message

    assert bad(ParticipantPhoneNumbers=[DRIVER, DRIVER[1:]]) == (
        f"ParticipantPhoneNumbers must be exactly two different phone numbers; got {DRIVER}, "
        f"{DRIVER}"
    )
    assert "ParticipantPhoneNumbers" in bad(ParticipantPhoneNumbers=[DRIVER])
    assert "ParticipantPhoneNumbers[1]" in bad(ParticipantPhoneNumbers=[DRIVER, "0123"])
    assert bad(Capabilities=[]) == "Capabilities must hold at least one of Voice and SMS"
    assert bad(Capabilities=["Voice", "Voice"]) == "Capabilities names Voice more than once"
    assert "ExpiryMinutes" in bad(ExpiryMinutes=0)
    assert "Name" in bad(Name="no-dashes")
    assert bad(GeoMatchParams={"Country": "US", "AreaCode": "206"}) == (
        "GeoMatchParams needs GeoMatchLevel (Country or AreaCode) to say what to match"
    )
    assert (
        bad(GeoMatchLevel="Country")
        == "GeoMatchLevel Country needs GeoMatchParams with its Country"
    )
    assert bad(GeoMatchLevel="Country", GeoMatchParams={"Country": "", "AreaCode": "206"}) == (
        "GeoMatchLevel Country needs GeoMatchParams.Country, an ISO 3166-1 alpha-2 code such as US"
    )
    assert bad(GeoMatchLevel="Country", GeoMatchParams={"Country": "ZZ", "AreaCode": ""}) == (
        "GeoMatchParams.Country must be an ISO 3166-1 alpha-2 country code such as US; not ZZ"
    )
    assert bad(GeoMatchLevel="AreaCode", GeoMatchParams={"Country": "US", "AreaCode": ""}) == (
        "GeoMatchLevel AreaCode needs GeoMatchParams.AreaCode, three digits such as 206"
    )
    assert bad(GeoMatchLevel="AreaCode", GeoMatchParams={"Country": "GB", "AreaCode": "206"}) == (
        "GeoMatchParams.AreaCode is a North American area code, but GeoMatchParams.Country is "
        "GB, which is not in the North American numbering plan (CA, PR, US)"
    )
    assert "AreaCode" in bad(
        GeoMatchLevel="AreaCode", GeoMatchParams={"Country": "", "AreaCode": "2"}
    )
    assert "NumberSelectionBehavior" in bad(NumberSelectionBehavior="Sticky")
    session_id = create(client, vc)["ProxySessionId"]
    code, message = refused(
        client.update_proxy_session,
        VoiceConnectorId=vc,
        ProxySessionId=session_id,
        Capabilities=["SMS", "SMS"],
    )
    assert (code, message) == ("BadRequestException", "Capabilities names SMS more than once")
    assert (
        "ExpiryMinutes"
        in refused(
            client.update_proxy_session,
            VoiceConnectorId=vc,
            ProxySessionId=session_id,
            Capabilities=["SMS"],
            ExpiryMinutes=0,
        )[1]
    )
    # Nothing half-written: the session is as it was.
    assert get(client, vc, session_id)["Capabilities"] == ["Voice", "SMS"]
    assert listed(client, vc) == [session_id]


def test_unknown_ids_and_another_accounts_ids_are_not_found(chime: Chime, client: Any) -> None:
    vc = connector(chime, client)
    session_id = create(client, vc)["ProxySessionId"]
    assert refused(
        client.get_proxy_session, VoiceConnectorId=vc, ProxySessionId=UNKNOWN_SESSION
    ) == (
        "NotFoundException",
        f"Proxy session {UNKNOWN_SESSION} does not exist on Voice Connector {vc}",
    )
    assert (
        refused(
            client.update_proxy_session,
            VoiceConnectorId=vc,
            ProxySessionId=UNKNOWN_SESSION,
            Capabilities=["Voice"],
        )[0]
        == "NotFoundException"
    )

    other = chime.client(OTHER_ACCOUNT)
    theirs = (
        "NotFoundException",
        f"Voice Connector {vc} does not exist in this account and Region",
    )
    assert (
        refused(other.get_proxy_session, VoiceConnectorId=vc, ProxySessionId=session_id) == theirs
    )
    assert refused(other.list_proxy_sessions, VoiceConnectorId=vc) == theirs
    assert (
        refused(
            other.update_proxy_session,
            VoiceConnectorId=vc,
            ProxySessionId=session_id,
            Capabilities=["Voice"],
        )
        == theirs
    )
    assert (
        refused(other.delete_proxy_session, VoiceConnectorId=vc, ProxySessionId=session_id)
        == theirs
    )
    assert (
        refused(
            other.create_proxy_session,
            VoiceConnectorId=vc,
            ParticipantPhoneNumbers=[DRIVER, THIRD],
            Capabilities=["Voice"],
        )
        == theirs
    )
    # Their own connector does not reach this account's session either.
    own = other.create_voice_connector(Name="theirs", RequireEncryption=True)["VoiceConnector"][
        "VoiceConnectorId"
    ]
    assert refused(other.get_proxy_session, VoiceConnectorId=own, ProxySessionId=session_id) == (
        "NotFoundException",
        f"Proxy session {session_id} does not exist on Voice Connector {own}",
    )
    # Nor does another Region of the same account.
    west = chime.client(region="us-west-2")
    assert refused(west.get_proxy_session, VoiceConnectorId=vc, ProxySessionId=session_id)[0] == (
        "NotFoundException"
    )
    assert get(client, vc, session_id)["Status"] == "Open"


def test_reset_empties_the_sessions_and_the_removals(_inprocess: InProcessChime) -> None:
    chime = _inprocess
    chime.reset()
    client = chime.client()
    vc = connector(chime, client)
    create(client, vc)
    client.delete_voice_connector_proxy(VoiceConnectorId=vc)

    def rows() -> tuple[int, int]:
        with chime.app.store.read() as connection:
            return (
                connection.execute(select(func.count()).select_from(proxy_sessions)).scalar_one(),
                connection.execute(
                    select(func.count()).select_from(voice_connector_setting_removals)
                ).scalar_one(),
            )

    assert rows() == (1, 1)
    chime.reset()
    assert rows() == (0, 0)


@pytest.mark.parametrize("operation", ["create", "get", "list", "update", "delete"])
def test_an_unknown_connector_is_not_found(client: Any, operation: str) -> None:
    unknown = "abcdef1ghij2klmno3pqr4"
    calls = {
        "create": lambda: client.create_proxy_session(
            VoiceConnectorId=unknown,
            ParticipantPhoneNumbers=[DRIVER, RIDER],
            Capabilities=["Voice"],
        ),
        "get": lambda: client.get_proxy_session(VoiceConnectorId=unknown, ProxySessionId="s"),
        "list": lambda: client.list_proxy_sessions(VoiceConnectorId=unknown),
        "update": lambda: client.update_proxy_session(
            VoiceConnectorId=unknown, ProxySessionId="s", Capabilities=["Voice"]
        ),
        "delete": lambda: client.delete_proxy_session(VoiceConnectorId=unknown, ProxySessionId="s"),
    }
    assert failure_of(calls[operation]) == (
        "NotFoundException",
        f"Voice Connector {unknown} does not exist in this account and Region",
    )
