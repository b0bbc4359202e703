"""The control API under /_localchime/: JSON in and out, errors as {"error", "message"}.

- GET  /_localchime/health  → {"status": "ok", "version", "database"}
- POST /_localchime/reset   → wipes all state and puts the clock back to real time
- GET  /_localchime/clock   → {"now", "offset_seconds"}
- POST /_localchime/clock   ← {"advance_seconds": N} or {"set": "<ISO 8601>"}; every transition
  that falls due by the new time has run before it answers.
- /_localchime/porting-orders…: see control/porting.py.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import orjson

from localchime import __version__
from localchime.core.clock import clock_state, real_ms, set_offset, to_datetime, to_ms
from localchime.protocol.errors import ServiceError
from localchime.protocol.messages import Request, Response, declared_length
from localchime.protocol.serializer import format_timestamp

if TYPE_CHECKING:
    from localchime.app import LocalChime

Reply = tuple[int, dict[str, Any]]
Handler = Callable[[Request, dict[str, str]], Reply]
PREFIX = "/_localchime"
EARLIEST_MS = 0
LATEST_MS = to_ms(dt.datetime(9000, 1, 1, tzinfo=dt.UTC))
log = logging.getLogger("localchime.control")


class ControlError(Exception):
    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message


def json_response(status: int, document: dict[str, Any]) -> Response:
    return Response(status, orjson.dumps(document), [("Content-Type", "application/json")])


def bad_control_request(message: str) -> ControlError:
    return ControlError(400, "BadRequest", message)


def json_object(body: bytes) -> dict[str, Any]:
    try:
        document = orjson.loads(body or b"{}")
    except orjson.JSONDecodeError as exc:
        raise bad_control_request(f"The body is not valid JSON: {exc}") from None
    if not isinstance(document, dict):
        raise bad_control_request("The body must be a JSON object")
    return document


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


class ControlApi:
    def __init__(self, app: LocalChime) -> None:
        from localchime.control.credentials import credential_routes
        from localchime.control.e911 import e911_routes
        from localchime.control.porting import porting_routes

        self.app = app
        self.routes: list[tuple[str, str, re.Pattern[str], Handler]] = []
        self.add("GET", "/health", self.health)
        self.add("POST", "/reset", self.reset)
        self.add("GET", "/clock", self.show_clock)
        self.add("POST", "/clock", self.move_clock)
        routes = [*porting_routes(app), *credential_routes(app), *e911_routes(app)]
        for method, template, handler in routes:
            self.add(method, template, handler)

    def add(self, method: str, template: str, handler: Handler) -> None:
        pattern = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", PREFIX + template)
        self.routes.append((method, PREFIX + template, re.compile(pattern), handler))

    def handle(self, request: Request) -> Response:
        path = request.path.rstrip("/")
        try:
            limit = self.app.settings.max_body_bytes
            if max(len(request.body), declared_length(request.headers)) > limit:
                raise ControlError(
                    413,
                    "PayloadTooLarge",
                    f"The body exceeds {limit} bytes (LOCALCHIME_MAX_BODY_BYTES)",
                )
            self._check_token(request, path)
            handler, params = self._route(request.method, path)
            status, document = handler(request, params)
            return json_response(status, document)
        except ControlError as error:
            return json_response(error.status, {"error": error.error, "message": error.message})
        except ServiceError as error:
            return json_response(error.status, {"error": error.code, "message": error.message})
        except Exception:
            log.exception("control request %s %s failed", request.method, path)
            failure = {"error": "InternalError", "message": "localchime failed; see the server log"}
            return json_response(500, failure)

    def _check_token(self, request: Request, path: str) -> None:
        """With a control token set, only health is open: a shared staging server must not let
        anyone mint credentials or move the clock."""
        token = self.app.settings.control_token
        if not token or path == PREFIX + "/health":
            return
        given = request.headers.get("authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            raise ControlError(
                401,
                "Unauthorized",
                "The control API needs Authorization: Bearer <token> (LOCALCHIME_CONTROL_TOKEN)",
            )

    def _route(self, method: str, path: str) -> tuple[Handler, dict[str, str]]:
        methods = []
        for route_method, _, pattern, handler in self.routes:
            found = pattern.fullmatch(path)
            if found is None:
                continue
            if route_method == method:
                return handler, found.groupdict()
            methods.append(route_method)
        if methods:
            raise ControlError(
                405,
                "MethodNotAllowed",
                f"{method} is not allowed on {path}; use {', '.join(sorted(methods))}",
            )
        known = ", ".join(sorted({template for _, template, _, _ in self.routes}))
        raise ControlError(404, "NotFound", f"No control endpoint at {path}; known: {known}")

    def health(self, _request: Request, _params: dict[str, str]) -> Reply:
        return 200, {"status": "ok", "version": __version__, "database": self.app.store.dialect}

    def reset(self, _request: Request, _params: dict[str, str]) -> Reply:
        self.app.store.reset()
        return 200, {"status": "reset"}

    def show_clock(self, _request: Request, _params: dict[str, str]) -> Reply:
        return 200, self._clock_document(self.app.now_ms())

    def move_clock(self, request: Request, _params: dict[str, str]) -> Reply:
        body = json_object(request.body)
        if len(body.keys() & {"advance_seconds", "set"}) != 1 or body.keys() - {
            "advance_seconds",
            "set",
        }:
            raise bad_control_request(
                'Send exactly one of {"advance_seconds": N} (N >= 0) or {"set": "<ISO 8601>"}'
            )
        with self.app.store.write() as connection:
            offset_ms, _ = clock_state(connection)
            if "advance_seconds" in body:
                offset_ms += _advance_ms(body["advance_seconds"])
            else:
                offset_ms = parse_moment("set", body["set"]) - real_ms()
            if not EARLIEST_MS <= real_ms() + offset_ms <= LATEST_MS:
                raise bad_control_request(
                    "The service clock must stay between 1970-01-01 and 9000-01-01"
                )
            set_offset(connection, offset_ms)
        return 200, self._clock_document(self.app.now_ms())

    def _clock_document(self, now_ms: int) -> dict[str, Any]:
        with self.app.store.read() as connection:
            offset_ms, _ = clock_state(connection)
        seconds = offset_ms / 1000
        return {
            "now": format_timestamp(to_datetime(now_ms)),
            "offset_seconds": int(seconds) if seconds.is_integer() else seconds,
        }


def _advance_ms(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise bad_control_request("advance_seconds must be a number of seconds")
    if value < 0:
        raise bad_control_request('advance_seconds must be >= 0; use {"set": ...} to go back')
    if value > 100 * 365 * 86400:
        raise bad_control_request("advance_seconds must be at most 100 years")
    return int(value * 1000)
