"""Control endpoints for calls through Voice Connectors, which voice analytics tasks analyse.

- POST /_localchime/voice-connector-calls  ← {"VoiceConnectorId", "From", "To",
  "Speaker"?, "Sentiment"?, "CalleeSpeaker"?, "CalleeSentiment"?}
  → 201 {"TransactionId", "Call"}: a call in progress through the connector, in the connector's
  account and Region. `Speaker` labels the caller's voice (the same label is the same person);
  `Sentiment` (positive, neutral or negative; default neutral) is what voice tone analysis will
  find. The Callee pair does the same for the other leg. A leg without a speaker label has a
  voice no other call has.
- GET  /_localchime/voice-connector-calls/{TransactionId}  → the call and its `Notifications`:
  every event its analytics tasks would have delivered, to each notification target of the
  connector's streaming configuration, in order.
- POST /_localchime/voice-connector-calls/{TransactionId}/hangup  → 200, the call, ended; its
  active tasks settle (lifecycle.end_of_call). 409 when it had already ended.

Calls are found by TransactionId alone, whatever their account: the control API stands for the
telephone network. They are records of their own, not PSTN audio calls: a call through a Voice
Connector runs no SIP media application handler (docs/voice-analytics.md).
"""

from __future__ import annotations

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
from localchime.families.voice_analytics import lifecycle
from localchime.families.voice_analytics import repository as repo
from localchime.families.voice_analytics.analysis import SENTIMENTS
from localchime.families.voice_analytics.repository import Call
from localchime.families.voice_analytics.views import call_view
from localchime.families.voice_connectors import public as connectors

ROUTES = ControlRoutes()
MAX_LABEL = 128
E164_RULE = "an E.164 number such as +12065550100"
LABEL_RULE = f"a label of 1 to {MAX_LABEL} characters naming whose voice it is"
SENTIMENT_RULE = "one of " + ", ".join(SENTIMENTS)
FIELDS = (
    Field(
        "VoiceConnectorId",
        required=True,
        help="The Voice Connector the call goes through.",
        missing="VoiceConnectorId is required: the connector the call uses",
    ),
    Field("From", required=True, help="The caller's number, E.164.", rule=E164_RULE),
    Field("To", required=True, help="The number called, E.164.", rule=E164_RULE),
    Field("Speaker", help="Labels the caller's voice: one label, one person.", rule=LABEL_RULE),
    Field("Sentiment", help="The caller's tone: " + SENTIMENT_RULE + ".", rule=SENTIMENT_RULE),
    Field("CalleeSpeaker", help="Labels the callee's voice.", rule=LABEL_RULE),
    Field(
        "CalleeSentiment", help="The callee's tone: " + SENTIMENT_RULE + ".", rule=SENTIMENT_RULE
    ),
)
TRANSACTION_ID = Field("TransactionId", required=True, where="path", help="The call's id.")


@ROUTES("POST", "/voice-connector-calls", name="connector-call-place", fields=FIELDS)
def place_call(ctx: ControlContext, request: ControlRequest) -> Reply:
    body = request.fields()
    connector_id = body.get("VoiceConnectorId")
    if not isinstance(connector_id, str) or not connector_id:
        raise bad_control_request("VoiceConnectorId is required: the connector the call uses")
    from_number, to_number = e164_field(body, "From"), e164_field(body, "To")
    transaction_id = new_guid()
    caller = _speaker(body, "Speaker", f"unlabelled:{transaction_id}:caller")
    callee = _speaker(body, "CalleeSpeaker", f"unlabelled:{transaction_id}:callee")
    caller_sentiment = _sentiment(body, "Sentiment")
    callee_sentiment = _sentiment(body, "CalleeSentiment")
    now_ms = ctx.now_ms()
    with ctx.store.write() as connection:
        connector = connectors.connector_by_id_for_update(connection, connector_id)
        if connector is None:
            raise control_not_found(f"Voice Connector {connector_id} does not exist")
        record = Call(
            transaction_id=transaction_id,
            account=connector.account,
            region=connector.region,
            voice_connector_id=connector_id,
            from_number=from_number,
            to_number=to_number,
            caller_speaker=caller,
            caller_sentiment=caller_sentiment,
            callee_speaker=callee,
            callee_sentiment=callee_sentiment,
            started_ms=now_ms,
            ended_ms=None,
        )
        repo.insert_call(connection, record)
    return 201, {"TransactionId": transaction_id, "Call": call_view(record, [])}


@ROUTES(
    "GET",
    "/voice-connector-calls/{TransactionId}",
    name="connector-call-show",
    fields=(TRANSACTION_ID,),
)
def show_call(ctx: ControlContext, request: ControlRequest) -> Reply:
    transaction_id = request.params["TransactionId"]
    ctx.now_ms()  # runs the transitions due by now, so the view is current
    with ctx.store.read() as connection:
        record = _call(connection, transaction_id)
        return 200, call_view(record, repo.notifications(connection, transaction_id))


@ROUTES(
    "POST",
    "/voice-connector-calls/{TransactionId}/hangup",
    name="connector-call-hangup",
    fields=(TRANSACTION_ID,),
)
def hang_up(ctx: ControlContext, request: ControlRequest) -> Reply:
    request.fields()
    transaction_id = request.params["TransactionId"]
    now_ms = ctx.now_ms()
    with ctx.store.write() as connection:
        record = _call(connection, transaction_id, for_update=True)
        if record.ended_ms is not None:
            raise ControlError(409, "Conflict", f"Call {transaction_id} has already ended")
        record.ended_ms = now_ms
        repo.end_call(connection, transaction_id, now_ms)
        lifecycle.end_of_call(connection, record, now_ms)
    with ctx.store.read() as connection:
        return 200, call_view(record, repo.notifications(connection, transaction_id))


def _call(connection: Any, transaction_id: str, *, for_update: bool = False) -> Call:
    find = repo.call_for_update if for_update else repo.call
    record = find(connection, transaction_id)
    if record is None:
        raise control_not_found(
            f"No call through a Voice Connector has TransactionId {transaction_id}"
        )
    return record


def _speaker(body: dict[str, Any], name: str, default: str) -> str:
    value = body.get(name)
    if value is None:
        return default
    if not isinstance(value, str) or not 1 <= len(value) <= MAX_LABEL:
        raise bad_control_request(
            f"{name} must be a label of 1 to {MAX_LABEL} characters naming whose voice it is; "
            f"got {value!r}"
        )
    return value


def _sentiment(body: dict[str, Any], name: str) -> str:
    value = body.get(name, "neutral")
    if value not in SENTIMENTS:
        raise bad_control_request(f"{name} must be one of {', '.join(SENTIMENTS)}; got {value!r}")
    return str(value)
