"""Voice analytics through boto3, on every backend: voice profile domains and profiles, speaker
search and voice tone analysis tasks on calls through a Voice Connector, the notifications they
would deliver, their clocks and their errors; and the control API that places the calls."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from tests.harness import Chime, control_error_of, failure_of

REGION = "us-east-1"
ACCOUNT = "123456789012"
KMS_KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
INSIGHTS = f"arn:aws:chime:{REGION}:{ACCOUNT}:media-insights-pipeline-configuration/analytics"
UNKNOWN_ID = "00000000-0000-0000-0000-000000000000"
GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
SEARCH_STATUS = "SpeakerSearchStatus"
TONE_STATUS = "VoiceToneAnalysisStatus"


def connector(client: Any, *, insights: bool = True, targets: tuple[str, ...] = ("SQS",)) -> str:
    connector_id = str(
        client.create_voice_connector(Name="trunk", RequireEncryption=True)["VoiceConnector"][
            "VoiceConnectorId"
        ]
    )
    streaming: dict[str, Any] = {
        "DataRetentionInHours": 0,
        "Disabled": False,
        "StreamingNotificationTargets": [{"NotificationTarget": t} for t in targets],
    }
    if insights:
        streaming["MediaInsightsConfiguration"] = {"Disabled": False, "ConfigurationArn": INSIGHTS}
    client.put_voice_connector_streaming_configuration(
        VoiceConnectorId=connector_id, StreamingConfiguration=streaming
    )
    return connector_id


def domain(client: Any, name: str = "callers", **extra: Any) -> dict[str, Any]:
    response = client.create_voice_profile_domain(
        Name=name, ServerSideEncryptionConfiguration={"KmsKeyArn": KMS_KEY}, **extra
    )
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 201
    return dict(response["VoiceProfileDomain"])


def place_call(chime: Chime, connector_id: str, **extra: Any) -> str:
    response = chime.control(
        "POST",
        "voice-connector-calls",
        {"VoiceConnectorId": connector_id, "From": "+12065550100", "To": "+13125550199", **extra},
    )
    assert response.status == 201, response.body
    return str(response.json()["TransactionId"])


def hang_up(chime: Chime, transaction_id: str) -> dict[str, Any]:
    response = chime.control("POST", f"voice-connector-calls/{transaction_id}/hangup")
    assert response.status == 200, response.body
    return dict(response.json())


def shown_call(chime: Chime, transaction_id: str) -> dict[str, Any]:
    response = chime.control("GET", f"voice-connector-calls/{transaction_id}")
    assert response.status == 200, response.body
    return dict(response.json())


def details(chime: Chime, transaction_id: str, target: str = "SQS") -> list[dict[str, Any]]:
    """The `detail` of each event the target received, in order."""
    return [
        n["Event"]["detail"]
        for n in shown_call(chime, transaction_id)["Notifications"]
        if n["Target"] == target
    ]


def search(
    client: Any, connector_id: str, transaction_id: str, domain_id: str, **extra: Any
) -> str:
    response = client.start_speaker_search_task(
        VoiceConnectorId=connector_id,
        TransactionId=transaction_id,
        VoiceProfileDomainId=domain_id,
        **extra,
    )
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 201
    return str(response["SpeakerSearchTask"]["SpeakerSearchTaskId"])


def search_task(client: Any, connector_id: str, task_id: str) -> dict[str, Any]:
    return dict(
        client.get_speaker_search_task(VoiceConnectorId=connector_id, SpeakerSearchTaskId=task_id)[
            "SpeakerSearchTask"
        ]
    )


def enrolled(chime: Chime, client: Any, connector_id: str, domain_id: str, speaker: str) -> str:
    """A profile enrolled from a finished search of a call by `speaker`."""
    transaction_id = place_call(chime, connector_id, Speaker=speaker)
    task_id = search(client, connector_id, transaction_id, domain_id)
    chime.advance(21)
    hang_up(chime, transaction_id)
    created = client.create_voice_profile(SpeakerSearchTaskId=task_id)
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    return str(created["VoiceProfile"]["VoiceProfileId"])


# Voice profile domains


def test_domain_shape_get_list_update_delete(client: Any) -> None:
    created = domain(client, "Support line_1.a-b", Description="who calls support")
    domain_id = created["VoiceProfileDomainId"]
    assert GUID.fullmatch(domain_id)
    assert created["VoiceProfileDomainArn"] == (
        f"arn:aws:chime:{REGION}:{ACCOUNT}:voice-profile-domain/{domain_id}"
    )
    assert (created["Name"], created["Description"]) == ("Support line_1.a-b", "who calls support")
    assert created["ServerSideEncryptionConfiguration"] == {"KmsKeyArn": KMS_KEY}
    assert created["CreatedTimestamp"] == created["UpdatedTimestamp"]
    fetched = client.get_voice_profile_domain(VoiceProfileDomainId=domain_id)["VoiceProfileDomain"]
    assert fetched == created

    listed = client.list_voice_profile_domains()["VoiceProfileDomains"]
    assert listed == [
        {k: v for k, v in created.items() if k != "ServerSideEncryptionConfiguration"}
    ]

    updated = client.update_voice_profile_domain(
        VoiceProfileDomainId=domain_id, Name="renamed", Description=""
    )["VoiceProfileDomain"]
    assert (updated["Name"], updated["Description"]) == ("renamed", "")
    assert updated["ServerSideEncryptionConfiguration"] == {"KmsKeyArn": KMS_KEY}

    deleted = client.delete_voice_profile_domain(VoiceProfileDomainId=domain_id)
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    code, message = failure_of(
        lambda: client.get_voice_profile_domain(VoiceProfileDomainId=domain_id)
    )
    assert (code, message) == (
        "NotFoundException",
        f"Voice profile domain {domain_id} does not exist in this account and Region",
    )
    assert client.list_voice_profile_domains()["VoiceProfileDomains"] == []


def test_domains_list_in_pages(client: Any) -> None:
    ids = [domain(client, f"d{i}")["VoiceProfileDomainId"] for i in range(5)]
    first = client.list_voice_profile_domains(MaxResults=2)
    seen = [d["VoiceProfileDomainId"] for d in first["VoiceProfileDomains"]]
    token = first["NextToken"]
    while token:
        page = client.list_voice_profile_domains(MaxResults=2, NextToken=token)
        seen += [d["VoiceProfileDomainId"] for d in page["VoiceProfileDomains"]]
        token = page.get("NextToken")
    assert sorted(seen) == sorted(ids) and len(seen) == 5


@pytest.mark.parametrize(
    ("key_arn", "message"),
    [
        (
            f"arn:aws:kms:{REGION}:{ACCOUNT}:alias/voice",
            f"ServerSideEncryptionConfiguration.KmsKeyArn arn:aws:kms:{REGION}:{ACCOUNT}:alias/"
            "voice names a KMS alias; voice profile domains take the ARN of a symmetric key "
            "(key/<key-id>), not an alias",
        ),
        (
            f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/abc",
            f"ServerSideEncryptionConfiguration.KmsKeyArn arn:aws:kms:eu-west-1:{ACCOUNT}:key/abc "
            "is in eu-west-1; the key must be in the domain's Region, us-east-1",
        ),
        (
            f"arn:aws:s3:::{ACCOUNT}",
            f"ServerSideEncryptionConfiguration.KmsKeyArn arn:aws:s3:::{ACCOUNT} is not a KMS key "
            "ARN (arn:aws:kms:<region>:<account>:key/<key-id>)",
        ),
    ],
)
def test_domain_kms_key_rules(client: Any, key_arn: str, message: str) -> None:
    code, text = failure_of(
        lambda: client.create_voice_profile_domain(
            Name="d", ServerSideEncryptionConfiguration={"KmsKeyArn": key_arn}
        )
    )
    assert (code, text) == ("BadRequestException", message)
    assert client.list_voice_profile_domains()["VoiceProfileDomains"] == []


def test_domain_client_request_token_is_idempotent(client: Any) -> None:
    first = domain(client, "callers", ClientRequestToken="token-1")
    again = domain(client, "callers", ClientRequestToken="token-1")
    assert again == first
    code, message = failure_of(lambda: domain(client, "other", ClientRequestToken="token-1"))
    assert code == "ConflictException"
    assert message == (
        f"ClientRequestToken token-1 was used to create voice profile domain "
        f"{first['VoiceProfileDomainId']} with different parameters; use a new token for a "
        "different request"
    )
    assert len(client.list_voice_profile_domains()["VoiceProfileDomains"]) == 1


def test_domain_tags(client: Any) -> None:
    created = domain(client, Tags=[{"Key": "team", "Value": "voice"}])
    arn = created["VoiceProfileDomainArn"]
    assert client.list_tags_for_resource(ResourceARN=arn)["Tags"] == [
        {"Key": "team", "Value": "voice"}
    ]
    client.tag_resource(ResourceARN=arn, Tags=[{"Key": "env", "Value": "ci"}])
    client.untag_resource(ResourceARN=arn, TagKeys=["team"])
    assert client.list_tags_for_resource(ResourceARN=arn)["Tags"] == [{"Key": "env", "Value": "ci"}]
    client.delete_voice_profile_domain(VoiceProfileDomainId=created["VoiceProfileDomainId"])
    code, _ = failure_of(lambda: client.list_tags_for_resource(ResourceARN=arn))
    assert code == "NotFoundException"


def test_another_accounts_domain_is_not_found(chime: Chime, client: Any) -> None:
    domain_id = domain(client)["VoiceProfileDomainId"]
    other = chime.client(account="999999999999")
    for call in (
        lambda: other.get_voice_profile_domain(VoiceProfileDomainId=domain_id),
        lambda: other.update_voice_profile_domain(VoiceProfileDomainId=domain_id, Name="x"),
        lambda: other.delete_voice_profile_domain(VoiceProfileDomainId=domain_id),
        lambda: other.list_voice_profiles(VoiceProfileDomainId=domain_id),
    ):
        assert failure_of(call)[0] == "NotFoundException"
    assert other.list_voice_profile_domains()["VoiceProfileDomains"] == []
    assert client.get_voice_profile_domain(VoiceProfileDomainId=domain_id)


# The speaker search journey the issue asks for


def test_speaker_search_finds_the_enrolled_speaker(chime: Chime, client: Any) -> None:
    connector_id = connector(client)
    domain_id = domain(client)["VoiceProfileDomainId"]

    # 1. A call by alice, searched with no profiles yet, then enrolled.
    first_call = place_call(chime, connector_id, Speaker="alice")
    first_task = search(client, connector_id, first_call, domain_id)
    chime.advance(21)
    finished = search_task(client, connector_id, first_task)
    assert finished["SpeakerSearchTaskStatus"] == "SUCCEEDED"
    assert finished["SpeakerSearchDetails"] == {
        "Results": [],
        "VoiceprintGenerationStatus": "VoiceprintGenerationSuccessful",
    }
    profile = client.create_voice_profile(SpeakerSearchTaskId=first_task)["VoiceProfile"]
    profile_id = profile["VoiceProfileId"]
    hang_up(chime, first_call)

    # A second profile, of bob, so the search has someone else to rank.
    bob_profile = enrolled(chime, client, connector_id, domain_id, "bob")

    # 2. A second call by alice: her profile first, with a high score.
    second_call = place_call(chime, connector_id, Speaker="alice")
    second_task = search(client, connector_id, second_call, domain_id)
    chime.advance(11)
    results = search_task(client, connector_id, second_task)["SpeakerSearchDetails"]["Results"]
    assert [r["VoiceProfileId"] for r in results] == [profile_id, bob_profile]
    assert results[0]["ConfidenceScore"] >= 0.9
    assert results[1]["ConfidenceScore"] <= 0.3
    identification = details(chime, second_call)[0]
    assert identification["detailStatus"] == "IdentificationSuccessful"
    assert identification["speakerSearchDetails"]["results"][0] == {
        "voiceProfileId": profile_id,
        "confidenceScore": results[0]["ConfidenceScore"],
    }

    # 3. A call by someone else: alice's profile scores low, and no match is reported.
    third_call = place_call(chime, connector_id, Speaker="carol")
    third_task = search(client, connector_id, third_call, domain_id)
    chime.advance(11)
    results = search_task(client, connector_id, third_task)["SpeakerSearchDetails"]["Results"]
    assert {r["VoiceProfileId"] for r in results} == {profile_id, bob_profile}
    assert all(r["ConfidenceScore"] <= 0.3 for r in results)
    assert details(chime, third_call)[0]["detailStatus"] == "IdentificationNoMatchesFound"

    # The scores are deterministic: the same voices score the same again.
    fourth_call = place_call(chime, connector_id, Speaker="carol")
    fourth_task = search(client, connector_id, fourth_call, domain_id)
    chime.advance(11)
    again = search_task(client, connector_id, fourth_task)["SpeakerSearchDetails"]["Results"]
    assert again == results


def test_speaker_search_moves_on_the_clock_and_notifies(chime: Chime, client: Any) -> None:
    connector_id = connector(client, targets=("EventBridge", "SQS"))
    domain_id = domain(client)["VoiceProfileDomainId"]
    transaction_id = place_call(chime, connector_id, Speaker="alice")
    started = client.start_speaker_search_task(
        VoiceConnectorId=connector_id, TransactionId=transaction_id, VoiceProfileDomainId=domain_id
    )["SpeakerSearchTask"]
    task_id = started["SpeakerSearchTaskId"]
    assert GUID.fullmatch(task_id)
    assert started["SpeakerSearchTaskStatus"] == "IN_QUEUE"
    assert started["CallDetails"] == {
        "VoiceConnectorId": connector_id,
        "TransactionId": transaction_id,
        "IsCaller": True,
    }
    assert "StartedTimestamp" not in started and "SpeakerSearchDetails" not in started

    chime.advance(1)
    running = search_task(client, connector_id, task_id)
    assert running["SpeakerSearchTaskStatus"] == "IN_PROGRESS"
    assert running["StartedTimestamp"] - started["CreatedTimestamp"] == dt.timedelta(seconds=1)
    assert shown_call(chime, transaction_id)["Notifications"] == []

    # The service clock runs in real time between calls too, hence the half-second margins.
    chime.advance(9.5)
    assert "SpeakerSearchDetails" not in search_task(client, connector_id, task_id)
    chime.advance(0.6)
    assert search_task(client, connector_id, task_id)["SpeakerSearchDetails"] == {"Results": []}
    chime.advance(9.9)
    done = search_task(client, connector_id, task_id)
    assert done["SpeakerSearchTaskStatus"] == "SUCCEEDED"
    assert done["UpdatedTimestamp"] - done["StartedTimestamp"] == dt.timedelta(seconds=20)

    notifications = shown_call(chime, transaction_id)["Notifications"]
    assert [(n["Target"], n["Event"]["detail"]["detailStatus"]) for n in notifications] == [
        ("EventBridge", "IdentificationNoMatchesFound"),
        ("SQS", "IdentificationNoMatchesFound"),
        ("EventBridge", "VoiceprintGenerationSuccessful"),
        ("SQS", "VoiceprintGenerationSuccessful"),
    ]
    event = notifications[0]["Event"]
    assert event["detail-type"] == SEARCH_STATUS
    assert (event["source"], event["account"], event["region"]) == ("aws.chime", ACCOUNT, REGION)
    assert event["detail"] == {
        "taskId": task_id,
        "detailStatus": "IdentificationNoMatchesFound",
        "transactionId": transaction_id,
        "voiceConnectorId": connector_id,
        "isCaller": True,
        "sourceArn": f"arn:aws:chime:{REGION}:{ACCOUNT}:vc/{connector_id}",
        "speakerSearchDetails": {"results": []},
    }


def test_the_callee_leg_is_searched_with_call_leg_callee(chime: Chime, client: Any) -> None:
    connector_id = connector(client)
    domain_id = domain(client)["VoiceProfileDomainId"]
    alice = enrolled(chime, client, connector_id, domain_id, "alice")
    transaction_id = place_call(chime, connector_id, Speaker="bob", CalleeSpeaker="alice")
    task_id = search(client, connector_id, transaction_id, domain_id, CallLeg="Callee")
    chime.advance(11)
    task = search_task(client, connector_id, task_id)
    assert task["CallDetails"]["IsCaller"] is False
    assert task["SpeakerSearchDetails"]["Results"][0]["VoiceProfileId"] == alice
    assert task["SpeakerSearchDetails"]["Results"][0]["ConfidenceScore"] >= 0.9


def test_a_call_that_ends_early_fails_what_it_could_not_do(chime: Chime, client: Any) -> None:
    connector_id = connector(client)
    domain_id = domain(client)["VoiceProfileDomainId"]

    short = place_call(chime, connector_id, Speaker="alice")
    short_task = search(client, connector_id, short, domain_id)
    chime.advance(5)
    hang_up(chime, short)
    failed = search_task(client, connector_id, short_task)
    assert failed["SpeakerSearchTaskStatus"] == "FAILED"
    assert failed["StatusMessage"] == "The call ended before 10 s of speech"
    assert [d["detailStatus"] for d in details(chime, short)] == ["IdentificationFailure"]

    medium = place_call(chime, connector_id, Speaker="alice")
    medium_task = search(client, connector_id, medium, domain_id)
    chime.advance(15)
    hang_up(chime, medium)
    partial = search_task(client, connector_id, medium_task)
    assert partial["SpeakerSearchTaskStatus"] == "PARTIAL_SUCCESS"
    assert partial["SpeakerSearchDetails"]["VoiceprintGenerationStatus"] == (
        "VoiceprintGenerationFailure"
    )
    assert [d["detailStatus"] for d in details(chime, medium)] == [
        "IdentificationNoMatchesFound",
        "VoiceprintGenerationFailure",
    ]
    code, message = failure_of(lambda: client.create_voice_profile(SpeakerSearchTaskId=medium_task))
    assert code == "BadRequestException"
    assert message == (
        f"SpeakerSearchTaskId {medium_task} has no voiceprint to enrol (its voiceprint generation "
        "is VoiceprintGenerationFailure); a voice profile needs a speaker search task whose "
        "VoiceprintGenerationStatus is VoiceprintGenerationSuccessful"
    )
    chime.advance(60)
    assert search_task(client, connector_id, medium_task)["SpeakerSearchTaskStatus"] == (
        "PARTIAL_SUCCESS"
    )


def test_stop_a_speaker_search(chime: Chime, client: Any) -> None:
    connector_id = connector(client)
    domain_id = domain(client)["VoiceProfileDomainId"]
    transaction_id = place_call(chime, connector_id)
    task_id = search(client, connector_id, transaction_id, domain_id)
    chime.advance(2)
    stopped = client.stop_speaker_search_task(
        VoiceConnectorId=connector_id, SpeakerSearchTaskId=task_id
    )
    assert stopped["ResponseMetadata"]["HTTPStatusCode"] == 204
    chime.advance(30)
    task = search_task(client, connector_id, task_id)
    assert task["SpeakerSearchTaskStatus"] == "STOPPED"
    assert "SpeakerSearchDetails" not in task
    assert details(chime, transaction_id) == []
    code, message = failure_of(
        lambda: client.stop_speaker_search_task(
            VoiceConnectorId=connector_id, SpeakerSearchTaskId=task_id
        )
    )
    assert (code, message) == (
        "ConflictException",
        f"Speaker search task {task_id} is STOPPED; only an active task can be stopped",
    )
    # Once stopped, the call may have a new search.
    search(client, connector_id, transaction_id, domain_id)


def test_task_refusals(chime: Chime, client: Any) -> None:
    connector_id = connector(client)
    plain = connector(client, insights=False)
    domain_id = domain(client)["VoiceProfileDomainId"]
    transaction_id = place_call(chime, connector_id)
    plain_call = place_call(chime, plain)

    def start(vc: str, txn: str, dom: str = domain_id) -> Any:
        return lambda: client.start_speaker_search_task(
            VoiceConnectorId=vc, TransactionId=txn, VoiceProfileDomainId=dom
        )

    code, message = failure_of(start(plain, plain_call))
    assert code == "UnprocessableEntityException"
    assert message.startswith(f"Voice Connector {plain} has no enabled media insights")
    assert failure_of(start(connector_id, plain_call)) == (
        "NotFoundException",
        f"TransactionId {plain_call} is not a call through Voice Connector {connector_id}",
    )
    assert failure_of(start(connector_id, UNKNOWN_ID))[0] == "NotFoundException"
    assert failure_of(start(connector_id, transaction_id, UNKNOWN_ID)) == (
        "NotFoundException",
        f"Voice profile domain {UNKNOWN_ID} does not exist in this account and Region",
    )
    assert failure_of(start("abcdefghijklmnopqrstu", transaction_id))[0] == "NotFoundException"

    first = search(client, connector_id, transaction_id, domain_id)
    assert failure_of(start(connector_id, transaction_id)) == (
        "ConflictException",
        f"Call {transaction_id} already has an active speaker search task ({first}); a call has "
        "at most one active speaker search task at a time",
    )
    ended = place_call(chime, connector_id)
    hang_up(chime, ended)
    code, message = failure_of(start(connector_id, ended))
    assert code == "GoneException" and message.endswith("analytics tasks run on calls in progress")

    other = chime.client(account="999999999999")
    assert (
        failure_of(
            lambda: other.get_speaker_search_task(
                VoiceConnectorId=connector_id, SpeakerSearchTaskId=first
            )
        )[0]
        == "NotFoundException"
    )
    assert failure_of(
        lambda: client.get_speaker_search_task(VoiceConnectorId=plain, SpeakerSearchTaskId=first)
    ) == (
        "NotFoundException",
        f"Speaker search task {first} does not exist on Voice Connector {plain}",
    )


def test_start_task_client_request_token(chime: Chime, client: Any) -> None:
    connector_id = connector(client)
    domain_id = domain(client)["VoiceProfileDomainId"]
    transaction_id = place_call(chime, connector_id)
    first = search(client, connector_id, transaction_id, domain_id, ClientRequestToken="t-1")
    assert (
        search(client, connector_id, transaction_id, domain_id, ClientRequestToken="t-1") == first
    )
    other_call = place_call(chime, connector_id)
    code, _ = failure_of(
        lambda: search(client, connector_id, other_call, domain_id, ClientRequestToken="t-1")
    )
    assert code == "ConflictException"


# Voice profiles


def test_profile_shape_get_list_update_delete(chime: Chime, client: Any) -> None:
    connector_id = connector(client)
    domain_id = domain(client)["VoiceProfileDomainId"]
    profile_id = enrolled(chime, client, connector_id, domain_id, "alice")
    profile = client.get_voice_profile(VoiceProfileId=profile_id)["VoiceProfile"]
    assert profile["VoiceProfileArn"] == (
        f"arn:aws:chime:{REGION}:{ACCOUNT}:voice-profile/{profile_id}"
    )
    assert profile["VoiceProfileDomainId"] == domain_id
    created = profile["CreatedTimestamp"]
    assert profile["ExpirationTimestamp"] == created.replace(year=created.year + 3)
    assert client.list_voice_profiles(VoiceProfileDomainId=domain_id)["VoiceProfiles"] == [profile]

    # Re-enrol a day later from a new call: the expiration moves.
    chime.advance(86_400)
    transaction_id = place_call(chime, connector_id, Speaker="alice")
    task_id = search(client, connector_id, transaction_id, domain_id)
    chime.advance(21)
    updated = client.update_voice_profile(VoiceProfileId=profile_id, SpeakerSearchTaskId=task_id)[
        "VoiceProfile"
    ]
    assert updated["CreatedTimestamp"] == created
    assert updated["UpdatedTimestamp"] > created
    renewed = updated["UpdatedTimestamp"]
    assert updated["ExpirationTimestamp"] == renewed.replace(year=renewed.year + 3)

    deleted = client.delete_voice_profile(VoiceProfileId=profile_id)
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert (
        failure_of(lambda: client.get_voice_profile(VoiceProfileId=profile_id))[0]
        == "NotFoundException"
    )
    assert client.list_voice_profiles(VoiceProfileDomainId=domain_id)["VoiceProfiles"] == []


def test_enrolment_rules(chime: Chime, client: Any) -> None:
    connector_id = connector(client)
    domain_id = domain(client)["VoiceProfileDomainId"]
    transaction_id = place_call(chime, connector_id, Speaker="alice")
    task_id = search(client, connector_id, transaction_id, domain_id)
    code, message = failure_of(lambda: client.create_voice_profile(SpeakerSearchTaskId=task_id))
    assert (code, message) == (
        "BadRequestException",
        f"SpeakerSearchTaskId {task_id} has no voiceprint to enrol (it is IN_QUEUE); a voice "
        "profile needs a speaker search task whose VoiceprintGenerationStatus is "
        "VoiceprintGenerationSuccessful",
    )
    assert failure_of(lambda: client.create_voice_profile(SpeakerSearchTaskId=UNKNOWN_ID))[0] == (
        "NotFoundException"
    )
    chime.advance(21)
    profile_id = client.create_voice_profile(SpeakerSearchTaskId=task_id)["VoiceProfile"][
        "VoiceProfileId"
    ]
    assert failure_of(lambda: client.create_voice_profile(SpeakerSearchTaskId=task_id)) == (
        "ConflictException",
        f"SpeakerSearchTaskId {task_id} already enrolled voice profile {profile_id}; update that "
        "profile instead",
    )

    # Enrolment works within 24 hours of the call's end, and not after.
    late_call = place_call(chime, connector_id, Speaker="bob")
    late_task = search(client, connector_id, late_call, domain_id)
    chime.advance(21)
    hang_up(chime, late_call)
    chime.advance(24 * 3600 + 1)
    code, message = failure_of(lambda: client.create_voice_profile(SpeakerSearchTaskId=late_task))
    assert (code, message) == (
        "GoneException",
        f"SpeakerSearchTaskId {late_task}: call {late_call} ended more than 24 hours ago, and a "
        "voiceprint can be enrolled only within 24 hours of its call",
    )
    assert (
        failure_of(
            lambda: client.update_voice_profile(
                VoiceProfileId=profile_id, SpeakerSearchTaskId=late_task
            )
        )[0]
        == "GoneException"
    )

    # A task of another domain cannot re-enrol the profile.
    other_domain = domain(client, "other")["VoiceProfileDomainId"]
    other_call = place_call(chime, connector_id, Speaker="alice")
    other_task = search(client, connector_id, other_call, other_domain)
    chime.advance(21)
    code, _ = failure_of(
        lambda: client.update_voice_profile(
            VoiceProfileId=profile_id, SpeakerSearchTaskId=other_task
        )
    )
    assert code == "BadRequestException"


def test_profiles_expire_after_three_years(chime: Chime, client: Any) -> None:
    connector_id = connector(client)
    domain_id = domain(client)["VoiceProfileDomainId"]
    profile_id = enrolled(chime, client, connector_id, domain_id, "alice")
    expires = client.get_voice_profile(VoiceProfileId=profile_id)["VoiceProfile"][
        "ExpirationTimestamp"
    ]
    now = client.get_voice_profile(VoiceProfileId=profile_id)["VoiceProfile"]["UpdatedTimestamp"]
    chime.advance((expires - now).total_seconds() - 1)
    assert client.get_voice_profile(VoiceProfileId=profile_id)
    chime.advance(1)
    code, message = failure_of(lambda: client.get_voice_profile(VoiceProfileId=profile_id))
    assert (code, message) == (
        "NotFoundException",
        f"Voice profile {profile_id} does not exist in this account and Region (expired profiles "
        "are deleted)",
    )
    assert client.list_voice_profiles(VoiceProfileDomainId=domain_id)["VoiceProfiles"] == []


def test_deleting_a_domain_deletes_its_profiles(chime: Chime, client: Any) -> None:
    connector_id = connector(client)
    domain_id = domain(client)["VoiceProfileDomainId"]
    profile_id = enrolled(chime, client, connector_id, domain_id, "alice")
    client.delete_voice_profile_domain(VoiceProfileDomainId=domain_id)
    assert (
        failure_of(lambda: client.get_voice_profile(VoiceProfileId=profile_id))[0]
        == "NotFoundException"
    )
    assert failure_of(lambda: client.list_voice_profiles(VoiceProfileDomainId=domain_id)) == (
        "NotFoundException",
        f"Voice profile domain {domain_id} does not exist in this account and Region",
    )


def test_finished_tasks_are_kept_seven_days(chime: Chime, client: Any) -> None:
    connector_id = connector(client)
    domain_id = domain(client)["VoiceProfileDomainId"]
    transaction_id = place_call(chime, connector_id)
    task_id = search(client, connector_id, transaction_id, domain_id)
    chime.advance(21)
    chime.advance(7 * 86_400 - 1)
    assert search_task(client, connector_id, task_id)["SpeakerSearchTaskStatus"] == "SUCCEEDED"
    chime.advance(1)
    assert failure_of(lambda: search_task(client, connector_id, task_id))[0] == "NotFoundException"


# Voice tone analysis


def tone(client: Any, connector_id: str, task_id: str, is_caller: bool = True) -> dict[str, Any]:
    return dict(
        client.get_voice_tone_analysis_task(
            VoiceConnectorId=connector_id, VoiceToneAnalysisTaskId=task_id, IsCaller=is_caller
        )["VoiceToneAnalysisTask"]
    )


def test_voice_tone_analysis(chime: Chime, client: Any) -> None:
    connector_id = connector(client)
    transaction_id = place_call(
        chime, connector_id, Sentiment="negative", CalleeSentiment="positive"
    )
    started = client.start_voice_tone_analysis_task(
        VoiceConnectorId=connector_id, TransactionId=transaction_id, LanguageCode="en-US"
    )
    assert started["ResponseMetadata"]["HTTPStatusCode"] == 201
    task = started["VoiceToneAnalysisTask"]
    task_id = task["VoiceToneAnalysisTaskId"]
    assert task["VoiceToneAnalysisTaskStatus"] == "IN_QUEUE"
    assert tone(client, connector_id, task_id, False)["CallDetails"] == {
        "VoiceConnectorId": connector_id,
        "TransactionId": transaction_id,
        "IsCaller": False,
    }
    chime.advance(1)
    assert tone(client, connector_id, task_id)["VoiceToneAnalysisTaskStatus"] == "IN_PROGRESS"
    chime.advance(5)
    first = details(chime, transaction_id)
    assert [(d["detailStatus"], d["isCaller"]) for d in first] == [
        ("VoiceToneAnalysisSuccessful", True),
        ("VoiceToneAnalysisSuccessful", False),
    ]
    caller_tone = first[0]["voiceToneAnalysisDetails"]["currentAverageVoiceTone"]
    assert caller_tone["voiceToneLabel"] == "negative"
    assert caller_tone["voiceToneScore"] == {"positive": 0.1, "neutral": 0.1, "negative": 0.8}
    assert first[1]["voiceToneAnalysisDetails"]["overallAverageVoiceTone"]["voiceToneLabel"] == (
        "positive"
    )
    assert tone(client, connector_id, task_id)["VoiceToneAnalysisTaskStatus"] == "IN_PROGRESS"
    assert shown_call(chime, transaction_id)["Notifications"][0]["Event"]["detail-type"] == (
        TONE_STATUS
    )

    chime.advance(60)
    ended = hang_up(chime, transaction_id)
    assert ended["Status"] == "Ended"
    final = [n["Event"]["detail"] for n in ended["Notifications"]][2:]
    assert [(d["detailStatus"], d["isCaller"]) for d in final] == [
        ("VoiceToneAnalysisCompleted", True),
        ("VoiceToneAnalysisCompleted", False),
    ]
    overall = final[0]["voiceToneAnalysisDetails"]["overallAverageVoiceTone"]
    assert (overall["voiceToneLabel"], overall["startTime"][-1]) == ("negative", "Z")
    assert tone(client, connector_id, task_id)["VoiceToneAnalysisTaskStatus"] == "SUCCEEDED"


def test_voice_tone_refusals_and_stop(chime: Chime, client: Any) -> None:
    connector_id = connector(client)
    transaction_id = place_call(chime, connector_id)
    code, message = failure_of(
        lambda: client.start_voice_tone_analysis_task(
            VoiceConnectorId=connector_id, TransactionId=transaction_id, LanguageCode="fr-FR"
        )
    )
    assert code == "BadRequestException" and "LanguageCode" in message and "en-US" in message

    task_id = client.start_voice_tone_analysis_task(
        VoiceConnectorId=connector_id, TransactionId=transaction_id, LanguageCode="en-US"
    )["VoiceToneAnalysisTask"]["VoiceToneAnalysisTaskId"]
    code, _ = failure_of(
        lambda: client.start_voice_tone_analysis_task(
            VoiceConnectorId=connector_id, TransactionId=transaction_id, LanguageCode="en-US"
        )
    )
    assert code == "ConflictException"
    stopped = client.stop_voice_tone_analysis_task(
        VoiceConnectorId=connector_id, VoiceToneAnalysisTaskId=task_id
    )
    assert stopped["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert tone(client, connector_id, task_id)["VoiceToneAnalysisTaskStatus"] == "STOPPED"
    assert (
        failure_of(
            lambda: client.stop_voice_tone_analysis_task(
                VoiceConnectorId=connector_id, VoiceToneAnalysisTaskId=task_id
            )
        )[0]
        == "ConflictException"
    )

    short = place_call(chime, connector_id)
    short_task = client.start_voice_tone_analysis_task(
        VoiceConnectorId=connector_id, TransactionId=short, LanguageCode="en-US"
    )["VoiceToneAnalysisTask"]["VoiceToneAnalysisTaskId"]
    chime.advance(3)
    hang_up(chime, short)
    assert tone(client, connector_id, short_task)["VoiceToneAnalysisTaskStatus"] == "FAILED"
    assert [d["detailStatus"] for d in details(chime, short)] == ["VoiceToneAnalysisFailed"] * 2


# The control API for calls


def test_control_calls_and_their_errors(chime: Chime, client: Any) -> None:
    connector_id = connector(client)
    transaction_id = place_call(chime, connector_id, Speaker="alice", Sentiment="positive")
    call = shown_call(chime, transaction_id)
    assert {k: call[k] for k in ("VoiceConnectorId", "AccountId", "Region", "From", "To")} == {
        "VoiceConnectorId": connector_id,
        "AccountId": ACCOUNT,
        "Region": REGION,
        "From": "+12065550100",
        "To": "+13125550199",
    }
    assert (call["Speaker"], call["Sentiment"], call["CalleeSentiment"]) == (
        "alice",
        "positive",
        "neutral",
    )
    assert (call["Status"], call["Notifications"]) == ("InProgress", [])

    def post(document: Any) -> tuple[int, str, str]:
        return control_error_of(chime.control("POST", "voice-connector-calls", document))

    base = {"VoiceConnectorId": connector_id, "From": "+12065550100", "To": "+13125550199"}
    assert post({**base, "Sentiment": "angry"}) == (
        400,
        "BadRequest",
        "Sentiment must be one of positive, neutral, negative; got 'angry'",
    )
    assert post({**base, "From": "555"}) == (
        400,
        "BadRequest",
        "From must be an E.164 number such as +12065550100; got '555'",
    )
    assert post({**base, "Speaker": ""})[0] == 400
    assert post({**base, "Caller": "x"})[0:2] == (400, "BadRequest")
    assert post({**base, "VoiceConnectorId": "abcdefghijklmnopqrstu"}) == (
        404,
        "NotFound",
        "Voice Connector abcdefghijklmnopqrstu does not exist",
    )
    hang_up(chime, transaction_id)
    again = chime.control("POST", f"voice-connector-calls/{transaction_id}/hangup")
    assert control_error_of(again) == (409, "Conflict", f"Call {transaction_id} has already ended")
    missing = chime.control("GET", f"voice-connector-calls/{UNKNOWN_ID}")
    assert control_error_of(missing)[0:2] == (404, "NotFound")
