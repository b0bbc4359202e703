"""Control endpoints that drive simulated PSTN audio calls, and the Lambda function registry.

- POST /_localchime/calls  ← {"From": E164, "To": E164, "SipHeaders"?: {...}}
  → 201 {"TransactionId", "CallId", "Call": the call}: an inbound PSTN call to `To`, routed by
  the enabled SIP rule whose ToPhoneNumber trigger is `To`, to the target application of the
  rule's first Region by priority; 404 when no enabled rule matches.
- GET  /_localchime/calls  → {"Calls": [summary, …]}: the newest 100 calls first.
- GET  /_localchime/calls/{TransactionId}  → the whole call, settled.
- POST /_localchime/calls/{TransactionId}/events  ← {"Event", "ParticipantTag"?, "Digits"?}
  → 200, the call: `digits` (with Digits), `answer`, `busy`, `no-answer` or `hangup`, by the
  participant (default LEG-A). An event the call's state does not allow is a 409 that says why.
- POST /_localchime/lambda-functions  ← {"FunctionArn", "InvokeUrl" | "Handler",
  "AllowedAccounts"?: [account, …]} → 201. An InvokeUrl's host must be on `invoke_allow`; a
  Handler must come from `handler_path`; AllowedAccounts are the accounts besides the ARN's own
  whose SIP media applications may invoke it.
- GET  /_localchime/lambda-functions  → {"LambdaFunctions": [...]}
- DELETE /_localchime/lambda-functions/{FunctionArn}  → 200 {"FunctionArn"}; 404 if none

Every call route answers once the call has settled: the handler has had every event, and the
call waits for the caller, the callee or the clock. They run off the event loop (`blocking`).
Calls are found by TransactionId alone, whatever their account: the control API stands for the
telephone network, which knows no accounts.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from localchime.core.control import (
    ControlContext,
    ControlError,
    ControlRequest,
    Field,
    Reply,
    bad_control_request,
    control_not_found,
    e164_field,
)
from localchime.core.family import ControlRoutes
from localchime.core.ids import new_guid
from localchime.core.reach import url_host_allowed
from localchime.families.pstn_audio import functions, machine
from localchime.families.pstn_audio import repository as repo
from localchime.families.pstn_audio.driver import driver_for
from localchime.families.pstn_audio.handlers import check_sip_headers
from localchime.families.pstn_audio.machine import CallState
from localchime.families.pstn_audio.views import call_summary, call_view
from localchime.families.sip_media_applications.public import (
    application_by_id,
    enabled_rule_for_trigger,
)

ROUTES = ControlRoutes()

LAMBDA_ARN = re.compile(
    r"arn:(aws[a-zA-Z-]*)?:lambda:[a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\d{1}:\d{12}:function:"
    r"[a-zA-Z0-9-_]+(:(\$LATEST|[a-zA-Z0-9-_]+))?"
)
"""The model's pattern for a SIP media application endpoint's LambdaArn."""
LISTED_CALLS = 100
ACCOUNT = re.compile(r"\d{12}")
MAX_ALLOWED_ACCOUNTS = 100
EVENTS = ("digits", "answer", "busy", "no-answer", "hangup")
REFUSALS = {"busy": 486, "no-answer": 480}
E164_RULE = "an E.164 number such as +12065550100"
TRANSACTION_ID = Field("TransactionId", required=True, where="path", help="The call's id.")
CALL_FIELDS = (
    Field("From", required=True, help="The caller's number, E.164.", rule=E164_RULE),
    Field("To", required=True, help="The number dialled, a SIP rule's trigger.", rule=E164_RULE),
    Field(
        "SipHeaders",
        "object",
        help="SIP headers (x-…, User-to-User or Diversion) by name.",
        rule="an object of string values",
    ),
)
EVENT_FIELDS = (
    TRANSACTION_ID,
    Field(
        "Event",
        required=True,
        help="What the participant does: " + ", ".join(EVENTS) + ".",
        rule="one of " + ", ".join(EVENTS),
    ),
    Field(
        "ParticipantTag",
        help="LEG-A, the caller (default), or LEG-B, the far end of a CallAndBridge.",
        rule="LEG-A or LEG-B",
    ),
    Field("Digits", help="The keys pressed, for the digits event: 0-9, *, #, A-D."),
)
FUNCTION_FIELDS = (
    Field(
        "FunctionArn",
        required=True,
        help="The Lambda function ARN a SIP media application names.",
        rule="a Lambda function ARN such as arn:aws:lambda:us-east-1:123456789012:function:ivr",
    ),
    Field("InvokeUrl", help="A URL that takes each event as a JSON POST."),
    Field("Handler", help="A Python function, package.module:function."),
    Field(
        "AllowedAccounts",
        "list",
        help="Other accounts whose SIP media applications may invoke it (a resource policy).",
        rule="a list of 12-digit AWS account ids",
    ),
)


@ROUTES("POST", "/calls", blocking=True, name="call-place", fields=CALL_FIELDS)
def place_inbound_call(ctx: ControlContext, request: ControlRequest) -> Reply:
    body = request.fields()
    from_number = e164_field(body, "From")
    to_number = e164_field(body, "To")
    headers = _headers(body.get("SipHeaders"))
    with ctx.store.write() as connection:
        rule = enabled_rule_for_trigger(connection, "ToPhoneNumber", to_number)
        if rule is None:
            raise control_not_found(
                f"No enabled SIP rule has the ToPhoneNumber trigger {to_number}"
            )
        target = min(rule.targets, key=lambda t: t.priority)
        application = application_by_id(connection, rule.account, target.application_id)
        if application is None:
            raise control_not_found(
                f"SIP rule {rule.rule_id} targets SIP media application {target.application_id}, "
                "which no longer exists"
            )
        state = machine.new_call(
            transaction_id=new_guid(),
            account=rule.account,
            region=application.region,
            application_id=application.application_id,
            function_arn=application.lambda_arn,
            direction="Inbound",
            from_number=from_number,
            to_number=to_number,
            sip_headers=headers,
            rule_id=rule.rule_id,
            now_ms=ctx.now_ms(),
        )
        repo.insert_call(connection, state)
    settled = driver_for(ctx.store, ctx.settings).settle(state["TransactionId"], ctx.now_ms)
    return 201, {
        "TransactionId": state["TransactionId"],
        "CallId": state["Participants"][0]["CallId"],
        "Call": _view(ctx, settled),
    }


@ROUTES("GET", "/calls", name="call-list")
def list_calls(ctx: ControlContext, _request: ControlRequest) -> Reply:
    return 200, {
        "Calls": [call_summary(state) for state in repo.newest_calls(ctx.store, LISTED_CALLS)]
    }


@ROUTES("GET", "/calls/{TransactionId}", blocking=True, name="call-show", fields=(TRANSACTION_ID,))
def show_call(ctx: ControlContext, request: ControlRequest) -> Reply:
    settled = driver_for(ctx.store, ctx.settings).settle(
        request.params["TransactionId"], ctx.now_ms
    )
    return 200, _view(ctx, settled)


@ROUTES(
    "POST",
    "/calls/{TransactionId}/events",
    blocking=True,
    name="call-event",
    fields=EVENT_FIELDS,
)
def call_event(ctx: ControlContext, request: ControlRequest) -> Reply:
    body = request.fields()
    event = body.get("Event")
    if event not in EVENTS:
        raise bad_control_request(f"Event must be one of {', '.join(EVENTS)}; got {event!r}")
    tag = body.get("ParticipantTag", machine.LEG_A)
    if tag not in (machine.LEG_A, machine.LEG_B):
        raise bad_control_request(f"ParticipantTag must be LEG-A or LEG-B; got {tag!r}")
    digits = _digits(event, body.get("Digits"))
    driver = driver_for(ctx.store, ctx.settings)
    transaction_id = request.params["TransactionId"]
    settled = driver.settle(transaction_id, ctx.now_ms)
    # One key at a time, settling between keys: a key may end an action whose handler answer
    # starts the action that hears the next key.
    for change in _changes(event, tag, digits):
        settled = driver.act(transaction_id, change, ctx.now_ms)
    return 200, _view(ctx, settled)


@ROUTES("POST", "/lambda-functions", name="function-register", fields=FUNCTION_FIELDS)
def register_function(ctx: ControlContext, request: ControlRequest) -> Reply:
    body = request.fields()
    arn = body.get("FunctionArn")
    if not isinstance(arn, str) or not LAMBDA_ARN.fullmatch(arn):
        raise bad_control_request(
            "FunctionArn must be a Lambda function ARN such as "
            f"arn:aws:lambda:us-east-1:123456789012:function:ivr; got {arn!r}"
        )
    url, handler = body.get("InvokeUrl"), body.get("Handler")
    if (url is None) == (handler is None):
        raise bad_control_request("Send exactly one of InvokeUrl and Handler with FunctionArn")
    if url is not None and (
        not isinstance(url, str) or not url.startswith(("http://", "https://"))
    ):
        raise bad_control_request(f"InvokeUrl must be an http:// or https:// URL; got {url!r}")
    if url is not None and not url_host_allowed(url, ctx.settings.invoke_allow):
        raise bad_control_request(
            f"InvokeUrl must name a host on LOCALCHIME_INVOKE_ALLOW "
            f"({ctx.settings.invoke_allow}); got {url!r}"
        )
    if handler is not None:
        _check_handler(handler, functions.handler_dirs(ctx.settings))
    accounts = _allowed_accounts(body.get("AllowedAccounts"))
    registration = functions.Registration(arn, url, handler, ctx.now_ms(), accounts)
    with ctx.store.write() as connection:
        functions.register(connection, registration)
    return 201, registration.view()


@ROUTES("GET", "/lambda-functions", name="function-list")
def list_functions(ctx: ControlContext, _request: ControlRequest) -> Reply:
    return 200, {"LambdaFunctions": [r.view() for r in functions.registrations(ctx.store)]}


@ROUTES(
    "DELETE",
    "/lambda-functions/{FunctionArn}",
    name="function-unregister",
    fields=(Field("FunctionArn", required=True, where="path", help="The function's ARN."),),
)
def unregister_function(ctx: ControlContext, request: ControlRequest) -> Reply:
    arn = urllib.parse.unquote(request.params["FunctionArn"])
    with ctx.store.write() as connection:
        if not functions.unregister(connection, arn):
            raise control_not_found(f"No handler is registered for {arn}")
    return 200, {"FunctionArn": arn}


Change = Callable[[CallState, int], None]


def _changes(event: str, tag: str, digits: str) -> list[Change]:
    if event == "digits":
        return [_press(tag, digit) for digit in digits]
    if event == "answer":
        return [lambda state, now: machine.answer_leg(state, tag, now)]
    if event == "hangup":
        return [lambda state, now: machine.hang_up(state, tag, now)]
    code = REFUSALS[event]
    return [lambda state, now: machine.refuse_leg(state, tag, code, now)]


def _press(tag: str, digit: str) -> Change:
    return lambda state, now: machine.press(state, tag, digit, now)


def _view(ctx: ControlContext, state: CallState) -> dict[str, Any]:
    return call_view(state, repo.invocations(ctx.store, state["TransactionId"]))


def _headers(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise bad_control_request("SipHeaders must be an object of string values")
    if len(value) > 20:
        raise bad_control_request(f"SipHeaders may hold at most 20 headers; got {len(value)}")
    check_sip_headers(value)
    return value


def _digits(event: str, value: Any) -> str:
    if event != "digits":
        if value is not None:
            raise bad_control_request(f"Digits goes only with the digits event, not {event}")
        return ""
    if not isinstance(value, str) or not value or not set(value) <= set("0123456789*#ABCD"):
        raise bad_control_request(f"Digits must be one or more of 0-9, *, #, A-D; got {value!r}")
    if len(value) > 128:
        raise bad_control_request("Digits may hold at most 128 keys per event")
    return value


def _allowed_accounts(value: Any) -> tuple[str, ...]:
    """The other accounts the function grants, as a Lambda resource policy's principals."""
    if value is None:
        return ()
    if not isinstance(value, list) or not all(
        isinstance(a, str) and ACCOUNT.fullmatch(a) for a in value
    ):
        raise bad_control_request(
            f"AllowedAccounts must be a list of 12-digit AWS account ids; got {value!r}"
        )
    if len(value) > MAX_ALLOWED_ACCOUNTS:
        raise bad_control_request(
            f"AllowedAccounts may hold at most {MAX_ALLOWED_ACCOUNTS} accounts; got {len(value)}"
        )
    return tuple(dict.fromkeys(value))


def _check_handler(handler: Any, dirs: list[Path] | None) -> None:
    if not isinstance(handler, str):
        raise bad_control_request(f"Handler must be a {functions.HANDLER_PATTERN} string")
    try:
        functions.import_handler(handler, dirs)
    except ValueError as error:
        raise ControlError(400, "BadRequest", f"Handler {handler!r}: {error}") from None
