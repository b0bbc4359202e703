"""SIP media applications and SIP rules through boto3, on every backend: shapes, the Region and
Lambda rules, the trigger rules and the number association, the 409s, pagination, and another
account's ids."""

from __future__ import annotations

import re
from functools import partial
from typing import Any

import pytest

from tests.harness import Chime, failure_of

REGION = "us-east-1"
ACCOUNT = "123456789012"
OTHER_ACCOUNT = "999999999999"
LAMBDA = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:ivr"
DIAL_IN = "+18445550123"
UNKNOWN_ID = "00000000-0000-0000-0000-000000000000"
GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def application(client: Any, name: str = "ivr", **extra: Any) -> dict[str, Any]:
    response = client.create_sip_media_application(
        AwsRegion=REGION, Name=name, Endpoints=[{"LambdaArn": LAMBDA}], **extra
    )
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 201
    return dict(response["SipMediaApplication"])


def dial_in_number(
    chime: Chime, client: Any, e164: str = DIAL_IN, product: str = "SipMediaApplicationDialIn"
) -> str:
    client.create_phone_number_order(ProductType=product, E164PhoneNumbers=[e164])
    chime.advance(5)
    return e164


def targets(*applications: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "SipMediaApplicationId": a["SipMediaApplicationId"],
            "Priority": i + 1,
            "AwsRegion": REGION,
        }
        for i, a in enumerate(applications)
    ]


def rule(client: Any, trigger: str, *applications: dict[str, Any], **extra: Any) -> dict[str, Any]:
    trigger_type = "ToPhoneNumber" if trigger.startswith("+") else "RequestUriHostname"
    response = client.create_sip_rule(
        Name="route",
        TriggerType=trigger_type,
        TriggerValue=trigger,
        TargetApplications=targets(*applications),
        **extra,
    )
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 201
    return dict(response["SipRule"])


# Applications


def test_application_shape_and_arn(client: Any) -> None:
    created = application(client, "Main IVR_1.a-b")
    assert GUID.fullmatch(created["SipMediaApplicationId"])
    assert created["SipMediaApplicationArn"] == (
        f"arn:aws:chime:{REGION}:{ACCOUNT}:sma/{created['SipMediaApplicationId']}"
    )
    assert (created["Name"], created["AwsRegion"], created["Endpoints"]) == (
        "Main IVR_1.a-b",
        REGION,
        [{"LambdaArn": LAMBDA}],
    )
    fetched = client.get_sip_media_application(
        SipMediaApplicationId=created["SipMediaApplicationId"]
    )
    assert fetched["SipMediaApplication"] == created


def test_application_refuses_a_lambda_in_another_region_and_another_aws_region(client: Any) -> None:
    code, message = failure_of(
        lambda: client.create_sip_media_application(
            AwsRegion=REGION,
            Name="x",
            Endpoints=[{"LambdaArn": f"arn:aws:lambda:us-west-2:{ACCOUNT}:function:ivr"}],
        )
    )
    assert code == "BadRequestException"
    assert "us-west-2" in message and "LambdaArn" in message
    code, message = failure_of(
        lambda: client.create_sip_media_application(
            AwsRegion="us-west-2", Name="x", Endpoints=[{"LambdaArn": LAMBDA}]
        )
    )
    assert code == "BadRequestException" and "AwsRegion" in message
    code, message = failure_of(
        lambda: client.create_sip_media_application(
            AwsRegion=REGION, Name="x", Endpoints=[{"LambdaArn": "arn:aws:s3:::bucket"}]
        )
    )
    assert code == "BadRequestException" and "LambdaArn" in message


def test_update_list_and_pagination(chime: Chime, client: Any) -> None:
    made = []
    for i in range(3):
        made.append(application(client, f"app{i}"))
        chime.advance(1)  # created in one millisecond, they would have no order between them
    first = made[0]["SipMediaApplicationId"]
    updated = client.update_sip_media_application(
        SipMediaApplicationId=first,
        Name="renamed",
        Endpoints=[{"LambdaArn": LAMBDA + ":live"}],
    )["SipMediaApplication"]
    assert (updated["Name"], updated["Endpoints"][0]["LambdaArn"]) == ("renamed", LAMBDA + ":live")
    assert updated["CreatedTimestamp"] == made[0]["CreatedTimestamp"]
    page = client.list_sip_media_applications(MaxResults=2)
    assert [a["Name"] for a in page["SipMediaApplications"]] == ["renamed", "app1"]
    rest = client.list_sip_media_applications(MaxResults=2, NextToken=page["NextToken"])
    assert [a["Name"] for a in rest["SipMediaApplications"]] == ["app2"]
    assert "NextToken" not in rest


