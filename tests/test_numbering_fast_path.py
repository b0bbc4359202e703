"""The +1 fast path of number classification gives what phonenumbers' own parsing and validity
check give, for any ten-digit NANP number."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from localchime.domain.numbering import (
    _TYPE_OF,
    _nanp_region_and_type,
    classify,
    parse_e164,
    region_and_type,
)
from localchime.protocol.errors import ServiceError

NANP = st.integers(min_value=0, max_value=9_999_999_999).map(lambda n: f"+1{n:010d}")


@settings(max_examples=3000, deadline=None)
@given(NANP)
def test_fast_path_matches_phonenumbers(e164: str) -> None:
    fast = parse_e164(e164)
    slow = phonenumbers.parse(e164, None)
    assert (fast.country_code, fast.national_number) == (slow.country_code, slow.national_number)
    assert phonenumbers.is_valid_number(slow) == (
        phonenumbers.number_type(fast) != phonenumbers.PhoneNumberType.UNKNOWN
    )
    assert phonenumbers.number_type(fast) == phonenumbers.number_type(slow)
    assert phonenumbers.region_code_for_number(fast) == phonenumbers.region_code_for_number(slow)


ANY_E164 = st.integers(min_value=1, max_value=999).flatmap(
    lambda code: st.integers(min_value=0, max_value=10**12 - 1).map(
        lambda national: phonenumbers.PhoneNumber(country_code=code, national_number=national)
    )
)


@settings(max_examples=3000, deadline=None)
@given(st.one_of(NANP.map(parse_e164), ANY_E164))
def test_region_and_type_is_the_two_public_lookups(number: phonenumbers.PhoneNumber) -> None:
    """One walk of the country code's regions gives what `region_code_for_number` and
    `number_type` give, for +1 numbers (25 regions share it) and any other country code."""
    assert region_and_type(number) == (
        phonenumbers.region_code_for_number(number),
        phonenumbers.number_type(number),
    )


@pytest.mark.parametrize(
    ("e164", "expected"),
    [
        ("+12065550100", ("US", phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)),
        ("+18445550100", ("US", phonenumbers.PhoneNumberType.TOLL_FREE)),
        ("+14165550100", ("CA", phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)),
        ("+12684601234", ("AG", phonenumbers.PhoneNumberType.FIXED_LINE)),
        ("+12015550100", ("US", phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)),
        ("+10005550100", (None, phonenumbers.PhoneNumberType.UNKNOWN)),
        ("+442079460000", ("GB", phonenumbers.PhoneNumberType.FIXED_LINE)),
    ],
)
def test_region_and_type_of_known_numbers(e164: str, expected: tuple[str | None, int]) -> None:
    number = phonenumbers.parse(e164, None)
    assert region_and_type(number) == expected
    assert expected == (
        phonenumbers.region_code_for_number(number),
        phonenumbers.number_type(number),
    )


@settings(max_examples=2000, deadline=None)
@given(NANP)
def test_classified_nanp_numbers_keep_phonenumbers_e164_form(e164: str) -> None:
    try:
        info = classify.__wrapped__(e164)
    except ServiceError:
        # Not orderable (invalid, or a type or country not sold): no form to compare.
        return
    slow = phonenumbers.parse(e164, None)
    assert info.e164 == phonenumbers.format_number(slow, phonenumbers.PhoneNumberFormat.E164)
    assert info.country == phonenumbers.region_code_for_number(slow)
    assert info.number_type == _TYPE_OF[phonenumbers.number_type(slow)]


@settings(max_examples=3000, deadline=None)
@given(st.integers(min_value=2_000_000_000, max_value=9_999_999_999).map(lambda n: f"+1{n}"))
def test_a_nanp_number_is_typed_from_its_text_as_from_its_parse(e164: str) -> None:
    """Classification types a ten-digit +1 number from its text, without building it."""
    from_text = _nanp_region_and_type(e164)
    number = phonenumbers.parse(e164, None)
    public = (phonenumbers.region_code_for_number(number), phonenumbers.number_type(number))
    assert from_text is None or from_text == public
    if from_text is None:
        assert public[0] is None
