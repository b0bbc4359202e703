"""Bad input over raw HTTP: every case is a 4xx modelled error naming the field and the rule,
and nothing is stored."""

from __future__ import annotations

import dataclasses
import json

import pytest

from localchime.app import LocalChime
from localchime.config import Settings
from tests.harness import Chime, InProcessChime

AUTH = {
    "authorization": "AWS4-HMAC-SHA256 Credential=123456789012/20261127/us-east-1/chime/aws4_request, "
    "SignedHeaders=host, Signature=0",
    "content-type": "application/json",
}


def create(chime: Chime, body: bytes, headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return chime.raw("POST", "/phone-number-orders", body, {**AUTH, **(headers or {})})


def assert_error(response, status: int, error_type: str, message: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status == status, response.body
    assert response.headers["x-amzn-errortype"] == error_type
    assert response.headers["x-amzn-requestid"]
    body = response.json()
    assert body["Code"] == error_type.removesuffix("Exception")
    assert body["Message"] == message


def assert_nothing_stored(chime: Chime) -> None:
    response = chime.raw("GET", "/phone-number-orders", b"", AUTH)
    assert response.status == 200
    assert response.json()["PhoneNumberOrders"] == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "The request body is not valid JSON: "),
        (b"[1, 2]", "The request body must be a JSON object, not an array"),
        (b'"text"', "The request body must be a JSON object, not a string"),
        (
            b'{"ProductType": "VoiceConnector", "E164PhoneNumbers": "+12065550100"}',
            "Invalid type for parameter E164PhoneNumbers: expected an array, got a string",
        ),
        (
            b'{"ProductType": "VoiceConnector", "E164PhoneNumbers": [12065550100]}',
            "Invalid type for parameter E164PhoneNumbers[0]: expected a string, got a number",
        ),
        (
            b'{"ProductType": 5, "E164PhoneNumbers": ["+12065550100"]}',
            "Invalid type for parameter ProductType: expected a string, got a number",
        ),
        (
            b'{"ProductType": "VoiceConnector", "E164PhoneNumbers": ["+12065550100"], "Name": true}',
            "Invalid type for parameter Name: expected a string, got a boolean",
        ),
    ],
)
def test_malformed_bodies(chime: Chime, body: bytes, message: str) -> None:
    response = create(chime, body)
    assert response.status == 400
    assert response.headers["x-amzn-errortype"] == "BadRequestException"
    assert response.json()["Message"].startswith(message)
    assert_nothing_stored(chime)


def test_missing_members_and_bad_enum_reported_together(chime: Chime) -> None:
    response = create(chime, b'{"ProductType": "Landline"}')
    assert_error(
        response,
        400,
        "BadRequestException",
        "2 validation errors detected: Value null at 'E164PhoneNumbers' failed to satisfy "
        "constraint: Member must not be null; Value 'Landline' at 'ProductType' failed to "
        "satisfy constraint: Member must satisfy enum value set: [VoiceConnector, "
        "SipMediaApplicationDialIn]",
    )
    assert_nothing_stored(chime)


def test_empty_body_names_required_members(chime: Chime) -> None:
    response = create(chime, b"")
    assert response.status == 400
    message = response.json()["Message"]
    assert (
        "Value null at 'ProductType' failed to satisfy constraint: Member must not be null"
        in message
    )
    assert "Value null at 'E164PhoneNumbers'" in message


def test_over_long_name(chime: Chime) -> None:
    body = json.dumps(
        {"ProductType": "VoiceConnector", "E164PhoneNumbers": ["+12065550100"], "Name": "a" * 257}
    ).encode()
    assert_error(
        create(chime, body),
        400,
        "BadRequestException",
        "1 validation error detected: Value (sensitive value) at 'Name' failed to satisfy "
        "constraint: Member must have length less than or equal to 256",
    )
    assert_nothing_stored(chime)


