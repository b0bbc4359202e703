"""The control API under /_localchime/: JSON in and out, errors as {"error", "message"}.

- GET  /_localchime/health  → {"status": "ok", "version", "database"}
- POST /_localchime/reset   → wipes all state and puts the clock back to real time
- GET  /_localchime/clock   → {"now", "offset_seconds"}
- POST /_localchime/clock   ← {"advance_seconds": N} or {"set": "<ISO 8601>"}; every transition
  that falls due by the new time has run before it answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import orjson

from localchime import __version__
from localchime.core.clock import clock_state, real_ms, set_offset, to_datetime, to_ms
from localchime.protocol.messages import Request, Response
from localchime.protocol.serializer import format_timestamp

if TYPE_CHECKING:
    from localchime.app import LocalChime


class ControlError(Exception):
    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message


def json_response(status: int, document: dict[str, Any]) -> Response:
    return Response(status, orjson.dumps(document), [("Content-Type", "application/json")])


class ControlApi:
    def __init__(self, app: LocalChime) -> None:
        self.app = app
        self.routes: dict[tuple[str, str], Callable[[Request], dict[str, Any]]] = {
            ("GET", "/_localchime/health"): self.health,
            ("POST", "/_localchime/reset"): self.reset,
            ("GET", "/_localchime/clock"): self.show_clock,
            ("POST", "/_localchime/clock"): self.move_clock,
        }

    def handle(self, request: Request) -> Response:
        path = request.path.rstrip("/")
        route = self.routes.get((request.method, path))
        try:
            if route is None:
                raise self._no_route(request.method, path)
            return json_response(200, route(request))
        except ControlError as error:
            return json_response(error.status, {"error": error.error, "message": error.message})

    def _no_route(self, method: str, path: str) -> ControlError:
        methods = sorted(m for m, p in self.routes if p == path)
        if methods:
            return ControlError(
                405,
                "MethodNotAllowed",
                f"{method} is not allowed on {path}; use {', '.join(methods)}",
            )
        known = ", ".join(sorted({p for _, p in self.routes}))
        return ControlError(404, "NotFound", f"No control endpoint at {path}; known: {known}")

    def health(self, _request: Request) -> dict[str, Any]:
        return {"status": "ok", "version": __version__, "database": self.app.store.dialect}

    def reset(self, _request: Request) -> dict[str, Any]:
        self.app.store.reset()
        return {"status": "reset"}

    def show_clock(self, _request: Request) -> dict[str, Any]:
        return self._clock_document(self.app.now_ms())

    def move_clock(self, request: Request) -> dict[str, Any]:
        body = _json_object(request.body)
        if len(body.keys() & {"advance_seconds", "set"}) != 1 or body.keys() - {
            "advance_seconds",
            "set",
        }:
            raise ControlError(
                400,
                "BadRequest",
                'Send exactly one of {"advance_seconds": N} (N >= 0) or {"set": "<ISO 8601>"}',
            )
        with self.app.store.write() as connection:
            offset_ms, _ = clock_state(connection)
            now = real_ms()
            if "advance_seconds" in body:
                offset_ms += _advance_ms(body["advance_seconds"])
            else:
                offset_ms = _parse_moment(body["set"]) - now
            set_offset(connection, offset_ms)
        return self._clock_document(self.app.now_ms())

    def _clock_document(self, now_ms: int) -> dict[str, Any]:
        with self.app.store.read() as connection:
            offset_ms, _ = clock_state(connection)
        seconds = offset_ms / 1000
        return {
            "now": format_timestamp(to_datetime(now_ms)),
            "offset_seconds": int(seconds) if seconds.is_integer() else seconds,
        }


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        document = orjson.loads(body or b"{}")
    except orjson.JSONDecodeError as exc:
        raise ControlError(400, "BadRequest", f"The body is not valid JSON: {exc}") from None
    if not isinstance(document, dict):
        raise ControlError(400, "BadRequest", "The body must be a JSON object")
    return document


def _advance_ms(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ControlError(400, "BadRequest", "advance_seconds must be a number of seconds")
    if value < 0:
        raise ControlError(
            400, "BadRequest", 'advance_seconds must be >= 0; use {"set": ...} to go back'
        )
    if value > 100 * 365 * 86400:
        raise ControlError(400, "BadRequest", "advance_seconds must be at most 100 years")
    return int(value * 1000)


def _parse_moment(value: Any) -> int:
    if not isinstance(value, str):
        raise ControlError(400, "BadRequest", "set must be an ISO 8601 string")
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ControlError(
            400,
            "BadRequest",
            f"set must be an ISO 8601 timestamp such as 2030-01-01T00:00:00Z, got {value!r}",
        ) from None
    return to_ms(moment)
