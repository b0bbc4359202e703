"""`--quota-profile aws`: AWS's default quotas (SPEC): 5 provisioned numbers per account, 3 Voice
Connectors per Region, 3 groups per account, 10 termination credentials per connector."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.harness import ServerChime
from tests.test_voice_analytics import connector, domain, place_call, search


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


def test_voice_connectors_per_region(strict: ServerChime) -> None:
    """Three per account and AwsRegion (AWS General Reference, Amazon Chime SDK quotas)."""
    strict.reset()
    client = strict.client()
    for i in range(3):
        client.create_voice_connector(Name=f"vc{i}", RequireEncryption=True)
    with pytest.raises(client.exceptions.ResourceLimitExceededException) as excinfo:
        client.create_voice_connector(Name="vc3", RequireEncryption=True)
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert excinfo.value.response["Error"]["Message"] == (
        "This account has 3 Voice Connectors in us-east-1 already, the quota (--quota-profile aws)"
    )
    assert len(client.list_voice_connectors()["VoiceConnectors"]) == 3
    other_region = client.create_voice_connector(
        Name="west", RequireEncryption=True, AwsRegion="us-west-2"
    )
    assert other_region["VoiceConnector"]["AwsRegion"] == "us-west-2"
    strict.client("999999999999").create_voice_connector(Name="theirs", RequireEncryption=True)


def test_voice_connector_groups_per_account(strict: ServerChime) -> None:
    strict.reset()
    client = strict.client()
    for i in range(3):
        client.create_voice_connector_group(Name=f"g{i}")
    elsewhere = strict.client(region="us-west-2")
    with pytest.raises(elsewhere.exceptions.ResourceLimitExceededException) as excinfo:
        elsewhere.create_voice_connector_group(Name="g3")
    assert excinfo.value.response["Error"]["Message"] == (
        "This account has 3 Voice Connector groups in all Regions already, the quota "
        "(--quota-profile aws)"
    )


def test_termination_credentials_per_connector(strict: ServerChime) -> None:
    strict.reset()
    client = strict.client()
    connector_id = client.create_voice_connector(Name="vc", RequireEncryption=True)[
        "VoiceConnector"
    ]["VoiceConnectorId"]
    client.put_voice_connector_termination(
        VoiceConnectorId=connector_id, Termination={"CallingRegions": ["US"]}
    )
    ten = [{"Username": f"user{i}", "Password": "secret"} for i in range(10)]
    client.put_voice_connector_termination_credentials(
        VoiceConnectorId=connector_id, Credentials=ten
    )
    # Replacing a password adds no username, so it stays within the limit.
    client.put_voice_connector_termination_credentials(
        VoiceConnectorId=connector_id, Credentials=ten[:1]
    )
    with pytest.raises(client.exceptions.BadRequestException) as excinfo:
        client.put_voice_connector_termination_credentials(
            VoiceConnectorId=connector_id, Credentials=[{"Username": "u11", "Password": "s"}]
        )
    assert excinfo.value.response["Error"]["Message"] == (
        f"Voice Connector {connector_id} would have 11 termination credentials; the limit is 10 "
        "(--quota-profile aws)"
    )
    listed = client.list_voice_connector_termination_credentials(VoiceConnectorId=connector_id)
    assert len(listed["Usernames"]) == 10


def test_opening_a_porting_order_counts_against_the_number_quota(strict: ServerChime) -> None:
    strict.reset()
    client = strict.client()
    client.create_phone_number_order(
        ProductType="SipMediaApplicationDialIn",
        E164PhoneNumbers=[f"+1844555{i:04d}" for i in range(4)],
    )
    port = {
        "AccountId": "123456789012",
        "ProductType": "SipMediaApplicationDialIn",
        "E164PhoneNumbers": ["+18445559000", "+18445559001"],
    }
    refused = strict.control("POST", "porting-orders", port)
    assert refused.status == 400
    assert refused.json() == {
        "error": "ResourceLimitExceeded",
        "message": "This account has 4 provisioned phone numbers; adding 2 would exceed the "
        "quota of 5 (--quota-profile aws)",
    }
    assert client.list_phone_number_orders()["PhoneNumberOrders"][0]["OrderType"] == "New"
    opened = strict.control(
        "POST", "porting-orders", {**port, "E164PhoneNumbers": ["+18445559000"]}
    )
    assert opened.status == 201
    with pytest.raises(client.exceptions.ResourceLimitExceededException):
        client.create_phone_number_order(
            ProductType="SipMediaApplicationDialIn", E164PhoneNumbers=["+18445559002"]
        )


def _analysed_connector(strict: ServerChime) -> str:
    return connector(strict.client())


def test_voice_profile_domains_per_region(strict: ServerChime) -> None:
    strict.reset()
    client = strict.client()
    for i in range(3):
        domain(client, f"d{i}")
    with pytest.raises(client.exceptions.ResourceLimitExceededException) as excinfo:
        domain(client, "d3")
    assert excinfo.value.response["Error"]["Message"] == (
        "This account has 3 voice profile domains in us-east-1 already, the quota "
        "(--quota-profile aws)"
    )
    assert len(client.list_voice_profile_domains()["VoiceProfileDomains"]) == 3
    west_key = "arn:aws:kms:us-west-2:123456789012:key/west"
    strict.client(region="us-west-2").create_voice_profile_domain(
        Name="west", ServerSideEncryptionConfiguration={"KmsKeyArn": west_key}
    )


def test_active_analytics_tasks_per_region(strict: ServerChime) -> None:
    """25 active tasks of each kind; a finished one frees its place."""
    strict.reset()
    client = strict.client()
    connector_id = _analysed_connector(strict)
    calls = [place_call(strict, connector_id) for _ in range(26)]
    started = [
        client.start_voice_tone_analysis_task(
            VoiceConnectorId=connector_id, TransactionId=call, LanguageCode="en-US"
        )["VoiceToneAnalysisTask"]["VoiceToneAnalysisTaskId"]
        for call in calls[:25]
    ]
    with pytest.raises(client.exceptions.ResourceLimitExceededException) as excinfo:
        client.start_voice_tone_analysis_task(
            VoiceConnectorId=connector_id, TransactionId=calls[25], LanguageCode="en-US"
        )
    assert excinfo.value.response["Error"]["Message"] == (
        "This account has 25 active voice tone analysis tasks in us-east-1 already, the quota "
        "(--quota-profile aws)"
    )
    client.stop_voice_tone_analysis_task(
        VoiceConnectorId=connector_id, VoiceToneAnalysisTaskId=started[0]
    )
    client.start_voice_tone_analysis_task(
        VoiceConnectorId=connector_id, TransactionId=calls[25], LanguageCode="en-US"
    )


def test_voice_profiles_per_domain(strict: ServerChime) -> None:
    strict.reset()
    client = strict.client()
    connector_id = _analysed_connector(strict)
    domain_id = domain(client)["VoiceProfileDomainId"]
    tasks = [
        search(client, connector_id, place_call(strict, connector_id, Speaker=f"s{i}"), domain_id)
        for i in range(21)
    ]
    strict.advance(21)
    for task_id in tasks[:20]:
        client.create_voice_profile(SpeakerSearchTaskId=task_id)
    with pytest.raises(client.exceptions.ResourceLimitExceededException) as excinfo:
        client.create_voice_profile(SpeakerSearchTaskId=tasks[20])
    assert excinfo.value.response["Error"]["Message"] == (
        f"This account has 20 voice profiles in domain {domain_id} already, the quota "
        "(--quota-profile aws)"
    )