def test_ten_megabyte_body(chime: Chime) -> None:
    body = b'{"Name": "' + b"a" * (10 * 1024 * 1024) + b'"}'
    assert_error(
        create(chime, body),
        400,
        "BadRequestException",
        f"The request body is {len(body)} bytes; the limit is 1048576 bytes "
        "(LOCALCHIME_MAX_BODY_BYTES)",
    )
    assert_nothing_stored(chime)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "max-results=abc",
            "Invalid value for MaxResults: expected an integer, got 'abc'",
        ),
        (
            "max-results=1&max-results=2",
            "Query parameter 'max-results' (MaxResults) may appear only once; it appeared 2 times",
        ),
        (
            "max-results=1000",
            "1 validation error detected: Value '1000' at 'MaxResults' failed to satisfy "
            "constraint: Member must have value less than or equal to 100",
        ),
    ],
)
def test_bad_query_values(chime: Chime, query: str, message: str) -> None:
    response = chime.raw("GET", f"/phone-number-orders?{query}", b"", AUTH)
    assert_error(response, 400, "BadRequestException", message)


def test_unknown_path(chime: Chime) -> None:
    assert_error(
        chime.raw("GET", "/no-such-thing", b"", AUTH),
        404,
        "NotFoundException",
        "No Chime SDK Voice operation matches GET /no-such-thing",
    )


def test_unknown_method_on_known_path(chime: Chime) -> None:
    assert_error(
        chime.raw("DELETE", "/phone-number-orders", b"", AUTH),
        400,
        "BadRequestException",
        "Method DELETE is not allowed on /phone-number-orders; allowed methods: GET, POST",
    )


def test_unimplemented_operation_answers_501() -> None:
    """Every model operation is implemented, so the 501 path is shown on an app whose registry
    lacks one: what a user of an older localchime, or of a newer botocore model, would meet."""
    app = LocalChime(Settings(ephemeral=True))
    try:
        operations = dict(app.registry.operations)
        del operations["ListVoiceProfileDomains"]
        app.registry = dataclasses.replace(app.registry, operations=operations)
        client = InProcessChime(app).client()
        with pytest.raises(client.exceptions.ClientError) as excinfo:
            client.list_voice_profile_domains()
    finally:
        app.close()
    response = excinfo.value.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 501
    assert response["ResponseMetadata"]["RetryAttempts"] == 0
    assert response["Error"]["Code"] == "NotImplemented"
    assert response["Error"]["Message"] == (
        "localchime does not implement ListVoiceProfileDomains yet; see `localchime coverage`"
    )


def test_error_headers_and_body_shape(chime: Chime) -> None:
    response = chime.raw(
        "GET", "/phone-number-orders/0a1b2c3d-0000-4000-8000-000000000000", b"", AUTH
    )
    assert response.status == 404
    assert response.headers["content-type"] == "application/json"
    assert set(response.json()) == {"Code", "Message"}
    assert response.json()["Code"] == "NotFound"


def test_region_that_is_no_region_name(chime: Chime) -> None:
    scope = "AWS4-HMAC-SHA256 Credential=AKID/20261127/{}/chime/aws4_request, SignedHeaders=host, Signature=0"
    long_region = "my-very-long-custom-region-name-x-1"
    response = chime.raw(
        "GET", "/phone-number-orders", b"", {"authorization": scope.format(long_region)}
    )
    assert_error(
        response,
        400,
        "BadRequestException",
        f"The SigV4 credential scope names Region '{long_region}', which is not a Region name "
        "(lower-case letters, digits and dashes, at most 32 characters)",
    )


@pytest.mark.parametrize("value", ["\u0665", " 5", "5_0", "+5"])
def test_query_integers_are_ascii_digits(chime: Chime, value: str) -> None:
    from urllib.parse import quote

    response = chime.raw("GET", f"/phone-number-orders?max-results={quote(value)}", b"", AUTH)
    assert_error(
        response,
        400,
        "BadRequestException",
        f"Invalid value for MaxResults: expected an integer, got '{value}'",
    )


def test_unknown_operation_literal_does_not_fall_through(chime: Chime) -> None:
    response = chime.raw("POST", "/phone-numbers/%2B12065550100?operation=restor", b"{}", AUTH)
    assert_error(
        response,
        400,
        "BadRequestException",
        "Query parameter operation=restor names no operation on POST "
        "/phone-numbers/%2B12065550100; known values: restore",
    )


def test_odd_content_length_is_not_a_crash(chime: Chime) -> None:
    if not hasattr(chime, "app"):
        pytest.skip("HTTP servers refuse such a header before localchime sees it")
    response = chime.raw("POST", "/phone-number-orders", b"", {**AUTH, "content-length": "\u00b2"})
    assert response.status == 400
    assert "Value null at 'ProductType'" in response.json()["Message"]
