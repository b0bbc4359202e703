"""Turns a routed HTTP request into the operation's input parameters.

The inverse of botocore's `RestJSONSerializer`: URI labels, query string, headers and JSON body
members are read by the input shape's `location` traits and converted to Python types. A value of
the wrong type is a BadRequest naming the member path; constraints are the validator's job.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import orjson
from botocore.model import OperationModel, Shape

from localchime.protocol.errors import BadRequest
from localchime.protocol.router import Match

Params = dict[str, Any]
_INTEGER = re.compile(r"-?[0-9]+")


@dataclass(frozen=True, slots=True)
class InputMember:
    name: str
    location: str | None
    wire_name: str
    shape: Shape


@cache
def _input_members(operation: OperationModel) -> tuple[InputMember, ...]:
    shape = operation.input_shape
    if shape is None:
        return ()
    return tuple(
        InputMember(
            name,
            member.serialization.get("location"),
            member.serialization.get("name", name),
            member,
        )
        for name, member in shape.members.items()
    )


def parse_request(match: Match, headers: dict[str, str], body: bytes) -> Params:
    params: Params = {}
    body_members: list[InputMember] = []
    for member in _input_members(match.operation):
        if member.location == "uri":
            raw = match.uri_params.get(member.wire_name)
            if raw is not None:
                params[member.name] = _from_text(raw, member.shape, member.name)
        elif member.location == "querystring":
            _read_query(member, match.query, params)
        elif member.location == "header":
            raw = headers.get(member.wire_name.lower())
            if raw is not None:
                params[member.name] = _from_text(raw, member.shape, member.name)
        else:
            body_members.append(member)
    if body_members and body:
        document = _load_json_object(body)
        for member in body_members:
            if member.name in document and document[member.name] is not None:
                params[member.name] = from_json(document[member.name], member.shape, member.name)
    return params


def _load_json_object(body: bytes) -> dict[str, Any]:
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise BadRequest(f"The request body is not valid JSON: {exc}") from None
    if not isinstance(document, dict):
        raise BadRequest(f"The request body must be a JSON object, not {_json_kind(document)}")
    return document


def _read_query(member: InputMember, query: dict[str, list[str]], params: Params) -> None:
    values = query.get(member.wire_name)
    if values is None:
        return
    if member.shape.type_name == "list":
        params[member.name] = [
            _from_text(v, member.shape.member, f"{member.name}[{i}]") for i, v in enumerate(values)
        ]
        return
    if len(values) > 1:
        raise BadRequest(
            f"Query parameter '{member.wire_name}' ({member.name}) may appear only once; "
            f"it appeared {len(values)} times"
        )
    params[member.name] = _from_text(values[0], member.shape, member.name)


def _from_text(raw: str, shape: Shape, path: str) -> Any:
    """Converts a URI, query or header value, which botocore writes as text."""
    kind = shape.type_name
    if kind == "string":
        return raw
    if kind in ("integer", "long"):
        # int() would also take " 5", "5_0" and non-ASCII digits; the wire allows none of them.
        if not _INTEGER.fullmatch(raw):
            raise BadRequest(f"Invalid value for {path}: expected an integer, got '{raw}'")
        return int(raw)
    if kind == "boolean":
        if raw in ("true", "false"):
            return raw == "true"
        raise BadRequest(f"Invalid value for {path}: expected true or false, got '{raw}'")
    if kind in ("float", "double"):
        try:
            return float(raw)
        except ValueError:
            raise BadRequest(f"Invalid value for {path}: expected a number, got '{raw}'") from None
    if kind == "timestamp":
        return _parse_timestamp(raw, path)
    raise BadRequest(f"Invalid value for {path}: {kind} values cannot be sent as text")


def from_json(value: Any, shape: Shape, path: str) -> Any:
    """Checks one JSON value against its shape's type and converts it to Python."""
    kind = shape.type_name
    converter = _JSON_CONVERTERS.get(kind)
    if converter is None:
        raise BadRequest(f"Invalid value for {path}: unsupported type {kind}")
    return converter(value, shape, path)


def _type_error(path: str, expected: str, value: Any) -> Exception:
    return BadRequest(
        f"Invalid type for parameter {path}: expected {expected}, got {_json_kind(value)}"
    )


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _json_string(value: Any, shape: Shape, path: str) -> str:
    if not isinstance(value, str):
        raise _type_error(path, "a string", value)
    return value


def _json_integer(value: Any, shape: Shape, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _type_error(path, "an integer", value)
    return value


def _json_float(value: Any, shape: Shape, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _type_error(path, "a number", value)
    return float(value)


def _json_boolean(value: Any, shape: Shape, path: str) -> bool:
    if not isinstance(value, bool):
        raise _type_error(path, "a boolean", value)
    return value


def _json_blob(value: Any, shape: Shape, path: str) -> bytes:
    if not isinstance(value, str):
        raise _type_error(path, "a base64 string", value)
    try:
        return base64.b64decode(value, validate=True)
    except ValueError:
        raise BadRequest(f"Invalid value for {path}: not valid base64") from None


def _json_timestamp(value: Any, shape: Shape, path: str) -> dt.datetime:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return dt.datetime.fromtimestamp(value, dt.UTC)
    if isinstance(value, str):
        return _parse_timestamp(value, path)
    raise _type_error(path, "a timestamp", value)


def _json_list(value: Any, shape: Shape, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise _type_error(path, "an array", value)
    item_shape = shape.member
    return [from_json(item, item_shape, f"{path}[{i}]") for i, item in enumerate(value)]


def _json_map(value: Any, shape: Shape, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _type_error(path, "an object", value)
    return {
        key: from_json(item, shape.value, f"{path}.{key}")
        for key, item in value.items()
        if item is not None
    }


def _json_structure(value: Any, shape: Shape, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _type_error(path, "an object", value)
    result: dict[str, Any] = {}
    for name, member in shape.members.items():
        item = value.get(name)
        if item is not None:
            result[name] = from_json(item, member, f"{path}.{name}")
    return result


_JSON_CONVERTERS = {
    "string": _json_string,
    "integer": _json_integer,
    "long": _json_integer,
    "float": _json_float,
    "double": _json_float,
    "boolean": _json_boolean,
    "blob": _json_blob,
    "timestamp": _json_timestamp,
    "list": _json_list,
    "map": _json_map,
    "structure": _json_structure,
}


def _parse_timestamp(raw: str, path: str) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        try:
            return dt.datetime.fromtimestamp(float(raw), dt.UTC)
        except ValueError:
            raise BadRequest(
                f"Invalid value for {path}: expected an ISO 8601 timestamp, got '{raw}'"
            ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
