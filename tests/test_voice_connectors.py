"""Voice Connectors, groups and phone number associations through boto3, on every backend.

Settings (termination, origination, …) are in test_voice_connector_settings.py.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.harness import Chime, error_of

OTHER_ACCOUNT = "999999999999"
UNKNOWN_ID = "abcdef1ghij2klmno3pqr4"
NUMBERS = ["+12065550100", "+12065550101", "+12065550102"]
SMA_NUMBER = "+18445550100"


def connector(client: Any, name: str = "trunk", **extra: Any) -> dict[str, Any]:
    response = client.create_voice_connector(Name=name, RequireEncryption=True, **extra)
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 201
    return response["VoiceConnector"]


def group(client: Any, *connector_ids: str, name: str = "group") -> dict[str, Any]:
    items = [{"VoiceConnectorId": c, "Priority": i + 1} for i, c in enumerate(connector_ids)]
    response = client.create_voice_connector_group(Name=name, VoiceConnectorItems=items)
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 201
    return response["VoiceConnectorGroup"]


def acquire(chime: Chime, client: Any, numbers: list[str], product: str = "VoiceConnector") -> None:
    client.create_phone_number_order(ProductType=product, E164PhoneNumbers=numbers)
    chime.advance(5)


def number(client: Any, e164: str) -> dict[str, Any]:
    return client.get_phone_number(PhoneNumberId=e164)["PhoneNumber"]


def listed(client: Any, name: str, value: str, **extra: Any) -> list[str]:
    found = client.list_phone_numbers(FilterName=name, FilterValue=value, **extra)
    return [n["E164PhoneNumber"] for n in found["PhoneNumbers"]]


# Connectors


def test_connector_shape_ids_and_arn(client) -> None:  # type: ignore[no-untyped-def]
    created = connector(client, "Main trunk_1.a-b")
    connector_id = created["VoiceConnectorId"]
    assert re.fullmatch(r"[a-z0-9]{22}", connector_id)
    assert created["OutboundHostName"] == f"{connector_id}.voiceconnector.chime.aws"
    assert created["VoiceConnectorArn"] == f"arn:aws:chime:us-east-1:123456789012:vc/{connector_id}"
    assert (created["Name"], created["AwsRegion"], created["RequireEncryption"]) == (
        "Main trunk_1.a-b",
        "us-east-1",
        True,
    )
    assert created["NetworkType"] == "IPV4_ONLY"
    assert "IntegrationType" not in created
    assert created["CreatedTimestamp"] == created["UpdatedTimestamp"]
    assert client.get_voice_connector(VoiceConnectorId=connector_id)["VoiceConnector"] == created


def test_aws_region_and_options_are_kept(client) -> None:  # type: ignore[no-untyped-def]
    created = connector(
        client,
        AwsRegion="us-west-2",
        NetworkType="DUAL_STACK",
        IntegrationType="CONNECT_ANALYTICS_CONNECTOR",
        Tags=[{"Key": "team", "Value": "voice"}],
    )
    connector_id = created["VoiceConnectorId"]
    assert created["AwsRegion"] == "us-west-2"
    assert created["VoiceConnectorArn"] == f"arn:aws:chime:us-west-2:123456789012:vc/{connector_id}"
    assert created["OutboundHostName"] == f"{connector_id}.voiceconnector.chime.aws"
    assert (created["NetworkType"], created["IntegrationType"]) == (
        "DUAL_STACK",
        "CONNECT_ANALYTICS_CONNECTOR",
    )


def test_default_aws_region_is_the_endpoint_region(chime: Chime) -> None:
    created = connector(chime.client(region="eu-west-2"))
    assert created["AwsRegion"] == "eu-west-2"


def test_update_renames_and_keeps_the_region(chime: Chime) -> None:
    client = chime.client(region="ca-central-1")
    created = connector(client)
    assert created["AwsRegion"] == "ca-central-1"
    chime.advance(60)
    updated = client.update_voice_connector(
        VoiceConnectorId=created["VoiceConnectorId"], Name="renamed", RequireEncryption=False
    )["VoiceConnector"]
    assert (updated["Name"], updated["RequireEncryption"], updated["AwsRegion"]) == (
        "renamed",
        False,
        "ca-central-1",
    )
    assert updated["CreatedTimestamp"] == created["CreatedTimestamp"]
    assert (updated["UpdatedTimestamp"] - created["UpdatedTimestamp"]).total_seconds() >= 60
    got = client.get_voice_connector(VoiceConnectorId=created["VoiceConnectorId"])
    assert got["VoiceConnector"] == updated


def test_a_connector_lives_in_its_aws_region(chime: Chime) -> None:
    """One meaning of Region: the AwsRegion names the ARN, and the endpoint that finds it."""
    east, west = chime.client(), chime.client(region="us-west-2")
    created = connector(east, AwsRegion="us-west-2")
    connector_id = created["VoiceConnectorId"]
    assert created["VoiceConnectorArn"].startswith("arn:aws:chime:us-west-2:")
    assert west.get_voice_connector(VoiceConnectorId=connector_id)["VoiceConnector"] == created
    assert [v["VoiceConnectorId"] for v in west.list_voice_connectors()["VoiceConnectors"]] == [
        connector_id
    ]
    assert east.list_voice_connectors()["VoiceConnectors"] == []
    with pytest.raises(east.exceptions.NotFoundException):
        east.get_voice_connector(VoiceConnectorId=connector_id)


def test_group_items_may_live_in_other_regions(chime: Chime) -> None:
    east = chime.client()
    west_connector = connector(chime.client(region="us-west-2"))["VoiceConnectorId"]
    east_connector = connector(east)["VoiceConnectorId"]
    created = group(east, east_connector, west_connector)
    assert [i["VoiceConnectorId"] for i in created["VoiceConnectorItems"]] == [
        east_connector,
        west_connector,
    ]
    west = chime.client(region="us-west-2")
    with pytest.raises(west.exceptions.ConflictException):
        west.delete_voice_connector(VoiceConnectorId=west_connector)
    theirs = connector(chime.client(OTHER_ACCOUNT))["VoiceConnectorId"]
    with pytest.raises(east.exceptions.NotFoundException) as excinfo:
        group(east, theirs)
    assert error_of(excinfo)[2] == f"Voice Connector {theirs} does not exist in this account"


def test_delete_then_not_found(client) -> None:  # type: ignore[no-untyped-def]
    connector_id = connector(client)["VoiceConnectorId"]
    response = client.delete_voice_connector(VoiceConnectorId=connector_id)
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(client.exceptions.NotFoundException) as excinfo:
        client.get_voice_connector(VoiceConnectorId=connector_id)
    assert error_of(excinfo) == (
        404,
        "NotFoundException",
        f"Voice Connector {connector_id} does not exist in this account and Region",
    )
    assert client.list_voice_connectors()["VoiceConnectors"] == []


@pytest.mark.parametrize(
    "call",
    [
        lambda c, i: c.get_voice_connector(VoiceConnectorId=i),
        lambda c, i: c.update_voice_connector(VoiceConnectorId=i, Name="x", RequireEncryption=True),
        lambda c, i: c.delete_voice_connector(VoiceConnectorId=i),
        lambda c, i: c.associate_phone_numbers_with_voice_connector(
            VoiceConnectorId=i, E164PhoneNumbers=[NUMBERS[0]]
        ),
        lambda c, i: c.disassociate_phone_numbers_from_voice_connector(
            VoiceConnectorId=i, E164PhoneNumbers=[NUMBERS[0]]
        ),
    ],
    ids=["get", "update", "delete", "associate", "disassociate"],
)
def test_other_accounts_regions_and_unknown_ids_are_not_found(chime: Chime, call: Any) -> None:
    mine = connector(chime.client())["VoiceConnectorId"]
    for client, connector_id in [
        (chime.client(OTHER_ACCOUNT), mine),
        (chime.client(region="us-west-2"), mine),
        (chime.client(), UNKNOWN_ID),
    ]:
        with pytest.raises(client.exceptions.NotFoundException) as excinfo:
            call(client, connector_id)
        assert error_of(excinfo)[2] == (
            f"Voice Connector {connector_id} does not exist in this account and Region"
        )
    assert chime.client().get_voice_connector(VoiceConnectorId=mine)["VoiceConnector"]["Name"] == (
        "trunk"
    )


def test_list_pages_in_creation_order_per_account_and_region(chime: Chime, client) -> None:  # type: ignore[no-untyped-def]
    created = []
    for i in range(5):
        created.append(connector(client, f"vc{i}")["VoiceConnectorId"])
        chime.advance(1)
    connector(chime.client(OTHER_ACCOUNT))
    connector(chime.client(region="us-west-2"))
    first = client.list_voice_connectors(MaxResults=2)
    second = client.list_voice_connectors(MaxResults=2, NextToken=first["NextToken"])
    third = client.list_voice_connectors(MaxResults=2, NextToken=second["NextToken"])
    pages = [first, second, third]
    assert [[v["VoiceConnectorId"] for v in p["VoiceConnectors"]] for p in pages] == [
        created[0:2],
        created[2:4],
        created[4:5],
    ]
    assert "NextToken" not in third
    other = chime.client(OTHER_ACCOUNT)
    with pytest.raises(other.exceptions.BadRequestException):
        other.list_voice_connectors(NextToken=first["NextToken"])


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"Name": "bad/name", "RequireEncryption": True}, "Name"),
        ({"Name": "", "RequireEncryption": True}, "Name"),
        ({"Name": "x" * 257, "RequireEncryption": True}, "Name"),
        ({"Name": "ok", "RequireEncryption": "yes"}, "RequireEncryption"),
        ({"Name": "ok"}, "RequireEncryption"),
        ({"Name": "ok", "RequireEncryption": True, "AwsRegion": "mars-1"}, "AwsRegion"),
        ({"Name": "ok", "RequireEncryption": True, "NetworkType": "IPV5"}, "NetworkType"),
    ],
)
def test_bad_create_input_names_the_member(chime: Chime, arguments: Any, message: str) -> None:
    client = chime.client(validate=False)
    with pytest.raises(client.exceptions.BadRequestException) as excinfo:
        client.create_voice_connector(**arguments)
    assert message in error_of(excinfo)[2]
    assert client.list_voice_connectors()["VoiceConnectors"] == []


@pytest.mark.parametrize(
    ("tags", "message"),
    [
        (
            [{"Key": "a", "Value": "1"}, {"Key": "a", "Value": "2"}],
            "Tags names the key a more than once",
        ),
        ([{"Key": "aws:owner", "Value": "x"}], "Tag keys may not start with 'aws:': aws:owner"),
    ],
)
def test_bad_tags_are_refused(client, tags: Any, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(client.exceptions.BadRequestException) as excinfo:
        connector(client, Tags=tags)
    assert error_of(excinfo) == (400, "BadRequestException", message)
    assert client.list_voice_connectors()["VoiceConnectors"] == []


def test_list_available_regions(client) -> None:  # type: ignore[no-untyped-def]
    regions = client.list_available_voice_connector_regions()["VoiceConnectorRegions"]
    assert "us-east-1" in regions and "ap-southeast-2" in regions


# Groups


def test_group_lifecycle(chime: Chime, client) -> None:  # type: ignore[no-untyped-def]
    first, second, third = (connector(client, f"vc{i}")["VoiceConnectorId"] for i in range(3))
    created = group(client, first, second)
    group_id = created["VoiceConnectorGroupId"]
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", group_id)
    assert created["VoiceConnectorGroupArn"] == (
        f"arn:aws:chime:us-east-1:123456789012:vcg/{group_id}"
    )
    assert created["VoiceConnectorItems"] == [
        {"VoiceConnectorId": first, "Priority": 1},
        {"VoiceConnectorId": second, "Priority": 2},
    ]
    assert (
        client.get_voice_connector_group(VoiceConnectorGroupId=group_id)["VoiceConnectorGroup"]
        == created
    )
    chime.advance(1)
    updated = client.update_voice_connector_group(
        VoiceConnectorGroupId=group_id,
        Name="renamed",
        VoiceConnectorItems=[{"VoiceConnectorId": third, "Priority": 99}],
        CallDistributionType="LoadBalancedDistribution",
    )
    assert updated["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert updated["VoiceConnectorGroup"]["VoiceConnectorItems"] == [
        {"VoiceConnectorId": third, "Priority": 99}
    ]
    assert updated["VoiceConnectorGroup"]["CallDistributionType"] == "LoadBalancedDistribution"
    listed_groups = client.list_voice_connector_groups()["VoiceConnectorGroups"]
    assert [g["Name"] for g in listed_groups] == ["renamed"]
    assert chime.client(OTHER_ACCOUNT).list_voice_connector_groups()["VoiceConnectorGroups"] == []
    # The first two connectors left the group, so they can go now.
    client.delete_voice_connector(VoiceConnectorId=first)
    with pytest.raises(client.exceptions.ConflictException) as excinfo:
        client.delete_voice_connector_group(VoiceConnectorGroupId=group_id)
    assert error_of(excinfo) == (
        409,
        "ConflictException",
        f"Voice Connector group {group_id} has 1 VoiceConnectorItems; update the group to "
        "remove them before deleting it",
    )
    client.update_voice_connector_group(
        VoiceConnectorGroupId=group_id, Name="empty", VoiceConnectorItems=[]
    )
    deleted = client.delete_voice_connector_group(VoiceConnectorGroupId=group_id)
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(client.exceptions.NotFoundException) as excinfo:
        client.get_voice_connector_group(VoiceConnectorGroupId=group_id)
    assert error_of(excinfo)[2] == (
        f"Voice Connector group {group_id} does not exist in this account and Region"
    )


def test_a_connector_in_a_group_cannot_be_deleted(client) -> None:  # type: ignore[no-untyped-def]
    connector_id = connector(client)["VoiceConnectorId"]
    group_id = group(client, connector_id)["VoiceConnectorGroupId"]
    with pytest.raises(client.exceptions.ConflictException) as excinfo:
        client.delete_voice_connector(VoiceConnectorId=connector_id)
    assert error_of(excinfo) == (
        409,
        "ConflictException",
        f"Voice Connector {connector_id} is an item of Voice Connector group(s) {group_id}; "
        "remove it from them before deleting it",
    )
    assert client.get_voice_connector(VoiceConnectorId=connector_id)["VoiceConnector"]


def test_bad_groups_are_refused_and_nothing_is_kept(chime: Chime, client) -> None:  # type: ignore[no-untyped-def]
    ids = [connector(client, f"vc{i}")["VoiceConnectorId"] for i in range(4)]
    mine = ids[0]
    theirs = connector(chime.client(OTHER_ACCOUNT))["VoiceConnectorId"]
    cases = [
        (
            [{"VoiceConnectorId": i, "Priority": 1} for i in ids],
            "BadRequestException",
            "VoiceConnectorItems holds 4 items; a group has at most 3",
        ),
        (
            [{"VoiceConnectorId": mine, "Priority": 1}, {"VoiceConnectorId": mine, "Priority": 2}],
            "BadRequestException",
            f"VoiceConnectorItems names {mine} more than once",
        ),
        (
            [{"VoiceConnectorId": mine}],
            "BadRequestException",
            f"VoiceConnectorItems entry {mine} needs a Priority from 1 (highest) to 99",
        ),
        (
            [{"VoiceConnectorId": theirs, "Priority": 1}],
            "NotFoundException",
            f"Voice Connector {theirs} does not exist in this account",
        ),
        (
            [{"VoiceConnectorId": UNKNOWN_ID, "Priority": 1}],
            "NotFoundException",
            f"Voice Connector {UNKNOWN_ID} does not exist in this account",
        ),
    ]
    for items, code, message in cases:
        with pytest.raises(client.exceptions.ClientError) as excinfo:
            client.create_voice_connector_group(Name="g", VoiceConnectorItems=items)
        assert error_of(excinfo)[1:] == (code, message)
    unchecked = chime.client(validate=False)
    for priority in (0, 100):
        with pytest.raises(unchecked.exceptions.BadRequestException) as excinfo:
            unchecked.create_voice_connector_group(
                Name="g", VoiceConnectorItems=[{"VoiceConnectorId": mine, "Priority": priority}]
            )
        assert "Priority" in error_of(excinfo)[2]
    assert client.list_voice_connector_groups()["VoiceConnectorGroups"] == []


def test_group_update_and_delete_of_unknown_group(client) -> None:  # type: ignore[no-untyped-def]
    missing = "0a1b2c3d-0000-4000-8000-000000000000"
    for call in (
        lambda: client.update_voice_connector_group(
            VoiceConnectorGroupId=missing, Name="x", VoiceConnectorItems=[]
        ),
        lambda: client.delete_voice_connector_group(VoiceConnectorGroupId=missing),
        lambda: client.associate_phone_numbers_with_voice_connector_group(
            VoiceConnectorGroupId=missing, E164PhoneNumbers=[NUMBERS[0]]
        ),
    ):
        with pytest.raises(client.exceptions.NotFoundException):
            call()


# Associations


def test_associate_list_by_filter_and_disassociate(chime: Chime, client) -> None:  # type: ignore[no-untyped-def]
    acquire(chime, client, NUMBERS)
    connector_id = connector(client)["VoiceConnectorId"]
    chime.advance(1)
    answer = client.associate_phone_numbers_with_voice_connector(
        VoiceConnectorId=connector_id, E164PhoneNumbers=NUMBERS[:2]
    )
    assert answer["PhoneNumberErrors"] == []
    associated = number(client, NUMBERS[0])
    assert associated["Status"] == "Assigned"
    [association] = associated["Associations"]
    assert (association["Name"], association["Value"]) == ("VoiceConnectorId", connector_id)
    assert association["AssociatedTimestamp"] == associated["UpdatedTimestamp"]
    assert listed(client, "VoiceConnectorId", connector_id) == NUMBERS[:2]
    assert listed(client, "VoiceConnectorId", connector_id, Status="Assigned") == NUMBERS[:2]
    assert listed(client, "VoiceConnectorId", connector_id, MaxResults=1) == NUMBERS[:1]
    assert listed(client, "VoiceConnectorGroupId", connector_id) == []
    unassigned = client.list_phone_numbers(Status="Unassigned")["PhoneNumbers"]
    assert [n["E164PhoneNumber"] for n in unassigned] == NUMBERS[2:]
    answer = client.disassociate_phone_numbers_from_voice_connector(
        VoiceConnectorId=connector_id, E164PhoneNumbers=[NUMBERS[0]]
    )
    assert answer["PhoneNumberErrors"] == []
    released = number(client, NUMBERS[0])
    assert (released["Status"], released["Associations"]) == ("Unassigned", [])
    assert listed(client, "VoiceConnectorId", connector_id) == NUMBERS[1:2]


def test_filtered_listing_pages(chime: Chime, client) -> None:  # type: ignore[no-untyped-def]
    many = [f"+1206555{i:04d}" for i in range(200, 212)]
    acquire(chime, client, many)
    connector_id = connector(client)["VoiceConnectorId"]
    client.associate_phone_numbers_with_voice_connector(
        VoiceConnectorId=connector_id, E164PhoneNumbers=many[::2]
    )
    seen: list[str] = []
    token: dict[str, str] = {}
    while True:
        page = client.list_phone_numbers(
            FilterName="VoiceConnectorId", FilterValue=connector_id, MaxResults=4, **token
        )
        seen += [n["E164PhoneNumber"] for n in page["PhoneNumbers"]]
        if "NextToken" not in page:
            break
        token = {"NextToken": page["NextToken"]}
    assert seen == many[::2]


def test_filter_name_and_value_go_together(client) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(client.exceptions.BadRequestException) as excinfo:
        client.list_phone_numbers(FilterName="VoiceConnectorId")
    assert error_of(excinfo)[2] == "FilterName and FilterValue go together: give both or neither"


def test_per_number_errors(chime: Chime, client) -> None:  # type: ignore[no-untyped-def]
    acquire(chime, client, NUMBERS[:1])
    acquire(chime, client, [SMA_NUMBER], "SipMediaApplicationDialIn")
    theirs = "+13125550100"
    acquire(chime, chime.client(OTHER_ACCOUNT), [theirs])
    connector_id = connector(client)["VoiceConnectorId"]
    answer = client.associate_phone_numbers_with_voice_connector(
        VoiceConnectorId=connector_id,
        E164PhoneNumbers=[theirs, NUMBERS[0], SMA_NUMBER, NUMBERS[2]],
    )
    assert answer["PhoneNumberErrors"] == [
        {
            "PhoneNumberId": theirs,
            "ErrorCode": "NotFound",
            "ErrorMessage": f"PhoneNumber {theirs} does not exist in this account and Region",
        },
        {
            "PhoneNumberId": SMA_NUMBER,
            "ErrorCode": "BadRequest",
            "ErrorMessage": f"PhoneNumber {SMA_NUMBER} has ProductType SipMediaApplicationDialIn; "
            "only VoiceConnector numbers can be associated with a Voice Connector",
        },
        {
            "PhoneNumberId": NUMBERS[2],
            "ErrorCode": "NotFound",
            "ErrorMessage": f"PhoneNumber {NUMBERS[2]} does not exist in this account and Region",
        },
    ]
    assert number(client, NUMBERS[0])["Status"] == "Assigned"
    assert number(client, SMA_NUMBER)["Status"] == "Unassigned"
    assert number(chime.client(OTHER_ACCOUNT), theirs)["Status"] == "Unassigned"


def test_a_malformed_number_refuses_the_whole_request(chime: Chime) -> None:
    """The model's pattern covers every entry, so one bad entry is a BadRequest for all."""
    client = chime.client(validate=False)
    acquire(chime, client, NUMBERS[:1])
    connector_id = connector(client)["VoiceConnectorId"]
    with pytest.raises(client.exceptions.BadRequestException) as excinfo:
        client.associate_phone_numbers_with_voice_connector(
            VoiceConnectorId=connector_id, E164PhoneNumbers=[NUMBERS[0], "not-a-number"]
        )
    assert "E164PhoneNumbers[1]" in error_of(excinfo)[2]
    assert number(client, NUMBERS[0])["Status"] == "Unassigned"