def test_another_accounts_application_is_not_found(chime: Chime, client: Any) -> None:
    made = application(client)
    other = chime.client(OTHER_ACCOUNT)
    application_id = made["SipMediaApplicationId"]
    for call in (
        lambda: other.get_sip_media_application(SipMediaApplicationId=application_id),
        lambda: other.update_sip_media_application(SipMediaApplicationId=application_id, Name="x"),
        lambda: other.delete_sip_media_application(SipMediaApplicationId=application_id),
        lambda: other.get_sip_media_application_logging_configuration(
            SipMediaApplicationId=application_id
        ),
    ):
        code, message = failure_of(call)
        assert code == "NotFoundException" and application_id in message
    assert other.list_sip_media_applications()["SipMediaApplications"] == []


def test_logging_configuration(client: Any) -> None:
    application_id = application(client)["SipMediaApplicationId"]
    got = client.get_sip_media_application_logging_configuration(
        SipMediaApplicationId=application_id
    )
    assert got["SipMediaApplicationLoggingConfiguration"] == {
        "EnableSipMediaApplicationMessageLogs": False
    }
    put = client.put_sip_media_application_logging_configuration(
        SipMediaApplicationId=application_id,
        SipMediaApplicationLoggingConfiguration={"EnableSipMediaApplicationMessageLogs": True},
    )
    assert put["SipMediaApplicationLoggingConfiguration"] == {
        "EnableSipMediaApplicationMessageLogs": True
    }
    got = client.get_sip_media_application_logging_configuration(
        SipMediaApplicationId=application_id
    )
    assert got["SipMediaApplicationLoggingConfiguration"]["EnableSipMediaApplicationMessageLogs"]
    code, _ = failure_of(
        lambda: client.put_sip_media_application_logging_configuration(
            SipMediaApplicationId=application_id
        )
    )
    assert code == "BadRequestException"


def test_alexa_skill_configuration_is_gone(client: Any) -> None:
    application_id = application(client)["SipMediaApplicationId"]
    code, message = failure_of(
        lambda: client.get_sip_media_application_alexa_skill_configuration(
            SipMediaApplicationId=application_id
        )
    )
    assert code == "GoneException" and "no longer available" in message
    code, _ = failure_of(
        lambda: client.put_sip_media_application_alexa_skill_configuration(
            SipMediaApplicationId=application_id,
            SipMediaApplicationAlexaSkillConfiguration={
                "AlexaSkillStatus": "ACTIVE",
                "AlexaSkillIds": ["amzn1.application-oa2-client." + "a" * 32],
            },
        )
    )
    assert code == "GoneException"
    code, _ = failure_of(
        lambda: client.get_sip_media_application_alexa_skill_configuration(
            SipMediaApplicationId=UNKNOWN_ID
        )
    )
    assert code == "NotFoundException"


def test_tags_given_at_creation_are_dropped_with_the_application(chime: Chime, client: Any) -> None:
    made = application(client, Tags=[{"Key": "team", "Value": "voice"}])
    code, message = failure_of(
        lambda: client.create_sip_media_application(
            AwsRegion=REGION,
            Name="x",
            Endpoints=[{"LambdaArn": LAMBDA}],
            Tags=[{"Key": "aws:x", "Value": "y"}],
        )
    )
    assert code == "BadRequestException" and "aws:" in message
    client.delete_sip_media_application(SipMediaApplicationId=made["SipMediaApplicationId"])
    code, _ = failure_of(
        lambda: client.get_sip_media_application(
            SipMediaApplicationId=made["SipMediaApplicationId"]
        )
    )
    assert code == "NotFoundException"


# Rules


