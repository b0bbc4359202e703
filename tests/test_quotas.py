"""`--quota-profile aws`: AWS's default of 5 provisioned numbers per account (SPEC)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.harness import ServerChime


@pytest.fixture(scope="module")
def strict(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerChime]:
    server = ServerChime(
        "--data-dir", str(tmp_path_factory.mktemp("quota")), "--quota-profile", "aws"
    ).start()
    yield server
    server.stop()


def test_sixth_number_exceeds_the_quota(strict: ServerChime) -> None:
    strict.reset()
    client = strict.client()
    numbers = [f"+1206555{i:04d}" for i in range(6)]
    with pytest.raises(client.exceptions.ResourceLimitExceededException) as excinfo:
        client.create_phone_number_order(ProductType="VoiceConnector", E164PhoneNumbers=numbers)
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert excinfo.value.response["Error"]["Message"] == (
        "This account has 0 provisioned phone numbers; adding 6 would exceed the quota of 5 "
        "(--quota-profile aws)"
    )
    client.create_phone_number_order(ProductType="VoiceConnector", E164PhoneNumbers=numbers[:5])
    strict.advance(5)
    with pytest.raises(client.exceptions.ResourceLimitExceededException):
        client.create_phone_number_order(ProductType="VoiceConnector", E164PhoneNumbers=numbers[5:])


def test_restore_counts_against_the_quota(strict: ServerChime) -> None:
    strict.reset()
    client = strict.client()
    numbers = [f"+1312555{i:04d}" for i in range(6)]
    client.create_phone_number_order(ProductType="VoiceConnector", E164PhoneNumbers=numbers[:5])
    strict.advance(5)
    client.delete_phone_number(PhoneNumberId=numbers[0])
    client.create_phone_number_order(ProductType="VoiceConnector", E164PhoneNumbers=numbers[5:])
    strict.advance(5)
    with pytest.raises(client.exceptions.ResourceLimitExceededException):
        client.restore_phone_number(PhoneNumberId=numbers[0])
    assert (
        client.get_phone_number(PhoneNumberId=numbers[0])["PhoneNumber"]["Status"]
        == "DeleteInProgress"
    )


def test_default_profile_is_lenient(tmp_path: Path) -> None:
    server = ServerChime("--data-dir", str(tmp_path)).start()
    try:
        numbers = [f"+1415555{i:04d}" for i in range(20)]
        order = server.client().create_phone_number_order(
            ProductType="VoiceConnector", E164PhoneNumbers=numbers
        )
        assert order["ResponseMetadata"]["HTTPStatusCode"] == 201
    finally:
        server.stop()