def test_a_number_pending_or_deleted_cannot_be_associated(chime: Chime, client) -> None:  # type: ignore[no-untyped-def]
    acquire(chime, client, NUMBERS[:1])
    client.create_phone_number_order(ProductType="VoiceConnector", E164PhoneNumbers=NUMBERS[1:2])
    client.delete_phone_number(PhoneNumberId=NUMBERS[0])
    connector_id = connector(client)["VoiceConnectorId"]
    answer = client.associate_phone_numbers_with_voice_connector(
        VoiceConnectorId=connector_id, E164PhoneNumbers=NUMBERS[:2]
    )
    assert [
        (e["PhoneNumberId"], e["ErrorCode"], e["ErrorMessage"]) for e in answer["PhoneNumberErrors"]
    ] == [
        (
            NUMBERS[0],
            "BadRequest",
            f"PhoneNumber {NUMBERS[0]} cannot be associated while its status is DeleteInProgress",
        ),
        (
            NUMBERS[1],
            "BadRequest",
            f"PhoneNumber {NUMBERS[1]} cannot be associated while its status is AcquireInProgress",
        ),
    ]


def test_force_associate_moves_a_number(chime: Chime, client) -> None:  # type: ignore[no-untyped-def]
    acquire(chime, client, NUMBERS[:1])
    first = connector(client, "first")["VoiceConnectorId"]
    second = connector(client, "second")["VoiceConnectorId"]
    client.associate_phone_numbers_with_voice_connector(
        VoiceConnectorId=first, E164PhoneNumbers=NUMBERS[:1]
    )
    again = client.associate_phone_numbers_with_voice_connector(
        VoiceConnectorId=first, E164PhoneNumbers=NUMBERS[:1]
    )
    assert again["PhoneNumberErrors"] == []
    refused = client.associate_phone_numbers_with_voice_connector(
        VoiceConnectorId=second, E164PhoneNumbers=NUMBERS[:1]
    )
    assert refused["PhoneNumberErrors"] == [
        {
            "PhoneNumberId": NUMBERS[0],
            "ErrorCode": "PhoneNumberAssociationsExist",
            "ErrorMessage": f"PhoneNumber {NUMBERS[0]} is already associated with "
            f"VoiceConnectorId {first}; disassociate it first or set ForceAssociate to move it",
        }
    ]
    assert number(client, NUMBERS[0])["Associations"][0]["Value"] == first
    moved = client.associate_phone_numbers_with_voice_connector(
        VoiceConnectorId=second, E164PhoneNumbers=NUMBERS[:1], ForceAssociate=True
    )
    assert moved["PhoneNumberErrors"] == []
    assert [a["Value"] for a in number(client, NUMBERS[0])["Associations"]] == [second]
    assert listed(client, "VoiceConnectorId", first) == []
    not_there = client.disassociate_phone_numbers_from_voice_connector(
        VoiceConnectorId=first, E164PhoneNumbers=NUMBERS[:1]
    )
    assert not_there["PhoneNumberErrors"] == [
        {
            "PhoneNumberId": NUMBERS[0],
            "ErrorCode": "NotFound",
            "ErrorMessage": f"PhoneNumber {NUMBERS[0]} is not associated with VoiceConnectorId "
            f"{first}",
        }
    ]
    client.delete_voice_connector(VoiceConnectorId=first)


