"""Writes an operation's output, or an error, as the rest-json wire form botocore parses.

The inverse of botocore's `RestJSONParser`: members are written by the output shape, absent
members are omitted, and timestamps are ISO 8601 with milliseconds and `Z` (SPEC: AWS examples
such as `2019-08-09T21:35:21.427Z`).
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable
from functools import cache
from typing import Any

import orjson
from botocore.model import ListShape, MapShape, OperationModel, Shape, StructureShape

from localchime.protocol.errors import ServiceError
from localchime.protocol.messages import Response

JSON_CONTENT_TYPE = "application/json"


def format_timestamp(value: dt.datetime) -> str:
    if value.tzinfo is not dt.UTC:
        value = value.astimezone(dt.UTC)
    return value.isoformat(timespec="milliseconds")[:-6] + "Z"


class UnknownOutputMember(Exception):
    """A handler returned a key its output shape does not have (strict mode only)."""


def serialize_output(
    operation: OperationModel,
    output: dict[str, Any] | None,
    request_id: str,
    *,
    strict: bool = False,
) -> Response:
    status = int(operation.http.get("responseCode", 200))
    headers = [("x-amzn-RequestId", request_id)]
    shape = operation.output_shape
    if shape is None or status == 204:
        return Response(status, b"", headers)
    headers.append(("Content-Type", JSON_CONTENT_TYPE))
    return Response(status, orjson.dumps(to_json(output or {}, shape, strict=strict)), headers)


def answer(status: int, body: bytes, request_id: str) -> Response:
    """A success answer from a body serialised earlier."""
    headers = [("x-amzn-RequestId", request_id), ("Content-Type", JSON_CONTENT_TYPE)]
    return Response(status, body, headers)


def serialize_error(error: ServiceError, request_id: str) -> Response:
    body = orjson.dumps({"Code": error.code, "Message": error.message})
    headers = [
        ("x-amzn-RequestId", request_id),
        ("x-amzn-ErrorType", error.shape),
        ("Content-Type", JSON_CONTENT_TYPE),
    ]
    return Response(error.status, body, headers)


def to_json(value: Any, shape: Shape, *, strict: bool = False) -> Any:
    writer = writer_for(shape, strict)
    return value if writer is None else writer(value)


Writer = Callable[[Any], Any]


@cache
def writer_for(shape: Shape, strict: bool = False) -> Writer | None:
    """A function that turns a value of `shape` into JSON-ready data, built once per shape.

    None means the value is written as it is (strings, numbers, booleans), so the hot path does
    no work for them. A strict writer raises UnknownOutputMember on a key the shape lacks; a
    lenient one leaves it out, as a client that knows only the model would never see it.
    """
    kind = shape.type_name
    if isinstance(shape, StructureShape):
        return _structure_writer(shape, strict)
    if isinstance(shape, ListShape):
        item = writer_for(shape.member, strict)
        return list if item is None else lambda items: [item(v) for v in items]
    if isinstance(shape, MapShape):
        value = writer_for(shape.value, strict)
        return dict if value is None else lambda items: {k: value(v) for k, v in items.items()}
    if kind == "blob":
        return lambda data: base64.b64encode(data).decode("ascii")
    if kind in ("integer", "long", "float", "double", "boolean"):
        return None
    # FocDate is a timestamp in older botocore models and a string in newer ones (SPEC:
    # FocDate); either way the wire carries the same ISO 8601 text, so any member given a
    # datetime writes one.
    return _scalar


def _scalar(value: Any) -> Any:
    return format_timestamp(value) if isinstance(value, dt.datetime) else value


def _structure_writer(shape: StructureShape, strict: bool) -> Writer:
    members: dict[str, Writer | None] = {}

    def write(value: dict[str, Any]) -> dict[str, Any]:
        if not members:
            members.update({n: writer_for(m, strict) for n, m in shape.members.items()})
        result = {}
        for name, item in value.items():
            if item is None:
                if strict and name not in members:
                    raise UnknownOutputMember(f"{shape.name} has no member {name!r}")
                continue
            writer = members.get(name, _ABSENT)
            if writer is None:
                result[name] = item
            elif writer is _scalar:
                # Inline: most members are strings, and a call per string was a third of
                # serialising a create's answer.
                result[name] = item if type(item) is str else _scalar(item)
            elif writer is _ABSENT:
                if strict:
                    raise UnknownOutputMember(f"{shape.name} has no member {name!r}")
            else:
                result[name] = writer(item)
        return result

    return write


def _absent(value: Any) -> Any:
    raise AssertionError("never called: marks a member the shape lacks")


_ABSENT: Writer = _absent
