"""ValidateE911Address through boto3, offline, on real US addresses."""

from __future__ import annotations

from typing import Any

import pytest

from tests.harness import Chime

WHITE_HOUSE = {
    "AwsAccountId": "123456789012",
    "StreetNumber": "1600",
    "StreetInfo": "Pennsylvania Avenue NW",
    "City": "Washington",
    "State": "DC",
    "Country": "US",
    "PostalCode": "20500",
}
SPACE_NEEDLE = WHITE_HOUSE | {
    "StreetNumber": "400",
    "StreetInfo": "Broad Street",
    "City": "Seattle",
    "State": "WA",
    "PostalCode": "98109",
}


def candidate(city: str, state: str, zip_code: str) -> dict[str, str]:
    """A candidate for the Space Needle's street, 400 Broad Street, standardised."""
    return {
        "streetNumber": "400",
        "streetInfo": "BROAD ST",
        "city": city,
        "state": state,
        "postalCode": zip_code,
        "country": "US",
    }


def validate(client: Any, **fields: str) -> dict[str, Any]:
    response = client.validate_e911_address(**fields)
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 202
    response.pop("ResponseMetadata")
    return response


def test_valid_address_is_0_and_standardised(client) -> None:  # type: ignore[no-untyped-def]
    result = validate(client, **WHITE_HOUSE)
    assert result["ValidationResult"] == 0
    assert result["Address"] == {
        "streetNumber": "1600",
        "streetName": "PENNSYLVANIA",
        "streetSuffix": "AVE",
        "postDirectional": "NW",
        "city": "WASHINGTON",
        "state": "DC",
        "postalCode": "20500",
        "country": "US",
    }
    assert "CandidateAddressList" not in result
    again = validate(client, **WHITE_HOUSE | {"StreetInfo": "pennsylvania ave nw"})
    assert again["AddressExternalId"] == result["AddressExternalId"]