def test_group_associations(chime: Chime, client) -> None:  # type: ignore[no-untyped-def]
    acquire(chime, client, NUMBERS)
    connector_id = connector(client)["VoiceConnectorId"]
    group_id = group(client, connector_id)["VoiceConnectorGroupId"]
    answer = client.associate_phone_numbers_with_voice_connector_group(
        VoiceConnectorGroupId=group_id, E164PhoneNumbers=NUMBERS[:2]
    )
    assert answer["PhoneNumberErrors"] == []
    [association] = number(client, NUMBERS[0])["Associations"]
    assert (association["Name"], association["Value"]) == ("VoiceConnectorGroupId", group_id)
    assert listed(client, "VoiceConnectorGroupId", group_id) == NUMBERS[:2]
    assert listed(client, "VoiceConnectorId", connector_id) == []
    client.update_voice_connector_group(
        VoiceConnectorGroupId=group_id, Name="g", VoiceConnectorItems=[]
    )
    with pytest.raises(client.exceptions.ConflictException) as excinfo:
        client.delete_voice_connector_group(VoiceConnectorGroupId=group_id)
    assert error_of(excinfo)[2] == (
        f"Voice Connector group {group_id} has 2 phone number(s) associated; disassociate them "
        "before deleting it"
    )
    client.disassociate_phone_numbers_from_voice_connector_group(
        VoiceConnectorGroupId=group_id, E164PhoneNumbers=NUMBERS[:2]
    )
    assert number(client, NUMBERS[1])["Status"] == "Unassigned"
    client.delete_voice_connector_group(VoiceConnectorGroupId=group_id)