def test_to_phone_number_rule_takes_the_number(chime: Chime, client: Any) -> None:
    app = application(client)
    dial_in_number(chime, client)
    created = rule(client, DIAL_IN, app)
    assert GUID.fullmatch(created["SipRuleId"])
    assert (created["Disabled"], created["TriggerType"], created["TriggerValue"]) == (
        False,
        "ToPhoneNumber",
        DIAL_IN,
    )
    assert created["TargetApplications"] == targets(app)
    number = client.get_phone_number(PhoneNumberId=DIAL_IN)["PhoneNumber"]
    assert number["Status"] == "Assigned"
    [association] = number["Associations"]
    assert (association["Name"], association["Value"]) == ("SipRuleId", created["SipRuleId"])
    listed = client.list_phone_numbers(FilterName="SipRuleId", FilterValue=created["SipRuleId"])
    assert [n["E164PhoneNumber"] for n in listed["PhoneNumbers"]] == [DIAL_IN]
    assert client.get_sip_rule(SipRuleId=created["SipRuleId"])["SipRule"] == created


def test_to_phone_number_rule_needs_a_dial_in_number_the_account_holds(
    chime: Chime, client: Any
) -> None:
    app = application(client)
    code, message = failure_of(lambda: rule(client, DIAL_IN, app))
    assert code == "NotFoundException" and DIAL_IN in message
    dial_in_number(chime, client, "+12065550100", product="VoiceConnector")
    code, message = failure_of(lambda: rule(client, "+12065550100", app))
    assert code == "BadRequestException" and "SipMediaApplicationDialIn" in message


def test_one_rule_per_trigger_value(chime: Chime, client: Any) -> None:
    app = application(client)
    dial_in_number(chime, client)
    rule(client, DIAL_IN, app, Disabled=True)
    code, message = failure_of(lambda: rule(client, DIAL_IN, app))
    assert code == "ConflictException" and DIAL_IN in message


def test_request_uri_hostname_rule_needs_the_accounts_connector(chime: Chime, client: Any) -> None:
    app = application(client)
    connector = client.create_voice_connector(Name="trunk", RequireEncryption=True)[
        "VoiceConnector"
    ]
    host = connector["OutboundHostName"]
    created = rule(client, host, app)
    assert created["TriggerType"] == "RequestUriHostname"
    code, _ = failure_of(lambda: rule(client, host, app))
    assert code == "ConflictException"
    code, message = failure_of(lambda: rule(client, "sip.example.com", app))
    assert code == "BadRequestException" and "OutboundHostName" in message
    other_app = application(chime.client(OTHER_ACCOUNT))
    code, _ = failure_of(lambda: rule(chime.client(OTHER_ACCOUNT), host, other_app))
    assert code == "BadRequestException"


def test_targets_must_exist_and_use_each_region_once(chime: Chime, client: Any) -> None:
    app = application(client)
    second = application(client, "second")
    dial_in_number(chime, client)
    code, message = failure_of(lambda: rule(client, DIAL_IN, app, second))
    assert (
        code == "BadRequestException" and "only one SIP media application per AWS Region" in message
    )
    missing = {"SipMediaApplicationId": UNKNOWN_ID, "Priority": 1, "AwsRegion": REGION}
    code, _ = failure_of(
        lambda: client.create_sip_rule(
            Name="r",
            TriggerType="ToPhoneNumber",
            TriggerValue=DIAL_IN,
            TargetApplications=[missing],
        )
    )
    assert code == "NotFoundException"
    wrong_region = {**targets(app)[0], "AwsRegion": "us-west-2"}
    code, message = failure_of(
        lambda: client.create_sip_rule(
            Name="r",
            TriggerType="ToPhoneNumber",
            TriggerValue=DIAL_IN,
            TargetApplications=[wrong_region],
        )
    )
    assert code == "BadRequestException" and "us-west-2" in message
    # Nothing was half-written: the number is still free.
    assert client.get_phone_number(PhoneNumberId=DIAL_IN)["PhoneNumber"]["Status"] == "Unassigned"


def test_an_enabled_rule_cannot_be_deleted_and_a_deleted_rule_frees_its_number(
    chime: Chime, client: Any
) -> None:
    app = application(client)
    dial_in_number(chime, client)
    rule_id = rule(client, DIAL_IN, app)["SipRuleId"]
    code, message = failure_of(lambda: client.delete_sip_rule(SipRuleId=rule_id))
    assert code == "ConflictException" and "Disabled" in message
    response = client.update_sip_rule(SipRuleId=rule_id, Name="off", Disabled=True)
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert (response["SipRule"]["Name"], response["SipRule"]["Disabled"]) == ("off", True)
    deleted = client.delete_sip_rule(SipRuleId=rule_id)
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    number = client.get_phone_number(PhoneNumberId=DIAL_IN)["PhoneNumber"]
    assert (number["Status"], number["Associations"]) == ("Unassigned", [])
    code, _ = failure_of(lambda: client.get_sip_rule(SipRuleId=rule_id))
    assert code == "NotFoundException"


