"""The AWS CLI, unchanged, against a real `localchime serve`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.harness import ServerChime

# The CLI installed with the test extras, next to this interpreter, before any on PATH.
AWS = str(Path(sys.executable).parent / "aws")
if not Path(AWS).exists():
    AWS = shutil.which("aws") or AWS


def aws(server: ServerChime, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "444455556666",
        "AWS_SECRET_ACCESS_KEY": "secret",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_MAX_ATTEMPTS": "1",
    }
    return subprocess.run(
        [AWS, "--endpoint-url", server.endpoint, "--output", "json", "chime-sdk-voice", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    if not Path(AWS).exists():
        pytest.fail("the AWS CLI is part of the test extras; install '.[test]'")
    started = ServerChime("--data-dir", str(tmp_path_factory.mktemp("cli"))).start()
    yield started
    started.stop()


def test_order_and_read_back_with_the_cli(server: ServerChime) -> None:
    created = aws(
        server,
        "create-phone-number-order",
        "--product-type",
        "SipMediaApplicationDialIn",
        "--e164-phone-numbers",
        "+18445550100",
        "--name",
        "cli order",
    )
    assert created.returncode == 0, created.stderr
    order = json.loads(created.stdout)["PhoneNumberOrder"]
    assert order["Status"] == "Processing"
    assert order["OrderType"] == "New"
    assert order["OrderedPhoneNumbers"] == [
        {"E164PhoneNumber": "+18445550100", "Status": "Processing"}
    ]
    server.advance(5)
    fetched = aws(
        server, "get-phone-number-order", "--phone-number-order-id", order["PhoneNumberOrderId"]
    )
    assert json.loads(fetched.stdout)["PhoneNumberOrder"]["Status"] == "Successful"
    listed = json.loads(aws(server, "list-phone-number-orders").stdout)["PhoneNumberOrders"]
    assert [o["PhoneNumberOrderId"] for o in listed] == [order["PhoneNumberOrderId"]]
    number = json.loads(aws(server, "get-phone-number", "--phone-number-id", "+18445550100").stdout)
    assert number["PhoneNumber"]["Type"] == "TollFree"


def test_cli_shows_modelled_errors(server: ServerChime) -> None:
    missing = aws(
        server,
        "get-phone-number-order",
        "--phone-number-order-id",
        "0a1b2c3d-0000-4000-8000-000000000000",
    )
    assert missing.returncode == 255  # awscli v1's code for a service error
    assert (
        "An error occurred (NotFoundException) when calling the GetPhoneNumberOrder operation"
        in missing.stderr
    )
    aliased = aws(
        server,
        "create-voice-profile-domain",
        "--name",
        "callers",
        "--server-side-encryption-configuration",
        "KmsKeyArn=arn:aws:kms:us-east-1:123456789012:alias/voice",
    )
    assert aliased.returncode == 255
    assert (
        "An error occurred (BadRequestException) when calling the CreateVoiceProfileDomain "
        "operation: ServerSideEncryptionConfiguration.KmsKeyArn" in aliased.stderr
    )


def test_voice_connector_journey_with_the_cli(server: ServerChime) -> None:
    def ok(*args: str) -> dict:  # type: ignore[type-arg]
        result = aws(server, *args)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout) if result.stdout.strip() else {}

    number = "+13125550123"
    ok(
        "create-phone-number-order",
        "--product-type",
        "VoiceConnector",
        "--e164-phone-numbers",
        number,
    )
    server.advance(5)
    created = ok("create-voice-connector", "--name", "cli-trunk", "--require-encryption")
    connector_id = created["VoiceConnector"]["VoiceConnectorId"]
    assert created["VoiceConnector"]["OutboundHostName"] == (
        f"{connector_id}.voiceconnector.chime.aws"
    )
    termination = ok(
        "put-voice-connector-termination",
        "--voice-connector-id",
        connector_id,
        "--termination",
        json.dumps({"CallingRegions": ["US"], "CidrAllowedList": ["198.51.100.0/27"]}),
    )
    assert termination["Termination"]["CpsLimit"] == 1
    ok(
        "put-voice-connector-termination-credentials",
        "--voice-connector-id",
        connector_id,
        "--credentials",
        "Username=trunkuser,Password=trunkpass",
    )
    usernames = ok(
        "list-voice-connector-termination-credentials", "--voice-connector-id", connector_id
    )
    assert usernames == {"Usernames": ["trunkuser"]}
    associated = ok(
        "associate-phone-numbers-with-voice-connector",
        "--voice-connector-id",
        connector_id,
        "--e164-phone-numbers",
        number,
    )
    assert associated["PhoneNumberErrors"] == []
    by_filter = ok(
        "list-phone-numbers", "--filter-name", "VoiceConnectorId", "--filter-value", connector_id
    )
    [listed] = by_filter["PhoneNumbers"]
    assert (listed["E164PhoneNumber"], listed["Status"]) == (number, "Assigned")
    assert listed["Associations"][0]["Value"] == connector_id
    refused = aws(server, "delete-voice-connector", "--voice-connector-id", connector_id)
    assert refused.returncode == 255
    assert "(ConflictException)" in refused.stderr
    ok(
        "disassociate-phone-numbers-from-voice-connector",
        "--voice-connector-id",
        connector_id,
        "--e164-phone-numbers",
        number,
    )
    ok("delete-voice-connector", "--voice-connector-id", connector_id)
    gone = aws(server, "get-voice-connector", "--voice-connector-id", connector_id)
    assert gone.returncode == 255
    assert "(NotFoundException)" in gone.stderr


def test_sip_media_application_journey_with_the_cli(server: ServerChime) -> None:
    arn = "arn:aws:lambda:us-east-1:444455556666:function:ivr"
    created = aws(
        server,
        "create-sip-media-application",
        "--aws-region",
        "us-east-1",
        "--name",
        "cli-ivr",
        "--endpoints",
        f"LambdaArn={arn}",
    )
    assert created.returncode == 0, created.stderr
    application = json.loads(created.stdout)["SipMediaApplication"]
    assert application["Endpoints"] == [{"LambdaArn": arn}]
    listed = aws(server, "list-sip-media-applications")
    names = [a["Name"] for a in json.loads(listed.stdout)["SipMediaApplications"]]
    assert "cli-ivr" in names
    gone = aws(
        server,
        "get-sip-media-application-alexa-skill-configuration",
        "--sip-media-application-id",
        application["SipMediaApplicationId"],
    )
    assert gone.returncode == 255  # awscli v1's code for a service error
    assert "GoneException" in gone.stderr


def test_the_cli_tags_a_voice_connector(server: ServerChime) -> None:
    created = aws(server, "create-voice-connector", "--name", "tagged", "--require-encryption")
    arn = json.loads(created.stdout)["VoiceConnector"]["VoiceConnectorArn"]
    tagged = aws(server, "tag-resource", "--resource-arn", arn, "--tags", "Key=team,Value=voice")
    assert tagged.returncode == 0, tagged.stderr
    listed = aws(server, "list-tags-for-resource", "--resource-arn", arn)
    assert json.loads(listed.stdout)["Tags"] == [{"Key": "team", "Value": "voice"}]
