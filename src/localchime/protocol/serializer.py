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
    return Response(status, dump(output or {}, shape, strict=strict), headers)


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


def dump(value: Any, shape: Shape, *, strict: bool = False) -> bytes:
    """The JSON text of `value` written by `shape`. Members the shape lacks and None values are
    left out by the shape's writer; timestamps and blobs are written by orjson's `default` hook
    as orjson meets them, so no Python code visits the strings and numbers in between."""
    writer = writer_for(shape, strict)
    data = value if writer is None else writer(value)
    return orjson.dumps(data, default=_wire_scalar, option=orjson.OPT_PASSTHROUGH_DATETIME)


def to_json(value: Any, shape: Shape, *, strict: bool = False) -> Any:
    """`value` as the wire carries it, as JSON-ready data (timestamps as ISO 8601 text)."""
    return orjson.loads(dump(value, shape, strict=strict))


_last_timestamp: tuple[dt.datetime | None, str] = (None, "")


def _wire_scalar(value: Any) -> Any:
    # FocDate is a timestamp in older botocore models and a string in newer ones (SPEC:
    # FocDate); either way the wire carries the same ISO 8601 text, so any member given a
    # datetime writes one.
    if isinstance(value, dt.datetime):
        global _last_timestamp
        # An answer's timestamps are often one datetime (created = updated): written once.
        last, text = _last_timestamp
        if value is not last:
            text = format_timestamp(value)
            _last_timestamp = (value, text)
        return text
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()  # what orjson writes for these by itself
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(value).decode("ascii")
    raise TypeError(f"{type(value).__name__} cannot be written as JSON")


Writer = Callable[[Any], Any]


@cache
def writer_for(shape: Shape, strict: bool = False) -> Writer | None:
    """A function that leaves out what a value of `shape` must not carry (None values, and keys
    the shape lacks, at any depth), built once per shape.

    None means the value is written as it is: scalars, and lists and maps of them. A strict
    writer raises UnknownOutputMember on a key the shape lacks; a lenient one leaves it out, as
    a client that knows only the model would never see it.
    """
    if isinstance(shape, StructureShape):
        return _structure_writer(shape, strict)
    if isinstance(shape, ListShape):
        item = writer_for(shape.member, strict)
        return None if item is None else lambda items: [item(v) for v in items]
    if isinstance(shape, MapShape):
        value = writer_for(shape.value, strict)
        return None if value is None else lambda items: {k: value(v) for k, v in items.items()}
    return None


def _structure_writer(shape: StructureShape, strict: bool) -> Writer:
    names: frozenset[str] = frozenset()
    nested: tuple[tuple[str, Writer], ...] = ()
    built = False

    def write(value: dict[str, Any]) -> dict[str, Any]:
        nonlocal names, nested, built
        if not built:
            # On first use, not when built: a shape may contain itself.
            names = frozenset(shape.members)
            writers = ((n, writer_for(m, strict)) for n, m in shape.members.items())
            nested = tuple((n, w) for n, w in writers if w is not None)
            built = True
        result = {name: item for name, item in value.items() if item is not None}
        if not value.keys() <= names:
            unknown = next(name for name in value if name not in names)
            if strict:
                raise UnknownOutputMember(f"{shape.name} has no member {unknown!r}")
            result = {name: item for name, item in result.items() if name in names}
        for name, writer in nested:
            item = result.get(name)
            if item is not None:
                result[name] = writer(item)
        return result

    return write
