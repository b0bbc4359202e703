"""The core: `LocalChime.handle(request) -> response`.

The ASGI server, the in-process botocore hook and the tests all call this one function. It
routes a request to the control API or to a model operation, then runs parse → validate →
handler → serialize, turning every ServiceError into its modelled wire form.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy.exc import InterfaceError, OperationalError

from localchime import registry
from localchime.auth.credentials import register_bootstrap
from localchime.auth.identity import authorize, authorize_named, identify
from localchime.config import Settings
from localchime.control.api import ControlApi
from localchime.control.token import private_data_dir, server_token
from localchime.core.arns import named_arn
from localchime.core.clock import read_clock_state, real_ms
from localchime.core.context import RequestContext
from localchime.core.control import ControlContext
from localchime.core.family import Family
from localchime.core.ids import RequestIds
from localchime.core.scheduler import Scheduler
from localchime.faults.rules import FaultRule, faults_for, injected_error
from localchime.protocol.errors import (
    BadRequest,
    NotImplementedOperation,
    ServiceError,
    service_failure,
    service_unavailable,
)
from localchime.protocol.messages import Request, Response, declared_length, oversized_part
from localchime.protocol.parser import parse_request
from localchime.protocol.router import default_router
from localchime.protocol.serializer import answer, serialize_error, serialize_output
from localchime.protocol.validator import validate
from localchime.store import Store
from localchime.store.database import Snapshot
from localchime.store.failures import Limits, describe

log = logging.getLogger("localchime")
ACCESS = logging.getLogger("localchime.access")
"""One line per request at INFO (`--access-log`)."""


@dataclass(slots=True)
class Trace:
    """What the access log line says about a request, filled in as it is known."""

    operation: str = "-"
    request_id: str = "-"
    account: str = "-"


CONTROL_PREFIX = "/_localchime/"
ANSWER_CACHE_ENTRIES = 10_000


class LocalChime:
    def __init__(
        self,
        settings: Settings | None = None,
        store: Store | None = None,
        families: tuple[Family, ...] = (),
    ) -> None:
        """`families` are loaded after the service's own: a test's throwaway family."""
        self.settings = settings or Settings.from_env()
        if store is None and not (self.settings.ephemeral or self.settings.database_url):
            private_data_dir(self.settings.data_dir)
        self.registry = registry.load(registry.FAMILIES + families)
        self.store = store or Store(
            self.settings.storage_url,
            busy_timeout_ms=int(self.settings.database_lock_timeout_seconds * 1000),
            statement_timeout_ms=int(self.settings.database_statement_timeout_seconds * 1000),
        )
        self.store.migrate()
        self.control_token = server_token(self.settings, self.store)
        self.settings = replace(self.settings, control_token=self.control_token.value)
        self.scheduler = Scheduler(self.store, self.settings, self.registry.transitions)
        self.scheduler.check_stored_kinds()
        self.token_secret = bytes.fromhex(self.store.meta_value("token_secret"))
        self.router = default_router()
        self.database_limits = Limits.of(self.settings)
        self.control = ControlApi(
            ControlContext(self.store, self.settings, self.now_ms), self.registry.routes
        )
        self.request_ids = RequestIds()
        self.faults = faults_for(self.store)
        self._answers: tuple[Any, dict[Any, bytes]] = (None, {})
        if self.settings.bootstrap_credentials:
            register_bootstrap(self.store, self.settings.bootstrap_credentials)

    def handle(self, request: Request) -> Response:
        if not ACCESS.isEnabledFor(logging.INFO):
            return self._respond(request, Trace())
        trace = Trace()
        began = time.perf_counter()
        response = self._respond(request, trace)
        # Names, never values: the path can carry a phone number, the body anything.
        ACCESS.info(
            "%s %s %d %.1fms %s %s",
            request.method,
            trace.operation,
            response.status,
            (time.perf_counter() - began) * 1000,
            trace.request_id,
            trace.account,
        )
        return response

    def _respond(self, request: Request, trace: Trace) -> Response:
        oversized = oversized_part(request)
        if oversized is not None:
            return self.reject(oversized)
        if request.path.startswith(CONTROL_PREFIX):
            trace.operation = "control"
            return self.control.handle(request)
        request_id = trace.request_id = self.request_ids.next()
        try:
            return self._handle_operation(request, request_id, trace)
        except ServiceError as error:
            # The shape and status only: messages can carry phone numbers or address fields.
            log.info("request %s: %s %s", request_id, error.status, error.shape)
            return serialize_error(error, request_id)
        except (OperationalError, InterfaceError) as error:
            log.warning("request %s: database unavailable", request_id, exc_info=True)
            busy = service_unavailable(describe(error, self.database_limits))
            return serialize_error(busy, request_id)
        except Exception:
            log.exception("request %s failed", request_id)
            failure = service_failure(
                f"localchime failed on this request (request id {request_id}); this is a bug, "
                "please report it with the server log"
            )
            return serialize_error(failure, request_id)

    def blocks(self, request: Request) -> bool:
        """Whether handling the request may wait (on user code, or an injected latency): the
        server then runs it off the event loop."""
        if request.path.startswith(CONTROL_PREFIX):
            return self.control.blocks(request)
        return self.faults.latency_possible

    @staticmethod
    def _inject(fault: FaultRule) -> None:
        if fault.latency_ms:
            time.sleep(fault.latency_ms / 1000)
        if fault.error is not None:
            raise injected_error(fault)

    def run_background(self) -> None:
        """The families' background work (driving simulated calls); off the event loop."""
        for task in self.registry.background:
            task(self.store, self.settings, self.now_ms)

    def reject(self, reason: str) -> Response:
        """A BadRequest for a request that could not even be read."""
        request_id = self.request_ids.next()
        log.warning("request %s rejected: %s", request_id, reason)
        return serialize_error(BadRequest(reason), request_id)

    def _handle_operation(self, request: Request, request_id: str, trace: Trace) -> Response:
        self._check_body_size(request)
        match = self.router.match(request.method, request.path, request.query)
        operation = match.operation
        trace.operation = operation.name
        now_ms, reads = self.clock()
        caller = identify(request, self.settings, reads, now_ms)
        trace.account = caller.account
        fault = self.faults.hit(operation.name, caller.account)
        if fault is not None:
            self._inject(fault)
        # Before parsing: a caller who may not call the operation learns nothing about its input.
        authorize(
            caller,
            operation,
            self.registry.resources.path_arn(caller.region, caller.account, match.uri_params),
            lambda: named_arn(operation.name, request.query, request.body),
        )
        answers = self._answers_for(request, reads)
        cache_key = (request.path, request.query, caller.account, caller.region)
        if answers is not None and cache_key in answers:
            return answer(200, answers[cache_key], request_id)
        params = parse_request(match, request.headers, request.body)
        validate(operation.input_shape, params)
        authorize_named(
            caller,
            operation,
            lambda: self.registry.resources.named_arns(caller.region, caller.account, params),
        )
        handler = self.registry.operations.get(operation.name)
        if handler is None:
            # After validation, so every bad input is a 4xx, implemented operation or not.
            raise NotImplementedOperation(operation.name)
        context = RequestContext(
            account=caller.account,
            region=caller.region,
            request_id=request_id,
            now_ms=now_ms,
            store=self.store,
            reads=reads,
            settings=self.settings,
            token_secret=self.token_secret,
            events=self.registry.events,
            resources=self.registry.resources,
        )
        response = serialize_output(
            operation, handler(context, params), request_id, strict=self.settings.strict_output
        )
        if answers is not None and response.status == 200 and len(answers) < ANSWER_CACHE_ENTRIES:
            answers[cache_key] = response.body
        return response

    def _answers_for(self, request: Request, reads: Snapshot) -> dict[Any, bytes] | None:
        """GET answers depend only on the database, the path and query, and who asks, so while
        the database generation stands still (no write anywhere, no transition due: `clock()`
        ran those) the same GET gets the same body. Clients polling an order hit this. The dict
        belongs to one generation; an answer computed meanwhile lands in the old one, unseen.

        Request threads share it safely: the (generation, dict) pair is replaced whole, and a
        dict's get and set are atomic under the GIL. PostgreSQL, whose requests run on threads,
        has no generation, so it never caches at all."""
        if request.method != "GET" or reads.generation is None:
            return None
        generation, answers = self._answers
        if generation != reads.generation:
            answers = {}
            self._answers = (reads.generation, answers)
        return answers

    def _check_body_size(self, request: Request) -> None:
        limit = self.settings.max_body_bytes
        size = max(len(request.body), declared_length(request.headers))
        if size > limit:
            raise BadRequest(
                f"The request body is {size} bytes; the limit is {limit} bytes "
                "(LOCALCHIME_MAX_BODY_BYTES)"
            )

    def clock(self, *, drain: bool = False) -> tuple[int, Snapshot]:
        """The service clock, after running the transitions that have fallen due by it, and a
        read snapshot that already sees those it ran. A request runs a bounded share of them
        (`Scheduler.catch_up`); `drain` runs them all (the control API, the ticker)."""
        reads = self.store.snapshot()
        offset_ms, earliest_due = read_clock_state(reads)
        now = real_ms() + offset_ms
        if earliest_due is not None and earliest_due <= now:
            if drain:
                self.scheduler.drain(now)
            else:
                self.scheduler.catch_up(now)
            # Even when another replica ran them, this snapshot predates those transitions.
            reads = self.store.snapshot()
        return now, reads

    def now_ms(self) -> int:
        """The clock once every due transition has run: what a control route (moving the
        clock, a porting step) promises its caller."""
        return self.clock(drain=True)[0]

    def tick(self) -> None:
        """The ticker's work: every transition due in real time, chunk by chunk. Not a `drain`:
        a request meanwhile still runs its share, so it never misses one due before it came."""
        now, _ = self.clock()
        self.scheduler.run_due(now)

    def close(self) -> None:
        self.store.close()
