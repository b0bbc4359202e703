"""The control API under /_localchime/: JSON in and out, errors as {"error", "message"}.

- GET  /_localchime/health  → {"status": "ok", "version", "database"}, touching no database
- POST /_localchime/reset   → {"Status": "reset"} (and "status"); wipes all state but
  store.schema.PRESERVED, and puts the clock back to real time
- GET  /_localchime/clock   → {"Now", "OffsetSeconds"}, and the same as "now", "offset_seconds"
- POST /_localchime/clock   ← {"AdvanceSeconds": N} or {"Set": "<ISO 8601>"} (old names:
  advance_seconds, set); every transition that falls due by the new time has run before it
  answers.

These are PLATFORM_ROUTES; families add their own, and the registry merges them all
(registry.Registry.routes). Each route sees only a ControlContext.
"""

from __future__ import annotations

import hmac
import logging
import re
from collections.abc import Iterable
from typing import Any

import orjson
from sqlalchemy.exc import InterfaceError, OperationalError

from localchime.core.clock import clock_state, real_ms, set_offset, to_datetime
from localchime.core.control import (
    EARLIEST_MS,
    LATEST_MS,
    ControlContext,
    ControlError,
    ControlRequest,
    Field,
    Reply,
    RouteSpec,
    bad_control_request,
    parse_moment,
)
from localchime.core.family import ControlHandler, ControlRoute, ControlRoutes
from localchime.protocol.errors import ServiceError
from localchime.protocol.messages import Request, Response, declared_length
from localchime.protocol.serializer import format_timestamp
from localchime.store.failures import Limits, describe
from localchime.version import __version__

PREFIX = "/_localchime"
log = logging.getLogger("localchime.control")
PLATFORM_ROUTES = ControlRoutes()
CLOCK_FIELDS = (
    Field(
        "AdvanceSeconds",
        "number",
        help="Seconds to move the clock forward, 0 or more.",
        aliases=("advance_seconds",),
        rule="a number of seconds",
    ),
    Field(
        "Set",
        help="The moment to set the clock to, ISO 8601.",
        aliases=("set",),
        rule="an ISO 8601 timestamp such as 2030-01-01T00:00:00Z",
    ),
)


def json_response(status: int, document: dict[str, Any]) -> Response:
    return Response(status, orjson.dumps(document), [("Content-Type", "application/json")])


