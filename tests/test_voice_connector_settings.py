"""A Voice Connector's settings through boto3: termination with its credentials and health,
origination, emergency calling, streaming, logging, external systems, proxy, and the account's
global settings."""

from __future__ import annotations

import datetime as dt
import ipaddress
from typing import Any

import pytest

from tests.harness import Chime, RawResponse, control_error_of, error_of

UNKNOWN = "abcdef1ghij2klmno3pqr4"
OTHER_ACCOUNT = "210987654321"
NUMBER = "+12065550100"
CIDR = "203.0.113.0/27"
TERMINATION = {"CallingRegions": ["US"], "CidrAllowedList": [CIDR]}
ROUTE = {"Host": "sip.example.com", "Protocol": "TCP", "Priority": 1, "Weight": 10}
DNIS = {"EmergencyPhoneNumber": "+12065550911", "CallingCountry": "US"}
PASSWORD = "S3cret-Pa55word!"
NOT_FOUND = "Voice Connector {} does not exist in this account and Region"
INSIDE, OUTSIDE = "203.0.113.5", "198.51.100.7"
FORBIDDEN = (
    "{} is not in the termination's CidrAllowedList ({}); AWS ignores SIP OPTIONS from other "
    "sources"
)
ALICE = [{"Username": "alice", "Password": PASSWORD}]


def connector(client: Any, encrypted: bool = False, **extra: Any) -> str:
    created = client.create_voice_connector(Name="pbx", RequireEncryption=encrypted, **extra)
    return created["VoiceConnector"]["VoiceConnectorId"]


def terminate(client: Any, vc: str, **termination: Any) -> Any:
    return call(client, "put", "termination", vc, Termination={**TERMINATION, **termination})


def originate(client: Any, vc: str, *routes: dict[str, Any]) -> Any:
    return call(client, "put", "origination", vc, Origination={"Routes": list(routes or [ROUTE])})


def call(client: Any, verb: str, kind: str, vc: str, **kwargs: Any) -> Any:
    """The one member `<verb>_voice_connector_<kind>` answers (`Termination`...), else the
    HTTP status."""
    answer = getattr(client, f"{verb}_voice_connector_{kind}")(VoiceConnectorId=vc, **kwargs)
    members = [value for key, value in answer.items() if key != "ResponseMetadata"]
    return members[0] if members else status(answer)


def get(client: Any, kind: str, vc: str) -> Any:
    return call(client, "get", kind, vc)


def delete(client: Any, kind: str, vc: str) -> Any:
    return call(client, "delete", kind, vc)


def give(client: Any, vc: str, **passwords: str) -> dict[str, Any]:
    """Puts termination credentials: username=password, ..."""
    given = [{"Username": name, "Password": password} for name, password in passwords.items()]
    return client.put_voice_connector_termination_credentials(
        VoiceConnectorId=vc, Credentials=given
    )


def usernames(client: Any, vc: str) -> list[str]:
    return client.list_voice_connector_termination_credentials(VoiceConnectorId=vc)["Usernames"]


def ping(chime: Chime, vc: str, source: Any) -> RawResponse:
    return chime.control("POST", f"voice-connectors/{vc}/termination-pings", {"Source": source})


def ping_refused(chime: Chime, vc: str, source: Any) -> tuple[int, str, str]:
    return control_error_of(ping(chime, vc, source))


def status(response: dict[str, Any]) -> int:
    return response["ResponseMetadata"]["HTTPStatusCode"]


def failure(client: Any, error: tuple[int, str], method: str, vc: str, **kwargs: Any) -> str:
    """The message of the error (HTTP status, code) that `method` answers."""
    with pytest.raises(getattr(client.exceptions, error[1])) as excinfo:
        getattr(client, method)(VoiceConnectorId=vc, **kwargs)
    http, code, message = error_of(excinfo)
    assert (http, code) == error
    return message


def refused(client: Any, method: str, vc: str, **kwargs: Any) -> str:
    return failure(client, (400, "BadRequestException"), method, vc, **kwargs)


def missing(client: Any, method: str, vc: str, **kwargs: Any) -> str:
    return failure(client, (404, "NotFoundException"), method, vc, **kwargs)


# Termination