@pytest.mark.parametrize(
    "change",
    [
        {"State": "Washington"},
        {"City": "Seatle"},
        {"StreetInfo": "Broad Street Suite 100"},
        {"StreetInfo": "Broad St Apt 5"},
    ],
)
def test_close_addresses_are_1_and_corrected(client, change: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    exact = validate(client, **SPACE_NEEDLE)
    close = validate(client, **SPACE_NEEDLE | change)
    assert close["ValidationResult"] == 1
    assert close["Address"] == exact["Address"]
    assert close["Address"]["city"] == "SEATTLE" and close["Address"]["state"] == "WA"
    assert close["AddressExternalId"] == exact["AddressExternalId"]


def test_zip_plus_4_is_kept(client) -> None:  # type: ignore[no-untyped-def]
    result = validate(client, **SPACE_NEEDLE | {"PostalCode": "98109-4607"})
    assert result["ValidationResult"] == 0
    assert (result["Address"]["postalCode"], result["Address"]["postalCodePlus4"]) == (
        "98109",
        "4607",
    )


def test_unknown_zip_is_2_with_the_citys_zips(client) -> None:  # type: ignore[no-untyped-def]
    result = validate(client, **SPACE_NEEDLE | {"PostalCode": "99999"})
    assert result["ValidationResult"] == 2
    assert "Address" not in result
    assert result["CandidateAddressList"] == [
        candidate("SEATTLE", "WA", "98101"),
        candidate("SEATTLE", "WA", "98102"),
        candidate("SEATTLE", "WA", "98103"),
    ]


def test_unknown_zip_and_a_city_not_in_that_state_is_2_without_candidates(client) -> None:  # type: ignore[no-untyped-def]
    result = validate(
        client, **SPACE_NEEDLE | {"City": "Springfield", "State": "CA", "PostalCode": "99999"}
    )
    assert result["ValidationResult"] == 2
    assert result["CandidateAddressList"] == []


def test_wrong_state_for_the_zip_and_its_city_is_2_with_the_state_fixed(client) -> None:  # type: ignore[no-untyped-def]
    # README: the ZIP's own city first, here the given city itself; there is no Springfield, CA.
    wrong = SPACE_NEEDLE | {"City": "Springfield", "State": "CA", "PostalCode": "62701"}
    result = validate(client, **wrong)
    assert result["ValidationResult"] == 2
    assert "Address" not in result
    assert result["CandidateAddressList"] == [candidate("SPRINGFIELD", "IL", "62701")]
    # Retrying with the candidate, as SPEC says to, validates.
    fixed = validate(client, **wrong | {"State": "IL"})
    assert fixed["ValidationResult"] == 0
    assert (fixed["Address"]["city"], fixed["Address"]["state"]) == ("SPRINGFIELD", "IL")


def test_wrong_state_where_the_city_also_exists_offers_the_fix_then_that_city(client) -> None:  # type: ignore[no-untyped-def]
    result = validate(
        client, **SPACE_NEEDLE | {"City": "Springfield", "State": "MA", "PostalCode": "62701"}
    )
    assert result["ValidationResult"] == 2
    assert result["CandidateAddressList"] == [
        candidate("SPRINGFIELD", "IL", "62701"),
        candidate("SPRINGFIELD", "MA", "01103"),
        candidate("SPRINGFIELD", "MA", "01104"),
    ]


def test_wrong_state_keeps_a_city_the_zip_accepts(client) -> None:  # type: ignore[no-untyped-def]
    # 10591 is Tarrytown, NY; USPS also accepts Sleepy Hollow and North Tarrytown for it.
    for given in ("Sleepy Hollow", "North Tarrytown", "Tarrytown"):
        result = validate(
            client, **SPACE_NEEDLE | {"City": given, "State": "CT", "PostalCode": "10591"}
        )
        assert result["ValidationResult"] == 2
        assert result["CandidateAddressList"] == [candidate(given.upper(), "NY", "10591")]
    right = validate(
        client, **SPACE_NEEDLE | {"City": "Sleepy Hollow", "State": "NY", "PostalCode": "10591"}
    )
    assert right["ValidationResult"] == 0
    assert right["Address"]["city"] == "SLEEPY HOLLOW"


def test_zip_in_another_state_is_2_with_the_zips_city_first(client) -> None:  # type: ignore[no-untyped-def]
    result = validate(client, **SPACE_NEEDLE | {"PostalCode": "10001"})
    assert result["ValidationResult"] == 2
    assert result["CandidateAddressList"] == [
        candidate("NEW YORK", "NY", "10001"),
        candidate("SEATTLE", "WA", "98101"),
        candidate("SEATTLE", "WA", "98102"),
    ]
    several = validate(
        client, **SPACE_NEEDLE | {"City": "Seattle", "State": "CT", "PostalCode": "10591"}
    )
    # The ZIP's primary city, not one of the others USPS accepts; there is no Seattle, CT.
    assert several["CandidateAddressList"] == [candidate("TARRYTOWN", "NY", "10591")]


def test_city_far_from_the_zip_is_2_with_the_zips_city_first(client) -> None:  # type: ignore[no-untyped-def]
    result = validate(client, **SPACE_NEEDLE | {"City": "Spokane"})
    assert result["ValidationResult"] == 2
    assert result["CandidateAddressList"] == [
        candidate("SEATTLE", "WA", "98109"),
        candidate("SPOKANE", "WA", "99201"),
        candidate("SPOKANE", "WA", "99202"),
    ]


def test_unknown_state_is_2_with_the_zips_city(client) -> None:  # type: ignore[no-untyped-def]
    result = validate(client, **SPACE_NEEDLE | {"State": "Cascadia"})
    assert result["ValidationResult"] == 2
    assert result["CandidateAddressList"] == [candidate("SEATTLE", "WA", "98109")]
    nothing = validate(client, **SPACE_NEEDLE | {"State": "Cascadia", "PostalCode": "99999"})
    assert nothing["CandidateAddressList"] == []


def test_a_correct_address_has_no_candidates(client) -> None:  # type: ignore[no-untyped-def]
    for address in (
        SPACE_NEEDLE,
        SPACE_NEEDLE | {"City": "Springfield", "State": "IL", "PostalCode": "62701"},
        SPACE_NEEDLE | {"City": "New York", "State": "NY", "PostalCode": "10001"},
    ):
        result = validate(client, **address)
        assert result["ValidationResult"] == 0
        assert "CandidateAddressList" not in result
        assert result["Address"]["city"] == address["City"].upper()
        assert result["Address"]["postalCode"] == address["PostalCode"]


def test_po_box_is_not_a_building_address(client) -> None:  # type: ignore[no-untyped-def]
    result = validate(client, **SPACE_NEEDLE | {"StreetNumber": "PO", "StreetInfo": "Box 12"})
    assert result["ValidationResult"] == 2
    assert result["CandidateAddressList"] == []


def test_non_us_address_is_a_bad_request(client) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(client.exceptions.BadRequestException) as excinfo:
        client.validate_e911_address(**SPACE_NEEDLE | {"Country": "CA"})
    assert excinfo.value.response["Error"]["Message"] == (
        "ValidateE911Address validates US addresses only; Country must be US"
    )


def test_another_accounts_address_is_access_denied(client) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(client.exceptions.AccessDeniedException) as excinfo:
        client.validate_e911_address(**SPACE_NEEDLE | {"AwsAccountId": "999999999999"})
    response = excinfo.value.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert response["Error"]["Message"] == (
        "You are not authorized to validate emergency addresses for account 999999999999; "
        "requests may name only the calling account"
    )


def test_blank_fields_are_bad_requests(chime: Chime) -> None:
    client = chime.client(validate=False)
    with pytest.raises(client.exceptions.BadRequestException) as excinfo:
        client.validate_e911_address(**SPACE_NEEDLE | {"City": "   "})
    assert (
        "at 'City' failed to satisfy constraint: Member must satisfy regular expression pattern"
        in (excinfo.value.response["Error"]["Message"])
    )


def test_overrides_pin_an_outcome(chime: Chime, client) -> None:  # type: ignore[no-untyped-def]
    pinned = {
        "Address": {k: v for k, v in SPACE_NEEDLE.items() if k != "AwsAccountId"},
        "ValidationResult": 2,
        "CandidateAddressList": [
            {
                "streetInfo": "BROAD ST",
                "streetNumber": "401",
                "city": "SEATTLE",
                "state": "WA",
                "postalCode": "98109",
                "country": "US",
            }
        ],
    }
    assert chime.control("POST", "e911/overrides", pinned).status == 201
    result = validate(client, **SPACE_NEEDLE | {"City": "seattle"})
    assert result["ValidationResult"] == 2
    assert result["CandidateAddressList"] == pinned["CandidateAddressList"]
    assert chime.control("GET", "e911/overrides").json() == {"Count": 1}
    bad = chime.control("POST", "e911/overrides", pinned | {"ValidationResult": 7})
    assert bad.status == 400 and bad.json()["message"] == "ValidationResult must be 0, 1 or 2"
    assert chime.control("DELETE", "e911/overrides").status == 200
    assert validate(client, **SPACE_NEEDLE)["ValidationResult"] == 0


def test_street_types_before_the_name_and_half_numbers_are_kept(client) -> None:  # type: ignore[no-untyped-def]
    road = validate(
        client,
        **WHITE_HOUSE
        | {
            "StreetNumber": "100",
            "StreetInfo": "County Road 5",
            "City": "Saint Paul",
            "State": "MN",
            "PostalCode": "55101",
        },
    )
    assert road["ValidationResult"] == 0
    assert road["Address"]["streetName"] == "COUNTY RD 5"
    half = validate(client, **SPACE_NEEDLE | {"StreetNumber": "400 1/2"})
    assert half["Address"]["streetNumber"] == "400 1/2"


def test_city_punctuation_does_not_matter(client) -> None:  # type: ignore[no-untyped-def]
    dotted = validate(
        client,
        **WHITE_HOUSE
        | {
            "StreetNumber": "100",
            "StreetInfo": "Main St",
            "City": "St. Paul",
            "State": "MN",
            "PostalCode": "55101",
        },
    )
    plain = validate(
        client,
        **WHITE_HOUSE
        | {
            "StreetNumber": "100",
            "StreetInfo": "Main St",
            "City": "St Paul",
            "State": "MN",
            "PostalCode": "55101",
        },
    )
    assert dotted["ValidationResult"] == plain["ValidationResult"] == 1
    assert dotted["Address"]["city"] == "SAINT PAUL"
