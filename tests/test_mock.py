"""`mock_chime` and the `localchime` fixture, as a user's test suite meets them: interception of
clients the test did not build, time under control, settings from the environment, and nothing
left behind when the scope ends."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
from typing import Any

import boto3
import botocore.session
import pytest
from botocore.config import Config
from botocore.exceptions import EndpointConnectionError
from botocore.utils import parse_timestamp as botocore_parse_timestamp
from hypothesis import given
from hypothesis import strategies as st
from moto import mock_aws

from localchime import mock_chime
from localchime.testing import ControlCallError, LocalChimeMock
from localchime.testing.interception import parse_timestamp

CLOSED_PORT = "http://127.0.0.1:9"
"""Nothing listens there: a request that is not intercepted fails to connect."""
NO_RETRIES = Config(retries={"max_attempts": 1, "mode": "standard"})


def order(client: Any, numbers: list[str], product: str = "VoiceConnector") -> str:
    created = client.create_phone_number_order(ProductType=product, E164PhoneNumbers=numbers)
    return str(created["PhoneNumberOrder"]["PhoneNumberOrderId"])


def status(client: Any, order_id: str) -> str:
    return str(
        client.get_phone_number_order(PhoneNumberOrderId=order_id)["PhoneNumberOrder"]["Status"]
    )


def test_every_client_created_in_scope_is_served_even_with_an_endpoint_url() -> None:
    with mock_chime() as chime:
        through_boto3 = boto3.client("chime-sdk-voice", region_name="us-east-1")
        through_botocore = botocore.session.get_session().create_client(
            "chime-sdk-voice", region_name="us-east-1"
        )
        pointed_elsewhere = boto3.client(
            "chime-sdk-voice", region_name="us-east-1", endpoint_url=CLOSED_PORT
        )
        order_id = order(through_boto3, ["+12065550100"])
        assert status(through_botocore, order_id) == "Processing"
        chime.advance(5)
        assert status(pointed_elsewhere, order_id) == "Successful"


def test_nothing_is_intercepted_outside_the_scope_or_for_other_services() -> None:
    with mock_chime():
        inside = boto3.client(
            "chime-sdk-voice", region_name="us-east-1", endpoint_url=CLOSED_PORT, config=NO_RETRIES
        )
        s3 = boto3.client(
            "s3", region_name="us-east-1", endpoint_url=CLOSED_PORT, config=NO_RETRIES
        )
        with pytest.raises(EndpointConnectionError):
            s3.list_buckets()
        inside.list_phone_numbers()
    with pytest.raises(EndpointConnectionError):
        inside.list_phone_numbers()


def test_credentials_and_region_are_provided_and_restored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREALKEY")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "real-secret")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "real-token")
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    with mock_chime() as chime:
        import os

        assert os.environ["AWS_ACCESS_KEY_ID"] == chime.account == "123456789012"
        assert "AWS_SESSION_TOKEN" not in os.environ
        boto3.client("chime-sdk-voice").list_phone_numbers()
    import os

    assert (os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SESSION_TOKEN"]) == (
        "AKIAREALKEY",
        "real-token",
    )
    assert "AWS_DEFAULT_REGION" not in os.environ


def test_environment_knobs_apply(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOCALCHIME_ORDER_FULFILMENT_SECONDS", "30")
    with mock_chime() as chime:
        client = chime.client()
        order_id = order(client, ["+12065550100"])
        chime.advance(29)
        assert status(client, order_id) == "Processing"
        chime.advance(1)
        assert status(client, order_id) == "Successful"


def test_overrides_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOCALCHIME_QUOTA_PROFILE", "lenient")
    with mock_chime(quota_profile="aws") as chime:
        client = chime.client()
        with pytest.raises(client.exceptions.ResourceLimitExceededException):
            order(client, [f"+1206555{i:04d}" for i in range(6)])


def test_each_decorated_call_starts_empty() -> None:
    @mock_chime
    def count_and_order(number: str) -> int:
        client = boto3.client("chime-sdk-voice", region_name="us-east-1")
        before = len(client.list_phone_number_orders()["PhoneNumberOrders"])
        order(client, [number])
        return before

    assert count_and_order("+12065550100") == 0
    assert count_and_order("+12065550101") == 0
    assert count_and_order.__name__ == "count_and_order"


def test_the_innermost_mock_answers() -> None:
    with mock_chime() as outer:
        order(outer.client(), ["+12065550100"])
        with mock_chime() as inner:
            assert (
                boto3.client("chime-sdk-voice").list_phone_number_orders()["PhoneNumberOrders"]
                == []
            )
            assert inner is not outer
        assert (
            len(boto3.client("chime-sdk-voice").list_phone_number_orders()["PhoneNumberOrders"])
            == 1
        )


def test_clock_reset_and_accounts() -> None:
    with mock_chime(account="111122223333") as chime:
        client = boto3.client("chime-sdk-voice")
        order_id = order(client, ["+12065550100"])
        found = chime.client("111122223333").get_phone_number_order(PhoneNumberOrderId=order_id)
        assert found["PhoneNumberOrder"]["PhoneNumberOrderId"] == order_id
        stranger = chime.client("999999999999")
        with pytest.raises(stranger.exceptions.NotFoundException):
            stranger.get_phone_number_order(PhoneNumberOrderId=order_id)
        moment = dt.datetime(2031, 5, 1, tzinfo=dt.UTC)
        assert chime.set_clock(moment) - moment < dt.timedelta(seconds=1)
        assert chime.now() - moment < dt.timedelta(seconds=5)
        assert status(client, order_id) == "Successful"
        chime.reset()
        assert client.list_phone_number_orders()["PhoneNumberOrders"] == []
        assert chime.now().year == dt.datetime.now(dt.UTC).year


def test_porting_through_the_handle() -> None:
    with mock_chime() as chime:
        client = chime.client()
        client.create_voice_connector(Name="main", RequireEncryption=True)
        opened = chime.open_porting_order(["+12065550177"], RequestedFocDate="2031-01-15T00:00:00Z")
        order_id = opened["PhoneNumberOrder"]["PhoneNumberOrderId"]
        chime.porting_event(order_id, "confirm-foc")
        chime.set_clock("2031-01-15T00:00:00Z")
        assert status(client, order_id) == "Successful"
        with pytest.raises(ControlCallError) as excinfo:
            chime.porting_event(order_id, "cancel")
        assert excinfo.value.status == 409


def test_voice_analytics_through_the_handle() -> None:
    with mock_chime() as chime:
        client = chime.client()
        connector_id = client.create_voice_connector(Name="main", RequireEncryption=True)[
            "VoiceConnector"
        ]["VoiceConnectorId"]
        client.put_voice_connector_streaming_configuration(
            VoiceConnectorId=connector_id,
            StreamingConfiguration={
                "DataRetentionInHours": 0,
                "Disabled": False,
                "StreamingNotificationTargets": [{"NotificationTarget": "SNS"}],
                "MediaInsightsConfiguration": {
                    "Disabled": False,
                    "ConfigurationArn": "arn:aws:chime:us-east-1:123456789012:"
                    "media-insights-pipeline-configuration/va",
                },
            },
        )
        transaction_id = chime.place_connector_call(
            connector_id, "+12065550100", "+13125550100", Sentiment="positive"
        )
        client.start_voice_tone_analysis_task(
            VoiceConnectorId=connector_id, TransactionId=transaction_id, LanguageCode="en-US"
        )
        chime.advance(6)
        ended = chime.end_connector_call(transaction_id)
        assert ended["Status"] == "Ended"
        labels = [
            (n["Target"], n["Event"]["detail"]["detailStatus"])
            for n in chime.connector_call(transaction_id)["Notifications"]
        ]
        assert labels == [
            ("SNS", "VoiceToneAnalysisSuccessful"),
            ("SNS", "VoiceToneAnalysisSuccessful"),
            ("SNS", "VoiceToneAnalysisCompleted"),
            ("SNS", "VoiceToneAnalysisCompleted"),
        ]
        with pytest.raises(ControlCallError) as excinfo:
            chime.end_connector_call(transaction_id)
        assert excinfo.value.status == 409


def test_composes_with_moto_either_way_round() -> None:
    with mock_chime() as chime, mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="cdrs")
        order(boto3.client("chime-sdk-voice", region_name="us-east-1"), ["+12065550100"])
        assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["cdrs"]
        assert len(chime.client().list_phone_number_orders()["PhoneNumberOrders"]) == 1
    with mock_aws(), mock_chime():
        assert boto3.client("s3", region_name="us-east-1").list_buckets()["Buckets"] == []
        assert boto3.client("chime-sdk-voice").list_phone_number_orders()["PhoneNumberOrders"] == []


def test_the_fixture(localchime: LocalChimeMock) -> None:
    order(boto3.client("chime-sdk-voice"), ["+12065550100"])
    localchime.advance(5)
    assert localchime.client().list_phone_numbers()["PhoneNumbers"][0]["Status"] == "Unassigned"


@pytest.mark.localchime(order_fulfilment_seconds=0)
def test_the_fixture_takes_a_marker(localchime: LocalChimeMock) -> None:
    assert localchime.settings.order_fulfilment_seconds == 0


@pytest.mark.parametrize("localchime", [{"quota_profile": "aws"}], indirect=True)
def test_the_fixture_takes_a_parameter(localchime: LocalChimeMock) -> None:
    assert localchime.settings.quota_profile == "aws"


def test_importing_localchime_loads_neither_boto3_nor_the_mock() -> None:
    probe = (
        "import sys, localchime; print('boto3' in sys.modules, 'localchime.testing' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "False"]


@given(st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2999, 12, 31)))
def test_the_fast_timestamp_parser_answers_what_botocore_answers(moment: dt.datetime) -> None:
    """The mock's parser must be indistinguishable from botocore's on what localchime writes."""
    for text in (
        moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z",
        moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
        moment.isoformat() + "Z",
    ):
        ours, theirs = parse_timestamp(text), botocore_parse_timestamp(text)
        assert (ours, type(ours.tzinfo)) == (theirs, type(theirs.tzinfo))


@pytest.mark.parametrize(
    "text", ["2026-02-30T00:00:00Z", "1700000000", "2026-11-28T04:35:37+01:00"]
)
def test_other_timestamps_go_to_botocore(text: str) -> None:
    try:
        expected: Any = botocore_parse_timestamp(text)
    except Exception as error:
        with pytest.raises(type(error)):
            parse_timestamp(text)
    else:
        assert parse_timestamp(text) == expected


@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris", "America/New_York"])
def test_a_repeated_timestamp_reads_as_botocore_reads_it_in_any_zone(
    zone: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parser remembers the last text it read; a second reading, and a reading after the
    process's zone changed, still answer what botocore answers, tzinfo class included."""
    text = "2026-11-28T04:35:37.571Z"
    parse_timestamp(text)  # remembered under the zone before the change
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        for _ in range(2):
            ours, theirs = parse_timestamp(text), botocore_parse_timestamp(text)
            assert (ours, type(ours.tzinfo), ours.tzname()) == (
                theirs,
                type(theirs.tzinfo),
                theirs.tzname(),
            )
    finally:
        monkeypatch.undo()
        time.tzset()
