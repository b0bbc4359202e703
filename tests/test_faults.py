"""Fault injection through /_localchime/faults, seen by boto3 as a client's retry logic sees it,
on every backend."""

from __future__ import annotations

import time
from typing import Any

import boto3
import pytest
from botocore.config import Config

from tests.harness import Chime, failure_of

ACCOUNT = "123456789012"


def add(chime: Chime, **rule: Any) -> dict[str, Any]:
    response = chime.control("POST", "faults", rule)
    assert response.status == 201, response.body
    return dict(response.json())


def retrying_client(chime: Chime, mode: str, attempts: int = 3) -> Any:
    client = boto3.session.Session().client(
        "chime-sdk-voice",
        region_name="us-east-1",
        endpoint_url=chime.endpoint,
        aws_access_key_id=ACCOUNT,
        aws_secret_access_key="secret",
        config=Config(retries={"mode": mode, "total_max_attempts": attempts}),
    )
    chime._attach(client)
    return client


def rules(chime: Chime) -> list[dict[str, Any]]:
    return list(chime.control("GET", "faults").json()["Rules"])


def test_a_503_with_count_2_is_retried_through_in_standard_mode(chime: Chime) -> None:
    rule = add(chime, Operation="ListPhoneNumbers", Error="ServiceUnavailableException", Count=2)
    client = retrying_client(chime, "standard")
    response = client.list_phone_numbers()
    assert response["ResponseMetadata"]["RetryAttempts"] == 2
    assert response["PhoneNumbers"] == []
    [listed] = rules(chime)
    assert (listed["Id"], listed["Hits"], listed["Remaining"]) == (rule["Id"], 2, 0)


def test_a_429_with_count_2_is_retried_through_in_legacy_mode(chime: Chime) -> None:
    """botocore's standard mode does not retry a modelled ThrottledClientException (the model
    does not mark it retryable); legacy mode retries any 429 (docs/control-api.md)."""
    add(chime, Operation="ListPhoneNumbers", Error="ThrottledClientException", Count=2)
    response = retrying_client(chime, "legacy").list_phone_numbers()
    assert response["ResponseMetadata"]["RetryAttempts"] == 2


def test_probability_1_surfaces_the_modelled_exception(chime: Chime, client: Any) -> None:
    rule = add(chime, Operation="*", Error="ThrottledClientException")
    for _ in range(3):
        with pytest.raises(client.exceptions.ThrottledClientException) as raised:
            client.get_global_settings()
        response = raised.value.response
        assert response["ResponseMetadata"]["HTTPStatusCode"] == 429
        assert response["Error"]["Code"] == "ThrottledClientException"
        assert rule["Id"] in response["Error"]["Message"]
    assert rules(chime)[0]["Hits"] == 3


def test_rules_match_operation_and_account(chime: Chime, client: Any) -> None:
    add(chime, Operation="GetGlobalSettings", Account="999999999999", Error="ForbiddenException")
    add(chime, Operation="ListPhoneNumbers", Error="ServiceFailureException")
    client.get_global_settings()  # another account's rule
    code, _ = failure_of(lambda: chime.client("999999999999").get_global_settings())
    assert code == "ForbiddenException"
    code, _ = failure_of(lambda: client.list_phone_numbers())
    assert code == "ServiceFailureException"
    client.list_voice_connectors()


def test_probability_0_never_hits(chime: Chime, client: Any) -> None:
    add(chime, Operation="*", Error="ThrottledClientException", Probability=0)
    for _ in range(5):
        client.get_global_settings()
    assert rules(chime)[0]["Hits"] == 0


def test_latency_delays_the_call_and_nothing_else(chime: Chime, client: Any) -> None:
    add(chime, Operation="GetGlobalSettings", LatencyMs=300, Count=1)
    began = time.monotonic()
    client.get_global_settings()
    assert time.monotonic() - began >= 0.3
    began = time.monotonic()
    client.get_global_settings()
    assert time.monotonic() - began < 0.3


def test_delete_one_or_all_and_reset_clears(chime: Chime, client: Any) -> None:
    first = add(chime, Operation="*", Error="ThrottledClientException")
    add(chime, Operation="*", LatencyMs=1)
    assert chime.control("DELETE", f"faults/{first['Id']}").json() == {"Removed": 1}
    assert chime.control("DELETE", f"faults/{first['Id']}").status == 404
    client.get_global_settings()
    assert chime.control("DELETE", "faults").json() == {"Removed": 1}
    add(chime, Operation="*", Error="ThrottledClientException")
    chime.reset()
    assert rules(chime) == []
    client.get_global_settings()


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ({"Operation": "Nope", "Error": "BadRequestException"}, "Operation must be"),
        ({"Error": "BadRequestException"}, "Operation must be"),
        ({"Operation": "*"}, "needs an Error, a LatencyMs, or both"),
        ({"Operation": "*", "Error": "Boom"}, "ThrottledClientException"),
        ({"Operation": "GetGlobalSettings", "Error": "GoneException"}, "GetGlobalSettings models"),
        ({"Operation": "*", "Error": "BadRequestException", "Probability": 2}, "Probability"),
        ({"Operation": "*", "Error": "BadRequestException", "Count": 0}, "Count"),
        ({"Operation": "*", "LatencyMs": 600_000}, "LatencyMs must be at most"),
        ({"Operation": "*", "LatencyMs": 5, "Account": "12"}, "Account"),
        ({"Operation": "*", "LatencyMs": 5, "When": "now"}, "Unknown key"),
    ],
)
def test_bad_rules_are_refused(chime: Chime, rule: dict[str, Any], words: str) -> None:
    response = chime.control("POST", "faults", rule)
    assert response.status == 400
    assert words in response.json()["message"]
    assert rules(chime) == []
