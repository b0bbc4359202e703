"""Enforces the constraints the model declares: required, enum, min/max and pattern.

botocore only checks `required` and `min` on the client, so a server must check the rest (SPEC:
wire protocol). Every violation is collected and reported in one BadRequest whose message names
the member path and the rule, in the style AWS services use.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from botocore.model import Shape, StructureShape

from localchime.protocol.errors import BadRequest

# Java accepts a quantifier on an anchor (`${2,64}`, seen in ClientRequestId); it means the anchor.
_QUANTIFIED_ANCHOR = re.compile(r"(?<!\\)([$^])\{\d+(?:,\d*)?\}")
_ECHO_LIMIT = 64


@cache
def compile_pattern(pattern: str) -> re.Pattern[str]:
    """Model patterns are Java regexes: ASCII classes, and anchors may carry quantifiers."""
    return re.compile(_QUANTIFIED_ANCHOR.sub(r"\1", pattern), re.ASCII)


def validate(shape: StructureShape | None, params: dict[str, Any]) -> None:
    if shape is None:
        return
    errors: list[str] = []
    _check_structure(params, shape, "", errors)
    if errors:
        count = len(errors)
        noun = "error" if count == 1 else "errors"
        raise BadRequest(f"{count} validation {noun} detected: " + "; ".join(errors))


def _violation(value: Any, shape: Shape, path: str, rule: str) -> str:
    if value is None:
        shown = "null"
    elif shape.metadata.get("sensitive"):
        shown = "(sensitive value)"
    else:
        text = str(value)
        if len(text) > _ECHO_LIMIT:
            text = text[:_ECHO_LIMIT] + "..."
        shown = f"'{text}'"
    return f"Value {shown} at '{path}' failed to satisfy constraint: {rule}"


def _check(value: Any, shape: Shape, path: str, errors: list[str]) -> None:
    kind = shape.type_name
    if kind == "structure":
        _check_structure(value, shape, path, errors)
    elif kind == "string":
        _check_string(value, shape, path, errors)
    elif kind in ("integer", "long", "float", "double"):
        _check_range(value, shape, path, errors)
    elif kind == "list":
        _check_length(len(value), value, shape, path, errors)
        for index, item in enumerate(value):
            _check(item, shape.member, f"{path}[{index}]", errors)
    elif kind == "map":
        _check_length(len(value), value, shape, path, errors)
        for key, item in value.items():
            _check(key, shape.key, f"{path}.{key}", errors)
            _check(item, shape.value, f"{path}.{key}", errors)


def _check_structure(
    value: dict[str, Any], shape: StructureShape, path: str, errors: list[str]
) -> None:
    prefix = f"{path}." if path else ""
    for name in shape.required_members:
        if value.get(name) is None:
            errors.append(
                _violation(None, shape.members[name], prefix + name, "Member must not be null")
            )
    for name, item in value.items():
        member = shape.members.get(name)
        if member is not None and item is not None:
            _check(item, member, prefix + name, errors)


def _check_string(value: str, shape: Shape, path: str, errors: list[str]) -> None:
    meta = shape.metadata
    enum = meta.get("enum")
    if enum and value not in enum:
        errors.append(
            _violation(
                value, shape, path, "Member must satisfy enum value set: [" + ", ".join(enum) + "]"
            )
        )
        return
    _check_length(len(value), value, shape, path, errors)
    pattern = meta.get("pattern")
    if pattern and not compile_pattern(pattern).fullmatch(value):
        errors.append(
            _violation(
                value, shape, path, f"Member must satisfy regular expression pattern: {pattern}"
            )
        )


def _check_length(length: int, value: Any, shape: Shape, path: str, errors: list[str]) -> None:
    meta = shape.metadata
    if "min" in meta and length < meta["min"]:
        errors.append(
            _violation(
                value,
                shape,
                path,
                f"Member must have length greater than or equal to {meta['min']}",
            )
        )
    if "max" in meta and length > meta["max"]:
        errors.append(
            _violation(
                value, shape, path, f"Member must have length less than or equal to {meta['max']}"
            )
        )


def _check_range(value: float, shape: Shape, path: str, errors: list[str]) -> None:
    meta = shape.metadata
    if "min" in meta and value < meta["min"]:
        errors.append(
            _violation(
                value, shape, path, f"Member must have value greater than or equal to {meta['min']}"
            )
        )
    if "max" in meta and value > meta["max"]:
        errors.append(
            _violation(
                value, shape, path, f"Member must have value less than or equal to {meta['max']}"
            )
        )
