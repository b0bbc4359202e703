"""In-process localchime for boto3, in moto's idiom: `mock_chime` as a decorator or a context
manager, and the handle it yields.

A botocore `before-send` hook hands each prepared request to `LocalChime.handle` and returns its
response to botocore, so a client's whole pipeline (serialization, signing, parsing, modelled
exceptions) runs as it would against a server, without a socket. Inside `mock_chime`, every
chime-sdk-voice client created by any code is served this way (`testing.interception`).

    with mock_chime() as chime:            # or @mock_chime, or the `localchime` pytest fixture
        my_app.order_numbers()             # creates its own boto3.client("chime-sdk-voice")
        chime.advance(5)                   # the order completes, no real waiting

Each control method of the handle is thin: `@_serves("route-name")` names the declared control
route it calls, and `_send` builds the request from that route's declaration
(`core.control.RouteSpec`), so the mock, the CLI and the HTTP route agree on every field.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import lru_cache
from typing import Any, ParamSpec, TypeVar
from urllib.parse import urlsplit

import orjson
from botocore.awsrequest import AWSPreparedRequest, AWSResponse, HeadersDict

from localchime.app import LocalChime
from localchime.config import Settings
from localchime.core.accounts import DEFAULT_ACCOUNT, DEFAULT_REGION
from localchime.core.control import request_for, route_named
from localchime.protocol.messages import Request
from localchime.testing import interception

P = ParamSpec("P")
R = TypeVar("R")

IN_PROCESS_ENDPOINT = "http://localchime.in-process"
F = TypeVar("F", bound=Callable[..., Any])
SERVES: dict[str, tuple[str, ...]] = {}
"""Each control method of `LocalChimeMock`, by name → the control routes it calls."""


def _serves(*routes: str) -> Callable[[F], F]:
    """Marks a handle method as the mock of the control routes named `routes`."""

    def mark(method: F) -> F:
        SERVES[method.__name__] = routes
        return method

    return mark


class _RawBody:
    """The part of urllib3's response that botocore reads a body through."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_kwargs: Any) -> Iterator[bytes]:
        yield self._body

    def read(self, *_args: Any, **_kwargs: Any) -> bytes:
        body, self._body = self._body, b""
        return body


