"""SearchAvailablePhoneNumbers through boto3: real geography, determinism, pagination, rules."""

from __future__ import annotations

import phonenumbers
import pytest
from phonenumbers import geocoder

from tests.harness import Chime


def search(client, **kwargs) -> list[str]:  # type: ignore[no-untyped-def]
    return client.search_available_phone_numbers(**kwargs)["E164PhoneNumbers"]


def place(e164: str) -> str:
    return geocoder.description_for_number(phonenumbers.parse(e164), "en")


def test_area_code_gives_numbers_in_that_area(client) -> None:  # type: ignore[no-untyped-def]
    found = search(client, AreaCode="206", MaxResults=20)
    assert len(found) == 20
    assert all(n.startswith("+1206") for n in found)
    assert all(place(n).endswith(", WA") for n in found)


def test_city_and_state(client) -> None:  # type: ignore[no-untyped-def]
    found = search(client, City="Austin", State="TX", MaxResults=10)
    assert len(found) == 10
    assert {place(n) for n in found} == {"Austin, TX"}


def test_state_alone(client) -> None:  # type: ignore[no-untyped-def]
    found = search(client, State="OR", MaxResults=25)
    assert len(found) == 25
    assert all(place(n).endswith(", OR") or place(n) == "Oregon" for n in found)


def test_canada_by_province(client) -> None:  # type: ignore[no-untyped-def]
    found = search(client, Country="CA", State="BC", MaxResults=5)
    assert len(found) == 5
    assert all(phonenumbers.region_code_for_number(phonenumbers.parse(n)) == "CA" for n in found)
    assert all(place(n).endswith(", BC") or place(n) == "British Columbia" for n in found)


@pytest.mark.parametrize("prefix", ["833", "844", "855", "866", "877", "888"])
def test_toll_free_prefixes(client, prefix: str) -> None:  # type: ignore[no-untyped-def]
    found = search(client, TollFreePrefix=prefix, MaxResults=5)
    assert len(found) == 5
    for number in found:
        assert number.startswith(f"+1{prefix}")
        parsed = phonenumbers.parse(number)
        assert phonenumbers.number_type(parsed) == phonenumbers.PhoneNumberType.TOLL_FREE


def test_prefix_800_is_valid_but_empty(client) -> None:  # type: ignore[no-untyped-def]
    response = client.search_available_phone_numbers(TollFreePrefix="800")
    assert response["E164PhoneNumbers"] == []
    assert "NextToken" not in response


@pytest.mark.parametrize(
    ("country", "number_type"),
    [
        ("GB", "Local"),
        ("GB", "TollFree"),
        ("IT", "TollFree"),
        ("DE", "Local"),
        ("AU", "TollFree"),
        ("NZ", "Local"),
        ("SE", "Local"),
        ("CH", "TollFree"),
        ("KR", "Local"),
        ("IE", "Local"),
        ("AT", "Local"),
        ("DK", "Local"),
        ("NG", "Local"),
        ("PR", "Local"),
    ],
)
def test_other_countries_by_type(client, country: str, number_type: str) -> None:  # type: ignore[no-untyped-def]
    found = search(client, Country=country, PhoneNumberType=number_type, MaxResults=3)
    assert len(found) == 3
    expected = {"TollFree": phonenumbers.PhoneNumberType.TOLL_FREE}
    for number in found:
        parsed = phonenumbers.parse(number)
        assert phonenumbers.is_valid_number(parsed)
        assert phonenumbers.region_code_for_number(parsed) == country
        if number_type in expected:
            assert phonenumbers.number_type(parsed) == expected[number_type]


def test_results_are_deterministic_and_paginate(chime: Chime, client) -> None:  # type: ignore[no-untyped-def]
    first = client.search_available_phone_numbers(AreaCode="512", MaxResults=7)
    again = client.search_available_phone_numbers(AreaCode="512", MaxResults=7)
    assert first["E164PhoneNumbers"] == again["E164PhoneNumbers"]
    second = client.search_available_phone_numbers(
        AreaCode="512", MaxResults=7, NextToken=first["NextToken"]
    )
    assert not set(first["E164PhoneNumbers"]) & set(second["E164PhoneNumbers"])
    both = search(client, AreaCode="512", MaxResults=14)
    assert both == first["E164PhoneNumbers"] + second["E164PhoneNumbers"]
    with pytest.raises(client.exceptions.BadRequestException) as excinfo:
        client.search_available_phone_numbers(AreaCode="415", NextToken=first["NextToken"])
    assert "issued for different filters" in excinfo.value.response["Error"]["Message"]