def test_termination_round_trip_with_defaults(client) -> None:  # type: ignore[no-untyped-def]
    vc = connector(client)
    expected = {"CpsLimit": 1, "CallingRegions": ["US", "CA"], "CidrAllowedList": [CIDR]}
    expected["Disabled"] = False
    assert terminate(client, vc, CallingRegions=["US", "CA"]) == expected
    assert get(client, "termination", vc) == expected
    replaced = terminate(client, vc, CpsLimit=5, Disabled=True, CidrAllowedList=[])
    assert replaced == {**TERMINATION, "CpsLimit": 5, "Disabled": True, "CidrAllowedList": []}
    assert get(client, "termination", vc) == replaced
    assert delete(client, "termination", vc) == 204
    message = missing(client, "get_voice_connector_termination", vc)
    assert message == f"Voice Connector {vc} has no termination settings"


def test_termination_default_phone_number(chime: Chime, client) -> None:  # type: ignore[no-untyped-def]
    vc = connector(client)
    put = "put_voice_connector_termination"
    client.create_phone_number_order(ProductType="VoiceConnector", E164PhoneNumbers=[NUMBER])
    message = refused(client, put, vc, Termination={**TERMINATION, "DefaultPhoneNumber": NUMBER})
    assert message == f"DefaultPhoneNumber {NUMBER} is AcquireInProgress; it cannot be used"
    chime.advance(5)
    assert terminate(client, vc, DefaultPhoneNumber=NUMBER[1:])["DefaultPhoneNumber"] == NUMBER
    held = get(client, "termination", vc)
    assert held["DefaultPhoneNumber"] == NUMBER
    not_held = {**TERMINATION, "DefaultPhoneNumber": "+12065550199"}
    assert refused(client, put, vc, Termination=not_held) == (
        "DefaultPhoneNumber +12065550199 is not a phone number of this account in us-east-1"
    )
    assert get(client, "termination", vc) == held
    client.create_phone_number_order(
        ProductType="SipMediaApplicationDialIn", E164PhoneNumbers=["+18445550123"]
    )
    chime.advance(5)
    dial_in = {**TERMINATION, "DefaultPhoneNumber": "+18445550123"}
    assert refused(client, put, vc, Termination=dial_in) == (
        "DefaultPhoneNumber +18445550123 has ProductType SipMediaApplicationDialIn; a Voice "
        "Connector calls from VoiceConnector numbers"
    )


REGIONS_REQUIRED = (
    "Termination.CallingRegions is required: the ISO 3166-1 alpha-2 codes of the countries "
    'calls may go to, such as ["US"]'
)
UNKNOWN_REGIONS = (
    "CallingRegions must hold ISO 3166-1 alpha-2 country codes such as US or GB; not: "
)


@pytest.mark.parametrize(
    ("termination", "expected"),
    [
        ({"CidrAllowedList": [CIDR]}, REGIONS_REQUIRED),
        ({"CallingRegions": []}, REGIONS_REQUIRED),
        ({"CallingRegions": ["US", "XX"]}, UNKNOWN_REGIONS + "XX"),
        ({"CallingRegions": ["ZZ", "XX", "US"]}, UNKNOWN_REGIONS + "XX, ZZ"),
        ({"CallingRegions": ["XK"]}, UNKNOWN_REGIONS + "XK"),
        ({"CallingRegions": ["US", "CA", "US"]}, "CallingRegions names US more than once"),
    ],
    ids=["missing", "empty", "unknown", "unknowns-sorted", "not-iso", "repeated"],
)
def test_termination_calling_regions(chime: Chime, termination: Any, expected: str) -> None:
    client = chime.client(validate=False)
    vc = connector(client)
    put = "put_voice_connector_termination"
    assert refused(client, put, vc, Termination=termination) == expected
    missing(client, "get_voice_connector_termination", vc)


ENTRY = "CidrAllowedList entry '{}' "
SLASH_24 = "is a /24; Voice Connector termination accepts /27 to /32 networks only"
IPV6 = "is IPv6; this Voice Connector's NetworkType is IPV4_ONLY"


