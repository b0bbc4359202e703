"""What control API routes build on: their narrow context, request, answer and errors.

The control API under /_localchime answers JSON, with errors as `{"error", "message"}`. A route
sees a `ControlContext` (the store, the settings and the service clock), never the whole app.
A route reads its body with `ControlRequest.fields`: AWS-style PascalCase keys, older names
accepted as aliases, and any other key refused with a 400 that lists the allowed ones.

A route declares its parameters once, as `Field`s on its `@ROUTES(...)` line: name, kind,
whether it is required, where it travels (path or body) and what it is for. The request's own
checks (`declared_fields`), the `localchime` commands and the `mock_chime` methods all read that
one declaration (`control.routes`), so the three cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

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


Kind = Literal["string", "integer", "number", "boolean", "list", "object", "any"]
_KIND_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "list": (list,),
    "object": (dict,),
    "any": (object,),
}
_KIND_RULES = {
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "list": "a list",
    "object": "a JSON object",
    "any": "given",
}


@dataclass(frozen=True, slots=True)
class Field:
    """One parameter of a control route, declared once for the route, the CLI and the mock."""

    name: str
    kind: Kind = "string"
    required: bool = False
    help: str = ""
    where: Literal["body", "path"] = "body"
    aliases: tuple[str, ...] = ()
    """Older names the body still accepts for this member."""
    rule: str = ""
    """What a value must be, as in "{name} must be {rule}"; by default the kind's phrase."""
    missing: str = ""
    """The message when a required field is left out, if not "{name} must be given: {rule}"."""

    @property
    def must_be(self) -> str:
        return self.rule or _KIND_RULES[self.kind]

    def check(self, value: Any) -> None:
        """A 400 naming the field and its rule when `value` is not of the declared kind; bool
        is no number, though Python counts it as one."""
        numeric = self.kind in ("integer", "number")
        if not isinstance(value, _KIND_TYPES[self.kind]) or (numeric and isinstance(value, bool)):
            raise bad_control_request(f"{self.name} must be {self.must_be}")


@dataclass(frozen=True, slots=True)
class RouteSpec:
    """What a control route is called and what it takes: `@ROUTES(..., name=, fields=)`."""

    method: str
    template: str
    name: str = ""
    """A short stable name (`call-event`) that the CLI's and the mock's callers use."""
    fields: tuple[Field, ...] = ()

    def body_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.where == "body")

    def path_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.where == "path")


_SEGMENT = re.compile(r"\{(\w+)\}")


def with_path_fields(template: str, fields: tuple[Field, ...]) -> tuple[Field, ...]:
    """`fields` with a path field for each `{name}` of `template` not declared already; a
    declared path field the template lacks fails at import."""
    segments = _SEGMENT.findall(template)
    for field in fields:
        if field.where == "path" and field.name not in segments:
            raise ValueError(f"path field {field.name} is not a segment of {template}")
    declared = {f.name for f in fields if f.where == "path"}
    implied = tuple(
        Field(name, required=True, where="path") for name in segments if name not in declared
    )
    return implied + fields


def route_named(routes: Iterable[RouteSpec], name: str) -> RouteSpec:
    """The declared route called `name`, as the CLI and the mock find theirs."""
    for spec in routes:
        if spec.name == name:
            return spec
    raise LookupError(f"no control route is named {name!r}")


def request_for(spec: RouteSpec, values: Mapping[str, Any]) -> tuple[str, str, Any]:
    """(method, path below /_localchime, JSON body or None) that calls `spec` with `values`,
    keyed by field name; a None value is left out, as a field not given."""
    unknown = set(values) - {f.name for f in spec.fields}
    if unknown:
        raise LookupError(f"{spec.name} declares no field {', '.join(sorted(unknown))}")
    path = spec.template
    for field in spec.path_fields():
        path = path.replace(
            "{" + field.name + "}", urllib.parse.quote(str(values[field.name]), safe="")
        )
    body = {f.name: values[f.name] for f in spec.body_fields() if values.get(f.name) is not None}
    send_body = bool(body) or spec.method in ("POST", "PUT")
    return spec.method, path, body if send_body else None


@dataclass(frozen=True, slots=True)
class ControlRequest:
    body: bytes
    params: dict[str, str]
    """The `{name}` segments of the route's template."""
    spec: RouteSpec | None = None
    """The route's declaration, whose body fields `fields()` checks."""

    def json(self) -> dict[str, Any]:
        return json_object(self.body)

    def fields(
        self, allowed: Sequence[str] | None = None, aliases: Mapping[str, str] | None = None
    ) -> dict[str, Any]:
        """The body's members keyed by their PascalCase names, checked against the route's
        declared fields (`declared_fields`), or only against `allowed` (`known_fields`)."""
        if allowed is None:
            declared = self.spec.body_fields() if self.spec is not None else ()
            return declared_fields(self.json(), declared)
        return known_fields(self.json(), allowed, aliases)


def declared_fields(document: dict[str, Any], declared: Sequence[Field]) -> dict[str, Any]:
    """`document`'s members by their declared names: an unknown key, a required one missing or
    a value of the wrong kind is a 400 naming the field and the rule. Handlers check the finer
    rules (E.164, patterns, enums) on what this answers."""
    aliases = {old: f.name for f in declared for old in f.aliases}
    fields = known_fields(document, [f.name for f in declared], aliases)
    # Every given value's kind first, so a body with one wrong value hears about that one.
    for field in declared:
        if fields.get(field.name) is not None:
            field.check(fields[field.name])
    for field in declared:
        if field.required and fields.get(field.name) is None:
            raise bad_control_request(
                field.missing or f"{field.name} must be given: {field.must_be}"
            )
    return fields


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
