"""Porting orders: opened and driven through the control API, watched through boto3."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from typing import Any

import pytest

from tests.harness import Chime, ServerChime, control_error_of

ACCOUNT = "111122223333"
NUMBERS = ["+12065550100", "+12065550101"]
OTHER_ACCOUNT = "999999999999"
DAY = 86400


@pytest.fixture(autouse=True)
def _voice_connectors(request: pytest.FixtureRequest) -> None:
    """VoiceConnector numbers port only where the account has a Voice Connector (SPEC:
    porting orders); test_voice_connectors.py tests the refusal."""
    if "chime" in request.fixturenames:
        chime: Chime = request.getfixturevalue("chime")
        for account in (ACCOUNT, OTHER_ACCOUNT):
            create_voice_connector(chime, account)


def create_voice_connector(chime: Chime, account: str) -> None:
    chime.client(account).create_voice_connector(Name="porting", RequireEncryption=True)


def parse(ts: str) -> dt.datetime:
    return dt.datetime.fromisoformat(ts.replace("Z", "+00:00"))


def now(chime: Chime) -> dt.datetime:
    return parse(chime.control("GET", "clock").json()["now"])


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def open_port(chime: Chime, **extra: Any) -> dict[str, Any]:
    document = {
        "AccountId": ACCOUNT,
        "Region": "us-east-1",
        "E164PhoneNumbers": NUMBERS,
        "ProductType": "VoiceConnector",
        "Name": "ported",
    } | extra
    response = chime.control("POST", "porting-orders", document)
    assert response.status == 201, response.body
    return response.json()


def event(chime: Chime, order_id: str, name: str, **extra: Any) -> dict[str, Any]:
    response = chime.control("POST", f"porting-orders/{order_id}/events", {"event": name} | extra)
    assert response.status == 200, response.body
    return response.json()


def order_via_boto3(chime: Chime, order_id: str) -> dict[str, Any]:
    return chime.client(ACCOUNT).get_phone_number_order(PhoneNumberOrderId=order_id)[
        "PhoneNumberOrder"
    ]


def foc_value(order: dict[str, Any]) -> dt.datetime:
    """FocDate as boto3 hands it over: a datetime on botocore 1.37.27 to 1.43.49, a string after."""
    value = order["FocDate"]
    if FOC_GENERATION == "timestamp":
        assert isinstance(value, dt.datetime)
        return value.astimezone(dt.UTC)
    assert isinstance(value, str)
    return parse(value)


def _foc_generation() -> str:
    import botocore.session

    model = botocore.session.get_session().get_service_model("chime-sdk-voice")
    kind = model.shape_for("PhoneNumberOrder").members["FocDate"].type_name
    expected = os.environ.get("LOCALCHIME_EXPECT_FOCDATE")
    # CI runs this file again with an old botocore; this makes sure it really was the old one.
    assert expected in (None, kind), f"expected a botocore whose FocDate is {expected}, got {kind}"
    return kind


FOC_GENERATION = _foc_generation()


def number_statuses(chime: Chime) -> list[str]:
    client = chime.client(ACCOUNT)
    return [client.get_phone_number(PhoneNumberId=n)["PhoneNumber"]["Status"] for n in NUMBERS]


def test_happy_path_by_hand(chime: Chime) -> None:
    opened_at = now(chime)
    requested = opened_at + dt.timedelta(days=10)
    created = open_port(chime, RequestedFocDate=iso(requested))
    order_id = created["PhoneNumberOrder"]["PhoneNumberOrderId"]
    assert created["RequestedFocDate"] == iso(requested)
    assert created["AllowedEvents"] == [
        "request-documents",
        "confirm-foc",
        "request-change",
        "raise-exception",
        "cancel",
    ]

    submitted = order_via_boto3(chime, order_id)
    assert submitted["OrderType"] == "Porting"
    assert submitted["Status"] == "Submitted"
    assert submitted["ProductType"] == "VoiceConnector"
    assert "FocDate" not in submitted
    assert [n["Status"] for n in submitted["OrderedPhoneNumbers"]] == ["Processing", "Processing"]
    assert number_statuses(chime) == ["PortinInProgress", "PortinInProgress"]
    listed = chime.client(ACCOUNT).list_phone_number_orders()["PhoneNumberOrders"]
    assert [o["PhoneNumberOrderId"] for o in listed] == [order_id]

    chime.advance(60)
    confirmed = event(chime, order_id, "confirm-foc")
    assert confirmed["PhoneNumberOrder"]["Status"] == "FOC"
    assert confirmed["PhoneNumberOrder"]["FocDate"] == iso(requested)
    in_foc = order_via_boto3(chime, order_id)
    assert foc_value(in_foc) == requested
    assert in_foc["UpdatedTimestamp"] > submitted["UpdatedTimestamp"]
    assert number_statuses(chime) == ["PortinInProgress", "PortinInProgress"]

    chime.advance(10 * DAY)
    done = order_via_boto3(chime, order_id)
    assert done["Status"] == "Successful"
    assert [n["Status"] for n in done["OrderedPhoneNumbers"]] == ["Acquired", "Acquired"]
    assert done["UpdatedTimestamp"].astimezone(dt.UTC) == requested
    assert foc_value(done) == requested
    number = chime.client(ACCOUNT).get_phone_number(PhoneNumberId=NUMBERS[0])["PhoneNumber"]
    assert number["Status"] == "Unassigned"
    assert number["Name"] == "ported"
    assert number["OrderId"] == order_id
    assert all(number["Capabilities"].values())

    history = chime.control("GET", f"porting-orders/{order_id}/history").json()["History"]
    assert [(h["Event"], h["From"], h["To"]) for h in history] == [
        ("submitted", None, "Submitted"),
        ("confirm-foc", "Submitted", "FOC"),
        ("foc-date-reached", "FOC", "Successful"),
    ]
    assert history[2]["At"] == iso(requested)
    assert chime.control("GET", f"porting-orders/{order_id}").json()["AllowedEvents"] == []


def test_simulated_carrier_runs_on_the_clock(chime: Chime) -> None:
    opened_at = now(chime)
    order_id = open_port(chime, scenario="happy-path")["PhoneNumberOrder"]["PhoneNumberOrderId"]
    chime.advance(2 * DAY)
    order = order_via_boto3(chime, order_id)
    assert order["Status"] == "FOC"
    expected_foc = foc_value(order)
    assert dt.timedelta(days=7) <= expected_foc - opened_at < dt.timedelta(days=7, seconds=5)
    chime.advance(5 * DAY)
    assert order_via_boto3(chime, order_id)["Status"] == "Successful"
    assert number_statuses(chime) == ["Unassigned", "Unassigned"]


def test_documents_round_trip(chime: Chime) -> None:
    order_id = open_port(chime)["PhoneNumberOrder"]["PhoneNumberOrderId"]
    stamps = [order_via_boto3(chime, order_id)["UpdatedTimestamp"]]
    for name, status in (
        ("request-documents", "PendingDocuments"),
        ("documents-received", "Submitted"),
    ):
        chime.advance(DAY)
        assert event(chime, order_id, name)["PhoneNumberOrder"]["Status"] == status
        order = order_via_boto3(chime, order_id)
        assert order["Status"] == status
        assert "FocDate" not in order
        stamps.append(order["UpdatedTimestamp"])
    assert stamps == sorted(stamps) and len(set(stamps)) == 3
    foc = now(chime) + dt.timedelta(days=3)
    assert event(chime, order_id, "confirm-foc", foc_date=iso(foc))["PhoneNumberOrder"][
        "FocDate"
    ] == iso(foc)
    chime.advance(3 * DAY)
    assert order_via_boto3(chime, order_id)["Status"] == "Successful"


def test_change_of_foc_date(chime: Chime) -> None:
    first = now(chime) + dt.timedelta(days=5)
    second = now(chime) + dt.timedelta(days=12)
    order_id = open_port(chime, RequestedFocDate=iso(first))["PhoneNumberOrder"][
        "PhoneNumberOrderId"
    ]
    event(chime, order_id, "confirm-foc")
    changed = event(chime, order_id, "request-change", foc_date=iso(second))
    assert changed["PhoneNumberOrder"]["Status"] == "ChangeRequested"
    assert changed["RequestedFocDate"] == iso(second)
    chime.advance(6 * DAY)
    order = order_via_boto3(chime, order_id)
    assert order["Status"] == "ChangeRequested"
    assert foc_value(order) == first
    assert number_statuses(chime) == ["PortinInProgress", "PortinInProgress"]
    assert event(chime, order_id, "change-accepted")["PhoneNumberOrder"]["Status"] == "Submitted"
    reconfirmed = event(chime, order_id, "confirm-foc")["PhoneNumberOrder"]
    assert reconfirmed["Status"] == "FOC"
    assert reconfirmed["FocDate"] == iso(second)
    chime.advance(6 * DAY)
    done = order_via_boto3(chime, order_id)
    assert done["Status"] == "Successful"
    assert foc_value(done) == second
    assert done["UpdatedTimestamp"].astimezone(dt.UTC) == second


def test_exception_and_resolve(chime: Chime) -> None:
    foc = now(chime) + dt.timedelta(days=2)
    order_id = open_port(chime, RequestedFocDate=iso(foc))["PhoneNumberOrder"]["PhoneNumberOrderId"]
    event(chime, order_id, "confirm-foc")
    raised = event(chime, order_id, "raise-exception")
    assert raised["PhoneNumberOrder"]["Status"] == "Exception"
    assert raised["AllowedEvents"] == ["resolve", "cancel"]
    chime.advance(3 * DAY)
    assert order_via_boto3(chime, order_id)["Status"] == "Exception"
    assert event(chime, order_id, "resolve")["PhoneNumberOrder"]["Status"] == "Submitted"
    later = now(chime) + dt.timedelta(days=1)
    event(chime, order_id, "confirm-foc", foc_date=iso(later))
    chime.advance(DAY)
    assert order_via_boto3(chime, order_id)["Status"] == "Successful"


def test_cancel(chime: Chime) -> None:
    order_id = open_port(chime, scenario="happy-path")["PhoneNumberOrder"]["PhoneNumberOrderId"]
    requested = event(chime, order_id, "cancel")
    assert requested["PhoneNumberOrder"]["Status"] == "CancelRequested"
    assert requested["AllowedEvents"] == []
    assert number_statuses(chime) == ["PortinCancelRequested", "PortinCancelRequested"]
    chime.advance(3600)
    order = order_via_boto3(chime, order_id)
    assert order["Status"] == "Cancelled"
    assert [n["Status"] for n in order["OrderedPhoneNumbers"]] == ["Failed", "Failed"]
    assert number_statuses(chime) == ["Cancelled", "Cancelled"]
    chime.advance(3600)
    client = chime.client(ACCOUNT)
    for number in NUMBERS:
        with pytest.raises(client.exceptions.NotFoundException):
            client.get_phone_number(PhoneNumberId=number)
    chime.advance(7 * DAY)  # the simulated carrier must not revive a cancelled port
    assert order_via_boto3(chime, order_id)["Status"] == "Cancelled"
    history = chime.control("GET", f"porting-orders/{order_id}/history").json()["History"]
    assert [h["To"] for h in history] == ["Submitted", "CancelRequested", "Cancelled"]
    # Once released, the numbers can be ported again.
    assert (
        chime.control(
            "POST",
            "porting-orders",
            {"AccountId": ACCOUNT, "E164PhoneNumbers": NUMBERS, "ProductType": "VoiceConnector"},
        ).status
        == 201
    )


def test_impossible_transition_names_status_and_allowed_events(chime: Chime) -> None:
    order_id = open_port(chime)["PhoneNumberOrder"]["PhoneNumberOrderId"]
    response = chime.control("POST", f"porting-orders/{order_id}/events", {"event": "resolve"})
    assert control_error_of(response) == (
        409,
        "Conflict",
        f"Event 'resolve' cannot apply to order {order_id} in status Submitted; allowed events: "
        "request-documents, confirm-foc, request-change, raise-exception, cancel",
    )
    assert order_via_boto3(chime, order_id)["Status"] == "Submitted"


def test_event_errors(chime: Chime) -> None:
    order_id = open_port(chime)["PhoneNumberOrder"]["PhoneNumberOrderId"]
    unknown = chime.control("POST", f"porting-orders/{order_id}/events", {"event": "teleport"})
    assert control_error_of(unknown)[0:2] == (400, "BadRequest")
    assert (
        "valid events: request-documents, documents-received, confirm-foc"
        in control_error_of(unknown)[2]
    )
    no_date = chime.control("POST", f"porting-orders/{order_id}/events", {"event": "confirm-foc"})
    assert control_error_of(no_date) == (
        400,
        "BadRequest",
        "confirm-foc needs a FocDate: the porting request named none",
    )
    bad_date = chime.control(
        "POST", f"porting-orders/{order_id}/events", {"event": "confirm-foc", "foc_date": "soon"}
    )
    assert control_error_of(bad_date)[0:2] == (400, "BadRequest")
    assert "FocDate must be an ISO 8601 timestamp" in control_error_of(bad_date)[2]
    missing = chime.control(
        "POST", "porting-orders/0a1b2c3d-0000-4000-8000-000000000000/events", {"event": "cancel"}
    )
    assert control_error_of(missing) == (
        404,
        "NotFound",
        "No phone number order 0a1b2c3d-0000-4000-8000-000000000000",
    )
    assert (
        chime.control("GET", "porting-orders/0a1b2c3d-0000-4000-8000-000000000000/history").status
        == 404
    )
    new_order = chime.client(ACCOUNT).create_phone_number_order(
        ProductType="VoiceConnector", E164PhoneNumbers=["+12065550199"]
    )["PhoneNumberOrder"]["PhoneNumberOrderId"]
    wrong_kind = chime.control("POST", f"porting-orders/{new_order}/events", {"event": "cancel"})
    assert control_error_of(wrong_kind) == (
        409,
        "Conflict",
        f"Order {new_order} is a New order; porting events apply to Porting orders only",
    )
    assert order_via_boto3(chime, order_id)["Status"] == "Submitted"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"AccountId": "12"}, "AccountId must be a 12-digit AWS account id, such as 111122223333"),
        (
            {"ProductType": "Fax"},
            "ProductType must be one of: VoiceConnector, SipMediaApplicationDialIn",
        ),
        (
            {"E164PhoneNumbers": []},
            "E164PhoneNumbers must be a non-empty list of E.164 phone numbers",
        ),
        (
            {"E164PhoneNumbers": ["+11235550100"]},
            "E164PhoneNumbers[0]: +11235550100 is not a valid phone number: it is not in any country's numbering plan",
        ),
        (
            {"RequestedFocDate": "next week"},
            "RequestedFocDate must be an ISO 8601 timestamp such as 2030-01-01T00:00:00Z, got 'next week'",
        ),
        ({"scenario": "sad-path"}, "Scenario must be one of: happy-path"),
    ],
)
def test_bad_porting_requests(chime: Chime, change: dict[str, Any], message: str) -> None:
    document = {
        "AccountId": ACCOUNT,
        "E164PhoneNumbers": NUMBERS,
        "ProductType": "VoiceConnector",
    } | change
    response = chime.control("POST", "porting-orders", document)
    assert control_error_of(response) == (400, "BadRequest", message)
    assert chime.client(ACCOUNT).list_phone_number_orders()["PhoneNumberOrders"] == []


def test_numbers_held_elsewhere_conflict(chime: Chime) -> None:
    other = chime.client("999999999999")
    other.create_phone_number_order(ProductType="VoiceConnector", E164PhoneNumbers=[NUMBERS[1]])
    chime.advance(5)
    response = chime.control(
        "POST",
        "porting-orders",
        {"AccountId": ACCOUNT, "E164PhoneNumbers": NUMBERS, "ProductType": "VoiceConnector"},
    )
    assert control_error_of(response) == (
        409,
        "Conflict",
        f"{NUMBERS[1]} is held by another account of this service; it cannot be ported in",
    )
    client = chime.client(ACCOUNT)
    assert client.list_phone_number_orders()["PhoneNumberOrders"] == []
    with pytest.raises(client.exceptions.NotFoundException):
        client.get_phone_number(PhoneNumberId=NUMBERS[0])
    same = chime.control(
        "POST",
        "porting-orders",
        {
            "AccountId": "999999999999",
            "E164PhoneNumbers": [NUMBERS[1]],
            "ProductType": "VoiceConnector",
        },
    )
    assert control_error_of(same)[0:2] == (409, "Conflict")
    assert (
        "already in account 999999999999's inventory in us-east-1 with status Unassigned"
        in control_error_of(same)[2]
    )


def test_a_number_being_ported_cannot_be_ordered(chime: Chime) -> None:
    open_port(chime)
    client = chime.client(ACCOUNT)
    with pytest.raises(client.exceptions.BadRequestException) as excinfo:
        client.create_phone_number_order(
            ProductType="VoiceConnector", E164PhoneNumbers=[NUMBERS[0]]
        )
    assert "with status PortinInProgress" in excinfo.value.response["Error"]["Message"]


def test_cli_porting_and_clock(tmp_path) -> None:  # type: ignore[no-untyped-def]
    server = ServerChime("--data-dir", str(tmp_path)).start()
    env = {**os.environ, "LOCALCHIME_ENDPOINT": server.endpoint}
    create_voice_connector(server, ACCOUNT)

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "localchime", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )

    try:
        created = cli(
            "porting",
            "create",
            "--account",
            ACCOUNT,
            "--product-type",
            "VoiceConnector",
            "--number",
            NUMBERS[0],
            "--scenario",
            "happy-path",
        )
        assert created.returncode == 0, created.stderr
        import json

        order_id = json.loads(created.stdout)["PhoneNumberOrder"]["PhoneNumberOrderId"]
        advanced = cli("clock", "advance", "3d")
        assert json.loads(advanced.stdout)["offset_seconds"] == 3 * DAY
        assert json.loads(cli("clock", "show").stdout)["offset_seconds"] == 3 * DAY
        shown = json.loads(cli("porting", "show", order_id).stdout)
        assert shown["PhoneNumberOrder"]["Status"] == "FOC"
        cli("clock", "advance", "1w")
        history = json.loads(cli("porting", "history", order_id).stdout)["History"]
        assert [h["To"] for h in history] == ["Submitted", "FOC", "Successful"]
        refused = cli("porting", "event", order_id, "cancel")
        assert refused.returncode == 1
        assert "409: Event 'cancel' cannot apply to order" in refused.stderr
    finally:
        server.stop()


def test_a_number_being_ported_elsewhere_cannot_be_ordered(chime: Chime) -> None:
    open_port(chime)
    other = chime.client("999999999999")
    with pytest.raises(other.exceptions.BadRequestException) as excinfo:
        other.create_phone_number_order(ProductType="VoiceConnector", E164PhoneNumbers=[NUMBERS[0]])
    assert excinfo.value.response["Error"]["Message"] == (
        f"E164PhoneNumbers: {NUMBERS[0]} is not available; it is being ported in"
    )
    assert other.list_phone_number_orders()["PhoneNumberOrders"] == []
