"""Control API key names: AWS-style PascalCase everywhere, the older names accepted as aliases,
and any other key refused with a 400 that lists the allowed ones and changes nothing."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests.harness import Chime, RawResponse, control_error_of

ACCOUNT = "111122223333"
NUMBER = "+12065550100"
SMA = "SipMediaApplicationDialIn"
CREATE_ALLOWED = (
    "AccountId, Region, E164PhoneNumbers, ProductType, RequestedFocDate, Name, Scenario"
)
ADDRESS = {
    "StreetNumber": "400",
    "StreetInfo": "Broad Street",
    "City": "Seattle",
    "State": "WA",
    "Country": "US",
    "PostalCode": "98109",
}
CIDR, INSIDE = "203.0.113.0/27", "203.0.113.5"


def refused(response: RawResponse, message: str) -> None:
    assert control_error_of(response) == (400, "BadRequest", message)


def unknown(keys: str, allowed: str, where: str = "the body") -> str:
    plural = "s" if ", " in keys else ""
    return f"Unknown key{plural} {keys} in {where}; allowed: {allowed}"


def both(new: str, old: str) -> str:
    return f"'{new}' and its old name '{old}' are both in the body; send only '{new}'"


def offset(chime: Chime) -> Any:
    return chime.control("GET", "clock").json()["OffsetSeconds"]


def iso_in(chime: Chime, days: int) -> str:
    now = dt.datetime.fromisoformat(chime.control("GET", "clock").json()["Now"])
    return (now + dt.timedelta(days=days)).isoformat(timespec="milliseconds")


# The clock


@pytest.mark.parametrize("key", ["AdvanceSeconds", "advance_seconds"])
def test_clock_advance_by_either_name(chime: Chime, key: str) -> None:
    moved = chime.control("POST", "clock", {key: 3600})
    assert moved.status == 200
    answer = moved.json()
    assert answer["OffsetSeconds"] == answer["offset_seconds"] == 3600
    assert answer["Now"] == answer["now"]


@pytest.mark.parametrize("key", ["Set", "set"])
def test_clock_set_by_either_name(chime: Chime, key: str) -> None:
    moved = chime.control("POST", "clock", {key: "2031-05-01T12:00:00Z"})
    assert moved.status == 200
    assert moved.json()["Now"].startswith("2031-05-01T12:00:0")


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"Advance": 5}, unknown("'Advance'", "AdvanceSeconds, Set")),
        ({"AdvanceSeconds": 5, "seconds": 1}, unknown("'seconds'", "AdvanceSeconds, Set")),
        ({"x": 1, "y": 2}, unknown("'x', 'y'", "AdvanceSeconds, Set")),
        ({"advance_seconds": 5, "AdvanceSeconds": 5}, both("AdvanceSeconds", "advance_seconds")),
        ({"Set": "2031-01-01T00:00:00Z", "set": "2031-01-01T00:00:00Z"}, both("Set", "set")),
    ],
)
def test_clock_refuses_unknown_and_doubled_keys(
    chime: Chime, document: dict[str, Any], message: str
) -> None:
    refused(chime.control("POST", "clock", document), message)
    assert offset(chime) == 0


def test_a_body_that_is_no_object_is_refused(chime: Chime) -> None:
    refused(chime.control("POST", "clock", [1]), "The body must be a JSON object")
    assert offset(chime) == 0


def test_reset_answers_status_in_both_cases(chime: Chime) -> None:
    assert chime.control("POST", "reset").json() == {"Status": "reset", "status": "reset"}


# Porting orders


def open_port(chime: Chime, **extra: Any) -> RawResponse:
    document = {"AccountId": ACCOUNT, "E164PhoneNumbers": [NUMBER], "ProductType": SMA} | extra
    return chime.control("POST", "porting-orders", document)


def opened(chime: Chime, **extra: Any) -> str:
    response = open_port(chime, **extra)
    assert response.status == 201, response.body
    return str(response.json()["PhoneNumberOrder"]["PhoneNumberOrderId"])


def send(chime: Chime, order_id: str, document: dict[str, Any]) -> RawResponse:
    return chime.control("POST", f"porting-orders/{order_id}/events", document)


def orders(chime: Chime) -> list[Any]:
    return list(chime.client(ACCOUNT).list_phone_number_orders()["PhoneNumberOrders"])


def porting_status(chime: Chime, order_id: str) -> str:
    shown = chime.control("GET", f"porting-orders/{order_id}").json()
    return str(shown["PhoneNumberOrder"]["Status"])


@pytest.mark.parametrize("key", ["Scenario", "scenario"])
def test_porting_create_takes_scenario_by_either_name(chime: Chime, key: str) -> None:
    created = open_port(chime, Region="us-east-1", Name="ported", **{key: "happy-path"})
    assert created.status == 201, created.body
    answer = created.json()
    assert (answer["Scenario"], answer["AccountId"], answer["Region"]) == (
        "happy-path",
        ACCOUNT,
        "us-east-1",
    )


def test_porting_create_into_a_voice_connector_with_every_new_name(chime: Chime) -> None:
    chime.client(ACCOUNT).create_voice_connector(Name="x", RequireEncryption=True)
    foc = iso_in(chime, 10)
    created = open_port(
        chime,
        ProductType="VoiceConnector",
        Region="us-east-1",
        RequestedFocDate=foc,
        Name="main line",
        Scenario="happy-path",
    )
    assert created.status == 201, created.body
    assert created.json()["RequestedFocDate"] is not None


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"FocDate": "2030-01-01T00:00:00Z"}, unknown("'FocDate'", CREATE_ALLOWED)),
        ({"region": "us-east-1", "name": "x"}, unknown("'region', 'name'", CREATE_ALLOWED)),
        ({"scenario": "happy-path", "Scenario": "happy-path"}, both("Scenario", "scenario")),
    ],
)
def test_porting_create_refuses_unknown_and_doubled_keys(
    chime: Chime, extra: dict[str, Any], message: str
) -> None:
    refused(open_port(chime, **extra), message)
    assert orders(chime) == []


def test_foc_date_with_confirm_foc_sets_the_date(chime: Chime) -> None:
    """The complaint: `FocDate` was ignored, and confirm-foc said no date was given."""
    order_id = opened(chime)
    foc = iso_in(chime, 3)
    confirmed = send(chime, order_id, {"Event": "confirm-foc", "FocDate": foc})
    assert confirmed.status == 200, confirmed.body
    order = confirmed.json()["PhoneNumberOrder"]
    assert order["Status"] == "FOC"
    assert dt.datetime.fromisoformat(order["FocDate"]) == dt.datetime.fromisoformat(foc)


def test_old_event_names_still_work(chime: Chime) -> None:
    order_id = opened(chime)
    foc = iso_in(chime, 3)
    confirmed = send(chime, order_id, {"event": "confirm-foc", "foc_date": foc})
    assert confirmed.status == 200, confirmed.body
    assert confirmed.json()["PhoneNumberOrder"]["Status"] == "FOC"


def test_new_event_name_alone(chime: Chime) -> None:
    order_id = opened(chime)
    assert send(chime, order_id, {"Event": "request-documents"}).status == 200
    assert porting_status(chime, order_id) == "PendingDocuments"


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            {"Event": "confirm-foc", "Foc": "2030-01-01T00:00:00Z"},
            unknown("'Foc'", "Event, FocDate"),
        ),
        ({"Event": "cancel", "Reason": "x"}, unknown("'Reason'", "Event, FocDate")),
        ({"event": "cancel", "Event": "cancel"}, both("Event", "event")),
        (
            {"Event": "confirm-foc", "FocDate": "2030-01-01T00:00:00Z", "foc_date": "2030-01-02"},
            both("FocDate", "foc_date"),
        ),
    ],
)
def test_porting_events_refuse_unknown_and_doubled_keys(
    chime: Chime, document: dict[str, Any], message: str
) -> None:
    order_id = opened(chime)
    refused(send(chime, order_id, document), message)
    assert porting_status(chime, order_id) == "Submitted"
    history = chime.control("GET", f"porting-orders/{order_id}/history").json()["History"]
    assert [h["Event"] for h in history] == ["submitted"]


def test_a_missing_event_names_the_new_key(chime: Chime) -> None:
    response = send(chime, opened(chime), {"FocDate": "2030-01-01T00:00:00Z"})
    status, error, message = control_error_of(response)
    assert (status, error) == (400, "BadRequest")
    assert message.startswith('Send {"Event": ...}; valid events: request-documents')


# E911 overrides

OVERRIDE_ALLOWED = "Address, ValidationResult, CorrectedAddress, CandidateAddressList"
ADDRESS_ALLOWED = "StreetNumber, StreetInfo, City, State, Country, PostalCode"


def overrides(chime: Chime) -> int:
    return int(chime.control("GET", "e911/overrides").json()["Count"])


def test_e911_override_with_its_names(chime: Chime) -> None:
    pinned = chime.control("POST", "e911/overrides", {"Address": ADDRESS, "ValidationResult": 1})
    assert pinned.status == 201
    assert pinned.json() == {"Pinned": {"ValidationResult": 1}}
    assert overrides(chime) == 1


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            {"Address": ADDRESS, "ValidationResult": 1, "Result": 2},
            unknown("'Result'", OVERRIDE_ALLOWED),
        ),
        (
            {"Address": ADDRESS | {"AwsAccountId": ACCOUNT}, "ValidationResult": 1},
            unknown("'AwsAccountId'", ADDRESS_ALLOWED, "Address"),
        ),
    ],
)
def test_e911_overrides_refuse_unknown_keys(
    chime: Chime, document: dict[str, Any], message: str
) -> None:
    refused(chime.control("POST", "e911/overrides", document), message)
    assert overrides(chime) == 0


# Credentials and policies


@pytest.fixture
def access_key(chime: Chime) -> Iterator[str]:
    """A fresh access key id, deleted afterwards: credentials outlive a reset."""
    key = "AKIA" + uuid.uuid4().hex[:16].upper()
    yield key
    chime.control("DELETE", f"credentials/{key}")


def credential_keys(chime: Chime) -> list[str]:
    listed = chime.control("GET", "credentials").json()["Credentials"]
    return [c["AccessKeyId"] for c in listed]


def test_credentials_and_policies_with_their_names(chime: Chime, access_key: str) -> None:
    created = chime.control(
        "POST",
        "credentials",
        {"AccountId": ACCOUNT, "PrincipalName": "alice", "AccessKeyId": access_key},
    )
    assert created.status == 201, created.body
    statement = {"Effect": "Allow", "Action": "*", "Resource": "*"}
    policy = {"Version": "2012-10-17", "Statement": [statement]}
    attached = chime.control(
        "POST",
        f"credentials/{access_key}/policies",
        {"PolicyName": "all", "PolicyDocument": policy},
    )
    assert attached.status == 201, attached.body
    assert attached.json()["PolicyName"] == "all"


def test_credentials_refuse_unknown_keys(chime: Chime, access_key: str) -> None:
    document = {"AccountId": ACCOUNT, "PrincipalName": "alice", "AccessKeyId": access_key}
    refused(
        chime.control("POST", "credentials", document | {"Principal": "bob"}),
        unknown("'Principal'", "AccountId, PrincipalName, AccessKeyId, SecretAccessKey"),
    )
    assert access_key not in credential_keys(chime)


def test_policies_refuse_unknown_keys(chime: Chime, access_key: str) -> None:
    document = {"AccountId": ACCOUNT, "PrincipalName": "alice", "AccessKeyId": access_key}
    assert chime.control("POST", "credentials", document).status == 201
    refused(
        chime.control(
            "POST", f"credentials/{access_key}/policies", {"PolicyName": "p", "Policy": {}}
        ),
        unknown("'Policy'", "PolicyName, PolicyDocument"),
    )
    listed = chime.control("GET", f"credentials/{access_key}/policies").json()
    assert listed == {"Policies": []}


# Voice Connector termination pings


def test_termination_ping_refuses_unknown_keys(chime: Chime) -> None:
    client = chime.client()
    vc = client.create_voice_connector(Name="pbx", RequireEncryption=False)["VoiceConnector"][
        "VoiceConnectorId"
    ]
    client.put_voice_connector_termination(
        VoiceConnectorId=vc, Termination={"CallingRegions": ["US"], "CidrAllowedList": [CIDR]}
    )
    path = f"voice-connectors/{vc}/termination-pings"
    refused(
        chime.control("POST", path, {"Source": INSIDE, "Target": INSIDE}),
        unknown("'Target'", "Source"),
    )
    health = client.get_voice_connector_termination_health(VoiceConnectorId=vc)
    assert health["TerminationHealth"] == {}
    assert chime.control("POST", path, {"Source": INSIDE}).status == 201
