"""Hypothesis strategies that draw valid values for any botocore shape, from the model alone."""

from __future__ import annotations

import datetime as dt
from typing import Any

from botocore.model import Shape
from hypothesis import strategies as st

from localchime.protocol.validator import compile_pattern

MAX_ITEMS = 3
TEXT = st.characters(codec="utf-8", exclude_categories=("Cs",))


def for_shape(shape: Shape, *, in_uri: bool = False) -> st.SearchStrategy[Any]:
    kind = shape.type_name
    if kind == "structure":
        return _structure(shape)
    if kind == "list":
        meta = shape.metadata
        return st.lists(
            for_shape(shape.member),  # type: ignore[attr-defined]
            min_size=meta.get("min", 0),
            max_size=min(meta.get("max", MAX_ITEMS), max(meta.get("min", 0), MAX_ITEMS)),
        )
    if kind == "map":
        meta = shape.metadata
        return st.dictionaries(
            for_shape(shape.key),  # type: ignore[attr-defined]
            for_shape(shape.value),  # type: ignore[attr-defined]
            min_size=meta.get("min", 0),
            max_size=min(meta.get("max", MAX_ITEMS), MAX_ITEMS),
        )
    if kind == "string":
        return _string(shape, in_uri=in_uri)
    if kind in ("integer", "long"):
        meta = shape.metadata
        return st.integers(
            min_value=meta.get("min", -(2**31)), max_value=meta.get("max", 2**31 - 1)
        )
    if kind in ("float", "double"):
        meta = shape.metadata
        return st.floats(
            min_value=meta.get("min"),
            max_value=meta.get("max"),
            allow_nan=False,
            allow_infinity=False,
        )
    if kind == "boolean":
        return st.booleans()
    if kind == "timestamp":
        return st.datetimes(
            min_value=dt.datetime(1971, 1, 1),
            max_value=dt.datetime(2100, 1, 1),
            timezones=st.just(dt.UTC),
        ).map(lambda d: d.replace(microsecond=d.microsecond // 1000 * 1000))
    raise NotImplementedError(kind)


def _string(shape: Shape, *, in_uri: bool) -> st.SearchStrategy[str]:
    meta = shape.metadata
    if "enum" in meta:
        return st.sampled_from(meta["enum"])
    low = max(meta.get("min", 0), 1 if in_uri else 0)
    high = min(meta.get("max", 40), 40)
    if "pattern" in meta:
        pattern = compile_pattern(meta["pattern"])
        base = st.from_regex(pattern, fullmatch=True, alphabet=TEXT)
    else:
        base = st.text(TEXT, min_size=low, max_size=high)
    return base.filter(lambda s: low <= len(s) <= max(high, low))


def _structure(shape: Shape) -> st.SearchStrategy[dict[str, Any]]:
    required = set(shape.required_members)  # type: ignore[attr-defined]
    members = shape.members  # type: ignore[attr-defined]
    fixed = {}
    optional = {}
    for name, member in members.items():
        strategy = for_shape(member, in_uri=member.serialization.get("location") == "uri")
        (fixed if name in required else optional)[name] = strategy
    return st.fixed_dictionaries(fixed, optional=optional)
