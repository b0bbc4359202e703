"""Writes an operation's output, or an error, as the rest-json wire form botocore parses.

The inverse of botocore's `RestJSONParser`: members are written by the output shape, absent
members are omitted, and timestamps are ISO 8601 with milliseconds and `Z` (SPEC: AWS examples
such as `2019-08-09T21:35:21.427Z`).
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

import orjson
from botocore.model import OperationModel, Shape

from localchime.protocol.errors import ServiceError
from localchime.protocol.messages import Response

JSON_CONTENT_TYPE = "application/json"


def format_timestamp(value: dt.datetime) -> str:
    utc = value.astimezone(dt.UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


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


def serialize_error(error: ServiceError, request_id: str) -> Response:
    body = orjson.dumps({"Code": error.code, "Message": error.message})
    headers = [
        ("x-amzn-RequestId", request_id),
        ("x-amzn-ErrorType", error.shape),
        ("Content-Type", JSON_CONTENT_TYPE),
    ]
    return Response(error.status, body, headers)


def to_json(value: Any, shape: Shape) -> Any:
    kind = shape.type_name
    if kind == "structure":
        members = shape.members  # type: ignore[attr-defined]
        return {
            name: to_json(item, members[name])
            for name, item in value.items()
            if item is not None and name in members
        }
    if kind == "list":
        item_shape = shape.member  # type: ignore[attr-defined]
        return [to_json(item, item_shape) for item in value]
    if kind == "map":
        value_shape = shape.value  # type: ignore[attr-defined]
        return {key: to_json(item, value_shape) for key, item in value.items()}
    if isinstance(value, dt.datetime):
        # FocDate is a timestamp in older botocore models and a string in newer ones (SPEC:
        # FocDate); either way the wire carries the same ISO 8601 text.
        return format_timestamp(value)
    if kind == "blob":
        return base64.b64encode(value).decode("ascii")
    return value
