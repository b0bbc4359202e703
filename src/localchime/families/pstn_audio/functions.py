"""Where the code behind a Lambda ARN lives, and calling it.

A SIP media application names a Lambda ARN; localchime resolves it, in order, to
1. a registration (`POST /_localchime/lambda-functions`): an `InvokeUrl` that takes each event
   as a JSON POST and answers in its body (the Lambda Runtime Interface Emulator's contract), or
   a `Handler` import path `package.module:function` called as `function(event, context)`;
2. `LOCALCHIME_LAMBDA_ENDPOINT`, a Lambda-API-compatible endpoint such as LocalStack, invoked
   as `POST {endpoint}/2015-03-31/functions/{FunctionName}/invocations`;
3. nothing: every attempt fails, and the call ends with 480 as on AWS.

Each attempt waits `lambda_timeout_seconds` (5 s, SPEC-voice: "Applications wait 5 seconds for
AWS Lambda functions to respond before retrying"); one retry follows a failed attempt, then the
call ends. Nothing here runs inside a database transaction.
"""

from __future__ import annotations

import functools
import importlib
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import Connection, bindparam, select

from localchime.config import Settings
from localchime.families.pstn_audio.tables import lambda_functions
from localchime.store import Store
from localchime.store.database import upsert
from localchime.store.prepared import PreparedQuery, run

ATTEMPTS = 2
"""The first try and one retry (SPEC-voice: a 4XX error is retried once)."""
HANDLER_PATTERN = "package.module:function"


@dataclass(frozen=True, slots=True)
class Registration:
    function_arn: str
    invoke_url: str | None
    handler: str | None
    created_ms: int

    def view(self) -> dict[str, Any]:
        document: dict[str, Any] = {"FunctionArn": self.function_arn}
        if self.invoke_url is not None:
            document["InvokeUrl"] = self.invoke_url
        if self.handler is not None:
            document["Handler"] = self.handler
        return document


@dataclass(slots=True)
class Outcome:
    answer: Any = None
    failures: list[str] = field(default_factory=list)
    answered: bool = False


_COLUMNS = tuple(lambda_functions.c)
_ONE = PreparedQuery(select(*_COLUMNS).where(lambda_functions.c.function_arn == bindparam("arn")))
_ALL = PreparedQuery(select(*_COLUMNS).order_by(lambda_functions.c.function_arn))
_UPSERT = upsert(lambda_functions)


def register(connection: Connection, registration: Registration) -> None:
    run(
        connection,
        _UPSERT,
        function_arn=registration.function_arn,
        invoke_url=registration.invoke_url,
        handler=registration.handler,
        created_ms=registration.created_ms,
    )


def unregister(connection: Connection, function_arn: str) -> bool:
    result = connection.execute(
        lambda_functions.delete().where(lambda_functions.c.function_arn == function_arn)
    )
    return bool(result.rowcount)


def registrations(store: Store) -> list[Registration]:
    return [Registration(*row) for row in store.fetch(_ALL)]


def registration_for(store: Store, function_arn: str) -> Registration | None:
    rows = store.fetch(_ONE, arn=function_arn)
    return Registration(*rows[0]) if rows else None


def import_handler(path: str) -> Callable[[Any, Any], Any]:
    """`package.module:function`, imported; ValueError says what is wrong with the path."""
    module_name, _, attribute = path.partition(":")
    if not module_name or not attribute:
        raise ValueError(f"Handler must look like {HANDLER_PATTERN}, got {path!r}")
    try:
        module = importlib.import_module(module_name)
    except Exception as error:
        raise ValueError(f"cannot import {module_name}: {type(error).__name__}: {error}") from None
    function = getattr(module, attribute, None)
    if not callable(function):
        raise ValueError(f"{module_name} has no function {attribute}")
    return function  # type: ignore[no-any-return]


class LambdaContext:
    """What a Python handler gets as `context`: the fields PSTN audio handlers read."""

    def __init__(self, function_arn: str, timeout_s: float) -> None:
        self.invoked_function_arn = function_arn
        self.function_name = function_name(function_arn)
        self.function_version = "$LATEST"
        self.memory_limit_in_mb = 128
        self._deadline = time.monotonic() + timeout_s

    @functools.cached_property
    def aws_request_id(self) -> str:
        """Made when read: most handlers never look, and the simulator's cost per event is
        mostly this kind of work (docs/benchmarks.md)."""
        return str(uuid.uuid4())

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def function_name(function_arn: str) -> str:
    return function_arn.split(":")[6]


