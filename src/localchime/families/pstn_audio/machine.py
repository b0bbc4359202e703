"""The call simulator's state machine: what happens on a PSTN audio call, with no storage and no
handler in sight.

A call is one JSON-able dict (`CallState`), stored whole in `pstn_calls.state`. The driver
(`driver.py`) alternates between this module and the handler: `next_event` runs the call up to
a moment of the service clock and hands back the next event for the handler, if any;
`apply_answer` takes the handler's answer. The caller, the callee and the API push in through
`press`, `answer_leg`, `refuse_leg`, `hang_up` and `request_update`.

Time is the service clock in epoch milliseconds. `At` is the moment the simulation has reached;
a timed step (an action ending, a timeout) runs as of its due time, never "when noticed", so a
clock moved by an hour plays the hour out in order.

Every fact here is SPEC-voice's "PSTN audio" section; what it leaves open is marked I and
written down in docs/pstn-audio.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from localchime.core.ids import new_guid
from localchime.families.pstn_audio import actions
from localchime.families.pstn_audio.actions import ActionError

CallState = dict[str, Any]

SCHEMA_VERSION = "1.0"
INBOUND_ANSWER_TIMEOUT_MS = 30_000
"""An inbound call that no action answers ends after 30 s (SPEC-voice)."""
OUTBOUND_RING_TIMEOUT_MS = 30_000
"""An outbound call nobody answers or refuses rings this long, then ends with 480 (I)."""
MAX_INVOCATIONS = 1_000
MAX_ACTIONS = 10
MAX_ATTRIBUTES = 100
MAX_ATTRIBUTES_BYTES = 20 * 1024
"""SPEC-voice gives "100 pairs, 20 KB" and elsewhere "10 mappings"; localchime takes the larger
(docs/pstn-audio.md), so a handler that works here is not refused for the other page's sake
only if it stays within 10."""

ANSWERS_IGNORED = ("NEW_OUTBOUND_CALL", "RINGING", "ACTION_INTERRUPTED")
"""Events whose answer's actions the service ignores (SPEC-voice); attributes still count."""
NEW_CALL_EVENTS = ("NEW_INBOUND_CALL", "NEW_OUTBOUND_CALL")
LEG_A = "LEG-A"
LEG_B = "LEG-B"


class CallEventRefused(Exception):
    """An external event the call's state does not allow (the control API's 409)."""


# ---------------------------------------------------------------------------------------------
# Creating calls


def new_call(
    *,
    transaction_id: str,
    account: str,
    region: str,
    application_id: str,
    function_arn: str,
    direction: str,
    from_number: str,
    to_number: str,
    sip_headers: Mapping[str, str] | None,
    now_ms: int,
    rule_id: str | None = None,
    arguments: Mapping[str, str] | None = None,
) -> CallState:
    """A call whose first event (NEW_INBOUND_CALL, or NEW_OUTBOUND_CALL then RINGING) waits in
    the outbox."""
    leg = _participant(LEG_A, direction, from_number, to_number, now_ms, sip_headers)
    state: CallState = {
        "TransactionId": transaction_id,
        "AccountId": account,
        "AwsRegion": region,
        "SipMediaApplicationId": application_id,
        "SipRuleId": rule_id,
        "FunctionArn": function_arn,
        "Direction": direction,
        "Status": "InProgress",
        "CreatedMs": now_ms,
        "EndedMs": None,
        "EndReason": None,
        "At": now_ms,
        "Sequence": 0,
        "Attributes": None,
        "Participants": [leg],
        "Answered": False,
        "AnswerDueMs": None,
        "Queue": [],
        "Current": None,
        "Outbox": [],
        "Media": [],
        "Receive": None,
    }
    if direction == "Inbound":
        leg["Phase"] = "New"
        state["AnswerDueMs"] = now_ms + INBOUND_ANSWER_TIMEOUT_MS
        _post(state, "NEW_INBOUND_CALL")
    else:
        leg["Phase"] = "Ringing"
        leg["DueMs"] = now_ms + OUTBOUND_RING_TIMEOUT_MS
        data = {"Type": "CallCreateRequest", "Parameters": {"Arguments": dict(arguments or {})}}
        _post(state, "NEW_OUTBOUND_CALL", data)
        _post(state, "RINGING")
    return state


