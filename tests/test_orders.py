"""Phone number orders through boto3, on every backend: the seed's three operations."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.harness import Chime, error_of

GUID = re.compile(r"[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}")
SEATTLE = "+12065550100"
SEATTLE_2 = "+12065550101"
TOLL_FREE = "+18335550100"
LONDON = "+442079460000"


def test_create_answers_201_processing_with_every_number(client) -> None:  # type: ignore[no-untyped-def]
    response = client.create_phone_number_order(
        ProductType="VoiceConnector", E164PhoneNumbers=[SEATTLE, TOLL_FREE], Name="front-desk"
    )
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 201
    order = response["PhoneNumberOrder"]
    assert GUID.fullmatch(order["PhoneNumberOrderId"])
    assert order["ProductType"] == "VoiceConnector"
    assert order["Status"] == "Processing"
    assert order["OrderType"] == "New"
    assert order["OrderedPhoneNumbers"] == [
        {"E164PhoneNumber": SEATTLE, "Status": "Processing"},
        {"E164PhoneNumber": TOLL_FREE, "Status": "Processing"},
    ]
    assert order["CreatedTimestamp"] == order["UpdatedTimestamp"]
    assert "FocDate" not in order


def test_ordered_numbers_enter_inventory_acquiring(client) -> None:  # type: ignore[no-untyped-def]
    order = client.create_phone_number_order(
        ProductType="SipMediaApplicationDialIn", E164PhoneNumbers=[TOLL_FREE], Name="support line"
    )["PhoneNumberOrder"]
    number = client.get_phone_number(PhoneNumberId=TOLL_FREE)["PhoneNumber"]
    assert number["PhoneNumberId"] == "%2B18335550100"
    assert number["E164PhoneNumber"] == TOLL_FREE
    assert number["Status"] == "AcquireInProgress"
    assert number["OrderId"] == order["PhoneNumberOrderId"]
    assert number["Name"] == "support line"
    assert number["Type"] == "TollFree"
    assert number["Country"] == "US"
    assert number["ProductType"] == "SipMediaApplicationDialIn"
    assert number["Associations"] == []


def test_order_completes_after_fulfilment_delay(chime: Chime, client) -> None:  # type: ignore[no-untyped-def]
    created = client.create_phone_number_order(
        ProductType="VoiceConnector", E164PhoneNumbers=[SEATTLE, SEATTLE_2], Name="pair"
    )["PhoneNumberOrder"]
    order_id = created["PhoneNumberOrderId"]
    chime.advance(4)
    assert (
        client.get_phone_number_order(PhoneNumberOrderId=order_id)["PhoneNumberOrder"]["Status"]
        == "Processing"
    )
    chime.advance(2)
    order = client.get_phone_number_order(PhoneNumberOrderId=order_id)["PhoneNumberOrder"]
    assert order["Status"] == "Successful"
    assert [n["Status"] for n in order["OrderedPhoneNumbers"]] == ["Acquired", "Acquired"]
    assert order["UpdatedTimestamp"] - order["CreatedTimestamp"] == dt.timedelta(seconds=5)
    assert "FocDate" not in order
    number = client.get_phone_number(PhoneNumberId=SEATTLE)["PhoneNumber"]
    assert number["Status"] == "Unassigned"
    assert number["Type"] == "Local"
    assert number["Capabilities"] == {
        "InboundCall": True,
        "OutboundCall": True,
        "InboundSMS": True,
        "OutboundSMS": True,
        "InboundMMS": True,
        "OutboundMMS": True,
    }
    assert number["Name"] == "pair"
    assert number["UpdatedTimestamp"] == order["UpdatedTimestamp"]


def test_second_account_fails_to_acquire_a_number_won_first(chime: Chime) -> None:
    first, second = chime.client("111111111111"), chime.client("222222222222")
    third = chime.client("333333333333")
    won = first.create_phone_number_order(ProductType="VoiceConnector", E164PhoneNumbers=[SEATTLE])
    partial = second.create_phone_number_order(
        ProductType="VoiceConnector", E164PhoneNumbers=[SEATTLE, SEATTLE_2]
    )
    lost = third.create_phone_number_order(ProductType="VoiceConnector", E164PhoneNumbers=[SEATTLE])
    chime.advance(5)
    assert _status(first, won) == ("Successful", ["Acquired"])
    assert _status(second, partial) == ("Partial", ["Failed", "Acquired"])
    assert _status(third, lost) == ("Failed", ["Failed"])
    assert first.get_phone_number(PhoneNumberId=SEATTLE)["PhoneNumber"]["Status"] == "Unassigned"
    assert (
        second.get_phone_number(PhoneNumberId=SEATTLE)["PhoneNumber"]["Status"] == "AcquireFailed"
    )
    assert second.get_phone_number(PhoneNumberId=SEATTLE_2)["PhoneNumber"]["Status"] == "Unassigned"


def _status(client, created) -> tuple[str, list[str]]:  # type: ignore[no-untyped-def]
    order = client.get_phone_number_order(
        PhoneNumberOrderId=created["PhoneNumberOrder"]["PhoneNumberOrderId"]
    )["PhoneNumberOrder"]
    return order["Status"], [n["Status"] for n in order["OrderedPhoneNumbers"]]


def test_a_held_number_cannot_be_ordered(chime: Chime) -> None:
    first, second = chime.client("111111111111"), chime.client("222222222222")
    first.create_phone_number_order(ProductType="VoiceConnector", E164PhoneNumbers=[SEATTLE])
    chime.advance(5)
    with pytest.raises(second.exceptions.BadRequestException) as excinfo:
        second.create_phone_number_order(ProductType="VoiceConnector", E164PhoneNumbers=[SEATTLE])
    assert error_of(excinfo) == (
        400,
        "BadRequestException",
        f"E164PhoneNumbers: {SEATTLE} is not available; another account holds it",
    )
    with pytest.raises(first.exceptions.BadRequestException) as excinfo:
        first.create_phone_number_order(ProductType="VoiceConnector", E164PhoneNumbers=[SEATTLE])
    assert "already in this account's inventory with status Unassigned" in error_of(excinfo)[2]
    assert second.list_phone_number_orders()["PhoneNumberOrders"] == []


def test_a_failed_number_can_be_ordered_again_once_released(chime: Chime) -> None:
    loser = chime.client("222222222222")
    chime.client("111111111111").create_phone_number_order(
        ProductType="VoiceConnector", E164PhoneNumbers=[SEATTLE]
    )
    loser.create_phone_number_order(ProductType="VoiceConnector", E164PhoneNumbers=[SEATTLE])
    chime.advance(5)
    assert loser.get_phone_number(PhoneNumberId=SEATTLE)["PhoneNumber"]["Status"] == "AcquireFailed"
    with pytest.raises(loser.exceptions.BadRequestException):
        loser.create_phone_number_order(ProductType="VoiceConnector", E164PhoneNumbers=[SEATTLE])


def test_numbers_are_normalised_to_e164(client) -> None:  # type: ignore[no-untyped-def]
    order = client.create_phone_number_order(
        ProductType="VoiceConnector", E164PhoneNumbers=["12065550100"]
    )["PhoneNumberOrder"]
    assert order["OrderedPhoneNumbers"][0]["E164PhoneNumber"] == SEATTLE


def test_phone_number_id_accepted_plain_or_escaped(client) -> None:  # type: ignore[no-untyped-def]
    client.create_phone_number_order(ProductType="VoiceConnector", E164PhoneNumbers=[SEATTLE])
    for given in (SEATTLE, "%2B12065550100", "12065550100"):
        number = client.get_phone_number(PhoneNumberId=given)["PhoneNumber"]
        assert number["E164PhoneNumber"] == SEATTLE


@pytest.mark.parametrize(
    ("numbers", "product", "message"),
    [
        (
            [SEATTLE, "+1 206 555 0100".replace(" ", "")],
            "VoiceConnector",
            f"E164PhoneNumbers[1]: {SEATTLE} appears more than once in this order",
        ),
        (
            ["+12065550100", "+11235550100"],
            "VoiceConnector",
            "E164PhoneNumbers[1]: +11235550100 is not a valid phone number: it is not in any "
            "country's numbering plan",
        ),
        (
            [LONDON],
            "VoiceConnector",
            f"E164PhoneNumbers[0]: {LONDON} is in GB; numbers outside the U.S. must use "
            "ProductType SipMediaApplicationDialIn",
        ),
        (
            ["+33142685300"],
            "SipMediaApplicationDialIn",
            "E164PhoneNumbers[0]: +33142685300 is in FR, where Amazon Chime SDK does not offer "
            "numbers; supported countries: AT, AU, CA, CH, DE, DK, GB, IE, IT, KR, NG, NZ, PR, SE, US",
        ),
        ([], "VoiceConnector", "E164PhoneNumbers must contain at least one phone number"),
    ],
)
def test_create_rejects_bad_numbers(client, numbers, product, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(client.exceptions.BadRequestException) as excinfo:
        client.create_phone_number_order(ProductType=product, E164PhoneNumbers=numbers)
    assert error_of(excinfo) == (400, "BadRequestException", message)
    assert client.list_phone_number_orders()["PhoneNumberOrders"] == []
    with pytest.raises(client.exceptions.NotFoundException):
        client.get_phone_number(PhoneNumberId=SEATTLE)


def test_non_us_number_orders_as_sip_media_application(client) -> None:  # type: ignore[no-untyped-def]
    order = client.create_phone_number_order(
        ProductType="SipMediaApplicationDialIn", E164PhoneNumbers=[LONDON]
    )["PhoneNumberOrder"]
    assert order["Status"] == "Processing"
    assert client.get_phone_number(PhoneNumberId=LONDON)["PhoneNumber"]["Country"] == "GB"


def test_order_size_limit(client) -> None:  # type: ignore[no-untyped-def]
    numbers = [f"+1206555{i:04d}" for i in range(501)]
    with pytest.raises(client.exceptions.BadRequestException) as excinfo:
        client.create_phone_number_order(ProductType="VoiceConnector", E164PhoneNumbers=numbers)
    assert error_of(excinfo)[2] == (
        "E164PhoneNumbers has 501 numbers; an order may contain at most 500 "
        "(LOCALCHIME_MAX_NUMBERS_PER_ORDER)"
    )
    order = client.create_phone_number_order(
        ProductType="VoiceConnector", E164PhoneNumbers=numbers[:500]
    )["PhoneNumberOrder"]
    assert len(order["OrderedPhoneNumbers"]) == 500


def test_get_unknown_and_malformed_order_ids(client) -> None:  # type: ignore[no-untyped-def]
    missing = "0a1b2c3d-0000-4000-8000-000000000000"
    with pytest.raises(client.exceptions.NotFoundException) as excinfo:
        client.get_phone_number_order(PhoneNumberOrderId=missing)
    assert error_of(excinfo) == (
        404,
        "NotFoundException",
        f"PhoneNumberOrder {missing} does not exist in this account and Region",
    )
    with pytest.raises(client.exceptions.BadRequestException) as excinfo:
        client.get_phone_number_order(PhoneNumberOrderId="not-a-guid")
    assert error_of(excinfo) == (
        400,
        "BadRequestException",
        "1 validation error detected: Value 'not-a-guid' at 'PhoneNumberOrderId' failed to "
        "satisfy constraint: Member must satisfy regular expression pattern: "
        "[a-fA-F0-9]{8}(?:-[a-fA-F0-9]{4}){3}-[a-fA-F0-9]{12}",
    )


def test_orders_are_isolated_by_account_and_region(chime: Chime) -> None:
    owner = chime.client("111111111111", "us-east-1")
    order_id = owner.create_phone_number_order(
        ProductType="VoiceConnector", E164PhoneNumbers=[SEATTLE]
    )["PhoneNumberOrder"]["PhoneNumberOrderId"]
    for other in (
        chime.client("222222222222", "us-east-1"),
        chime.client("111111111111", "us-west-2"),
    ):
        with pytest.raises(other.exceptions.NotFoundException):
            other.get_phone_number_order(PhoneNumberOrderId=order_id)
        with pytest.raises(other.exceptions.NotFoundException):
            other.get_phone_number(PhoneNumberId=SEATTLE)
        assert other.list_phone_number_orders()["PhoneNumberOrders"] == []


def test_non_numeric_access_key_maps_to_default_account(chime: Chime) -> None:
    chime.client("AKIAEXAMPLE").create_phone_number_order(
        ProductType="VoiceConnector", E164PhoneNumbers=[SEATTLE]
    )
    assert len(chime.client("123456789012").list_phone_number_orders()["PhoneNumberOrders"]) == 1


def test_list_newest_first_and_paginates_by_key(chime: Chime, client) -> None:  # type: ignore[no-untyped-def]
    created = []
    for i in range(7):
        order = client.create_phone_number_order(
            ProductType="VoiceConnector", E164PhoneNumbers=[f"+1206555{i:04d}"]
        )["PhoneNumberOrder"]
        created.append(order["PhoneNumberOrderId"])
        chime.advance(1)
    seen, token, pages = [], None, 0
    while True:
        kwargs = {"MaxResults": 3} | ({"NextToken": token} if token else {})
        page = client.list_phone_number_orders(**kwargs)
        seen += [o["PhoneNumberOrderId"] for o in page["PhoneNumberOrders"]]
        pages += 1
        token = page.get("NextToken")
        if token is None:
            break
        # An order created mid-listing is newer than the cursor, so it must not shift the pages.
        if pages == 1:
            client.create_phone_number_order(
                ProductType="VoiceConnector", E164PhoneNumbers=["+12065559999"]
            )
    assert seen == list(reversed(created))
    assert pages == 3
    default = client.list_phone_number_orders()["PhoneNumberOrders"]
    assert len(default) == 8 and "NextToken" not in client.list_phone_number_orders()


def test_list_defaults_to_100(client) -> None:  # type: ignore[no-untyped-def]
    for start in range(0, 101, 50):
        batch = [f"+1206555{i:04d}" for i in range(start, min(start + 50, 101))]
        for number in batch:
            client.create_phone_number_order(
                ProductType="VoiceConnector", E164PhoneNumbers=[number]
            )
    first = client.list_phone_number_orders()
    assert len(first["PhoneNumberOrders"]) == 100
    second = client.list_phone_number_orders(NextToken=first["NextToken"])
    assert len(second["PhoneNumberOrders"]) == 1 and "NextToken" not in second


def test_tampered_and_foreign_tokens_are_rejected(chime: Chime, client) -> None:  # type: ignore[no-untyped-def]
    for i in range(3):
        client.create_phone_number_order(
            ProductType="VoiceConnector", E164PhoneNumbers=[f"+1206555{i:04d}"]
        )
    token = client.list_phone_number_orders(MaxResults=1)["NextToken"]
    tampered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    with pytest.raises(client.exceptions.BadRequestException) as excinfo:
        client.list_phone_number_orders(NextToken=tampered)
    assert error_of(excinfo)[2] == "NextToken is not valid: it is malformed or was altered"
    other = chime.client("999999999999")
    with pytest.raises(other.exceptions.BadRequestException) as excinfo:
        other.list_phone_number_orders(NextToken=token)
    assert "issued for different filters" in error_of(excinfo)[2]


@pytest.mark.parametrize("max_results", [0, 101])
def test_list_max_results_range(chime: Chime, max_results: int) -> None:
    client = chime.client(validate=False)
    with pytest.raises(client.exceptions.BadRequestException) as excinfo:
        client.list_phone_number_orders(MaxResults=max_results)
    bound = "greater than or equal to 1" if max_results == 0 else "less than or equal to 100"
    assert error_of(excinfo)[2] == (
        f"1 validation error detected: Value '{max_results}' at 'MaxResults' failed to satisfy "
        f"constraint: Member must have value {bound}"
    )


def test_orders_complete_in_real_time(chime: Chime, client) -> None:  # type: ignore[no-untyped-def]
    """Without touching the clock, an order is done once 5 real seconds have passed."""
    import time

    order_id = client.create_phone_number_order(
        ProductType="VoiceConnector", E164PhoneNumbers=[SEATTLE]
    )["PhoneNumberOrder"]["PhoneNumberOrderId"]
    deadline = time.monotonic() + 15
    status = "Processing"
    while status == "Processing" and time.monotonic() < deadline:
        time.sleep(0.5)
        status = client.get_phone_number_order(PhoneNumberOrderId=order_id)["PhoneNumberOrder"][
            "Status"
        ]
    assert status == "Successful"
