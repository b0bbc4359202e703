"""Small checks on the lists a request carries, linear in their length so a large body cannot
hold a write transaction for long, and messages that stay short whatever the list holds."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable
from typing import TypeVar

H = TypeVar("H", bound=Hashable)
SHOWN = 10
"""How many values a message names before it says how many more there are."""


def repeated(values: Iterable[H]) -> list[H]:
    """The values that occur more than once, each once, in the order they first occur."""
    return [value for value, seen in Counter(values).items() if seen > 1]


def shown(values: Iterable[object]) -> str:
    """`a, b, c`, or the first few and `… and N more`."""
    listed = [str(value) for value in values]
    head = ", ".join(listed[:SHOWN])
    rest = len(listed) - SHOWN
    return head if rest <= 0 else f"{head} … and {rest:,} more"