def _participant(
    tag: str,
    direction: str,
    from_number: str,
    to_number: str,
    now_ms: int,
    sip_headers: Mapping[str, str] | None,
) -> dict[str, Any]:
    participant: dict[str, Any] = {
        "CallId": new_guid(),
        "ParticipantTag": tag,
        "To": to_number,
        "From": from_number,
        "Direction": direction,
        "StartTimeInMilliseconds": str(now_ms),
        "Phase": "New",
        "DueMs": None,
        "SipResponseCode": None,
    }
    if sip_headers:
        participant["SipHeaders"] = dict(sip_headers)
    return participant


# ---------------------------------------------------------------------------------------------
# Running the call


def next_event(state: CallState, now_ms: int) -> dict[str, Any] | None:
    """Runs the call up to `now_ms` and takes the next event for the handler out of the
    outbox, with its envelope; None when the call waits for the caller, the callee or a later
    moment."""
    while not state["Outbox"]:
        if state["Status"] != "InProgress":
            return None
        if state["Current"] is None and state["Queue"]:
            _start_next(state)
            continue
        due = due_ms(state)
        if due is None or due > now_ms:
            return None
        state["At"] = max(state["At"], due)
        _fire(state, due)
    return _envelope(state, state["Outbox"].pop(0))


def due_ms(state: CallState) -> int | None:
    """When the call next changes on its own, or None."""
    if state["Status"] != "InProgress":
        return None
    candidates = [p["DueMs"] for p in state["Participants"] if p.get("DueMs") is not None]
    if not state["Answered"] and state["AnswerDueMs"] is not None:
        candidates.append(state["AnswerDueMs"])
    current = state["Current"]
    if current is not None and current.get("EndsMs") is not None:
        candidates.append(current["EndsMs"])
    receive = state["Receive"]
    if receive is not None and receive.get("FlushMs") is not None:
        candidates.append(receive["FlushMs"])
    return min(candidates) if candidates else None


def needs_handler(state: CallState) -> bool:
    return bool(state["Outbox"]) or (
        state["Status"] == "InProgress" and state["Current"] is None and bool(state["Queue"])
    )


def _fire(state: CallState, due: int) -> None:
    """Runs the one step due at `due`."""
    for participant in state["Participants"]:
        if participant.get("DueMs") == due:
            participant["DueMs"] = None
            if participant["ParticipantTag"] == LEG_A:
                _disconnect(state, participant, 480)
            else:
                _bridge_failed(state, participant, "no answer before CallTimeoutSeconds")
            return
    if not state["Answered"] and state["AnswerDueMs"] == due:
        state["AnswerDueMs"] = None
        state["Queue"] = []
        state["Current"] = None
        _disconnect(state, _leg(state, LEG_A), 480)
        return
    current = state["Current"]
    if current is not None and current.get("EndsMs") == due:
        _action_due(state, current)
        return
    receive = state["Receive"]
    if receive is not None and receive.get("FlushMs") == due:
        receive["Buffer"] = ""
        receive["FlushMs"] = None


def _action_due(state: CallState, current: dict[str, Any]) -> None:
    action = current["Action"]
    action_type = action["Type"]
    if action_type in actions.DIGITS_ACTIONS:
        _attempt_over(state, current)
    elif action_type == "RecordAudio":
        _action_done(state, _recording_result(state, current, terminator=None))
    elif action_type == "CallAndBridge":
        _bridge_failed(state, _leg(state, LEG_B), "no answer before CallTimeoutSeconds")
    else:
        _action_done(state, {})


# ---------------------------------------------------------------------------------------------
# Actions


def _start_next(state: CallState) -> None:
    action = state["Queue"].pop(0)
    action_type = action["Type"]
    if action_type in actions.NOT_SIMULATED:
        _action_failed(
            state,
            action,
            "SystemException",
            f"localchime does not simulate the {action_type} action; it simulates "
            f"{', '.join(actions.SIMULATED)}",
        )
        return
    try:
        actions.check(action)
        leg = _target(state, action)
    except ActionError as error:
        _action_failed(state, action, error.error_type, error.message)
        return
    if action_type in actions.ANSWERING:
        _answer_inbound(state, leg)
    STARTERS[action_type](state, action, actions.parameters_of(action), leg)


