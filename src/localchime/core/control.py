"""What control API routes build on: their narrow context, request, answer and errors.

The control API under /_localchime answers JSON, with errors as `{"error", "message"}`. A route
sees a `ControlContext` (the store, the settings and the service clock), never the whole app.
A route reads its body with `ControlRequest.fields`: AWS-style PascalCase keys, older names
accepted as aliases, and any other key refused with a 400 that lists the allowed ones.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from localchime.config import Settings
from localchime.core.clock import to_ms
from localchime.core.lists import shown
from localchime.store import Store

Reply = tuple[int, dict[str, Any]]
EARLIEST_MS = 0
LATEST_MS = to_ms(dt.datetime(9000, 1, 1, tzinfo=dt.UTC))


@dataclass(frozen=True, slots=True)
class ControlContext:
    store: Store
    settings: Settings
    now_ms: Callable[[], int]
    """The service clock, after every transition due by it has run."""


@dataclass(frozen=True, slots=True)
class ControlRequest:
    body: bytes
    params: dict[str, str]
    """The `{name}` segments of the route's template."""

    def json(self) -> dict[str, Any]:
        return json_object(self.body)

    def fields(
        self, allowed: Sequence[str], aliases: Mapping[str, str] | None = None
    ) -> dict[str, Any]:
        """The body's members keyed by their PascalCase names; see `known_fields`."""
        return known_fields(self.json(), allowed, aliases)


class ControlError(Exception):
    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message


def bad_control_request(message: str) -> ControlError:
    return ControlError(400, "BadRequest", message)


def control_not_found(message: str) -> ControlError:
    return ControlError(404, "NotFound", message)


def json_object(body: bytes) -> dict[str, Any]:
    try:
        document = orjson.loads(body or b"{}")
    except orjson.JSONDecodeError as exc:
        raise bad_control_request(f"The body is not valid JSON: {exc}") from None
    if not isinstance(document, dict):
        raise bad_control_request("The body must be a JSON object")
    return document


def known_fields(
    document: dict[str, Any],
    allowed: Sequence[str],
    aliases: Mapping[str, str] | None = None,
    *,
    where: str = "the body",
) -> dict[str, Any]:
    """`document`'s members keyed by their names in `allowed`, an old name in `aliases` (old →
    new) standing for its new one. An unknown key, or a key given under both names, is a 400;
    the message lists only the `allowed` names, never the aliases."""
    aliases = aliases or {}
    unknown = [key for key in document if key not in allowed and key not in aliases]
    if unknown:
        keys = shown(repr(key) for key in unknown)
        raise bad_control_request(
            f"Unknown key{'s' if len(unknown) > 1 else ''} {keys} in {where}; "
            f"allowed: {', '.join(allowed)}"
        )
    fields: dict[str, Any] = {}
    for key, value in document.items():
        name = aliases.get(key, key)
        if name not in allowed:
            raise ValueError(f"alias {key!r} names {name!r}, which is not allowed")
        if name in fields:
            raise bad_control_request(
                f"{name!r} and its old name {_old_name(name, aliases)!r} are both in {where}; "
                f"send only {name!r}"
            )
        fields[name] = value
    return fields


def _old_name(name: str, aliases: Mapping[str, str]) -> str:
    return next(old for old, new in aliases.items() if new == name)


E164 = re.compile(r"\+[1-9]\d{1,14}")


def e164_field(body: Mapping[str, Any], name: str) -> str:
    """The body's `name`, which must be an E.164 number."""
    value = body.get(name)
    if not isinstance(value, str) or not E164.fullmatch(value):
        raise bad_control_request(
            f"{name} must be an E.164 number such as +12065550100; got {value!r}"
        )
    return value


def parse_moment(field: str, value: Any) -> int:
    """An ISO 8601 time, in epoch milliseconds; naive times are UTC."""
    if not isinstance(value, str):
        raise bad_control_request(f"{field} must be an ISO 8601 string")
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        moment_ms = to_ms(moment)
    except (ValueError, OverflowError):
        raise bad_control_request(
            f"{field} must be an ISO 8601 timestamp such as 2030-01-01T00:00:00Z, got {value!r}"
        ) from None
    if not EARLIEST_MS <= moment_ms <= LATEST_MS:
        raise bad_control_request(f"{field} must lie between 1970-01-01 and 9000-01-01")
    return moment_ms