def test_ordered_numbers_disappear_and_search_results_are_orderable(chime: Chime, client) -> None:  # type: ignore[no-untyped-def]
    found = search(client, AreaCode="312", MaxResults=5)
    client.create_phone_number_order(ProductType="VoiceConnector", E164PhoneNumbers=found[:2])
    after = search(client, AreaCode="312", MaxResults=5)
    assert after[:3] == found[2:]
    assert not set(found[:2]) & set(after)
    other = chime.client("222233334444")
    assert not set(found[:2]) & set(search(other, AreaCode="312", MaxResults=5))
    chime.advance(5)
    order = client.create_phone_number_order(ProductType="VoiceConnector", E164PhoneNumbers=after)
    chime.advance(5)
    status = client.get_phone_number_order(
        PhoneNumberOrderId=order["PhoneNumberOrder"]["PhoneNumberOrderId"]
    )
    assert status["PhoneNumberOrder"]["Status"] == "Successful"
    for country, kind in (("GB", "Local"), ("IT", "TollFree")):
        numbers = search(client, Country=country, PhoneNumberType=kind, MaxResults=2)
        order = client.create_phone_number_order(
            ProductType="SipMediaApplicationDialIn", E164PhoneNumbers=numbers
        )
        assert order["ResponseMetadata"]["HTTPStatusCode"] == 201


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"City": "Seattle"}, "City needs State: give both, e.g. City=Seattle and State=WA"),
        ({}, "Searching in US needs at least one of AreaCode, City, State or TollFreePrefix"),
        (
            {"Country": "GB", "AreaCode": "207", "PhoneNumberType": "Local"},
            "AreaCode: outside the US and Canada only PhoneNumberType is supported",
        ),
        ({"Country": "GB"}, "PhoneNumberType is required when searching in GB"),
        (
            {"Country": "FR", "PhoneNumberType": "Local"},
            "Country FR has no Amazon Chime SDK numbers; supported: AT, AU, CA, CH, DE, DK, GB, IE, IT, KR, NG, NZ, PR, SE, US",
        ),
        (
            {"Country": "IT", "PhoneNumberType": "Local"},
            "IT offers no Local numbers; it offers: TollFree",
        ),
        (
            {"TollFreePrefix": "844", "State": "WA"},
            "TollFreePrefix cannot be combined with AreaCode, City or State",
        ),
        (
            {"AreaCode": "206", "PhoneNumberType": "TollFree"},
            "PhoneNumberType TollFree contradicts AreaCode, City and State, which find Local numbers",
        ),
        ({"AreaCode": "20"}, "AreaCode must be three digits, such as 206; got '20'"),
        (
            {"TollFreePrefix": "899"},
            "1 validation error detected: Value '899' at 'TollFreePrefix' failed to satisfy constraint: Member must satisfy regular expression pattern: ^8(00|33|44|55|66|77|88)$",
        ),
        (
            {"AreaCode": "206", "MaxResults": 501},
            "1 validation error detected: Value '501' at 'MaxResults' failed to satisfy constraint: Member must have value less than or equal to 500",
        ),
    ],
)
def test_bad_searches(chime: Chime, kwargs: dict, message: str) -> None:  # type: ignore[type-arg]
    client = chime.client(validate=False)
    with pytest.raises(client.exceptions.BadRequestException) as excinfo:
        client.search_available_phone_numbers(**kwargs)
    assert excinfo.value.response["Error"]["Message"] == message


def test_max_results_500(client) -> None:  # type: ignore[no-untyped-def]
    found = search(client, State="CA", MaxResults=500)
    assert len(found) == 500 == len(set(found))


def test_state_by_name_and_ascii_area_codes(chime: Chime) -> None:
    client = chime.client()
    assert search(client, State="Washington", MaxResults=5) == search(
        client, State="WA", MaxResults=5
    )
    with pytest.raises(client.exceptions.BadRequestException):
        client.search_available_phone_numbers(AreaCode="\u0662\u0660\u0666")
