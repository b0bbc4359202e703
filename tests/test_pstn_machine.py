"""The call state machine on its own, with the handler played by the test: rules that are
awkward to reach through a whole server (CallId targeting, null versus empty action lists,
what an ignored answer keeps, digit timing, the 30 s answer timeout)."""

from __future__ import annotations

from typing import Any

import pytest

from localchime.families.pstn_audio import machine
from localchime.families.pstn_audio.machine import CallState

START_MS = 1_700_000_000_000


def inbound() -> CallState:
    return machine.new_call(
        transaction_id="t-1",
        account="123456789012",
        region="us-east-1",
        application_id="app-1",
        function_arn="arn:aws:lambda:us-east-1:123456789012:function:f",
        direction="Inbound",
        from_number="+12065550142",
        to_number="+18445550123",
        sip_headers=None,
        rule_id="rule-1",
        now_ms=START_MS,
    )


def answer(*actions: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"SchemaVersion": "1.0", "Actions": list(actions), **extra}


def pause(ms: int) -> dict[str, Any]:
    return {"Type": "Pause", "Parameters": {"DurationInMilliseconds": ms}}


def speak(text: str, **parameters: Any) -> dict[str, Any]:
    return {"Type": "Speak", "Parameters": {"Text": text, **parameters}}


def take(state: CallState, at_ms: int = START_MS) -> dict[str, Any]:
    event = machine.next_event(state, at_ms)
    assert event is not None
    return event


def test_nothing_happens_before_its_time_and_everything_after() -> None:
    state = inbound()
    take(state)
    machine.apply_answer(state, "NEW_INBOUND_CALL", answer(pause(1000), pause(1000)))
    assert machine.next_event(state, START_MS + 1999) is None
    event = take(state, START_MS + 2000)
    assert event["InvocationEventType"] == "ACTION_SUCCESSFUL"
    assert event["ActionData"]["Parameters"] == {"DurationInMilliseconds": 1000}
    assert state["At"] == START_MS + 2000


def test_a_null_action_list_keeps_the_queue_and_an_empty_one_clears_it() -> None:
    state = inbound()
    take(state)
    machine.apply_answer(state, "NEW_INBOUND_CALL", answer(pause(10), pause(10), pause(10)))
    machine.next_event(state, START_MS)  # the first pause starts
    machine.apply_answer(state, "X", {"SchemaVersion": "1.0"})
    assert len(state["Queue"]) == 2
    machine.apply_answer(state, "X", answer())
    assert state["Queue"] == []


def test_answers_to_ringing_and_new_outbound_run_no_actions_but_keep_attributes() -> None:
    state = inbound()
    refused = machine.apply_answer(
        state, "RINGING", answer(speak("hi"), TransactionAttributes={"k": "v"})
    )
    assert refused is None
    assert state["Queue"] == []
    assert state["Attributes"] == {"k": "v"}


def test_call_id_wins_over_participant_tag() -> None:
    state = inbound()
    take(state)
    call_id = state["Participants"][0]["CallId"]
    action = speak("hi", CallId=call_id, ParticipantTag="LEG-B")
    machine.apply_answer(state, "NEW_INBOUND_CALL", answer(action))
    assert machine.next_event(state, START_MS) is None  # speaking to LEG-A, not failing
    assert state["Media"][0]["ParticipantTag"] == "LEG-A"


def test_an_unknown_call_id_fails_the_action() -> None:
    state = inbound()
    take(state)
    machine.apply_answer(state, "NEW_INBOUND_CALL", answer(speak("hi", CallId="nobody")))
    event = take(state)
    assert event["InvocationEventType"] == "ACTION_FAILED"
    assert event["ActionData"]["ErrorType"] == "InvalidActionParameter"
    assert "nobody" in event["ActionData"]["ErrorMessage"]


def test_pause_does_not_answer_so_the_call_times_out_after_30_seconds() -> None:
    state = inbound()
    take(state)
    machine.apply_answer(state, "NEW_INBOUND_CALL", answer(pause(60_000)))
    assert machine.next_event(state, START_MS + 29_999) is None
    event = take(state, START_MS + 30_000)
    assert event["InvocationEventType"] == "HANGUP"
    assert event["ActionData"]["Parameters"]["SipResponseCode"] == 480
    assert state["Status"] == "Completed"


def test_speech_lasts_in_proportion_to_its_text() -> None:
    state = inbound()
    take(state)
    machine.apply_answer(state, "NEW_INBOUND_CALL", answer(speak("x" * 100)))
    assert machine.next_event(state, START_MS + 5_999) is None
    assert take(state, START_MS + 6_000)["InvocationEventType"] == "ACTION_SUCCESSFUL"