def test_an_application_an_enabled_rule_targets_cannot_be_deleted(
    chime: Chime, client: Any
) -> None:
    app = application(client)
    application_id = app["SipMediaApplicationId"]
    dial_in_number(chime, client)
    rule_id = rule(client, DIAL_IN, app)["SipRuleId"]
    code, message = failure_of(
        lambda: client.delete_sip_media_application(SipMediaApplicationId=application_id)
    )
    assert code == "ConflictException" and rule_id in message
    client.update_sip_rule(SipRuleId=rule_id, Name="route", Disabled=True)
    client.delete_sip_media_application(SipMediaApplicationId=application_id)
    # Deleting the application deletes neither the rule nor its number (SPEC-voice, D).
    assert client.get_sip_rule(SipRuleId=rule_id)["SipRule"]["Disabled"] is True
    assert client.get_phone_number(PhoneNumberId=DIAL_IN)["PhoneNumber"]["Status"] == "Assigned"


def test_update_replaces_targets_and_keeps_the_trigger(chime: Chime, client: Any) -> None:
    first, second = application(client, "first"), application(client, "second")
    dial_in_number(chime, client)
    rule_id = rule(client, DIAL_IN, first)["SipRuleId"]
    updated = client.update_sip_rule(
        SipRuleId=rule_id, Name="moved", TargetApplications=targets(second)
    )["SipRule"]
    assert updated["TargetApplications"] == targets(second)
    assert (updated["TriggerValue"], updated["Disabled"]) == (DIAL_IN, False)


def test_list_rules_filters_by_application_and_pages(chime: Chime, client: Any) -> None:
    first, second = application(client, "first"), application(client, "second")
    numbers = ["+18445550120", "+18445550121", "+18445550122"]
    client.create_phone_number_order(
        ProductType="SipMediaApplicationDialIn", E164PhoneNumbers=numbers
    )
    chime.advance(5)
    made = []
    for number, target in zip(numbers, (first, second, first), strict=True):
        made.append(rule(client, number, target))
        chime.advance(1)  # created in one millisecond, they would have no order between them
    listed = client.list_sip_rules(
        SipMediaApplicationId=first["SipMediaApplicationId"], MaxResults=1
    )
    assert [r["SipRuleId"] for r in listed["SipRules"]] == [made[0]["SipRuleId"]]
    rest = client.list_sip_rules(
        SipMediaApplicationId=first["SipMediaApplicationId"],
        MaxResults=1,
        NextToken=listed["NextToken"],
    )
    assert [r["SipRuleId"] for r in rest["SipRules"]] == [made[2]["SipRuleId"]]
    assert len(client.list_sip_rules()["SipRules"]) == 3
    code, _ = failure_of(
        lambda: client.list_sip_rules(
            SipMediaApplicationId=second["SipMediaApplicationId"], NextToken=listed["NextToken"]
        )
    )
    assert code == "BadRequestException"


def test_another_accounts_rule_is_not_found(chime: Chime, client: Any) -> None:
    app = application(client)
    dial_in_number(chime, client)
    rule_id = rule(client, DIAL_IN, app)["SipRuleId"]
    other = chime.client(OTHER_ACCOUNT)
    for call in (
        lambda: other.get_sip_rule(SipRuleId=rule_id),
        lambda: other.update_sip_rule(SipRuleId=rule_id, Name="x"),
        lambda: other.delete_sip_rule(SipRuleId=rule_id),
    ):
        code, _ = failure_of(call)
        assert code == "NotFoundException"
    code, _ = failure_of(lambda: rule(other, DIAL_IN, application(other)))
    assert code == "NotFoundException"  # not its number


@pytest.mark.parametrize("backend_quota", ["aws"])
def test_quotas_under_the_aws_profile(backend_quota: str) -> None:
    from localchime.app import LocalChime
    from localchime.config import Settings
    from tests.harness import InProcessChime

    app = LocalChime(Settings(ephemeral=True, strict_output=True, quota_profile=backend_quota))
    try:
        client = InProcessChime(app).client()
        for i in range(15):
            application(client, f"a{i}")
        code, message = failure_of(lambda: application(client, "one too many"))
        assert code == "ResourceLimitExceededException" and "15" in message
    finally:
        app.close()