def qualifier(function_arn: str) -> str | None:
    parts = function_arn.split(":")
    return parts[7] if len(parts) > 7 else None


class Invoker:
    """Calls handlers; keeps imported Python handlers for the life of the process."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self._imported: dict[str, Callable[[Any, Any], Any]] = {}

    def invoke(self, function_arn: str, event: dict[str, Any]) -> Outcome:
        outcome = Outcome()
        payload = orjson.dumps(event)
        for _ in range(ATTEMPTS):
            try:
                outcome.answer = self._attempt(function_arn, payload)
            except HandlerFailure as failure:
                outcome.failures.append(str(failure))
                continue
            outcome.answered = True
            break
        return outcome

    def _attempt(self, function_arn: str, payload: bytes) -> Any:
        timeout = self.settings.lambda_timeout_seconds
        registration = registration_for(self.store, function_arn)
        if registration is not None and registration.handler is not None:
            return self._call_python(registration.handler, function_arn, payload, timeout)
        if registration is not None and registration.invoke_url is not None:
            return _post_json(registration.invoke_url, payload, timeout, {})
        endpoint = self.settings.lambda_endpoint
        if endpoint:
            url, headers = lambda_api_target(endpoint, function_arn)
            return _post_json(url, payload, timeout, headers)
        raise HandlerFailure(
            f"No handler for {function_arn}: register one with POST "
            "/_localchime/lambda-functions, or set LOCALCHIME_LAMBDA_ENDPOINT"
        )

    def _call_python(self, path: str, function_arn: str, payload: bytes, timeout: float) -> Any:
        # Request threads may race here: both import the handler (Python's import lock makes
        # that one import) and one dict entry wins; either function is the same handler.
        function = self._imported.get(path)
        if function is None:
            try:
                function = self._imported[path] = import_handler(path)
            except ValueError as error:
                raise HandlerFailure(f"Handler {path}: {error}") from None
        began = time.monotonic()
        try:
            # The event is parsed afresh, as a Lambda would receive it: the handler may keep or
            # change it without touching the call.
            answer = function(orjson.loads(payload), LambdaContext(function_arn, timeout))
        except Exception as error:
            raise HandlerFailure(f"Handler {path} raised {type(error).__name__}: {error}") from None
        elapsed = time.monotonic() - began
        if elapsed > timeout:
            # A Python function cannot be stopped from outside; its late answer is dropped, as
            # the service drops an answer that arrives after it gave up.
            raise HandlerFailure(f"Handler {path} took {elapsed:.1f} s; the limit is {timeout:g} s")
        try:
            return orjson.loads(orjson.dumps(answer))
        except TypeError as error:
            return f"<not JSON: {error}>"


class HandlerFailure(Exception):
    """One attempt failed: unreachable, an error, or too slow."""


def lambda_api_target(endpoint: str, function_arn: str) -> tuple[str, dict[str, str]]:
    """The Lambda Invoke URL and headers for a Lambda-API-compatible endpoint. The credential
    scope names the function's Region and its account as the access key, which is how
    LocalStack picks both; the signature is not checked there."""
    name = urllib.parse.quote(function_name(function_arn), safe="")
    url = f"{endpoint.rstrip('/')}/2015-03-31/functions/{name}/invocations"
    version = qualifier(function_arn)
    if version is not None:
        url += f"?Qualifier={urllib.parse.quote(version, safe='')}"
    region = function_arn.split(":")[3]
    account = function_arn.split(":")[4]
    scope = f"{account}/20240101/{region}/lambda/aws4_request"
    headers = {
        "Authorization": f"AWS4-HMAC-SHA256 Credential={scope}, SignedHeaders=host, Signature=0",
        "X-Amz-Invocation-Type": "RequestResponse",
    }
    return url, headers


def _post_json(url: str, payload: bytes, timeout: float, headers: dict[str, str]) -> Any:
    request = urllib.request.Request(
        url, data=payload, method="POST", headers={"Content-Type": "application/json", **headers}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
            function_error = response.headers.get("X-Amz-Function-Error")
    except urllib.error.HTTPError as error:
        raise HandlerFailure(f"{url} answered HTTP {error.code}") from None
    except TimeoutError:
        raise HandlerFailure(f"{url} did not answer within {timeout:g} s") from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise HandlerFailure(f"{url} is unreachable: {reason}") from None
    if function_error:
        raise HandlerFailure(
            f"the function failed ({function_error}): {body[:500].decode(errors='replace')}"
        )
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        return body[:200].decode(errors="replace")
