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

What the server may reach is the operator's to grant (issue 20): a Python handler is imported
only from `handler_path`'s directories, a URL only on an `invoke_allow` host, with no redirect
followed, and an application invokes only its own account's functions and those whose
registration grants its account (`AllowedAccounts`, as a Lambda resource policy would). A
Python handler runs in a thread of its own: whatever it raises (SystemExit and
KeyboardInterrupt too) or however long it hangs, the attempt fails and the call goes on as on
AWS when a function fails.
"""

from __future__ import annotations

import contextvars
import functools
import importlib
import importlib.util
import os
import queue
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Connection, bindparam, select

from localchime.config import Settings
from localchime.core.reach import url_host_allowed
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
    allowed_accounts: tuple[str, ...] = ()

    def view(self) -> dict[str, Any]:
        document: dict[str, Any] = {"FunctionArn": self.function_arn}
        if self.invoke_url is not None:
            document["InvokeUrl"] = self.invoke_url
        if self.handler is not None:
            document["Handler"] = self.handler
        if self.allowed_accounts:
            document["AllowedAccounts"] = list(self.allowed_accounts)
        return document

    def grants(self, account: str) -> bool:
        return account == function_account(self.function_arn) or account in self.allowed_accounts


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
        allowed_accounts=(
            orjson.dumps(list(registration.allowed_accounts)).decode()
            if registration.allowed_accounts
            else None
        ),
    )


def unregister(connection: Connection, function_arn: str) -> bool:
    result = connection.execute(
        lambda_functions.delete().where(lambda_functions.c.function_arn == function_arn)
    )
    return bool(result.rowcount)


def registrations(store: Store) -> list[Registration]:
    return [_registration(row) for row in store.fetch(_ALL)]


def registration_for(store: Store, function_arn: str) -> Registration | None:
    rows = store.fetch(_ONE, arn=function_arn)
    return _registration(rows[0]) if rows else None


def _registration(row: Any) -> Registration:
    arn, url, handler, created_ms, allowed = row
    accounts = tuple(orjson.loads(allowed)) if allowed else ()
    return Registration(arn, url, handler, created_ms, accounts)


ANY_MODULE = "*"


def handler_dirs(settings: Settings) -> list[Path] | None:
    """The directories a Python handler may come from, or None for any module: by default any
    on a laptop (`--auth off`) and none on a shared server (`--auth verify`)."""
    chosen = settings.handler_path
    if chosen == ANY_MODULE or (chosen is None and settings.auth == "off"):
        return None
    if not chosen:
        return []
    return [Path(entry).resolve() for entry in chosen.split(os.pathsep) if entry]


def import_handler(path: str, dirs: list[Path] | None = None) -> Callable[[Any, Any], Any]:
    """`package.module:function`, imported, from `dirs` only unless None; ValueError says what
    is wrong with the path."""
    module_name, _, attribute = path.partition(":")
    if not module_name or not attribute:
        raise ValueError(f"Handler must look like {HANDLER_PATTERN}, got {path!r}")
    if dirs is not None:
        _check_module_home(module_name, dirs)
    try:
        module = importlib.import_module(module_name)
    except BaseException as error:
        # SystemExit or KeyboardInterrupt at import must not end the server either.
        raise ValueError(f"cannot import {module_name}: {type(error).__name__}: {error}") from None
    function = getattr(module, attribute, None)
    if not callable(function):
        raise ValueError(f"{module_name} has no function {attribute}")
    return function  # type: ignore[no-any-return]


def _check_module_home(module_name: str, dirs: list[Path]) -> None:
    """Refuses, before importing anything, a module whose top-level package Python would load
    from outside `dirs`: the directories join the end of sys.path, so a standard or installed
    module of the same name wins the lookup and is refused here, never shadowed."""
    allowed = "the --handler-path directories" if dirs else "no directory: --handler-path is unset"
    for directory in dirs:
        if str(directory) not in sys.path:
            sys.path.append(str(directory))
    top = module_name.split(".")[0]
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError):
        spec = None
    if spec is None:
        raise ValueError(f"cannot import {module_name}: no module {top} in {allowed}")
    homes = [spec.origin] if spec.origin not in (None, "built-in", "frozen") else []
    homes += list(spec.submodule_search_locations or [])
    if not homes or not all(_inside(Path(home), dirs) for home in homes):
        raise ValueError(
            f"{top} is not in {allowed}; a handler registered through the control API is "
            "imported only from there"
        )


def _inside(path: Path, dirs: list[Path]) -> bool:
    resolved = path.resolve()
    return any(resolved.is_relative_to(directory) for directory in dirs)


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


def function_account(function_arn: str) -> str:
    return function_arn.split(":")[4]


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
        account = str(event.get("CallDetails", {}).get("AwsAccountId", ""))
        for _ in range(ATTEMPTS):
            try:
                outcome.answer = self._attempt(function_arn, payload, account)
            except HandlerFailure as failure:
                outcome.failures.append(str(failure))
                continue
            outcome.answered = True
            break
        return outcome

    def _attempt(self, function_arn: str, payload: bytes, account: str) -> Any:
        timeout = self.settings.lambda_timeout_seconds
        registration = registration_for(self.store, function_arn)
        granted = account == function_account(function_arn) or (
            registration is not None and registration.grants(account)
        )
        if not granted:
            # What Lambda answers a caller its resource policy does not name.
            raise HandlerFailure(
                f"AccessDenied: account {account} may not invoke {function_arn}; its "
                "registration does not list the account in AllowedAccounts"
            )
        if registration is not None and registration.handler is not None:
            return self._call_python(registration.handler, function_arn, payload, timeout)
        if registration is not None and registration.invoke_url is not None:
            return self._post(registration.invoke_url, payload, timeout, {})
        endpoint = self.settings.lambda_endpoint
        if endpoint:
            url, headers = lambda_api_target(endpoint, function_arn)
            return self._post(url, payload, timeout, headers)
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
                function = self._imported[path] = import_handler(path, handler_dirs(self.settings))
            except ValueError as error:
                raise HandlerFailure(f"Handler {path}: {error}") from None
        # The event is parsed afresh, as a Lambda would receive it: the handler may keep or
        # change it without touching the call.
        answer = _run_bounded(
            path, function, orjson.loads(payload), LambdaContext(function_arn, timeout), timeout
        )
        try:
            return orjson.loads(orjson.dumps(answer))
        except TypeError as error:
            return f"<not JSON: {error}>"

    def _post(self, url: str, payload: bytes, timeout: float, headers: dict[str, str]) -> Any:
        allow = self.settings.invoke_allow
        if not url_host_allowed(url, allow):
            # Checked here too: the registration may predate the operator's current list.
            raise HandlerFailure(f"{url} is not on the invoke allow-list ({allow})")
        return _post_json(url, payload, timeout, headers)


class _Job:
    __slots__ = ("call", "done", "failure", "outcome")

    def __init__(self, call: Callable[[], Any]) -> None:
        self.call = call
        self.done = threading.Event()
        self.outcome: Any = None
        self.failure: BaseException | None = None


class _HandlerThreads:
    """Daemon threads that run Python handlers, each waiting on its own queue. A thread whose
    handler overran is abandoned (it cannot be stopped) and a new one made on demand; the rest
    are reused, since starting a thread per event costs more than the simulator's own work
    (docs/benchmarks.md)."""

    def __init__(self) -> None:
        self._idle: list[queue.SimpleQueue[_Job]] = []
        self._lock = threading.Lock()

    def run(self, call: Callable[[], Any], timeout: float) -> _Job | None:
        """The finished job, or None if it did not finish within `timeout`."""
        with self._lock:
            inbox = self._idle.pop() if self._idle else self._start()
        job = _Job(call)
        inbox.put(job)
        if not job.done.wait(timeout):
            return None
        with self._lock:
            self._idle.append(inbox)
        return job

    @staticmethod
    def _start() -> queue.SimpleQueue[_Job]:
        inbox: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        threading.Thread(
            target=_serve_jobs, args=(inbox,), name="localchime-handler", daemon=True
        ).start()
        return inbox


def _serve_jobs(inbox: queue.SimpleQueue[_Job]) -> None:
    while True:
        job = inbox.get()
        try:
            job.outcome = job.call()
        except BaseException as error:  # SystemExit, KeyboardInterrupt: the handler's, not ours
            job.failure = error
        finally:
            job.done.set()


_THREADS = _HandlerThreads()


def _run_bounded(
    path: str, function: Callable[[Any, Any], Any], event: Any, context: Any, timeout: float
) -> Any:
    """Calls the handler on a handler thread and waits at most `timeout`. A Python function
    cannot be stopped from outside: one that hangs is left behind, its late answer dropped, as
    the service drops an answer that arrives after it gave up."""
    began = time.monotonic()
    # The caller's context variables go along, as they would were the handler called inline.
    runner = contextvars.copy_context()
    job = _THREADS.run(lambda: runner.run(function, event, context), timeout)
    if job is None:
        raise HandlerFailure(f"Handler {path} took over {timeout:g} s; the limit is {timeout:g} s")
    if job.failure is not None:
        error = job.failure
        said = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        raise HandlerFailure(f"Handler {path} raised {said}")
    elapsed = time.monotonic() - began
    if elapsed > timeout:
        raise HandlerFailure(f"Handler {path} took {elapsed:.1f} s; the limit is {timeout:g} s")
    return job.outcome


class HandlerFailure(Exception):
    """One attempt failed: unreachable, an error, too slow, or not this account's to call."""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is answered as the failure it is: following one would let a registered URL
    send the server anywhere (issue 20, break 3)."""

    def redirect_request(self, *_args: Any, **_kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


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
        with _OPENER.open(request, timeout=timeout) as response:
            body = response.read()
            function_error = response.headers.get("X-Amz-Function-Error")
    except urllib.error.HTTPError as error:
        if 300 <= error.code < 400:
            raise HandlerFailure(
                f"{url} answered HTTP {error.code}; redirects are not followed"
            ) from None
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
