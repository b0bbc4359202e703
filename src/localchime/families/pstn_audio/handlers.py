"""CreateSipMediaApplicationCall and UpdateSipMediaApplicationCall.

Both answer before the handler runs, as AWS does ("returns a 202", asynchronously): Create
records the call with NEW_OUTBOUND_CALL and RINGING waiting for the handler, Update posts
CALL_UPDATE_REQUESTED. The server's background task, or any control route that reads the call,
then drives it (`driver.py`). No handler runs on the request path.
"""

from __future__ import annotations

from typing import Any

from localchime.core.arns import canonical_phone_number
from localchime.core.context import RequestContext
from localchime.core.family import Operations, Params
from localchime.core.ids import new_guid
from localchime.core.lists import shown
from localchime.families.phone_numbers import public as numbers
from localchime.families.pstn_audio import machine
from localchime.families.pstn_audio import repository as repo
from localchime.families.pstn_audio.errors import (
    ApplicationNotFound,
    BadSipHeader,
    CallNotFound,
    NotInInventory,
)
from localchime.families.sip_media_applications.public import Application, application_by_id

OPERATIONS = Operations()

RESERVED_HEADER_PREFIX = "x-amzn"
NAMED_HEADERS = ("user-to-user", "diversion")
MAX_HEADER_VALUE = 2048
CALLING_STATUSES = ("Assigned", "Unassigned")
"""A number being released or deleted places no calls."""


@OPERATIONS("CreateSipMediaApplicationCall")
def create_call(ctx: RequestContext, params: Params) -> dict[str, Any]:
    application_id = params["SipMediaApplicationId"]
    from_number = canonical_phone_number(params["FromPhoneNumber"])
    to_number = canonical_phone_number(params["ToPhoneNumber"])
    headers = params.get("SipHeaders") or {}
    check_sip_headers(headers)
    with ctx.store.write() as connection:
        application = _application(connection, ctx, application_id)
        held = numbers.status_of(connection, ctx.account, ctx.region, from_number)
        if held not in CALLING_STATUSES:
            raise NotInInventory(from_number)
        state = machine.new_call(
            transaction_id=new_guid(),
            account=ctx.account,
            region=application.region,
            application_id=application.application_id,
            function_arn=application.lambda_arn,
            direction="Outbound",
            from_number=from_number,
            to_number=to_number,
            sip_headers=headers,
            arguments=params.get("ArgumentsMap") or {},
            now_ms=ctx.now_ms,
        )
        repo.insert_call(connection, state)
    return {"SipMediaApplicationCall": {"TransactionId": state["TransactionId"]}}


@OPERATIONS("UpdateSipMediaApplicationCall")
def update_call(ctx: RequestContext, params: Params) -> dict[str, Any]:
    application_id = params["SipMediaApplicationId"]
    transaction_id = params["TransactionId"]
    with ctx.store.write() as connection:
        _application(connection, ctx, application_id)
        found = repo.call_for_update(connection, transaction_id)
        if found is None or not _belongs(found[1], ctx, application_id):
            raise CallNotFound(application_id, transaction_id)
        version, state = found
        if state["Status"] != "InProgress":
            raise CallNotFound(application_id, transaction_id, ended=True)
        machine.request_update(state, params.get("Arguments") or {}, ctx.now_ms)
        repo.save_call(connection, state, version + 1)
    return {"SipMediaApplicationCall": {"TransactionId": transaction_id}}


def check_sip_headers(headers: dict[str, str]) -> None:
    """SPEC-voice: keys start with `x-` or are User-to-User or Diversion; `X-AMZN` is
    reserved; values up to 2,048 characters."""
    reserved = [k for k in headers if k.lower().startswith(RESERVED_HEADER_PREFIX)]
    if reserved:
        raise BadSipHeader(
            f"SipHeaders {shown(reserved)}: the X-AMZN prefix is reserved for Amazon"
        )
    unknown = [
        k for k in headers if not k.lower().startswith("x-") and k.lower() not in NAMED_HEADERS
    ]
    if unknown:
        raise BadSipHeader(
            f"SipHeaders {shown(unknown)}: a header must start with x- or be User-to-User or "
            "Diversion"
        )
    long = [k for k, v in headers.items() if len(v) > MAX_HEADER_VALUE]
    if long:
        raise BadSipHeader(
            f"SipHeaders {shown(long)}: a value may be at most {MAX_HEADER_VALUE} characters"
        )


def _application(connection: Any, ctx: RequestContext, application_id: str) -> Application:
    application = application_by_id(connection, ctx.account, application_id)
    if application is None or application.region != ctx.region:
        raise ApplicationNotFound(application_id)
    return application


def _belongs(state: machine.CallState, ctx: RequestContext, application_id: str) -> bool:
    return bool(
        state["AccountId"] == ctx.account and state["SipMediaApplicationId"] == application_id
    )
