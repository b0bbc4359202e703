"""The phone number inventory through boto3: list, update, batch update, the 7-day deletion
cycle, restore, settings, countries, regions and quotas."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.harness import Chime

DAY = 86400
LOCAL = ["+12065550100", "+12065550101", "+12065550102"]
TOLL_FREE = "+18445550100"
LONDON = "+442079460000"


def acquire(chime: Chime, client: Any, numbers: list[str], product: str = "VoiceConnector") -> None:
    client.create_phone_number_order(ProductType=product, E164PhoneNumbers=numbers)
    chime.advance(5)


def number(client: Any, e164: str) -> dict[str, Any]:
    return client.get_phone_number(PhoneNumberId=e164)["PhoneNumber"]


def message(excinfo: pytest.ExceptionInfo) -> str:  # type: ignore[type-arg]
    return excinfo.value.response["Error"]["Message"]


def test_full_phone_number_shape(chime: Chime, client) -> None:  # type: ignore[no-untyped-def]
    acquire(chime, client, [LOCAL[0]])
    found = number(client, LOCAL[0])
    assert found["PhoneNumberId"] == "%2B12065550100"
    assert found["E164PhoneNumber"] == LOCAL[0]
    assert (
        found["PhoneNumberArn"] == "arn:aws:chime:us-east-1:123456789012:phone-number/12065550100"
    )
    assert (found["Country"], found["Type"], found["ProductType"], found["Status"]) == (
        "US",
        "Local",
        "VoiceConnector",
        "Unassigned",
    )
    assert found["Associations"] == []
    assert "DeletionTimestamp" not in found and "CallingName" not in found


def test_list_filters_and_keyset_pagination(chime: Chime, client) -> None:  # type: ignore[no-untyped-def]
    acquire(chime, client, LOCAL)
    acquire(chime, client, [TOLL_FREE], "SipMediaApplicationDialIn")
    client.create_phone_number_order(
        ProductType="VoiceConnector", E164PhoneNumbers=["+12065550199"]
    )
    listed = client.list_phone_numbers()["PhoneNumbers"]
    assert [n["E164PhoneNumber"] for n in listed] == sorted([*LOCAL, TOLL_FREE, "+12065550199"])
    unassigned = client.list_phone_numbers(Status="Unassigned")["PhoneNumbers"]
    assert [n["E164PhoneNumber"] for n in unassigned] == sorted([*LOCAL, TOLL_FREE])
    sma = client.list_phone_numbers(ProductType="SipMediaApplicationDialIn")["PhoneNumbers"]
    assert [n["E164PhoneNumber"] for n in sma] == [TOLL_FREE]
    both = client.list_phone_numbers(Status="AcquireInProgress", ProductType="VoiceConnector")
    assert [n["E164PhoneNumber"] for n in both["PhoneNumbers"]] == ["+12065550199"]
    assert (
        client.list_phone_numbers(FilterName="VoiceConnectorId", FilterValue="abc")["PhoneNumbers"]
        == []
    )

    pages, token, seen = 0, None, []
    while True:
        kwargs: dict[str, Any] = {"MaxResults": 2, "Status": "Unassigned"}
        if token:
            kwargs["NextToken"] = token
        page = client.list_phone_numbers(**kwargs)
        seen += [n["E164PhoneNumber"] for n in page["PhoneNumbers"]]
        pages += 1
        token = page.get("NextToken")
        if not token:
            break
        with pytest.raises(client.exceptions.BadRequestException):
            client.list_phone_numbers(MaxResults=2, NextToken=token)
    assert seen == sorted([*LOCAL, TOLL_FREE]) and pages == 2


def test_list_rejects_bad_filters(chime: Chime) -> None:
    client = chime.client(validate=False)
    with pytest.raises(client.exceptions.BadRequestException) as excinfo:
        client.list_phone_numbers(Status="Sleeping")
    assert message(excinfo).startswith("Status must be one of: Cancelled, PortinCancelRequested")
    with pytest.raises(client.exceptions.BadRequestException) as excinfo:
        client.list_phone_numbers(FilterName="SipRuleId")
    assert message(excinfo) == "FilterName and FilterValue go together: give both or neither"


def test_update_name_product_type_and_one_field_per_call(chime: Chime, client) -> None:  # type: ignore[no-untyped-def]
    acquire(chime, client, [LOCAL[0]])
    chime.advance(60)
    renamed = client.update_phone_number(PhoneNumberId=LOCAL[0], Name="front desk")["PhoneNumber"]
    assert renamed["Name"] == "front desk"
    assert renamed["UpdatedTimestamp"] > renamed["CreatedTimestamp"]
    moved = client.update_phone_number(
        PhoneNumberId=LOCAL[0], ProductType="SipMediaApplicationDialIn"
    )
    assert moved["PhoneNumber"]["ProductType"] == "SipMediaApplicationDialIn"
    with pytest.raises(client.exceptions.BadRequestException) as excinfo:
        client.update_phone_number(PhoneNumberId=LOCAL[0], Name="x", CallingName="Acme")
    assert (
        message(excinfo)
        == "Give exactly one of ProductType, CallingName or Name per update; got CallingName, Name"
    )
    with pytest.raises(client.exceptions.NotFoundException):
        client.update_phone_number(PhoneNumberId=LOCAL[1], Name="nobody")


def test_product_type_rules(chime: Chime, client) -> None:  # type: ignore[no-untyped-def]
    acquire(chime, client, [LONDON], "SipMediaApplicationDialIn")
    with pytest.raises(client.exceptions.BadRequestException) as excinfo:
        client.update_phone_number(PhoneNumberId=LONDON, ProductType="VoiceConnector")
    assert "numbers outside the U.S. must use ProductType SipMediaApplicationDialIn" in message(
        excinfo
    )
    client.create_phone_number_order(ProductType="VoiceConnector", E164PhoneNumbers=[LOCAL[1]])
    with pytest.raises(client.exceptions.BadRequestException) as excinfo:
        client.update_phone_number(PhoneNumberId=LOCAL[1], ProductType="SipMediaApplicationDialIn")
    assert (
        message(excinfo)
        == f"PhoneNumber {LOCAL[1]} cannot be updated while its status is AcquireInProgress"
    )


def test_calling_name_lifecycle(chime: Chime, client) -> None:  # type: ignore[no-untyped-def]
    acquire(chime, client, [LOCAL[0], TOLL_FREE])
    updated = client.update_phone_number(PhoneNumberId=LOCAL[0], CallingName="Acme Corp")[
        "PhoneNumber"
    ]
    assert (updated["CallingName"], updated["CallingNameStatus"]) == (
        "Acme Corp",
        "UpdateInProgress",
    )
    with pytest.raises(client.exceptions.ConflictException) as excinfo:
        client.update_phone_number(PhoneNumberId=LOCAL[0], CallingName="Other")
    assert (
        message(excinfo)
        == f"A CallingName update of {LOCAL[0]} is still in progress; it must finish first"
    )
    chime.advance(71 * 3600)
    assert number(client, LOCAL[0])["CallingNameStatus"] == "UpdateInProgress"
    chime.advance(3600)
    assert number(client, LOCAL[0])["CallingNameStatus"] == "UpdateSucceeded"
    client.update_phone_number(PhoneNumberId=LOCAL[0], CallingName="Second")
    with pytest.raises(client.exceptions.BadRequestException) as excinfo:
        client.update_phone_number(PhoneNumberId=TOLL_FREE, CallingName="Acme")
    assert message(excinfo) == f"CallingName applies to toll numbers only; {TOLL_FREE} is TollFree"


def test_batch_update(chime: Chime, client) -> None:  # type: ignore[no-untyped-def]
    acquire(chime, client, LOCAL[:2])
    result = client.batch_update_phone_number(
        UpdatePhoneNumberRequestItems=[
            {"PhoneNumberId": LOCAL[0], "Name": "one"},
            {"PhoneNumberId": "+12065550177", "Name": "missing"},
            {"PhoneNumberId": LOCAL[1], "Name": "two", "ProductType": "VoiceConnector"},
        ]
    )
    assert result["PhoneNumberErrors"] == [
        {
            "PhoneNumberId": "+12065550177",
            "ErrorCode": "NotFound",
            "ErrorMessage": "PhoneNumber +12065550177 does not exist in this account and Region",
        },
        {
            "PhoneNumberId": LOCAL[1],
            "ErrorCode": "BadRequest",
            "ErrorMessage": "Give exactly one of ProductType, CallingName or Name per update; got ProductType, Name",
        },
    ]
    assert number(client, LOCAL[0])["Name"] == "one"
    assert "Name" not in number(client, LOCAL[1])
    with pytest.raises(client.exceptions.BadRequestException) as excinfo:
        client.batch_update_phone_number(
            UpdatePhoneNumberRequestItems=[
                {"PhoneNumberId": LOCAL[0], "Name": "a"},
                {"PhoneNumberId": "%2B12065550100", "Name": "b"},
            ]
        )
    assert (
        message(excinfo)
        == f"UpdatePhoneNumberRequestItems names a PhoneNumberId more than once: {LOCAL[0]}"
    )
    assert number(client, LOCAL[0])["Name"] == "one"


def test_seven_day_deletion_cycle(chime: Chime, client) -> None:  # type: ignore[no-untyped-def]
    acquire(chime, client, [LOCAL[0]])
    deleted = client.delete_phone_number(PhoneNumberId=LOCAL[0])
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    queued = number(client, LOCAL[0])
    assert queued["Status"] == "DeleteInProgress"
    deleted_at = queued["DeletionTimestamp"]
    assert deleted_at == queued["UpdatedTimestamp"]
    assert (
        LOCAL[0]
        not in client.search_available_phone_numbers(AreaCode="206", MaxResults=500)[
            "E164PhoneNumbers"
        ]
    )
    chime.advance(7 * DAY - 60)
    assert number(client, LOCAL[0])["Status"] == "DeleteInProgress"
    chime.advance(60)
    with pytest.raises(client.exceptions.NotFoundException):
        number(client, LOCAL[0])
    other = chime.client("555566667777")
    acquire(chime, other, [LOCAL[0]])
    assert number(other, LOCAL[0])["Status"] == "Unassigned"


def test_restore(chime: Chime, client) -> None:  # type: ignore[no-untyped-def]
    acquire(chime, client, [LOCAL[0]])
    with pytest.raises(client.exceptions.BadRequestException) as excinfo:
        client.restore_phone_number(PhoneNumberId=LOCAL[0])
    assert message(excinfo) == (
        f"PhoneNumber {LOCAL[0]} is Unassigned; only a number in the deletion queue "
        "(DeleteInProgress) can be restored"
    )
    client.delete_phone_number(PhoneNumberId=LOCAL[0])
    chime.advance(3 * DAY)
    restored = client.restore_phone_number(PhoneNumberId=LOCAL[0])["PhoneNumber"]
    assert restored["Status"] == "Unassigned"
    assert "DeletionTimestamp" not in restored
    chime.advance(5 * DAY)
    assert number(client, LOCAL[0])["Status"] == "Unassigned"


def test_batch_delete(chime: Chime, client) -> None:  # type: ignore[no-untyped-def]
    acquire(chime, client, LOCAL[:2])
    client.create_phone_number_order(ProductType="VoiceConnector", E164PhoneNumbers=[LOCAL[2]])
    result = client.batch_delete_phone_number(
        PhoneNumberIds=[LOCAL[0], LOCAL[2], "+12065550177", LOCAL[1]]
    )
    assert result["PhoneNumberErrors"] == [
        {
            "PhoneNumberId": LOCAL[2],
            "ErrorCode": "BadRequest",
            "ErrorMessage": f"PhoneNumber {LOCAL[2]} cannot be deleted while its status is AcquireInProgress",
        },
        {
            "PhoneNumberId": "+12065550177",
            "ErrorCode": "NotFound",
            "ErrorMessage": "PhoneNumber +12065550177 does not exist in this account and Region",
        },
    ]
    assert [number(client, n)["Status"] for n in LOCAL] == [
        "DeleteInProgress",
        "DeleteInProgress",
        "AcquireInProgress",
    ]


def test_phone_number_settings(chime: Chime, client) -> None:  # type: ignore[no-untyped-def]
    empty = client.get_phone_number_settings()
    assert "CallingName" not in empty
    assert (
        client.update_phone_number_settings(CallingName="Acme")["ResponseMetadata"][
            "HTTPStatusCode"
        ]
        == 204
    )
    settings = client.get_phone_number_settings()
    assert settings["CallingName"] == "Acme"
    set_at = settings["CallingNameUpdatedTimestamp"]
    chime.advance(6 * DAY)
    with pytest.raises(client.exceptions.BadRequestException) as excinfo:
        client.update_phone_number_settings(CallingName="Other")
    assert message(excinfo).startswith(
        "CallingName can change once every 7 days; it was last changed at"
    )
    chime.advance(DAY)
    client.update_phone_number_settings(CallingName="Other")
    later = client.get_phone_number_settings()
    assert later["CallingName"] == "Other" and later[
        "CallingNameUpdatedTimestamp"
    ] - set_at >= dt.timedelta(days=7)


def test_supported_countries_and_regions(client) -> None:  # type: ignore[no-untyped-def]
    vc = client.list_supported_phone_number_countries(ProductType="VoiceConnector")[
        "PhoneNumberCountries"
    ]
    assert vc == [{"CountryCode": "US", "SupportedPhoneNumberTypes": ["Local", "TollFree"]}]
    sma = client.list_supported_phone_number_countries(ProductType="SipMediaApplicationDialIn")[
        "PhoneNumberCountries"
    ]
    by_code = {c["CountryCode"]: c["SupportedPhoneNumberTypes"] for c in sma}
    assert sorted(by_code) == [
        "AT",
        "AU",
        "CA",
        "CH",
        "DE",
        "DK",
        "GB",
        "IE",
        "IT",
        "KR",
        "NG",
        "NZ",
        "PR",
        "SE",
        "US",
    ]
    assert by_code["CA"] == ["Local"] and by_code["IT"] == ["TollFree"]
    regions = client.list_available_voice_connector_regions()["VoiceConnectorRegions"]
    assert sorted(regions) == sorted(
        [
            "us-east-1",
            "us-west-2",
            "ca-central-1",
            "eu-central-1",
            "eu-west-1",
            "eu-west-2",
            "ap-northeast-1",
            "ap-northeast-2",
            "ap-southeast-1",
            "ap-southeast-2",
        ]
    )