def _body_bytes(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode()
    data = body.read()
    if hasattr(body, "seek"):
        body.seek(0)
    return data if isinstance(data, bytes) else data.encode()


def _text(value: str | bytes) -> str:
    """botocore keeps some header values as bytes once signed."""
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


def _lowered(headers: Any) -> dict[str, str]:
    """A request's headers by lower-case name. botocore's HeadersDict keeps each key with its
    lower-case form (`_HeaderKey`), so reading those skips a key object and a hash per header
    that its Mapping interface costs; anything else goes through that interface."""
    entries = getattr(headers, "_dict", None) if isinstance(headers, HeadersDict) else None
    if entries is not None:
        try:
            return {key._lower: _text(value) for key, value in entries.items()}
        except AttributeError:
            pass  # a botocore whose keys are kept differently
    return {key.lower(): _text(value) for key, value in headers.items()}


@lru_cache(maxsize=4096)
def _split(url: str) -> tuple[str, str, str]:
    """(host, path, query) of a request URL; a create or a polled GET repeats its URL."""
    parts = urlsplit(url)
    return parts.netloc, parts.path or "/", parts.query


class InProcessBackend:
    """Register on a client with `client.meta.events.register("before-send", backend)`."""

    def __init__(self, app: LocalChime) -> None:
        self.app = app

    def __call__(self, request: AWSPreparedRequest, **_kwargs: Any) -> AWSResponse:
        host, path, query = _split(request.url)
        # urllib3 would add Host on the wire, and SigV4 signs it.
        headers = {"host": host}
        headers.update(_lowered(request.headers))
        response = self.app.handle(
            Request(request.method, path, query, headers, _body_bytes(request.body))
        )
        # AWSResponse builds its own HeadersDict from these pairs.
        answer = [*response.headers, ("content-length", str(len(response.body)))]
        return AWSResponse(request.url, response.status, answer, _RawBody(response.body))


def in_process_client(app: LocalChime, session: Any = None, **client_kwargs: Any) -> Any:
    """A boto3 chime-sdk-voice client served by `app` in this process."""
    import boto3

    session = session or boto3.session.Session()
    options: dict[str, Any] = {
        "region_name": "us-east-1",
        "aws_access_key_id": "testing",
        "aws_secret_access_key": "testing",
        "endpoint_url": IN_PROCESS_ENDPOINT,
    }
    options.update(client_kwargs)
    client = session.client("chime-sdk-voice", **options)
    client.meta.events.register("before-send", InProcessBackend(app))
    return client


class ControlCallError(Exception):
    """A control API call answered 4xx: `status`, `error` and `message` say why."""

    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(f"{status} {error}: {message}")
        self.status = status
        self.error = error
        self.message = message


class LocalChimeMock:
    """An in-memory localchime that serves every chime-sdk-voice client created while it is
    active. Use it as a context manager or a decorator (`mock_chime` builds one), or through the
    `localchime` pytest fixture.

    Settings come from the `LOCALCHIME_*` environment variables, then keyword overrides
    (`order_fulfilment_seconds=0`, `quota_profile="aws"`, `auth="verify"`, …); the store is
    always in memory. While active, the AWS credential variables name `account` (with auth off,
    the access key is the account) so no real credentials are needed or used, and
    `AWS_DEFAULT_REGION` is set if it was not; both are restored afterwards.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        account: str = DEFAULT_ACCOUNT,
        region: str = DEFAULT_REGION,
        **overrides: Any,
    ) -> None:
        base = settings or Settings.from_env(**overrides)
        # In-process code registers its own handlers: they are the test's, not the network's.
        handler_path = "*" if base.handler_path is None else base.handler_path
        self.settings = replace(base, ephemeral=True, database_url=None, handler_path=handler_path)
        self.account = account
        self.region = region
        self._app: LocalChime | None = None
        self._scope: interception.Scope | None = None
        self._saved_environment: dict[str, str | None] = {}

    # Scope

    def start(self) -> LocalChimeMock:
        if self._scope is not None:
            raise RuntimeError("this localchime mock is already active")
        self._app = LocalChime(self.settings)
        self._scope = interception.Scope(
            InProcessBackend(self._app), signed=self.settings.auth != "off"
        )
        self._set_environment()
        interception.activate(self._scope)
        return self

    def stop(self) -> None:
        if self._scope is None:
            return
        interception.deactivate(self._scope)
        self._restore_environment()
        self._scope = None
        if self._app is not None:
            self._app.close()
            self._app = None

    def __enter__(self) -> LocalChimeMock:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def __call__(self, function: Callable[P, R]) -> Callable[P, R]:
        """As a decorator: a fresh localchime for each call of `function`."""

        @functools.wraps(function)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            with LocalChimeMock(self.settings, account=self.account, region=self.region):
                return function(*args, **kwargs)

        return wrapper

    def _set_environment(self) -> None:
        wanted: dict[str, str | None] = {
            "AWS_ACCESS_KEY_ID": self.account,
            "AWS_SECRET_ACCESS_KEY": "localchime",
            "AWS_SESSION_TOKEN": None,
        }
        if not os.environ.get("AWS_DEFAULT_REGION"):
            wanted["AWS_DEFAULT_REGION"] = self.region
        self._saved_environment = {name: os.environ.get(name) for name in wanted}
        _apply(wanted)

    def _restore_environment(self) -> None:
        _apply(self._saved_environment)
        self._saved_environment = {}

    # What a test uses

    @property
    def app(self) -> LocalChime:
        if self._app is None:
            raise RuntimeError("this localchime mock is not active; enter it first")
        return self._app

    def client(self, account: str | None = None, region: str | None = None) -> Any:
        """A chime-sdk-voice client of `account` (default: the mock's) in `region`."""
        import boto3

        session = boto3.session.Session()
        interception.fast_timestamps(session)
        return session.client(
            "chime-sdk-voice",
            region_name=region or self.region,
            aws_access_key_id=account or self.account,
            aws_secret_access_key="localchime",
        )

    @_serves("health")
    def health(self) -> dict[str, Any]:
        """{"status": "ok", "version", "database"}."""
        return self._send("health")

    @_serves("reset")
    def reset(self) -> None:
        """Empties every resource and returns the clock to real time."""
        self._send("reset")

    @_serves("clock-move")
    def advance(self, seconds: float) -> dt.datetime:
        """Moves the service clock forward; every transition due by then has run when it
        returns. Returns the new service time."""
        return _moment(self._send("clock-move", AdvanceSeconds=seconds)["Now"])

    @_serves("clock-move")
    def set_clock(self, moment: dt.datetime | str) -> dt.datetime:
        """Sets the service clock (an aware datetime or ISO 8601 text); it may go backwards."""
        text = moment.isoformat() if isinstance(moment, dt.datetime) else moment
        return _moment(self._send("clock-move", Set=text)["Now"])

    @_serves("clock-show")
    def now(self) -> dt.datetime:
        return _moment(self._send("clock-show")["now"])

    @_serves("porting-create")
    def open_porting_order(
        self,
        numbers: list[str],
        product_type: str = "VoiceConnector",
        *,
        account: str | None = None,
        region: str | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """Opens a porting order (the control API's `POST /porting-orders`); `extra` takes its
        other keys (RequestedFocDate, Name, Scenario)."""
        return self._send(
            "porting-create",
            AccountId=account or self.account,
            Region=region or self.region,
            E164PhoneNumbers=numbers,
            ProductType=product_type,
            **extra,
        )

    @_serves("porting-event")
    def porting_event(
        self, order_id: str, event: str, foc_date: dt.datetime | str | None = None
    ) -> dict[str, Any]:
        """Sends a carrier event to a porting order, e.g. `confirm-foc`."""
        foc = foc_date.isoformat() if isinstance(foc_date, dt.datetime) else foc_date
        return self._send("porting-event", id=order_id, Event=event, FocDate=foc)

    @_serves("porting-show")
    def porting_order(self, order_id: str) -> dict[str, Any]:
        """A porting order as the control API shows it, with the events it allows now."""
        return self._send("porting-show", id=order_id)

    @_serves("porting-history")
    def porting_history(self, order_id: str) -> list[dict[str, Any]]:
        """A porting order's transitions, oldest first."""
        return list(self._send("porting-history", id=order_id)["History"])

    @_serves("function-register")
    def register_handler(
        self,
        function_arn: str,
        handler: Callable[[Any, Any], Any] | str | None = None,
        *,
        invoke_url: str | None = None,
    ) -> dict[str, Any]:
        """Says where the PSTN audio handler behind `function_arn` lives: a Python function (or
        its `package.module:function` path), or a URL that takes each event as a JSON POST."""
        if invoke_url is not None:
            return self._send("function-register", FunctionArn=function_arn, InvokeUrl=invoke_url)
        if callable(handler):
            handler = f"{handler.__module__}:{handler.__qualname__}"
        return self._send("function-register", FunctionArn=function_arn, Handler=handler)

    @_serves("function-list")
    def handlers(self) -> list[dict[str, Any]]:
        """The registered Lambda functions and where their handlers live."""
        return list(self._send("function-list")["LambdaFunctions"])

    @_serves("function-unregister")
    def unregister_handler(self, function_arn: str) -> dict[str, Any]:
        """Forgets the handler behind `function_arn`."""
        return self._send("function-unregister", FunctionArn=function_arn)

    @_serves("call-place")
    def dial(
        self, from_number: str, to_number: str, sip_headers: dict[str, str] | None = None
    ) -> dict[str, Any]:
        """An inbound PSTN call to `to_number`, routed by its SIP rule; answers once the
        handler has had every event: `{"TransactionId", "CallId", "Call"}`."""
        return self._send(
            "call-place", From=from_number, To=to_number, SipHeaders=sip_headers or None
        )

    @_serves("call-event")
    def press(self, transaction_id: str, digits: str, leg: str = "LEG-A") -> dict[str, Any]:
        """The caller presses keys; answers the settled call."""
        return self._call_event(transaction_id, "digits", leg, Digits=digits)

    @_serves("call-event")
    def answer(self, transaction_id: str, leg: str = "LEG-A") -> dict[str, Any]:
        """A ringing leg picks up (an outbound call's callee, or LEG-B of a CallAndBridge)."""
        return self._call_event(transaction_id, "answer", leg)

    @_serves("call-event")
    def refuse(self, transaction_id: str, busy: bool = True, leg: str = "LEG-A") -> dict[str, Any]:
        """A ringing leg is busy (486) or does not answer (480)."""
        return self._call_event(transaction_id, "busy" if busy else "no-answer", leg)

    @_serves("call-event")
    def hang_up(self, transaction_id: str, leg: str = "LEG-A") -> dict[str, Any]:
        return self._call_event(transaction_id, "hangup", leg)

    @_serves("call-show")
    def call(self, transaction_id: str) -> dict[str, Any]:
        """The whole call, settled: Status, Participants, Invocations, Media."""
        return self._send("call-show", TransactionId=transaction_id)

    @_serves("call-list")
    def calls(self) -> list[dict[str, Any]]:
        """The newest 100 calls, newest first, as summaries."""
        return list(self._send("call-list")["Calls"])

    def _call_event(
        self, transaction_id: str, event: str, leg: str, **extra: Any
    ) -> dict[str, Any]:
        return self._send(
            "call-event", TransactionId=transaction_id, Event=event, ParticipantTag=leg, **extra
        )

    @_serves("connector-call-place")
    def place_connector_call(
        self, voice_connector_id: str, from_number: str, to_number: str, **voices: str
    ) -> str:
        """A call in progress through a Voice Connector, for voice analytics tasks to analyse;
        answers its TransactionId. `voices` are the control API's `Speaker`, `Sentiment`,
        `CalleeSpeaker` and `CalleeSentiment` (docs/voice-analytics.md)."""
        placed = self._send(
            "connector-call-place",
            VoiceConnectorId=voice_connector_id,
            From=from_number,
            To=to_number,
            **voices,
        )
        return str(placed["TransactionId"])

    @_serves("connector-call-show")
    def connector_call(self, transaction_id: str) -> dict[str, Any]:
        """The call through a Voice Connector, with the `Notifications` its tasks sent."""
        return self._send("connector-call-show", TransactionId=transaction_id)

    @_serves("connector-call-hangup")
    def end_connector_call(self, transaction_id: str) -> dict[str, Any]:
        """Hangs up a call through a Voice Connector; its active tasks settle."""
        return self._send("connector-call-hangup", TransactionId=transaction_id)

    @_serves("termination-ping")
    def ping_termination(self, voice_connector_id: str, source: str) -> dict[str, Any]:
        """A SIP OPTIONS ping from `source` reaches the connector's termination, now."""
        return self._send("termination-ping", VoiceConnectorId=voice_connector_id, Source=source)

    @_serves("e911-pin")
    def pin_e911(
        self,
        address: dict[str, str],
        result: int,
        corrected_address: dict[str, str] | None = None,
        candidates: list[dict[str, str]] | None = None,
    ) -> dict[str, Any]:
        """Pins what ValidateE911Address answers for exactly `address`."""
        return self._send(
            "e911-pin",
            Address=address,
            ValidationResult=result,
            CorrectedAddress=corrected_address,
            CandidateAddressList=candidates,
        )

    @_serves("e911-count")
    def e911_pins(self) -> int:
        """How many addresses have a pinned outcome."""
        return int(self._send("e911-count")["Count"])

    @_serves("e911-clear")
    def clear_e911(self) -> None:
        """Removes every pinned ValidateE911Address outcome."""
        self._send("e911-clear")

    @_serves("fault-add")
    def add_fault(self, operation: str = "*", **rule: Any) -> dict[str, Any]:
        """Adds a fault rule; `rule` takes its other keys (Error, Account, Probability, Count,
        LatencyMs). Answers the rule with its Id."""
        return self._send("fault-add", Operation=operation, **rule)

    @_serves("fault-list")
    def faults(self) -> list[dict[str, Any]]:
        """The fault rules in the order they are tried, with their hits."""
        return list(self._send("fault-list")["Rules"])

    @_serves("fault-remove", "fault-clear")
    def clear_faults(self, rule_id: str | None = None) -> int:
        """Removes the fault rule `rule_id`, or every rule; answers how many went."""
        if rule_id is not None:
            return int(self._send("fault-remove", Id=rule_id)["Removed"])
        return int(self._send("fault-clear")["Removed"])

    @_serves("credential-add")
    def add_credential(
        self,
        principal: str,
        account: str | None = None,
        *,
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
    ) -> dict[str, Any]:
        """Registers a credential for `--auth verify` (in the mock's account by default);
        answers it with its secret."""
        return self._send(
            "credential-add",
            AccountId=account or self.account,
            PrincipalName=principal,
            AccessKeyId=access_key_id,
            SecretAccessKey=secret_access_key,
        )

    @_serves("credential-list")
    def credentials(self) -> list[dict[str, Any]]:
        """Every credential, without secrets."""
        return list(self._send("credential-list")["Credentials"])

    @_serves("credential-remove")
    def remove_credential(self, access_key_id: str) -> None:
        self._send("credential-remove", key=access_key_id)

    @_serves("policy-attach")
    def attach_policy(
        self, access_key_id: str, name: str, document: dict[str, Any] | str
    ) -> dict[str, Any]:
        """Attaches an IAM policy document to a credential; answers it as checked."""
        return self._send(
            "policy-attach", key=access_key_id, PolicyName=name, PolicyDocument=document
        )

    @_serves("policy-list")
    def policies(self, access_key_id: str) -> list[dict[str, Any]]:
        return list(self._send("policy-list", key=access_key_id)["Policies"])

    @_serves("policy-detach")
    def detach_policy(self, access_key_id: str, name: str) -> None:
        self._send("policy-detach", key=access_key_id, name=name)

    def _send(self, route: str, **values: Any) -> dict[str, Any]:
        """Calls the control route named `route`, by its declaration, with `values` keyed by
        its field names; a None value is a field left out."""
        specs = (r.spec for r in self.app.registry.routes if r.spec is not None)
        method, path, document = request_for(route_named(specs, route), values)
        return self.control(method, path, document)

    def control(self, method: str, path: str, document: Any = None) -> dict[str, Any]:
        """Any control API call (`path` relative to /_localchime/); answers its JSON, or raises
        ControlCallError on a 4xx."""
        body = b"" if document is None else orjson.dumps(document)
        response = self.app.handle(
            Request(
                method,
                "/_localchime/" + path.lstrip("/"),
                "",
                self._control_headers(),
                body,
            )
        )
        answer: dict[str, Any] = orjson.loads(response.body) if response.body else {}
        if response.status >= 400:
            raise ControlCallError(response.status, answer["error"], answer["message"])
        return answer

    def _control_headers(self) -> dict[str, str]:
        """With `auth="verify"` the app made a control token; the mock is in the same process
        and sends it."""
        headers = {"content-type": "application/json", "host": "localchime.in-process"}
        token = self.app.settings.control_token
        if token:
            headers["authorization"] = f"Bearer {token}"
        return headers


def mock_chime(function: Callable[P, R] | None = None, /, **overrides: Any) -> Any:
    """`@mock_chime`, `@mock_chime(quota_profile="aws")` or `with mock_chime() as chime:`."""
    if function is not None:
        return LocalChimeMock()(function)
    return LocalChimeMock(**overrides)


def _apply(values: dict[str, str | None]) -> None:
    for name, value in values.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def _moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
