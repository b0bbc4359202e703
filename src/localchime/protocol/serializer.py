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
from botocore.model import OperationModel, Shape

from localchime.protocol.errors import ServiceError
from localchime.protocol.messages import Response

JSON_CONTENT_TYPE = "application/json"


def format_timestamp(value: dt.datetime) -> str:
    if value.tzinfo is not dt.UTC:
        value = value.astimezone(dt.UTC)
    return value.isoformat(timespec="milliseconds")[:-6] + "Z"


def serialize_output(
    operation: OperationModel, output: dict[str, Any] | None, request_id: str
) -> Response:
    status = int(operation.http.get("responseCode", 200))
    headers = [("x-amzn-RequestId", request_id)]
    shape = operation.output_shape
    if shape is None or status == 204:
        return Response(status, b"", headers)
    headers.append(("Content-Type", JSON_CONTENT_TYPE))
    return Response(status, orjson.dumps(to_json(output or {}, shape)), headers)


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


def to_json(value: Any, shape: Shape) -> Any:
    writer = writer_for(shape)
    return value if writer is None else writer(value)


Writer = Callable[[Any], Any]


@cache
def writer_for(shape: Shape) -> Writer | None:
    """A function that turns a value of `shape` into JSON-ready data, built once per shape.

    None means the value is written as it is (strings, numbers, booleans), so the hot path does
    no work for them.
    """
    kind = shape.type_name
    if kind == "structure":
        return _structure_writer(shape)
    if kind == "list":
        item = writer_for(shape.member)  # type: ignore[attr-defined]
        return list if item is None else lambda items: [item(v) for v in items]
    if kind == "map":
        item = writer_for(shape.value)  # type: ignore[attr-defined]
        return dict if item is None else lambda items: {k: item(v) for k, v in items.items()}
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


def _structure_writer(shape: Shape) -> Writer:
    members: dict[str, Writer | None] = {}

    def write(value: dict[str, Any]) -> dict[str, Any]:
        if not members:
            members.update({n: writer_for(m) for n, m in shape.members.items()})  # type: ignore[attr-defined]
        result = {}
        for name, item in value.items():
            if item is None or name not in members:
                continue
            writer = members[name]
            result[name] = item if writer is None else writer(item)
        return result

    return write
