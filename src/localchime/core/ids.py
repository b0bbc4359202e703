"""Resource ids in the forms AWS uses."""

from __future__ import annotations

import base64
import itertools
import os
import secrets
import uuid

_VERSION_4 = (0xF000 << 64) | (0xC000 << 48)
"""The version nibble and the variant's two bits of a UUID as an integer."""
_VERSION_4_BITS = (0x4000 << 64) | (0x8000 << 48)


def new_guid() -> str:
    """A GuidString: matches `[a-fA-F0-9]{8}(?:-[a-fA-F0-9]{4}){3}-[a-fA-F0-9]{12}` (SPEC).

    A random (version 4) UUID, as `str(uuid.uuid4())` writes it, without building the UUID
    object: 2.3 µs instead of 3.8 on every create."""
    bits = int.from_bytes(os.urandom(16)) & ~_VERSION_4 | _VERSION_4_BITS
    text = f"{bits:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


class RequestIds:
    """Request ids shaped like UUIDs: a random per-process prefix and a counter.

    Unique across replicas (the prefix) and cheaper than uuid4 on every request. Safe on
    request threads: `next()` of an `itertools.count` is one C call, atomic under the GIL.
    """

    def __init__(self) -> None:
        prefix = uuid.uuid4().hex
        self._prefix = f"{prefix[:8]}-{prefix[8:12]}-{prefix[12:16]}-{prefix[16:20]}-"
        self._counter = itertools.count(int(prefix[20:], 16))

    def next(self) -> str:
        return f"{self._prefix}{next(self._counter) & 0xFFFFFFFFFFFF:012x}"


def new_lowercase_id(length: int = 22) -> str:
    """Lowercase letters and digits, as Voice Connector ids are (`abcdef1ghij2klmno3pqr4`,
    SPEC: Voice Connectors, R). Base32's alphabet is a-z and 2-7, a subset of theirs."""
    return base64.b32encode(secrets.token_bytes((length * 5 + 7) // 8)).decode()[:length].lower()