def test_a_connector_with_numbers_cannot_be_deleted(chime: Chime, client) -> None:  # type: ignore[no-untyped-def]
    acquire(chime, client, NUMBERS[:1])
    connector_id = connector(client)["VoiceConnectorId"]
    client.associate_phone_numbers_with_voice_connector(
        VoiceConnectorId=connector_id, E164PhoneNumbers=NUMBERS[:1]
    )
    with pytest.raises(client.exceptions.ConflictException) as excinfo:
        client.delete_voice_connector(VoiceConnectorId=connector_id)
    assert error_of(excinfo) == (
        409,
        "ConflictException",
        f"Voice Connector {connector_id} has 1 phone number(s) associated; disassociate them "
        "before deleting it",
    )
    client.disassociate_phone_numbers_from_voice_connector(
        VoiceConnectorId=connector_id, E164PhoneNumbers=NUMBERS[:1]
    )
    client.delete_voice_connector(VoiceConnectorId=connector_id)


def test_an_associated_number_cannot_be_deleted(chime: Chime, client) -> None:  # type: ignore[no-untyped-def]
    """SPEC (inventory, M): a number must be disassociated before it can be deleted."""
    acquire(chime, client, NUMBERS[:2])
    connector_id = connector(client)["VoiceConnectorId"]
    client.associate_phone_numbers_with_voice_connector(
        VoiceConnectorId=connector_id, E164PhoneNumbers=NUMBERS[:1]
    )
    with pytest.raises(client.exceptions.BadRequestException) as excinfo:
        client.delete_phone_number(PhoneNumberId=NUMBERS[0])
    assert error_of(excinfo)[2] == (
        f"PhoneNumber {NUMBERS[0]} is associated with a Voice Connector, group or SIP rule; "
        "disassociate it before deleting it"
    )
    batch = client.batch_delete_phone_number(PhoneNumberIds=NUMBERS[:2])
    assert [(e["PhoneNumberId"], e["ErrorCode"]) for e in batch["PhoneNumberErrors"]] == [
        (NUMBERS[0], "PhoneNumberAssociationsExist")
    ]
    assert number(client, NUMBERS[0])["Status"] == "Assigned"
    assert number(client, NUMBERS[1])["Status"] == "DeleteInProgress"