def get_digits(**parameters: Any) -> dict[str, Any]:
    return {
        "Type": "SpeakAndGetDigits",
        "Parameters": {
            "SpeechParameters": {"Text": "p"},
            "RepeatDurationInMilliseconds": 5000,
            **parameters,
        },
    }


def test_silence_between_digits_ends_the_attempt() -> None:
    state = inbound()
    take(state)
    rules = {"MaxNumberOfDigits": 6, "InBetweenDigitsDurationInMilliseconds": 2000}
    machine.apply_answer(state, "NEW_INBOUND_CALL", answer(get_digits(**rules)))
    assert machine.next_event(state, START_MS) is None
    machine.press(state, "LEG-A", "4", START_MS + 1000)
    machine.press(state, "LEG-A", "2", START_MS + 1500)
    assert machine.next_event(state, START_MS + 3499) is None
    event = take(state, START_MS + 3500)
    assert event["ActionData"]["ReceivedDigits"] == "42"


def test_input_digits_regex_must_match() -> None:
    state = inbound()
    take(state)
    machine.apply_answer(
        state, "NEW_INBOUND_CALL", answer(get_digits(InputDigitsRegex=r"^9\d$", Repeat=1))
    )
    machine.next_event(state, START_MS)
    for digit in "12#":
        machine.press(state, "LEG-A", digit, START_MS + 100)
    event = take(state, START_MS + 100)
    assert event["InvocationEventType"] == "ACTION_FAILED"
    assert event["ActionData"]["ErrorType"] == "InvalidDigitsReceived"


@pytest.mark.parametrize(
    ("attributes", "error_type"),
    [
        ({f"k{i}": "v" for i in range(101)}, "TransactionAttributesInvalidMapSize"),
        ({"k": "v" * 21_000}, "TransactionAttributesInvalidMapSize"),
        ({"k": 1}, "TransactionAttributesInvalidValue"),
        (["k"], "TransactionAttributesInvalidValue"),
    ],
)
def test_attribute_limits(attributes: Any, error_type: str) -> None:
    state = inbound()
    take(state)
    refused = machine.apply_answer(
        state, "NEW_INBOUND_CALL", answer(TransactionAttributes=attributes)
    )
    assert refused is not None and refused.startswith(error_type)
    event = take(state)
    assert (event["InvocationEventType"], event["ErrorType"]) == (
        "INVALID_LAMBDA_RESPONSE",
        error_type,
    )
    assert state["Attributes"] is None


def test_a_hundred_attributes_are_allowed() -> None:
    state = inbound()
    take(state)
    attributes = {f"k{i}": "v" for i in range(100)}
    assert machine.apply_answer(state, "X", answer(TransactionAttributes=attributes)) is None
    assert state["Attributes"] == attributes


def test_an_invalid_answer_to_an_invalid_lambda_response_is_not_answered_again() -> None:
    state = inbound()
    take(state)
    machine.apply_answer(state, "NEW_INBOUND_CALL", {"SchemaVersion": "0.9"})
    take(state)
    machine.apply_answer(state, "INVALID_LAMBDA_RESPONSE", {"SchemaVersion": "0.9"})
    assert machine.next_event(state, START_MS) is None


def test_sequence_counts_every_event() -> None:
    state = inbound()
    sequences = [take(state)["Sequence"]]
    machine.apply_answer(state, "NEW_INBOUND_CALL", answer(speak("a"), {"Type": "Hangup"}))
    while (event := machine.next_event(state, START_MS + 10_000)) is not None:
        sequences.append(event["Sequence"])
    assert sequences == [1, 2]
    assert state["Status"] == "Completed"


def test_an_answered_bridge_keeps_the_call_past_30_seconds() -> None:
    state = inbound()
    take(state)
    bridge = {
        "Type": "CallAndBridge",
        "Parameters": {
            "CallerIdNumber": "+18445550123",
            "Endpoints": [{"Uri": "+12065550199", "BridgeEndpointType": "PSTN"}],
        },
    }
    machine.apply_answer(state, "NEW_INBOUND_CALL", answer(bridge))
    assert machine.next_event(state, START_MS) is None
    machine.answer_leg(state, "LEG-B", START_MS + 1000)
    assert take(state, START_MS + 1000)["InvocationEventType"] == "ACTION_SUCCESSFUL"
    assert machine.next_event(state, START_MS + 60_000) is None
    assert state["Status"] == "InProgress"


def test_a_bad_answer_to_ringing_is_recorded_but_not_refused() -> None:
    state = inbound()
    take(state)
    assert machine.apply_answer(state, "RINGING", None) is not None
    assert state["Outbox"] == []