def _target(state: CallState, action: Mapping[str, Any]) -> dict[str, Any]:
    """The participant an action is for: its CallId wins over its ParticipantTag, and LEG-A
    is the default (SPEC-voice)."""
    parameters = actions.parameters_of(action)
    call_id = parameters.get("CallId")
    tag = parameters.get("ParticipantTag")
    if action["Type"] == "CallAndBridge":
        call_id, tag = None, LEG_A
    if call_id is not None:
        found: list[dict[str, Any]] = [p for p in state["Participants"] if p["CallId"] == call_id]
        if not found:
            raise ActionError(
                "InvalidActionParameter",
                f"{action['Type']}: CallId {call_id!r} is not a participant of this call",
            )
        participant = found[0]
    else:
        tag = tag or LEG_A
        found = [p for p in state["Participants"] if p["ParticipantTag"] == tag]
        if not found:
            raise ActionError(
                "InvalidActionParameter",
                f"{action['Type']}: ParticipantTag {tag!r} is not a participant of this call",
            )
        participant = found[0]
    if participant["Phase"] == "Disconnected":
        raise ActionError(
            "InvalidActionParameter",
            f"{action['Type']}: participant {participant['ParticipantTag']} has hung up",
        )
    return participant


def _answer_inbound(state: CallState, leg: dict[str, Any]) -> None:
    if leg["ParticipantTag"] == LEG_A and leg["Phase"] == "New":
        leg["Phase"] = "Connected"
        state["Answered"] = True
        state["AnswerDueMs"] = None


def _begin(
    state: CallState,
    action: Mapping[str, Any],
    leg: dict[str, Any],
    lasts_ms: int | None,
    **extra: Any,
) -> None:
    ends = None if lasts_ms is None else state["At"] + lasts_ms
    state["Current"] = {
        "Action": dict(action),
        "Leg": leg["ParticipantTag"],
        "EndsMs": ends,
        **extra,
    }


def _heard(state: CallState, leg: dict[str, Any], entry: Mapping[str, Any]) -> None:
    state["Media"].append({"AtMs": state["At"], "ParticipantTag": leg["ParticipantTag"], **entry})


def _start_play(
    state: CallState, action: Mapping[str, Any], parameters: dict[str, Any], leg: dict[str, Any]
) -> None:
    source = actions.audio_source("PlayAudio", parameters, "AudioSource")
    repeat = actions.integer("PlayAudio", parameters, "Repeat", default=1)
    for _ in range(repeat):
        _heard(state, leg, {"Type": "PlayAudio", **source})
    _begin(state, action, leg, actions.PLAYBACK_MS * repeat)


def _start_speak(
    state: CallState, action: Mapping[str, Any], parameters: dict[str, Any], leg: dict[str, Any]
) -> None:
    text = actions.speech("Speak", parameters)
    _heard(state, leg, {"Type": "Speak", "Text": text})
    _begin(state, action, leg, actions.speech_ms(text))


def _start_pause(
    state: CallState, action: Mapping[str, Any], parameters: dict[str, Any], leg: dict[str, Any]
) -> None:
    _begin(state, action, leg, actions.integer("Pause", parameters, "DurationInMilliseconds"))


def _start_send_digits(
    state: CallState, action: Mapping[str, Any], parameters: dict[str, Any], leg: dict[str, Any]
) -> None:
    _heard(state, leg, {"Type": "SendDigits", "Digits": parameters["Digits"]})
    _begin(state, action, leg, actions.send_digits_ms(parameters))


def _start_hangup(
    state: CallState, action: Mapping[str, Any], parameters: dict[str, Any], leg: dict[str, Any]
) -> None:
    code = int(actions.one_of("Hangup", parameters, "SipResponseCode", actions.HANGUP_CODES, "0"))
    if leg["ParticipantTag"] == LEG_A:
        _abandon_bridge(state)
    _disconnect(state, leg, code)