def test_product_type_of_an_assigned_number_cannot_change(chime: Chime, client) -> None:  # type: ignore[no-untyped-def]
    acquire(chime, client, NUMBERS[:1])
    connector_id = connector(client)["VoiceConnectorId"]
    client.associate_phone_numbers_with_voice_connector(
        VoiceConnectorId=connector_id, E164PhoneNumbers=NUMBERS[:1]
    )
    with pytest.raises(client.exceptions.BadRequestException) as excinfo:
        client.update_phone_number(
            PhoneNumberId=NUMBERS[0], ProductType="SipMediaApplicationDialIn"
        )
    assert "can change only while it is Unassigned" in error_of(excinfo)[2]


# Porting needs a connector (SPEC: porting orders)


def _port(chime: Chime, account: str, region: str, product: str) -> Any:
    return chime.control(
        "POST",
        "porting-orders",
        {
            "AccountId": account,
            "Region": region,
            "E164PhoneNumbers": ["+12065550177"],
            "ProductType": product,
        },
    )


def test_porting_voice_connector_numbers_needs_a_connector_in_the_region(chime: Chime) -> None:
    account = "111122223333"
    refused = _port(chime, account, "us-east-1", "VoiceConnector")
    assert refused.status == 400
    assert refused.json()["message"] == (
        f"Porting VoiceConnector numbers needs a Voice Connector in us-east-1; account {account} "
        "has none there. Create one first (CreateVoiceConnector), or start localchime with "
        "LOCALCHIME_PORTING_REQUIRES_VOICE_CONNECTOR=false"
    )
    connector(chime.client(account, region="us-west-2"))
    assert _port(chime, account, "us-east-1", "VoiceConnector").status == 400
    assert _port(chime, account, "us-east-1", "SipMediaApplicationDialIn").status == 201


