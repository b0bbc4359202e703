"""The provisioning module tested four ways: the decorator, the context manager, the pytest
fixture, and inside moto's mock_aws (S3 to moto, chime-sdk-voice to localchime). No test waits:
the order completes when the clock moves."""

from __future__ import annotations

import json

import boto3
import provisioning
import pytest
from moto import mock_aws

from localchime import mock_chime
from localchime.testing import LocalChimeMock

NUMBERS = ["+12065550100", "+12065550101"]


def assert_wired(connector_id: str) -> None:
    listed = boto3.client("chime-sdk-voice", region_name="us-east-1").list_phone_numbers(
        FilterName="VoiceConnectorId", FilterValue=connector_id
    )["PhoneNumbers"]
    assert [(n["E164PhoneNumber"], n["Status"]) for n in listed] == [
        (NUMBERS[0], "Assigned"),
        (NUMBERS[1], "Assigned"),
    ]


@mock_chime
def test_with_the_decorator() -> None:
    order_id = provisioning.order_office_numbers(NUMBERS)
    with pytest.raises(RuntimeError, match="is Processing, not Successful yet"):
        provisioning.wire_office(order_id, "office")


def test_with_the_context_manager() -> None:
    with mock_chime() as chime:
        order_id = provisioning.order_office_numbers(NUMBERS)
        chime.advance(5)
        assert_wired(provisioning.wire_office(order_id, "office"))


def test_with_the_fixture(localchime: LocalChimeMock) -> None:
    order_id = provisioning.order_office_numbers(NUMBERS)
    localchime.advance(5)
    assert_wired(provisioning.wire_office(order_id, "office"))
    assert localchime.account == "123456789012"


@pytest.mark.localchime(order_fulfilment_seconds=60)
def test_with_settings_from_a_marker(localchime: LocalChimeMock) -> None:
    order_id = provisioning.order_office_numbers(NUMBERS)
    localchime.advance(59)
    with pytest.raises(RuntimeError):
        provisioning.wire_office(order_id, "office")
    localchime.advance(1)
    assert_wired(provisioning.wire_office(order_id, "office"))


@mock_aws
def test_inside_moto() -> None:
    boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="receipts")
    with mock_chime() as chime:
        order_id = provisioning.order_office_numbers(NUMBERS)
        chime.advance(5)
        provisioning.archive_receipt(order_id, "receipts")
    body = (
        boto3.client("s3", region_name="us-east-1")
        .get_object(Bucket="receipts", Key=f"orders/{order_id}.json")["Body"]
        .read()
    )
    assert json.loads(body)["Status"] == "Successful"