def _start_receive_digits(
    state: CallState, action: Mapping[str, Any], parameters: dict[str, Any], leg: dict[str, Any]
) -> None:
    state["Receive"] = {
        "Action": dict(action),
        "Leg": leg["ParticipantTag"],
        "Buffer": "",
        "FlushMs": None,
    }
    _action_done(state, {}, action=action)


def _start_record(
    state: CallState, action: Mapping[str, Any], parameters: dict[str, Any], leg: dict[str, Any]
) -> None:
    destination = parameters["RecordingDestination"]
    prefix = destination.get("Prefix") or ""
    key = f"{prefix}{state['TransactionId']}-{state['At']}.wav"
    _heard(state, leg, {"Type": "RecordAudio", "BucketName": destination["BucketName"], "Key": key})
    _begin(state, action, leg, actions.recording_ms(parameters), Key=key)


def _start_get_digits(
    state: CallState, action: Mapping[str, Any], parameters: dict[str, Any], leg: dict[str, Any]
) -> None:
    _begin(state, action, leg, None, Attempt=1, Digits="")
    _prompt(state, state["Current"], failure=False)


def _start_bridge(
    state: CallState, action: Mapping[str, Any], parameters: dict[str, Any], leg: dict[str, Any]
) -> None:
    endpoint = parameters["Endpoints"][0]
    state["Participants"] = [p for p in state["Participants"] if p["ParticipantTag"] != LEG_B]
    callee = _participant(
        LEG_B,
        "Outbound",
        parameters["CallerIdNumber"],
        endpoint["Uri"],
        state["At"],
        parameters.get("SipHeaders"),
    )
    callee["Phase"] = "Ringing"
    state["Participants"].append(callee)
    timeout_ms = (
        actions.integer("CallAndBridge", parameters, "CallTimeoutSeconds", default=30) * 1000
    )
    _begin(state, action, callee, timeout_ms)


STARTERS = {
    "PlayAudio": _start_play,
    "Speak": _start_speak,
    "Pause": _start_pause,
    "SendDigits": _start_send_digits,
    "Hangup": _start_hangup,
    "ReceiveDigits": _start_receive_digits,
    "RecordAudio": _start_record,
    "PlayAudioAndGetDigits": _start_get_digits,
    "SpeakAndGetDigits": _start_get_digits,
    "CallAndBridge": _start_bridge,
}


def _prompt(state: CallState, current: dict[str, Any], *, failure: bool) -> None:
    """Plays a digits action's prompt (after its failure prompt, on a repeat) and sets the
    attempt's deadline: the prompts, then RepeatDurationInMilliseconds for the first digit."""
    action = current["Action"]
    parameters = actions.parameters_of(action)
    leg = _leg(state, current["Leg"])
    lasts = 0
    entries = [actions.prompt(action["Type"], parameters, failure=True)] if failure else []
    entries.append(actions.prompt(action["Type"], parameters, failure=False))
    for entry in entries:
        if entry is None:
            continue
        duration = entry.pop("DurationMs")
        entry["Type"] = "PlayAudio" if entry.pop("Kind") == "Audio" else "Speak"
        _heard(state, leg, entry)
        lasts += duration
    rules = actions.digit_rules(action["Type"], parameters)
    current["EndsMs"] = state["At"] + lasts + rules.repeat_duration_ms


def _attempt_over(state: CallState, current: dict[str, Any]) -> None:
    """A digits attempt ended (terminator, maximum, or silence): success, a repeat, or the
    action's failure after the last repeat."""
    action = current["Action"]
    rules = actions.digit_rules(action["Type"], actions.parameters_of(action))
    digits = current["Digits"]
    if rules.accepts(digits) and (digits or rules.minimum == 0):
        _action_done(state, {"ReceivedDigits": digits})
        return
    if current["Attempt"] < rules.repeat:
        current["Attempt"] += 1
        current["Digits"] = ""
        _prompt(state, current, failure=True)
        return
    _action_failed(
        state,
        action,
        "InvalidDigitsReceived",
        f"{action['Type']}: no valid digits after {rules.repeat} attempt(s); last received "
        f"{digits!r}",
    )