def malformed(cidr: str) -> str:
    """The message for an entry that is no network: it ends with the ipaddress module's own."""
    try:
        ipaddress.ip_network(cidr, strict=True)
    except ValueError as error:
        return (
            f"CidrAllowedList entry '{cidr}' is not a network in CIDR notation such as "
            f"203.0.113.0/27: {error}"
        )
    raise AssertionError(f"{cidr} is a valid network")


@pytest.mark.parametrize(
    ("cidr", "expected"),
    [
        ("203.0.113.0/33", malformed("203.0.113.0/33")),
        ("not-a-cidr", malformed("not-a-cidr")),
        ("203.0.113.1/27", malformed("203.0.113.1/27")),
        ("203.0.113.0/24", ENTRY.format("203.0.113.0/24") + SLASH_24),
        ("2001:db8::/64", ENTRY.format("2001:db8::/64") + IPV6),
        (CIDR, f"CidrAllowedList names {CIDR} more than once"),
    ],
    ids=["prefix-33", "not-a-cidr", "host-bits", "slash-24", "ipv6-on-ipv4-only", "repeated"],
)
def test_termination_refuses_cidr(client, cidr: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    vc = connector(client)
    given = {"CallingRegions": ["US"], "CidrAllowedList": [CIDR, cidr]}
    assert refused(client, "put_voice_connector_termination", vc, Termination=given) == expected
    missing(client, "get_voice_connector_termination", vc)


def test_termination_accepts_cidrs(client) -> None:  # type: ignore[no-untyped-def]
    vc = connector(client)
    cidrs = ["203.0.113.0/27", "198.51.100.7/32"]
    assert terminate(client, vc, CidrAllowedList=cidrs)["CidrAllowedList"] == cidrs
    dual = connector(client, NetworkType="DUAL_STACK")
    both = [CIDR, "2001:db8::/64"]
    assert terminate(client, dual, CidrAllowedList=both)["CidrAllowedList"] == both
    assert get(client, "termination", dual)["CidrAllowedList"] == both


# Termination credentials


def test_credentials_put_list_replace_delete(client) -> None:  # type: ignore[no-untyped-def]
    vc = connector(client)
    put = "put_voice_connector_termination_credentials"
    assert refused(client, put, vc, Credentials=ALICE) == (
        f"Voice Connector {vc} has no termination settings; put termination before its credentials"
    )
    assert usernames(client, vc) == []
    terminate(client, vc)
    answer = give(client, vc, carol=PASSWORD, alice=PASSWORD + "a")
    assert status(answer) == 204 and PASSWORD not in repr(answer)
    give(client, vc, bob=PASSWORD + "b")
    listed = client.list_voice_connector_termination_credentials(VoiceConnectorId=vc)
    assert listed["Usernames"] == ["alice", "bob", "carol"]
    assert PASSWORD not in repr(listed)

    give(client, vc, alice="another-one")
    assert usernames(client, vc) == ["alice", "bob", "carol"]

    delete = "delete_voice_connector_termination_credentials"
    assert missing(client, delete, vc, Usernames=["zed", "alice", "ghost"]) == (
        f"Voice Connector {vc} has no termination credentials for ghost, zed; nothing was deleted"
    )
    assert usernames(client, vc) == ["alice", "bob", "carol"]
    assert refused(client, delete, vc, Usernames=[]) == (
        "Usernames needs at least one username to delete"
    )
    deleted = client.delete_voice_connector_termination_credentials(
        VoiceConnectorId=vc, Usernames=["carol", "alice"]
    )
    assert status(deleted) == 204
    assert usernames(client, vc) == ["bob"]


def one(username: str, password: str) -> list[dict[str, str]]:
    return [{"Username": username, "Password": password}]


SIP_RULE = "must be 1 to 256 printable US-ASCII characters without spaces (RFC 2617)"


@pytest.mark.parametrize(
    ("credentials", "expected"),
    [
        ([], "Credentials needs at least one {Username, Password}"),
        (one("al:ice", PASSWORD), "Credentials Username 'al:ice' may not contain ':' (RFC 2617)"),
        (one("al ice", PASSWORD), f"Credentials Username 'al ice' {SIP_RULE}"),
        (one("alice", "two words"), f"Credentials Password {SIP_RULE}"),
        (one("alice", "x" * 257), f"Credentials Password {SIP_RULE}"),
        ([{"Username": "alice"}], "Credentials: each entry needs a non-empty Password"),
        (
            [*ALICE, {"Username": "alice", "Password": PASSWORD + "2"}],
            "Credentials names the Username 'alice' more than once",
        ),
    ],
    ids=["none", "colon", "space-user", "space-password", "long-password", "no-password", "twice"],
)
def test_credentials_refused(chime: Chime, credentials: Any, expected: str) -> None:
    client = chime.client(validate=False)
    vc = connector(client)
    terminate(client, vc)
    put = "put_voice_connector_termination_credentials"
    message = refused(client, put, vc, Credentials=credentials)
    assert message == expected
    for credential in credentials:
        assert credential.get("Password", "\0") not in message
    assert usernames(client, vc) == []


# Termination health


def test_termination_health_and_pings(chime: Chime, client) -> None:  # type: ignore[no-untyped-def]
    vc = connector(client)
    message = missing(client, "get_voice_connector_termination_health", vc)
    assert message == f"Voice Connector {vc} has no termination settings"
    no_termination = f"Voice Connector {vc} has no termination settings to answer a ping"
    assert ping_refused(chime, vc, INSIDE) == (409, "Conflict", no_termination)
    terminate(client, vc)
    assert get(client, "termination_health", vc) == {}

    chime.control("POST", "clock", {"set": "2030-01-01T00:00:00Z"})
    pinged = ping(chime, vc, INSIDE)
    assert pinged.status == 201
    body = pinged.json()
    assert (body["VoiceConnectorId"], body["TerminationHealth"]["Source"]) == (vc, INSIDE)
    at = dt.datetime.fromisoformat(body["TerminationHealth"]["Timestamp"].replace("Z", "+00:00"))
    assert dt.timedelta(0) <= at - dt.datetime(2030, 1, 1, tzinfo=dt.UTC) < dt.timedelta(minutes=1)
    assert get(client, "termination_health", vc) == {"Source": INSIDE, "Timestamp": at}

    assert ping_refused(chime, vc, OUTSIDE) == (403, "Forbidden", FORBIDDEN.format(OUTSIDE, CIDR))
    not_ip = "Send {\"Source\": IP address}; got 'nope', which is not an IP address"
    assert ping_refused(chime, vc, "nope") == (400, "BadRequest", not_ip)
    assert ping_refused(chime, vc, None)[:2] == (400, "BadRequest")
    unknown = f"Voice Connector {UNKNOWN} does not exist"
    assert ping_refused(chime, UNKNOWN, INSIDE) == (404, "NotFound", unknown)
    assert get(client, "termination_health", vc) == {"Source": INSIDE, "Timestamp": at}
    mapped = ping(chime, vc, "::ffff:" + INSIDE)
    assert (mapped.status, mapped.json()["TerminationHealth"]["Source"]) == (201, INSIDE)

    closed = connector(client)
    terminate(client, closed, CidrAllowedList=[])
    empty = FORBIDDEN.format(INSIDE, "empty")
    assert ping_refused(chime, closed, INSIDE) == (403, "Forbidden", empty)
    assert get(client, "termination_health", closed) == {}


def test_deleting_termination_removes_credentials_and_health(chime: Chime, client) -> None:  # type: ignore[no-untyped-def]
    vc = connector(client)
    terminate(client, vc)
    give(client, vc, alice=PASSWORD)
    assert ping(chime, vc, INSIDE).status == 201
    client.delete_voice_connector_termination(VoiceConnectorId=vc)
    assert usernames(client, vc) == []
    missing(client, "get_voice_connector_termination_health", vc)
    terminate(client, vc)
    assert get(client, "termination_health", vc) == {}
    assert usernames(client, vc) == []


# Origination


def test_origination_round_trip(client) -> None:  # type: ignore[no-untyped-def]
    vc = connector(client)
    udp = {"Host": "192.0.2.10", "Port": 5080, "Protocol": "UDP", "Priority": 2, "Weight": 5}
    expected = {"Routes": [{**ROUTE, "Port": 5060}, udp], "Disabled": False}
    assert originate(client, vc, ROUTE, udp) == expected
    assert get(client, "origination", vc) == expected
    off = call(client, "put", "origination", vc, Origination={"Disabled": True})
    assert off == {"Routes": [], "Disabled": True}
    assert delete(client, "origination", vc) == 204
    message = missing(client, "get_voice_connector_origination", vc)
    assert message == f"Voice Connector {vc} has no origination settings"


def test_origination_route_count(client) -> None:  # type: ignore[no-untyped-def]
    vc = connector(client)
    routes = [{**ROUTE, "Host": f"192.0.2.{i}"} for i in range(1, 12)]
    put = "put_voice_connector_origination"
    assert refused(client, put, vc, Origination={"Routes": routes}) == (
        "Origination Routes holds 11 routes; a Voice Connector has at most 10"
    )
    missing(client, "get_voice_connector_origination", vc)
    assert len(originate(client, vc, *routes[:10])["Routes"]) == 10


def not_a_host(host: str) -> tuple[dict[str, Any], str]:
    message = (
        f"Origination route Host '{host}' is not an IP address or a fully qualified domain name"
    )
    return {"Routes": [{**ROUTE, "Host": host}]}, message


@pytest.mark.parametrize(
    ("origination", "expected"),
    [
        ({}, "Origination needs at least one route in Routes, or Disabled"),
        ({"Routes": []}, "Origination needs at least one route in Routes, or Disabled"),
        not_a_host("bad host!"),
        not_a_host("localhost"),
        not_a_host("-sip.example.com"),
        not_a_host("sip.example.123"),
        (
            {"Routes": [{"Host": "sip.example.com", "Protocol": "TCP"}]},
            "Origination Routes: each route needs Priority, Weight",
        ),
        (
            {"Routes": [ROUTE, {**ROUTE, "Port": 5060, "Priority": 2}]},
            "Origination Routes names sip.example.com:5060/TCP more than once",
        ),
    ],
    ids=[
        "empty",
        "no-routes",
        "bad-host",
        "one-label",
        "hyphen",
        "numeric-tld",
        "incomplete",
        "duplicate",
    ],
)
def test_origination_refused(chime: Chime, origination: Any, expected: str) -> None:
    client = chime.client(validate=False)
    vc = connector(client)
    put = "put_voice_connector_origination"
    assert refused(client, put, vc, Origination=origination) == expected
    missing(client, "get_voice_connector_origination", vc)


def test_origination_and_encryption(client) -> None:  # type: ignore[no-untyped-def]
    udp = {**ROUTE, "Protocol": "UDP"}
    encrypted = connector(client, encrypted=True)
    put = "put_voice_connector_origination"
    assert refused(client, put, encrypted, Origination={"Routes": [udp]}) == (
        "Origination route to sip.example.com uses UDP; this Voice Connector requires "
        "encryption, which needs TCP (SIP over TLS)"
    )
    assert originate(client, encrypted, ROUTE)["Routes"][0]["Protocol"] == "TCP"

    plain = connector(client)
    assert originate(client, plain, udp)["Routes"][0]["Protocol"] == "UDP"
    encrypt = {"Name": "pbx", "RequireEncryption": True}
    assert refused(client, "update_voice_connector", plain, **encrypt) == (
        "RequireEncryption needs TCP origination routes (SIP over TLS); the routes to "
        "sip.example.com use UDP"
    )
    found = client.get_voice_connector(VoiceConnectorId=plain)["VoiceConnector"]
    assert found["RequireEncryption"] is False
    originate(client, plain, ROUTE)
    updated = client.update_voice_connector(VoiceConnectorId=plain, **encrypt)
    assert updated["VoiceConnector"]["RequireEncryption"] is True


# Emergency calling


def test_emergency_calling_needs_termination_and_origination(client) -> None:  # type: ignore[no-untyped-def]
    vc = connector(client)
    put = "put_voice_connector_emergency_calling_configuration"
    given = {"EmergencyCallingConfiguration": {"DNIS": [DNIS]}}
    needs = f"Emergency calling needs termination and origination; Voice Connector {vc} has no "
    assert refused(client, put, vc, **given) == needs + "termination settings"
    originate(client, vc)
    assert refused(client, put, vc, **given) == needs + "termination settings"
    client.delete_voice_connector_origination(VoiceConnectorId=vc)
    terminate(client, vc)
    assert refused(client, put, vc, **given) == needs + "origination settings"
    originate(client, vc)
    canada = {"DNIS": [DNIS, {**DNIS, "CallingCountry": "CA"}]}
    assert refused(client, put, vc, EmergencyCallingConfiguration=canada) == (
        "Emergency calling is available in the US only; CallingCountry CA is not supported"
    )
    assert refused(client, put, vc, EmergencyCallingConfiguration={"DNIS": []}) == (
        "EmergencyCallingConfiguration.DNIS needs at least one entry"
    )
    missing(client, "get_voice_connector_emergency_calling_configuration", vc)


def test_emergency_calling_blocks_deleting_what_it_needs(client) -> None:  # type: ignore[no-untyped-def]
    vc = connector(client)
    terminate(client, vc)
    originate(client, vc)
    given = {"DNIS": [{**DNIS, "EmergencyPhoneNumber": "12065550911", "TestPhoneNumber": "1206"}]}
    expected = {"DNIS": [{**DNIS, "TestPhoneNumber": "+1206"}]}
    kind = "emergency_calling_configuration"
    assert call(client, "put", kind, vc, EmergencyCallingConfiguration=given) == expected
    assert get(client, "emergency_calling_configuration", vc) == expected

    depends = (
        f"Voice Connector {vc} has emergency calling configured, which needs its {{}}; delete "
        "the emergency calling configuration first"
    )
    for what in ("termination", "origination"):
        message = refused(client, f"delete_voice_connector_{what}", vc)
        assert message == depends.format(what)
        assert get(client, what, vc)

    assert delete(client, kind, vc) == 204
    assert delete(client, "termination", vc) == 204
    assert delete(client, "origination", vc) == 204


# Streaming, logging, external systems, proxy


def test_streaming(client) -> None:  # type: ignore[no-untyped-def]
    vc = connector(client)
    arn = "arn:aws:chime:us-east-1:123456789012:media-insights-pipeline-configuration/x"
    given = {
        "DataRetentionInHours": 24,
        "Disabled": False,
        "StreamingNotificationTargets": [{"NotificationTarget": "SQS"}],
        "MediaInsightsConfiguration": {"Disabled": False, "ConfigurationArn": arn},
    }
    kind = "streaming_configuration"
    assert call(client, "put", kind, vc, StreamingConfiguration=given) == given
    assert get(client, kind, vc) == given
    put = "put_voice_connector_streaming_configuration"
    repeated = [{"NotificationTarget": t} for t in ("SNS", "SQS", "SNS")]
    twice = {**given, "StreamingNotificationTargets": repeated}
    assert refused(client, put, vc, StreamingConfiguration=twice) == (
        "StreamingNotificationTargets names SNS more than once"
    )
    for insights in ({"Disabled": False}, {}):
        no_arn = {**given, "MediaInsightsConfiguration": insights}
        assert refused(client, put, vc, StreamingConfiguration=no_arn) == (
            "MediaInsightsConfiguration needs a ConfigurationArn unless it is Disabled"
        )
    assert get(client, "streaming_configuration", vc) == given
    off = {"DataRetentionInHours": 0, "Disabled": True}
    off["MediaInsightsConfiguration"] = {"Disabled": True}
    assert call(client, "put", kind, vc, StreamingConfiguration=off) == off
    assert delete(client, kind, vc) == 204
    missing(client, "get_voice_connector_streaming_configuration", vc)


def test_streaming_target_without_notification_target_is_a_bad_request(chime: Chime) -> None:
    """The model does not require NotificationTarget; leaving it out is the caller's error."""
    client = chime.client(validate=False)
    vc = connector(client)
    given = {"DataRetentionInHours": 1, "Disabled": False, "StreamingNotificationTargets": [{}]}
    refused(client, "put_voice_connector_streaming_configuration", vc, StreamingConfiguration=given)
    missing(client, "get_voice_connector_streaming_configuration", vc)


def test_logging(client) -> None:  # type: ignore[no-untyped-def]
    vc = connector(client)
    kind = "logging_configuration"
    defaults = {"EnableSIPLogs": False, "EnableMediaMetricLogs": False}
    assert call(client, "put", kind, vc, LoggingConfiguration={}) == defaults
    expected = {"EnableSIPLogs": True, "EnableMediaMetricLogs": False}
    assert call(client, "put", kind, vc, LoggingConfiguration={"EnableSIPLogs": True}) == expected
    assert get(client, "logging_configuration", vc) == expected


def test_external_systems(chime: Chime, client) -> None:  # type: ignore[no-untyped-def]
    vc = connector(client)
    kind, sbcs = "external_systems_configuration", ["RIBBON_SBC", "AVAYA_SBCE"]
    expected = {"SessionBorderControllerTypes": sbcs, "ContactCenterSystemTypes": []}
    assert call(client, "put", kind, vc, SessionBorderControllerTypes=sbcs) == expected
    assert get(client, kind, vc) == expected
    put = "put_voice_connector_external_systems_configuration"
    neither = "Give SessionBorderControllerTypes, ContactCenterSystemTypes, or both"
    assert refused(client, put, vc) == neither
    empty = {"SessionBorderControllerTypes": [], "ContactCenterSystemTypes": []}
    assert refused(chime.client(validate=False), put, vc, **empty) == neither
    twice = ["AVAYA_AURA_CONTACT_CENTER", "AVAYA_AURA_CONTACT_CENTER"]
    assert refused(client, put, vc, ContactCenterSystemTypes=twice) == (
        "ContactCenterSystemTypes names AVAYA_AURA_CONTACT_CENTER more than once"
    )
    assert get(client, kind, vc) == expected
    assert delete(client, kind, vc) == 204
    missing(client, "get_voice_connector_external_systems_configuration", vc)


def test_proxy(client) -> None:  # type: ignore[no-untyped-def]
    vc = connector(client)
    given = {"DefaultSessionExpiryMinutes": 60, "PhoneNumberPoolCountries": ["US", "CA"]}
    answer = call(client, "put", "proxy", vc, **given, FallBackPhoneNumber=NUMBER[1:])
    expected = {"DefaultSessionExpiryMinutes": 60, "Disabled": False}
    expected |= {"PhoneNumberCountries": ["US", "CA"], "FallBackPhoneNumber": NUMBER}
    assert answer == expected
    assert get(client, "proxy", vc) == expected
    put = "put_voice_connector_proxy"
    assert refused(client, put, vc, **{**given, "PhoneNumberPoolCountries": ["US", "ZZ"]}) == (
        "PhoneNumberPoolCountries must hold ISO 3166-1 alpha-2 country codes such as US or GB; "
        "not: ZZ"
    )
    assert refused(client, put, vc, **{**given, "DefaultSessionExpiryMinutes": 0}) == (
        "DefaultSessionExpiryMinutes must be at least 1; got 0"
    )
    assert get(client, "proxy", vc) == expected
    assert delete(client, "proxy", vc) == 204
    missing(client, "get_voice_connector_proxy", vc)


# NotFound: settings never put, unknown connectors, other accounts


@pytest.mark.parametrize(
    ("kind", "what", "deletable"),
    [
        ("termination", "termination settings", True),
        ("termination_health", "termination settings", False),
        ("origination", "origination settings", True),
        ("emergency_calling_configuration", "emergency calling configuration", True),
        ("streaming_configuration", "streaming configuration", True),
        ("logging_configuration", "logging configuration", False),
        ("external_systems_configuration", "external systems configuration", True),
        ("proxy", "proxy configuration", True),
    ],
)
def test_setting_never_put_is_not_found(client, kind: str, what: str, deletable: bool) -> None:  # type: ignore[no-untyped-def]
    vc = connector(client)
    expected = f"Voice Connector {vc} has no {what}"
    assert missing(client, f"get_voice_connector_{kind}", vc) == expected
    if deletable:
        assert missing(client, f"delete_voice_connector_{kind}", vc) == expected


PUTS: dict[str, dict[str, Any]] = {
    "termination": {"Termination": TERMINATION},
    "origination": {"Origination": {"Routes": [ROUTE]}},
    "emergency_calling_configuration": {"EmergencyCallingConfiguration": {"DNIS": [DNIS]}},
    "streaming_configuration": {
        "StreamingConfiguration": {"DataRetentionInHours": 1, "Disabled": False}
    },
    "logging_configuration": {"LoggingConfiguration": {}},
    "external_systems_configuration": {"SessionBorderControllerTypes": ["RIBBON_SBC"]},
    "proxy": {"DefaultSessionExpiryMinutes": 5, "PhoneNumberPoolCountries": ["US"]},
}
OPERATIONS: list[tuple[str, dict[str, Any]]] = [
    *[(f"put_voice_connector_{kind}", kwargs) for kind, kwargs in PUTS.items()],
    *[(f"get_voice_connector_{kind}", {}) for kind in [*PUTS, "termination_health"]],
    *[(f"delete_voice_connector_{kind}", {}) for kind in PUTS if kind != "logging_configuration"],
    ("put_voice_connector_termination_credentials", {"Credentials": ALICE}),
    ("list_voice_connector_termination_credentials", {}),
    ("delete_voice_connector_termination_credentials", {"Usernames": ["alice"]}),
]


@pytest.mark.parametrize(("method", "kwargs"), OPERATIONS, ids=[op for op, _ in OPERATIONS])
def test_unknown_or_foreign_connector_is_not_found(  # type: ignore[no-untyped-def]
    chime: Chime, client, method: str, kwargs: dict[str, Any]
) -> None:
    assert missing(client, method, UNKNOWN, **kwargs) == NOT_FOUND.format(UNKNOWN)
    owner = chime.client(OTHER_ACCOUNT)
    theirs = connector(owner)
    terminate(owner, theirs)
    originate(owner, theirs)
    assert missing(client, method, theirs, **kwargs) == NOT_FOUND.format(theirs)
    elsewhere = chime.client(OTHER_ACCOUNT, region="us-west-2")
    assert missing(elsewhere, method, theirs, **kwargs) == NOT_FOUND.format(theirs)
    # The owner's connector is untouched.
    assert get(owner, "termination", theirs) == {**TERMINATION, "CpsLimit": 1, "Disabled": False}
    assert get(owner, "origination", theirs)["Routes"][0]["Host"] == ROUTE["Host"]
    assert usernames(owner, theirs) == []


# Global settings and deleting a connector


def test_global_settings(chime: Chime, client) -> None:  # type: ignore[no-untyped-def]
    assert client.get_global_settings()["VoiceConnector"] == {}
    updated = client.update_global_settings(VoiceConnector={"CdrBucket": "cdr-bucket-1"})
    assert status(updated) == 204
    assert client.get_global_settings()["VoiceConnector"] == {"CdrBucket": "cdr-bucket-1"}
    other = chime.client(OTHER_ACCOUNT)
    assert other.get_global_settings()["VoiceConnector"] == {}
    client.update_global_settings(VoiceConnector={"CdrBucket": "cdr-bucket-2"})
    assert client.get_global_settings()["VoiceConnector"] == {"CdrBucket": "cdr-bucket-2"}
    assert status(client.update_global_settings(VoiceConnector={})) == 204
    assert client.get_global_settings()["VoiceConnector"] == {}
    assert other.get_global_settings()["VoiceConnector"] == {}


def test_deleting_a_connector_removes_its_settings(chime: Chime, client) -> None:  # type: ignore[no-untyped-def]
    vc, keep = connector(client), connector(client)
    for each in (vc, keep):
        terminate(client, each)
        originate(client, each)
        give(client, each, alice=PASSWORD)
        logs = {"EnableSIPLogs": True}
        call(client, "put", "logging_configuration", each, LoggingConfiguration=logs)
    assert status(client.delete_voice_connector(VoiceConnectorId=vc)) == 204
    for method in (
        "get_voice_connector_termination",
        "get_voice_connector_origination",
        "get_voice_connector_logging_configuration",
        "list_voice_connector_termination_credentials",
    ):
        assert missing(client, method, vc) == NOT_FOUND.format(vc)
    assert ping_refused(chime, vc, INSIDE)[:2] == (404, "NotFound")
    assert get(client, "termination", keep)["CidrAllowedList"] == [CIDR]
    assert usernames(client, keep) == ["alice"]
    assert get(client, "logging_configuration", keep)["EnableSIPLogs"] is True
