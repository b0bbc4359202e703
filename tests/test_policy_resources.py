"""Policies see every resource an operation names (issue 20, break 7), and the tag operations
answer a foreign partition, Region or account ARN as they answer a missing resource (break 11).

A Deny on a phone number, a Voice Connector or a SIP media application covers the operations
that name it in the body or the query, not only in the path; the table of what each operation
is evaluated against is generated from the resource declarations and shown in
docs/authentication.md."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from localchime import registry
from localchime.app import LocalChime
from localchime.config import Settings
from localchime.core.resources import authorization_table
from tests.harness import STRICT_OUTPUT, InProcessChime, failure_of
from tests.test_auth import ACCOUNT, TOKEN, attach, control, signed_client

DOCS = Path(__file__).resolve().parents[1] / "docs" / "authentication.md"
DENIED = "+12065550100"
ALLOWED = "+12065550101"
REGION = "us-east-1"
PRINCIPAL = f"arn:aws:iam::{ACCOUNT}:user/alice"


@pytest.fixture
def secured() -> Iterator[InProcessChime]:
    settings = Settings(
        ephemeral=True,
        auth="verify",
        control_token=TOKEN,
        strict_output=STRICT_OUTPUT,
        order_fulfilment_seconds=0,
    )
    app = LocalChime(settings)
    yield InProcessChime(app)
    app.close()


@pytest.fixture
def alice(secured: InProcessChime) -> tuple[Any, str]:
    created = control(
        secured, "POST", "credentials", {"AccountId": ACCOUNT, "PrincipalName": "alice"}
    )
    assert created.status == 201, created.body
    body = created.json()
    client = signed_client(secured, body["AccessKeyId"], body["SecretAccessKey"])
    key = body["AccessKeyId"]
    attach(secured, key, "all", {"Effect": "Allow", "Action": "chime:*", "Resource": "*"})
    return client, key


def deny(chime: InProcessChime, key: str, resource: str) -> str:
    arn = f"arn:aws:chime:{REGION}:{ACCOUNT}:{resource}"
    attach(chime, key, "deny-" + resource.replace("/", "-"), _deny(arn))
    return arn


def _deny(arn: str) -> dict[str, Any]:
    return {"Effect": "Deny", "Action": "chime:*", "Resource": arn}


def refusal(operation: str, arn: str) -> str:
    return f"User: {PRINCIPAL} is not authorized to perform: chime:{operation} on resource: {arn}"


def numbers(client: Any) -> None:
    client.create_phone_number_order(
        ProductType="VoiceConnector", E164PhoneNumbers=[DENIED, ALLOWED]
    )
    assert {n["E164PhoneNumber"] for n in client.list_phone_numbers()["PhoneNumbers"]} == {
        DENIED,
        ALLOWED,
    }


def test_a_deny_on_a_number_covers_batch_update_and_batch_delete(
    secured: InProcessChime, alice: tuple[Any, str]
) -> None:
    client, key = alice
    numbers(client)
    arn = deny(secured, key, "phone-number/12065550100")
    items = [{"PhoneNumberId": DENIED, "CallingName": "Denied"}]
    code, message = failure_of(
        lambda: client.batch_update_phone_number(UpdatePhoneNumberRequestItems=items)
    )
    assert (code, message) == ("ForbiddenException", refusal("BatchUpdatePhoneNumber", arn))
    code, message = failure_of(
        lambda: client.batch_delete_phone_number(PhoneNumberIds=[ALLOWED, DENIED])
    )
    assert (code, message) == ("ForbiddenException", refusal("BatchDeletePhoneNumber", arn))
    listed = client.list_phone_numbers()["PhoneNumbers"]
    assert sorted(n["E164PhoneNumber"] for n in listed) == [DENIED, ALLOWED]
    assert all("CallingName" not in n for n in listed)
    # The number nobody denied still takes both.
    done = client.batch_delete_phone_number(PhoneNumberIds=[ALLOWED])
    assert done["PhoneNumberErrors"] == []


@pytest.mark.parametrize("group", [False, True])
def test_a_deny_on_a_number_covers_associating_it(
    secured: InProcessChime, alice: tuple[Any, str], group: bool
) -> None:
    client, key = alice
    numbers(client)
    connector = client.create_voice_connector(Name="trunk", RequireEncryption=True)
    connector_id = connector["VoiceConnector"]["VoiceConnectorId"]
    arn = deny(secured, key, "phone-number/12065550100")
    if group:
        group_id = client.create_voice_connector_group(
            Name="g", VoiceConnectorItems=[{"VoiceConnectorId": connector_id, "Priority": 1}]
        )["VoiceConnectorGroup"]["VoiceConnectorGroupId"]
        operation = "AssociatePhoneNumbersWithVoiceConnectorGroup"
        call = lambda numbers: client.associate_phone_numbers_with_voice_connector_group(  # noqa: E731
            VoiceConnectorGroupId=group_id, E164PhoneNumbers=numbers
        )
    else:
        operation = "AssociatePhoneNumbersWithVoiceConnector"
        call = lambda numbers: client.associate_phone_numbers_with_voice_connector(  # noqa: E731
            VoiceConnectorId=connector_id, E164PhoneNumbers=numbers
        )
    code, message = failure_of(lambda: call([ALLOWED, DENIED]))
    assert (code, message) == ("AccessDeniedException", refusal(operation, arn))
    listed = client.list_phone_numbers()["PhoneNumbers"]
    assert {n["E164PhoneNumber"]: n["Associations"] for n in listed} == {DENIED: [], ALLOWED: []}
    assert call([ALLOWED])["PhoneNumberErrors"] == []


def test_a_deny_on_a_connector_covers_putting_it_in_a_group(
    secured: InProcessChime, alice: tuple[Any, str]
) -> None:
    client, key = alice
    connector = client.create_voice_connector(Name="trunk", RequireEncryption=True)
    connector_id = connector["VoiceConnector"]["VoiceConnectorId"]
    arn = deny(secured, key, f"vc/{connector_id}")
    items = [{"VoiceConnectorId": connector_id, "Priority": 1}]
    code, message = failure_of(
        lambda: client.create_voice_connector_group(Name="g", VoiceConnectorItems=items)
    )
    assert (code, message) == ("AccessDeniedException", refusal("CreateVoiceConnectorGroup", arn))
    assert client.list_voice_connector_groups()["VoiceConnectorGroups"] == []


def test_a_deny_on_an_application_covers_rules_naming_it_in_body_or_query(
    secured: InProcessChime, alice: tuple[Any, str]
) -> None:
    client, key = alice
    connector = client.create_voice_connector(Name="trunk", RequireEncryption=True)
    host = connector["VoiceConnector"]["OutboundHostName"]
    application = client.create_sip_media_application(
        AwsRegion=REGION,
        Name="ivr",
        Endpoints=[{"LambdaArn": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:ivr"}],
    )["SipMediaApplication"]
    application_id = application["SipMediaApplicationId"]
    arn = deny(secured, key, f"sma/{application_id}")
    targets = [{"SipMediaApplicationId": application_id, "Priority": 1, "AwsRegion": REGION}]
    code, message = failure_of(
        lambda: client.create_sip_rule(
            Name="route",
            TriggerType="RequestUriHostname",
            TriggerValue=host,
            TargetApplications=targets,
        )
    )
    assert (code, message) == ("AccessDeniedException", refusal("CreateSipRule", arn))
    code, message = failure_of(lambda: client.list_sip_rules(SipMediaApplicationId=application_id))
    assert (code, message) == ("ForbiddenException", refusal("ListSipRules", arn))
    assert client.list_sip_rules()["SipRules"] == []


def test_the_documented_table_is_the_one_the_code_evaluates() -> None:
    text = DOCS.read_text()
    found = re.search(
        r"<!-- resources-evaluated:start -->\n(.*?)<!-- resources-evaluated:end -->", text, re.S
    )
    assert found is not None, "docs/authentication.md lost its table markers"
    assert found[1] == authorization_table(registry.load().resources)


@pytest.mark.parametrize(
    "foreign",
    [
        "arn:aws-cn:chime:us-east-1:{account}:vc/{id}",
        "arn:aws-us-gov:chime:us-east-1:{account}:vc/{id}",
        "arn:aws:chime:us-west-2:{account}:vc/{id}",
        "arn:aws:chime:us-east-1:999999999999:vc/{id}",
    ],
)
def test_tag_operations_answer_a_foreign_arn_as_a_missing_one(
    secured: InProcessChime, alice: tuple[Any, str], foreign: str
) -> None:
    client, key = alice
    connector = client.create_voice_connector(
        Name="trunk", RequireEncryption=True, Tags=[{"Key": "team", "Value": "voice"}]
    )["VoiceConnector"]
    connector_id = connector["VoiceConnectorId"]
    deny(secured, key, f"vc/{connector_id}")
    existing = foreign.format(account=ACCOUNT, id=connector_id)
    missing = foreign.format(account=ACCOUNT, id="abcdefghijklmnopqrstuv")

    def answers(arn: str) -> list[tuple[str, str]]:
        return [
            failure_of(lambda: client.list_tags_for_resource(ResourceARN=arn)),
            failure_of(
                lambda: client.tag_resource(ResourceARN=arn, Tags=[{"Key": "x", "Value": "y"}])
            ),
            failure_of(lambda: client.untag_resource(ResourceARN=arn, TagKeys=["team"])),
        ]

    seen = answers(existing)
    expected = f"No Voice Connector {connector_id} in this account and Region ({existing})"
    assert seen == [("NotFoundException", expected)] * 3
    # The same answer, id aside, as for a connector that does not exist anywhere.
    assert [
        (code, message.replace("abcdefghijklmnopqrstuv", connector_id).replace(missing, existing))
        for code, message in answers(missing)
    ] == seen
    attach(secured, key, "undeny", {"Effect": "Allow", "Action": "chime:*", "Resource": "*"})
    control(secured, "DELETE", f"credentials/{key}/policies/deny-vc-{connector_id}")
    mine = connector["VoiceConnectorArn"]
    assert client.list_tags_for_resource(ResourceARN=mine)["Tags"] == [
        {"Key": "team", "Value": "voice"}
    ]