def _recording_result(
    state: CallState, current: dict[str, Any], terminator: str | None
) -> dict[str, Any]:
    destination = dict(actions.parameters_of(current["Action"])["RecordingDestination"])
    destination["Key"] = current["Key"]
    result: dict[str, Any] = {"RecordingDestination": destination}
    if terminator is not None:
        result["RecordingTerminatorUsed"] = terminator
    return result


def _action_done(
    state: CallState, result: Mapping[str, Any], *, action: Mapping[str, Any] | None = None
) -> None:
    """The current action succeeded: ACTION_SUCCESSFUL if it carries a result or ends the
    list (SPEC-voice: all actions must succeed for ACTION_SUCCESSFUL)."""
    if action is None:
        action = state["Current"]["Action"]
        state["Current"] = None
    if action["Type"] in actions.REPORTING_ACTIONS or not state["Queue"]:
        _post(
            state,
            "ACTION_SUCCESSFUL",
            {"Type": action["Type"], "Parameters": action.get("Parameters", {}), **result},
        )


def _action_failed(
    state: CallState, action: Mapping[str, Any], error_type: str, message: str
) -> None:
    """The first failure clears the rest of the list (SPEC-voice)."""
    state["Current"] = None
    state["Queue"] = []
    _post(
        state,
        "ACTION_FAILED",
        {
            "Type": action.get("Type"),
            "Parameters": action.get("Parameters", {}),
            "ErrorType": error_type,
            "ErrorMessage": message,
        },
    )


def _bridge_failed(state: CallState, callee: dict[str, Any], why: str) -> None:
    callee["DueMs"] = None
    callee["Phase"] = "Disconnected"
    current = state["Current"]
    if current is not None and current["Action"]["Type"] == "CallAndBridge":
        _action_failed(state, current["Action"], "CallNotAnswered", f"CallAndBridge: {why}")


def _abandon_bridge(state: CallState) -> None:
    """LEG-A leaves while LEG-B still rings: LEG-B is dropped without an event of its own."""
    for participant in state["Participants"]:
        if participant["ParticipantTag"] == LEG_B and participant["Phase"] == "Ringing":
            participant["Phase"] = "Disconnected"
            participant["DueMs"] = None


def _disconnect(state: CallState, leg: dict[str, Any], code: int) -> None:
    leg["Phase"] = "Disconnected"
    leg["DueMs"] = None
    leg["SipResponseCode"] = code
    current = state["Current"]
    if current is not None and current["Leg"] == leg["ParticipantTag"]:
        state["Current"] = None
    data = {
        "Type": "Hangup",
        "Parameters": {
            "SipResponseCode": code,
            "CallId": leg["CallId"],
            "ParticipantTag": leg["ParticipantTag"],
        },
    }
    _post(state, "HANGUP", data)
    if all(p["Phase"] == "Disconnected" for p in state["Participants"]):
        end(state, "Every participant hung up")


def end(state: CallState, reason: str) -> None:
    """The call is over: nothing runs any more; events already posted are still delivered."""
    for participant in state["Participants"]:
        if participant["Phase"] != "Disconnected":
            participant["Phase"] = "Disconnected"
            participant["SipResponseCode"] = participant["SipResponseCode"] or 480
        participant["DueMs"] = None
    state["Status"] = "Completed"
    state["EndedMs"] = state["At"]
    state["EndReason"] = state["EndReason"] or reason
    state["Queue"] = []
    state["Current"] = None
    state["Receive"] = None
    state["AnswerDueMs"] = None


def fail_handler(state: CallState, reason: str) -> None:
    """The handler could not be reached, failed or was too slow on every attempt: the call
    ends with 480 and no further invocation (SPEC-voice)."""
    state["Outbox"] = []
    state["EndReason"] = reason
    for participant in state["Participants"]:
        if participant["Phase"] != "Disconnected":
            participant["Phase"] = "Disconnected"
            participant["SipResponseCode"] = 480
    end(state, reason)


