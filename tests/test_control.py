"""The /_localchime control API: health, reset and the service clock."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.harness import Chime


def parse(ts: str) -> dt.datetime:
    return dt.datetime.fromisoformat(ts.replace("Z", "+00:00"))


def test_health(chime: Chime, request: pytest.FixtureRequest) -> None:
    response = chime.control("GET", "health")
    assert response.status == 200
    body = response.json()
    expected_db = "postgresql" if "postgres" in request.node.callspec.id else "sqlite"
    assert body == {"status": "ok", "version": "0.1.0", "database": expected_db}


def test_clock_show_advance_and_set(chime: Chime) -> None:
    shown = chime.control("GET", "clock").json()
    assert shown["offset_seconds"] == 0
    assert abs(parse(shown["now"]) - dt.datetime.now(dt.UTC)) < dt.timedelta(seconds=5)
    advanced = chime.advance(86400)
    assert advanced["offset_seconds"] == 86400
    assert parse(advanced["now"]) - parse(shown["now"]) >= dt.timedelta(days=1)
    moved = chime.control("POST", "clock", {"set": "2031-05-01T12:00:00Z"})
    assert moved.status == 200
    assert moved.json()["now"].startswith("2031-05-01T12:00:0")
    chime.reset()
    assert chime.control("GET", "clock").json()["offset_seconds"] == 0


def test_order_timestamps_follow_the_service_clock(chime: Chime) -> None:
    chime.control("POST", "clock", {"set": "2030-01-01T00:00:00Z"})
    client = chime.client()
    order = client.create_phone_number_order(
        ProductType="VoiceConnector", E164PhoneNumbers=["+12065550100"]
    )["PhoneNumberOrder"]
    assert order["CreatedTimestamp"].astimezone(dt.UTC).date() == dt.date(2030, 1, 1)


def test_reset_wipes_state(chime: Chime) -> None:
    client = chime.client()
    client.create_phone_number_order(
        ProductType="VoiceConnector", E164PhoneNumbers=["+12065550100"]
    )
    chime.reset()
    assert client.list_phone_number_orders()["PhoneNumberOrders"] == []
    client.create_phone_number_order(
        ProductType="VoiceConnector", E164PhoneNumbers=["+12065550100"]
    )


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({}, 'Send exactly one of {"AdvanceSeconds": N} (N >= 0) or {"Set": "<ISO 8601>"}'),
        ({"advance_seconds": -1}, 'AdvanceSeconds must be >= 0; use {"Set": ...} to go back'),
        ({"advance_seconds": "3d"}, "AdvanceSeconds must be a number of seconds"),
        (
            {"set": "tomorrow"},
            "Set must be an ISO 8601 timestamp such as 2030-01-01T00:00:00Z, got 'tomorrow'",
        ),
        (
            {"advance_seconds": 1, "set": "2030-01-01T00:00:00Z"},
            'Send exactly one of {"AdvanceSeconds": N} (N >= 0) or {"Set": "<ISO 8601>"}',
        ),
    ],
)
def test_bad_clock_requests(chime: Chime, document: dict, message: str) -> None:  # type: ignore[type-arg]
    response = chime.control("POST", "clock", document)
    assert response.status == 400
    assert response.json() == {"error": "BadRequest", "message": message}
    assert chime.control("GET", "clock").json()["offset_seconds"] == 0


def test_bad_control_paths(chime: Chime) -> None:
    missing = chime.control("GET", "nothing")
    assert missing.status == 404
    assert missing.json()["error"] == "NotFound"
    wrong = chime.control("DELETE", "clock")
    assert wrong.status == 405
    assert wrong.json() == {
        "error": "MethodNotAllowed",
        "message": "DELETE is not allowed on /_localchime/clock; use GET, POST",
    }
    garbage = chime.raw("POST", "/_localchime/clock", b"{oops")
    assert garbage.status == 400
    assert garbage.json()["error"] == "BadRequest"


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            {"set": "0001-01-01T00:00:00+01:00"},
            "Set must lie between 1970-01-01 and 9000-01-01",
        ),
        ({"set": "9999-12-31T00:00:00Z"}, "Set must lie between 1970-01-01 and 9000-01-01"),
        (
            {"advance_seconds": 100 * 365 * 86400},
            "The service clock must stay between 1970-01-01 and 9000-01-01",
        ),
    ],
)
def test_clock_stays_in_range(chime: Chime, document: dict, message: str) -> None:  # type: ignore[type-arg]
    chime.control("POST", "clock", {"set": "8950-01-01T00:00:00Z"})
    response = chime.control("POST", "clock", document)
    assert response.json() == {"error": "BadRequest", "message": message}
    assert chime.control("GET", "clock").json()["now"].startswith("8950-01-01")
    client = chime.client()
    assert client.list_phone_number_orders()["PhoneNumberOrders"] == []


def test_oversized_control_body(chime: Chime) -> None:
    response = chime.raw("POST", "/_localchime/clock", b"{" + b" " * (2 * 1024 * 1024) + b"}")
    assert response.status == 413
    assert response.json() == {
        "error": "PayloadTooLarge",
        "message": "The body exceeds 1048576 bytes (LOCALCHIME_MAX_BODY_BYTES)",
    }