# Checks added after review: field-naming messages, exactly one endpoint, E.164 triggers, host
# name case, a rule enabled again after its application went, the rule quota.


def test_endpoints_must_be_exactly_one(chime: Chime) -> None:
    unchecked = chime.client(validate=False)  # botocore would refuse the list itself
    for endpoints in ([], [{"LambdaArn": LAMBDA}, {"LambdaArn": LAMBDA}]):
        code, message = failure_of(
            partial(
                unchecked.create_sip_media_application,
                AwsRegion=REGION,
                Name="x",
                Endpoints=endpoints,
            )
        )
        assert code == "BadRequestException" and "'Endpoints'" in message
    code, message = failure_of(
        lambda: unchecked.create_sip_media_application(AwsRegion=REGION, Name="x", Endpoints=[{}])
    )
    assert code == "BadRequestException" and "Endpoints[0].LambdaArn" in message


def test_statuses_of_update_and_delete(client: Any) -> None:
    application_id = application(client)["SipMediaApplicationId"]
    response = client.update_sip_media_application(SipMediaApplicationId=application_id, Name="y")
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    response = client.delete_sip_media_application(SipMediaApplicationId=application_id)
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert client.list_sip_media_applications()["SipMediaApplications"] == []


def test_alexa_skill_ids_are_checked_before_gone(chime: Chime, client: Any) -> None:
    application_id = application(client)["SipMediaApplicationId"]
    unchecked = chime.client(validate=False)
    for ids in (
        ["amzn1.application-oa2-client.xyz"],
        ["amzn1.application-oa2-client." + "a" * 32] * 2,
    ):
        code, message = failure_of(
            partial(
                unchecked.put_sip_media_application_alexa_skill_configuration,
                SipMediaApplicationId=application_id,
                SipMediaApplicationAlexaSkillConfiguration={
                    "AlexaSkillStatus": "ACTIVE",
                    "AlexaSkillIds": ids,
                },
            )
        )
        assert code == "BadRequestException" and "AlexaSkillIds" in message


def test_to_phone_number_trigger_must_be_e164(chime: Chime, client: Any) -> None:
    app = application(client)
    for value in ("abc", "+0844555012", "+1844555012345678"):
        code, message = failure_of(
            partial(
                client.create_sip_rule,
                Name="r",
                TriggerType="ToPhoneNumber",
                TriggerValue=value,
                TargetApplications=targets(app),
            )
        )
        assert code == "BadRequestException" and "TriggerValue" in message and "E.164" in message
    dial_in_number(chime, client)
    # The model's E164PhoneNumber lets the leading + be left out; the rule stores it with one.
    created = client.create_sip_rule(
        Name="r",
        TriggerType="ToPhoneNumber",
        TriggerValue=DIAL_IN[1:],
        TargetApplications=targets(app),
    )["SipRule"]
    assert created["TriggerValue"] == DIAL_IN


def test_host_name_trigger_ignores_case(client: Any) -> None:
    app = application(client)
    host = client.create_voice_connector(Name="trunk", RequireEncryption=True)["VoiceConnector"][
        "OutboundHostName"
    ]
    created = rule(client, host.upper(), app)
    assert created["TriggerValue"] == host
    code, _ = failure_of(lambda: rule(client, host, app))
    assert code == "ConflictException"


def west_application(chime: Chime) -> dict[str, Any]:
    return dict(
        chime.client(region="us-west-2").create_sip_media_application(
            AwsRegion="us-west-2",
            Name="west",
            Endpoints=[{"LambdaArn": LAMBDA.replace(REGION, "us-west-2")}],
        )["SipMediaApplication"]
    )


def test_target_region_mismatch_names_the_member(chime: Chime, client: Any) -> None:
    app = application(client)
    west = west_application(chime)
    dial_in_number(chime, client)
    both = [
        {**targets(app)[0], "AwsRegion": "us-west-2"},
        {
            "SipMediaApplicationId": west["SipMediaApplicationId"],
            "Priority": 2,
            "AwsRegion": REGION,
        },
    ]
    code, message = failure_of(
        lambda: client.create_sip_rule(
            Name="r", TriggerType="ToPhoneNumber", TriggerValue=DIAL_IN, TargetApplications=both
        )
    )
    assert code == "BadRequestException"
    assert "TargetApplications[0].AwsRegion" in message and "us-west-2" in message