# ---------------------------------------------------------------------------------------------
# The handler's answer


class InvalidAnswer(Exception):
    def __init__(self, error_type: str, message: str) -> None:
        super().__init__(message)
        self.error_type = error_type
        self.message = message


def apply_answer(state: CallState, event_type: str, answer: Any) -> str | None:
    """Takes the handler's answer to an event; returns why it was refused, or None.

    A refused answer changes nothing and, unless it answered an INVALID_LAMBDA_RESPONSE
    itself, posts an INVALID_LAMBDA_RESPONSE (SPEC-voice) with the reason.
    """
    try:
        new_actions, attributes = _read_answer(answer)
    except InvalidAnswer as error:
        # An answer the service ignores anyway (to RINGING, say) is recorded, never refused.
        answered = event_type not in (*ANSWERS_IGNORED, "INVALID_LAMBDA_RESPONSE")
        if state["Status"] == "InProgress" and answered:
            _post(
                state,
                "INVALID_LAMBDA_RESPONSE",
                error_type=error.error_type,
                error_message=error.message,
            )
        return f"{error.error_type}: {error.message}"
    if attributes is not None:
        state["Attributes"] = attributes or None
    if (
        new_actions is not None
        and event_type not in ANSWERS_IGNORED
        and state["Status"] == "InProgress"
    ):
        # The current action, if any, runs on; the new list replaces what was queued behind it.
        state["Queue"] = new_actions
    return None


def _read_answer(answer: Any) -> tuple[list[dict[str, Any]] | None, dict[str, str] | None]:
    if not isinstance(answer, dict):
        raise InvalidAnswer(
            "InvalidResponseFormat", f"The answer must be a JSON object, got {_kind(answer)}"
        )
    if answer.get("SchemaVersion") != SCHEMA_VERSION:
        raise InvalidAnswer(
            "SchemaVersionMismatch",
            f"SchemaVersion must be {SCHEMA_VERSION!r}, got {answer.get('SchemaVersion')!r}",
        )
    return _read_actions(answer.get("Actions")), _read_attributes(
        answer.get("TransactionAttributes")
    )


def _read_actions(value: Any) -> list[dict[str, Any]] | None:
    if value is None:
        return None
    if not isinstance(value, list):
        raise InvalidAnswer("InvalidResponseFormat", f"Actions must be a list, got {_kind(value)}")
    if len(value) > MAX_ACTIONS:
        raise InvalidAnswer(
            "ActionsLimitExceeded",
            f"An answer holds at most {MAX_ACTIONS} actions, got {len(value)}",
        )
    for index, action in enumerate(value):
        if not isinstance(action, dict) or not isinstance(action.get("Type"), str):
            raise InvalidAnswer(
                "InvalidResponseFormat", f"Actions[{index}] must be an object with a string Type"
            )
        known = (*actions.SIMULATED, *actions.NOT_SIMULATED)
        if action["Type"] not in known:
            raise InvalidAnswer(
                "UnsupportedActionType",
                f"Actions[{index}].Type {action['Type']!r} is not a PSTN audio action; "
                f"the actions are {', '.join(sorted(known))}",
            )
    return [dict(action) for action in value]


def _read_attributes(value: Any) -> dict[str, str] | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise InvalidAnswer(
            "TransactionAttributesInvalidValue",
            "TransactionAttributes must be an object of string values",
        )
    size = len(orjson.dumps(value))
    if len(value) > MAX_ATTRIBUTES or size > MAX_ATTRIBUTES_BYTES:
        raise InvalidAnswer(
            "TransactionAttributesInvalidMapSize",
            f"TransactionAttributes holds {len(value)} pairs in {size} bytes; the limits are "
            f"{MAX_ATTRIBUTES} pairs and {MAX_ATTRIBUTES_BYTES} bytes",
        )
    return dict(value)


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


# ---------------------------------------------------------------------------------------------
# What the caller, the callee and the API do


