"""TagResource, UntagResource and ListTagsForResource through boto3, on every backend, for Voice
Connectors and SIP media applications; and the AWS CLI tagging a Voice Connector."""

from __future__ import annotations

from typing import Any

import pytest

from tests.harness import Chime, failure_of

LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:ivr"


def connector_arn(client: Any) -> str:
    created = client.create_voice_connector(
        Name="trunk", RequireEncryption=True, Tags=[{"Key": "team", "Value": "voice"}]
    )
    return str(created["VoiceConnector"]["VoiceConnectorArn"])


def application_arn(client: Any) -> str:
    created = client.create_sip_media_application(
        AwsRegion="us-east-1", Name="ivr", Endpoints=[{"LambdaArn": LAMBDA}]
    )
    return str(created["SipMediaApplication"]["SipMediaApplicationArn"])


def listed(client: Any, arn: str) -> list[dict[str, str]]:
    return list(client.list_tags_for_resource(ResourceARN=arn)["Tags"])


@pytest.mark.parametrize("make", [connector_arn, application_arn])
def test_tag_list_untag(client: Any, make: Any) -> None:
    arn = make(client)
    before = listed(client, arn)
    tagged = client.tag_resource(
        ResourceARN=arn, Tags=[{"Key": "env", "Value": "ci"}, {"Key": "owner", "Value": ""}]
    )
    assert tagged["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert listed(client, arn) == sorted(
        [*before, {"Key": "env", "Value": "ci"}, {"Key": "owner", "Value": ""}],
        key=lambda t: t["Key"],
    )
    client.tag_resource(ResourceARN=arn, Tags=[{"Key": "env", "Value": "prod"}])
    assert {"Key": "env", "Value": "prod"} in listed(client, arn)
    untagged = client.untag_resource(ResourceARN=arn, TagKeys=["env", "never-there"])
    assert untagged["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert [t["Key"] for t in listed(client, arn)] == sorted([t["Key"] for t in before] + ["owner"])


def test_tags_given_at_creation_are_listed(client: Any) -> None:
    assert listed(client, connector_arn(client)) == [{"Key": "team", "Value": "voice"}]


def test_at_most_50_tags(client: Any) -> None:
    arn = application_arn(client)
    client.tag_resource(ResourceARN=arn, Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(50)])
    code, message = failure_of(
        lambda: client.tag_resource(ResourceARN=arn, Tags=[{"Key": "one-more", "Value": "v"}])
    )
    assert code == "ResourceLimitExceededException" and "50" in message
    client.tag_resource(ResourceARN=arn, Tags=[{"Key": "k0", "Value": "replaced"}])
    assert len(listed(client, arn)) == 50


def test_bad_tags_are_refused_and_change_nothing(client: Any) -> None:
    arn = application_arn(client)
    for tags, words in [
        ([{"Key": "a", "Value": "1"}, {"Key": "a", "Value": "2"}], "more than once"),
        ([{"Key": "aws:x", "Value": "1"}], "aws:"),
        ([{"Key": "k" * 129, "Value": "1"}], "Key"),
    ]:
        code, message = failure_of(lambda t=tags: client.tag_resource(ResourceARN=arn, Tags=t))
        assert code == "BadRequestException" and words in message
    assert listed(client, arn) == []


def test_unknown_foreign_and_untaggable_arns(chime: Chime, client: Any) -> None:
    arn = connector_arn(client)
    other = chime.client("999999999999")
    for call in (
        lambda: other.list_tags_for_resource(ResourceARN=arn),
        lambda: other.tag_resource(ResourceARN=arn, Tags=[{"Key": "a", "Value": "b"}]),
        lambda: other.untag_resource(ResourceARN=arn, TagKeys=["team"]),
        lambda: chime.client(region="us-west-2").list_tags_for_resource(ResourceARN=arn),
        lambda: client.list_tags_for_resource(ResourceARN=arn[:-4] + "zzzz"),
    ):
        code, _ = failure_of(call)
        assert code == "NotFoundException"
    assert listed(client, arn) == [{"Key": "team", "Value": "voice"}]
    for bad, words in [
        ("arn:aws:s3:::bucket", "not a Chime SDK Voice resource ARN"),
        ("arn:aws:chime:us-east-1:123456789012:phone-number/12065550100", "takes no tags"),
    ]:
        code, message = failure_of(lambda b=bad: client.list_tags_for_resource(ResourceARN=b))
        assert code == "BadRequestException" and words in message


def test_deleting_the_resource_deletes_its_tags(client: Any) -> None:
    created = client.create_voice_connector(
        Name="trunk", RequireEncryption=True, Tags=[{"Key": "team", "Value": "voice"}]
    )["VoiceConnector"]
    client.delete_voice_connector(VoiceConnectorId=created["VoiceConnectorId"])
    again = client.create_voice_connector(Name="trunk", RequireEncryption=True)["VoiceConnector"]
    assert listed(client, again["VoiceConnectorArn"]) == []
    code, _ = failure_of(lambda: listed(client, created["VoiceConnectorArn"]))
    assert code == "NotFoundException"