def test_targets_in_two_regions(chime: Chime, client: Any) -> None:
    app = application(client)
    west = west_application(chime)
    dial_in_number(chime, client)
    both = [
        *targets(app),
        {
            "SipMediaApplicationId": west["SipMediaApplicationId"],
            "Priority": 2,
            "AwsRegion": "us-west-2",
        },
    ]
    created = client.create_sip_rule(
        Name="r", TriggerType="ToPhoneNumber", TriggerValue=DIAL_IN, TargetApplications=both
    )["SipRule"]
    assert created["TargetApplications"] == both
    # The rule lives in the Region it was created in, and lists under the west application's
    # filter only there.
    assert client.list_sip_rules(SipMediaApplicationId=west["SipMediaApplicationId"])[
        "SipRules"
    ] == [created]


def test_a_rule_enabled_again_needs_its_targets(chime: Chime, client: Any) -> None:
    app, spare = application(client), application(client, "spare")
    dial_in_number(chime, client)
    rule_id = rule(client, DIAL_IN, app, Disabled=True)["SipRuleId"]
    client.delete_sip_media_application(SipMediaApplicationId=app["SipMediaApplicationId"])
    renamed = client.update_sip_rule(SipRuleId=rule_id, Name="still off")["SipRule"]
    assert renamed["Disabled"] is True
    code, message = failure_of(
        lambda: client.update_sip_rule(SipRuleId=rule_id, Name="on", Disabled=False)
    )
    assert code == "NotFoundException" and app["SipMediaApplicationId"] in message
    assert client.get_sip_rule(SipRuleId=rule_id)["SipRule"]["Name"] == "still off"
    enabled = client.update_sip_rule(
        SipRuleId=rule_id, Name="on", Disabled=False, TargetApplications=targets(spare)
    )["SipRule"]
    assert (enabled["Disabled"], enabled["TargetApplications"]) == (False, targets(spare))


def test_missing_rule_is_not_found(client: Any) -> None:
    for call in (
        lambda: client.get_sip_rule(SipRuleId=UNKNOWN_ID),
        lambda: client.update_sip_rule(SipRuleId=UNKNOWN_ID, Name="x"),
        lambda: client.delete_sip_rule(SipRuleId=UNKNOWN_ID),
    ):
        code, message = failure_of(call)
        assert code == "NotFoundException" and UNKNOWN_ID in message


def test_deleting_the_rule_empties_the_association_filter(chime: Chime, client: Any) -> None:
    app = application(client)
    dial_in_number(chime, client)
    rule_id = rule(client, DIAL_IN, app, Disabled=True)["SipRuleId"]
    client.delete_sip_rule(SipRuleId=rule_id)
    listed = client.list_phone_numbers(FilterName="SipRuleId", FilterValue=rule_id)
    assert listed["PhoneNumbers"] == []
    # The number is free for the next rule.
    assert rule(client, DIAL_IN, app)["TriggerValue"] == DIAL_IN


def test_rule_quota_under_the_aws_profile() -> None:
    from localchime.app import LocalChime
    from localchime.config import Settings
    from tests.harness import InProcessChime

    app = LocalChime(Settings(ephemeral=True, strict_output=True, quota_profile="aws"))
    try:
        client = InProcessChime(app).client()
        target = application(client)
        # Host names, not numbers: the aws profile allows 5 numbers, and 3 connectors a Region.
        regions = client.list_available_voice_connector_regions()["VoiceConnectorRegions"]
        hosts = [
            client.create_voice_connector(Name="t", RequireEncryption=True, AwsRegion=region)[
                "VoiceConnector"
            ]["OutboundHostName"]
            for region in regions[:9]
            for _ in range(3)
        ]
        for host in hosts[:25]:
            rule(client, host, target)
        code, message = failure_of(lambda: rule(client, hosts[25], target))
        assert code == "ResourceLimitExceededException" and "25" in message
        assert len(client.list_sip_rules(MaxResults=99)["SipRules"]) == 25
    finally:
        app.close()