class ControlApi:
    def __init__(self, context: ControlContext, routes: Iterable[ControlRoute]) -> None:
        """`routes` are the registry's: the platform's below and every family's."""
        self.context = context
        self.routes: list[tuple[str, str, re.Pattern[str], ControlHandler]] = []
        self.specs: dict[tuple[str, str], RouteSpec | None] = {}
        self.blocking: list[tuple[str, re.Pattern[str]]] = []
        for route in routes:
            pattern = re.compile(re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", PREFIX + route.template))
            self.routes.append((route.method, PREFIX + route.template, pattern, route.handler))
            self.specs[(route.method, PREFIX + route.template)] = route.spec
            if route.blocking:
                self.blocking.append((route.method, pattern))

    def blocks(self, request: Request) -> bool:
        """Whether the request's route may wait on something slow (`ControlRoute.blocking`)."""
        path = request.path.rstrip("/")
        return any(
            method == request.method and pattern.fullmatch(path)
            for method, pattern in self.blocking
        )

    def handle(self, request: Request) -> Response:
        path = request.path.rstrip("/")
        try:
            limit = self.context.settings.max_body_bytes
            if max(len(request.body), declared_length(request.headers)) > limit:
                raise ControlError(
                    413,
                    "PayloadTooLarge",
                    f"The body exceeds {limit} bytes (LOCALCHIME_MAX_BODY_BYTES)",
                )
            self._check_token(request, path)
            handler, params, spec = self._route(request.method, path)
            status, document = handler(self.context, ControlRequest(request.body, params, spec))
            return json_response(status, document)
        except ControlError as error:
            return json_response(error.status, {"error": error.error, "message": error.message})
        except ServiceError as error:
            return json_response(error.status, {"error": error.code, "message": error.message})
        except (OperationalError, InterfaceError) as error:
            log.warning("control request %s %s: database unavailable", request.method, path)
            message = describe(error, Limits.of(self.context.settings))
            return json_response(503, {"error": "ServiceUnavailable", "message": message})
        except Exception:
            log.exception("control request %s %s failed", request.method, path)
            failure = {"error": "InternalError", "message": "localchime failed; see the server log"}
            return json_response(500, failure)

    def _check_token(self, request: Request, path: str) -> None:
        """With a control token set, only health is open: a shared staging server must not let
        anyone mint credentials or move the clock."""
        token = self.context.settings.control_token
        if not token or path == PREFIX + "/health":
            return
        given = request.headers.get("authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            raise ControlError(
                401,
                "Unauthorized",
                "The control API needs Authorization: Bearer <token> (LOCALCHIME_CONTROL_TOKEN)",
            )

    def _route(
        self, method: str, path: str
    ) -> tuple[ControlHandler, dict[str, str], RouteSpec | None]:
        methods = []
        for route_method, template, pattern, handler in self.routes:
            found = pattern.fullmatch(path)
            if found is None:
                continue
            if route_method == method:
                return handler, found.groupdict(), self.specs[(method, template)]
            methods.append(route_method)
        if methods:
            raise ControlError(
                405,
                "MethodNotAllowed",
                f"{method} is not allowed on {path}; use {', '.join(sorted(methods))}",
            )
        known = ", ".join(sorted({template for _, template, _, _ in self.routes}))
        raise ControlError(404, "NotFound", f"No control endpoint at {path}; known: {known}")


@PLATFORM_ROUTES("GET", "/health", name="health")
def health(ctx: ControlContext, _request: ControlRequest) -> Reply:
    """Answers from memory: no query, no lock, no clock reading (which would run due
    transitions), so a probe answers at once while another session holds a lock the request
    path needs (`tests/test_health.py`). "database" is the dialect, known without asking."""
    return 200, {"status": "ok", "version": __version__, "database": ctx.store.dialect}


@PLATFORM_ROUTES("POST", "/reset", name="reset")
def reset(ctx: ControlContext, _request: ControlRequest) -> Reply:
    ctx.store.reset()
    return 200, {"Status": "reset", "status": "reset"}


# Both clock routes run every due transition before answering, which after a long advance can
# be thousands of them: in a worker thread (blocking), so the replica answers others meanwhile.
@PLATFORM_ROUTES("GET", "/clock", blocking=True, name="clock-show")
def show_clock(ctx: ControlContext, _request: ControlRequest) -> Reply:
    return 200, _clock_document(ctx, ctx.now_ms())


@PLATFORM_ROUTES("POST", "/clock", blocking=True, name="clock-move", fields=CLOCK_FIELDS)
def move_clock(ctx: ControlContext, request: ControlRequest) -> Reply:
    body = request.fields()
    if len(body) != 1:
        raise bad_control_request(
            'Send exactly one of {"AdvanceSeconds": N} (N >= 0) or {"Set": "<ISO 8601>"}'
        )
    with ctx.store.write() as connection:
        offset_ms, _ = clock_state(connection)
        if "AdvanceSeconds" in body:
            offset_ms += _advance_ms(body["AdvanceSeconds"])
        else:
            offset_ms = parse_moment("Set", body["Set"]) - real_ms()
        if not EARLIEST_MS <= real_ms() + offset_ms <= LATEST_MS:
            raise bad_control_request(
                "The service clock must stay between 1970-01-01 and 9000-01-01"
            )
        set_offset(connection, offset_ms)
    return 200, _clock_document(ctx, ctx.now_ms())


def _clock_document(ctx: ControlContext, now_ms: int) -> dict[str, Any]:
    """PascalCase keys, and the older `now` and `offset_seconds` that the CLI and the mock
    read."""
    with ctx.store.read() as connection:
        offset_ms, _ = clock_state(connection)
    seconds = offset_ms / 1000
    now = format_timestamp(to_datetime(now_ms))
    offset = int(seconds) if seconds.is_integer() else seconds
    return {"Now": now, "OffsetSeconds": offset, "now": now, "offset_seconds": offset}


def _advance_ms(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise bad_control_request("AdvanceSeconds must be a number of seconds")
    if value < 0:
        raise bad_control_request('AdvanceSeconds must be >= 0; use {"Set": ...} to go back')
    if value > 100 * 365 * 86400:
        raise bad_control_request("AdvanceSeconds must be at most 100 years")
    return int(value * 1000)