def test_porting_goes_ahead_once_a_connector_exists(chime: Chime) -> None:
    account = "111122223333"
    connector(chime.client(account))
    assert _port(chime, account, "us-east-1", "VoiceConnector").status == 201


def test_a_huge_list_is_answered_quickly(chime: Chime) -> None:
    """Checks are linear and messages short, whatever a list holds (a 60,000-entry list once
    held the write lock for 34 s)."""
    import time

    client = chime.client(validate=False)
    connector_id = connector(client)["VoiceConnectorId"]
    began = time.monotonic()
    with pytest.raises(client.exceptions.BadRequestException) as excinfo:
        client.put_voice_connector_external_systems_configuration(
            VoiceConnectorId=connector_id, SessionBorderControllerTypes=["RIBBON_SBC"] * 60_000
        )
    assert time.monotonic() - began < 5
    assert error_of(excinfo)[2] == "SessionBorderControllerTypes names RIBBON_SBC more than once"
    unknown = [f"user{i}" for i in range(20_000)]
    with pytest.raises(client.exceptions.NotFoundException) as excinfo:
        client.delete_voice_connector_termination_credentials(
            VoiceConnectorId=connector_id, Usernames=unknown
        )
    message = error_of(excinfo)[2]
    assert message.endswith("… and 19,990 more; nothing was deleted")
    assert len(message) < 300
