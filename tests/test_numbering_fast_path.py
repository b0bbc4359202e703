"""The +1 fast path of number classification gives what phonenumbers' own parsing and validity
check give, for any ten-digit NANP number."""

from __future__ import annotations

import phonenumbers
from hypothesis import given, settings
from hypothesis import strategies as st

from localchime.domain.numbering import parse_e164

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