def press(state: CallState, tag: str, digit: str, now_ms: int) -> None:
    """One key pressed by a participant at `now_ms` (the driver settles between keys)."""
    leg = _live_leg(state, tag, "press keys")
    if leg["Phase"] == "Ringing":
        raise CallEventRefused(f"{tag} is still ringing; it cannot press keys")
    state["At"] = max(state["At"], now_ms)
    current = state["Current"]
    if current is not None and current["Leg"] == tag:
        action_type = current["Action"]["Type"]
        parameters = actions.parameters_of(current["Action"])
        if action_type in actions.DIGITS_ACTIONS:
            _feed_digit(state, current, digit)
            return
        if action_type == "PlayAudio" and digit in (parameters.get("PlaybackTerminators") or ()):
            _action_done(state, {})
            return
        if action_type == "RecordAudio" and digit in parameters["RecordingTerminators"]:
            _action_done(state, _recording_result(state, current, terminator=digit))
            return
    receive = state["Receive"]
    if receive is not None and receive["Leg"] == tag:
        _receive_digit(state, receive, digit)


def _feed_digit(state: CallState, current: dict[str, Any], digit: str) -> None:
    rules = actions.digit_rules(current["Action"]["Type"], actions.parameters_of(current["Action"]))
    if digit in rules.terminators:
        _attempt_over(state, current)
        return
    current["Digits"] += digit
    if len(current["Digits"]) >= rules.maximum:
        _attempt_over(state, current)
    else:
        current["EndsMs"] = state["At"] + rules.in_between_ms


def _receive_digit(state: CallState, receive: dict[str, Any], digit: str) -> None:
    parameters = actions.parameters_of(receive["Action"])
    receive["Buffer"] += digit
    pattern = actions.compiled("ReceiveDigits", "InputDigitsRegex", parameters["InputDigitsRegex"])
    found = pattern.search(receive["Buffer"])
    if found:
        data = {
            "Type": "ReceiveDigits",
            "Parameters": parameters,
            "ReceivedDigits": found.group(0),
        }
        receive["Buffer"] = ""
        receive["FlushMs"] = None
        _post(state, "DIGITS_RECEIVED", data)
    else:
        receive["FlushMs"] = state["At"] + actions.integer(
            "ReceiveDigits", parameters, "FlushDigitsDurationInMilliseconds"
        )


def answer_leg(state: CallState, tag: str, now_ms: int) -> None:
    """The far end of a ringing leg picks up."""
    leg = _ringing_leg(state, tag, "answer")
    state["At"] = max(state["At"], now_ms)
    leg["Phase"] = "Connected"
    leg["DueMs"] = None
    if tag == LEG_A:
        state["Answered"] = True
        _post(state, "CALL_ANSWERED")
    else:
        # The bridge answers the caller too: no 30 s unanswered timeout for a bridged call.
        _answer_inbound(state, _leg(state, LEG_A))
        _action_done(state, {})


def refuse_leg(state: CallState, tag: str, code: int, now_ms: int) -> None:
    """The far end of a ringing leg is busy (486) or does not answer (480)."""
    leg = _ringing_leg(state, tag, "refuse")
    state["At"] = max(state["At"], now_ms)
    if tag == LEG_A:
        _disconnect(state, leg, code)
    else:
        why = "the callee was busy (486)" if code == 486 else "the callee did not answer (480)"
        _bridge_failed(state, leg, why)


def hang_up(state: CallState, tag: str, now_ms: int) -> None:
    """A participant hangs up: its action stops, and LEG-A leaving clears the queue."""
    leg = _live_leg(state, tag, "hang up")
    state["At"] = max(state["At"], now_ms)
    if tag == LEG_A:
        state["Queue"] = []
        _abandon_bridge(state)
        if state["Current"] is not None and state["Current"]["Action"]["Type"] == "CallAndBridge":
            state["Current"] = None
    _disconnect(state, leg, 0)


