"""Resource ids keep the forms AWS uses after being made faster."""

from __future__ import annotations

import re
import uuid

from localchime.core.ids import new_guid, new_lowercase_id

GUID = re.compile(r"[a-f0-9]{8}(?:-[a-f0-9]{4}){3}-[a-f0-9]{12}")


def test_new_guid_is_a_random_uuid_as_uuid4_writes_it() -> None:
    made = [new_guid() for _ in range(5000)]
    assert len(set(made)) == len(made)
    for text in made:
        assert GUID.fullmatch(text), text
        parsed = uuid.UUID(text)
        assert (parsed.version, parsed.variant) == (4, uuid.RFC_4122)
        assert str(parsed) == text
    # Every other bit is random: each of the 122 random bits is seen both set and clear.
    fixed = (0xF000 << 64) | (0xC000 << 48)
    seen_set = seen_clear = 0
    for text in made:
        value = uuid.UUID(text).int
        seen_set |= value
        seen_clear |= ~value
    free = ((1 << 128) - 1) & ~fixed
    assert (seen_set & free, seen_clear & free) == (free, free)


def test_new_lowercase_id_is_lowercase_letters_and_digits() -> None:
    for _ in range(1000):
        assert re.fullmatch(r"[a-z2-7]{22}", new_lowercase_id())