def request_update(state: CallState, arguments: Mapping[str, str], now_ms: int) -> None:
    """UpdateSipMediaApplicationCall: PlayAudio, RecordAudio and Pause are interrupted
    (ACTION_INTERRUPTED, informational), then the handler gets CALL_UPDATE_REQUESTED."""
    if state["Status"] != "InProgress":
        raise CallEventRefused("The call has ended")
    state["At"] = max(state["At"], now_ms)
    current = state["Current"]
    if current is not None and current["Action"]["Type"] in actions.INTERRUPTIBLE:
        state["Current"] = None
        state["Queue"] = []
        action = current["Action"]
        _post(
            state,
            "ACTION_INTERRUPTED",
            {"Type": action["Type"], "Parameters": action.get("Parameters", {})},
        )
    data = {"Type": "CallUpdateRequest", "Parameters": {"Arguments": dict(arguments)}}
    _post(state, "CALL_UPDATE_REQUESTED", data)


def _live_leg(state: CallState, tag: str, what: str) -> dict[str, Any]:
    if state["Status"] != "InProgress":
        raise CallEventRefused(f"The call has ended ({state['EndReason']}); nobody can {what}")
    found: list[dict[str, Any]] = [p for p in state["Participants"] if p["ParticipantTag"] == tag]
    if not found:
        tags = ", ".join(p["ParticipantTag"] for p in state["Participants"])
        raise CallEventRefused(f"The call has no participant {tag}; it has {tags}")
    if found[0]["Phase"] == "Disconnected":
        raise CallEventRefused(f"{tag} has already hung up")
    return found[0]


def _ringing_leg(state: CallState, tag: str, what: str) -> dict[str, Any]:
    leg = _live_leg(state, tag, what)
    if leg["Phase"] != "Ringing":
        raise CallEventRefused(
            f"{tag} is not ringing (it is {leg['Phase'].lower()}); nothing to {what}"
        )
    return leg


def _leg(state: CallState, tag: str) -> dict[str, Any]:
    return next(p for p in state["Participants"] if p["ParticipantTag"] == tag)


# ---------------------------------------------------------------------------------------------
# Events as the handler sees them


def _post(
    state: CallState,
    event_type: str,
    action_data: Mapping[str, Any] | None = None,
    *,
    error_type: str | None = None,
    error_message: str | None = None,
) -> None:
    item: dict[str, Any] = {"Type": event_type}
    if action_data is not None:
        item["ActionData"] = dict(action_data)
    if error_type is not None:
        item["ErrorType"] = error_type
        item["ErrorMessage"] = error_message
    state["Outbox"].append(item)


def _envelope(state: CallState, item: Mapping[str, Any]) -> dict[str, Any]:
    state["Sequence"] += 1
    event: dict[str, Any] = {
        "SchemaVersion": SCHEMA_VERSION,
        "Sequence": state["Sequence"],
        "InvocationEventType": item["Type"],
    }
    if "ActionData" in item:
        event["ActionData"] = item["ActionData"]
    if "ErrorType" in item:
        event["ErrorType"] = item["ErrorType"]
        event["ErrorMessage"] = item["ErrorMessage"]
    event["CallDetails"] = call_details(state, with_status=item["Type"] not in NEW_CALL_EVENTS)
    return event


def call_details(state: CallState, *, with_status: bool = True) -> dict[str, Any]:
    details: dict[str, Any] = {"TransactionId": state["TransactionId"]}
    if state["Attributes"]:
        details["TransactionAttributes"] = dict(state["Attributes"])
    details["AwsAccountId"] = state["AccountId"]
    details["AwsRegion"] = state["AwsRegion"]
    if state["SipRuleId"] is not None:
        details["SipRuleId"] = state["SipRuleId"]
    details["SipMediaApplicationId"] = state["SipMediaApplicationId"]
    details["Participants"] = [_wire_participant(p, with_status) for p in state["Participants"]]
    return details


def _wire_participant(participant: Mapping[str, Any], with_status: bool) -> dict[str, Any]:
    wire = {
        key: participant[key]
        for key in (
            "CallId",
            "ParticipantTag",
            "To",
            "From",
            "Direction",
            "StartTimeInMilliseconds",
        )
    }
    if with_status and participant["Phase"] != "Ringing":
        wire["Status"] = "Disconnected" if participant["Phase"] == "Disconnected" else "Connected"
    if "SipHeaders" in participant:
        wire["SipHeaders"] = dict(participant["SipHeaders"])
    return wire
