"""PSTN audio handlers the call simulator tests register by import path
(`tests.pstn_handlers:<name>`), each answering as a real Lambda handler would."""

from __future__ import annotations

import time
from typing import Any

Event = dict[str, Any]


def answer(*actions: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"SchemaVersion": "1.0", "Actions": list(actions), **extra}


def speak(text: str) -> dict[str, Any]:
    return {"Type": "Speak", "Parameters": {"Text": text}}


def hangup(code: str = "0") -> dict[str, Any]:
    return {"Type": "Hangup", "Parameters": {"SipResponseCode": code}}


def pause(ms: int) -> dict[str, Any]:
    return {"Type": "Pause", "Parameters": {"DurationInMilliseconds": ms}}


PIN_PROMPT = {
    "Type": "SpeakAndGetDigits",
    "Parameters": {
        "SpeechParameters": {"Text": "Enter your PIN"},
        "FailureSpeechParameters": {"Text": "Try again"},
        "MinNumberOfDigits": 4,
        "MaxNumberOfDigits": 4,
        "Repeat": 2,
        "RepeatDurationInMilliseconds": 5000,
    },
}


def pin(event: Event, _context: Any) -> dict[str, Any]:
    """Greets, asks for a PIN, answers right or wrong, hangs up."""
    kind = event["InvocationEventType"]
    data = event.get("ActionData", {})
    if kind == "NEW_INBOUND_CALL":
        return answer(speak("Welcome"), PIN_PROMPT, TransactionAttributes={"step": "pin"})
    if kind == "ACTION_SUCCESSFUL" and data["Type"] == "SpeakAndGetDigits":
        right = data["ReceivedDigits"] == "1234"
        return answer(speak("Goodbye" if right else "Wrong PIN"), hangup())
    if kind == "ACTION_FAILED":
        return answer(speak("No PIN"), hangup())
    return answer()


def announce(event: Event, _context: Any) -> dict[str, Any]:
    """Outbound: reads the call's ArgumentsMap out when the callee answers."""
    kind = event["InvocationEventType"]
    if kind == "NEW_OUTBOUND_CALL":
        message = event["ActionData"]["Parameters"]["Arguments"].get("Message", "")
        return answer(TransactionAttributes={"message": message})
    if kind == "CALL_ANSWERED":
        return answer(speak(event["CallDetails"]["TransactionAttributes"]["message"]), hangup())
    return answer()


def counter(event: Event, _context: Any) -> dict[str, Any]:
    """Counts its invocations in TransactionAttributes; clears them at 3; pauses between."""
    attributes = event["CallDetails"].get("TransactionAttributes", {})
    seen = int(attributes.get("seen", "0")) + 1
    if event["InvocationEventType"] == "HANGUP":
        return answer()
    if seen == 3:
        return answer(pause(1000), TransactionAttributes={})
    return answer(pause(1000), TransactionAttributes={"seen": str(seen)})


def forever(event: Event, _context: Any) -> dict[str, Any]:
    """Never ends a call on its own: a 1 ms pause after every event."""
    return answer(pause(1))


def bridge(event: Event, _context: Any) -> dict[str, Any]:
    kind = event["InvocationEventType"]
    if kind == "NEW_INBOUND_CALL":
        return answer(
            {
                "Type": "CallAndBridge",
                "Parameters": {
                    "CallTimeoutSeconds": 10,
                    "CallerIdNumber": event["CallDetails"]["Participants"][0]["To"],
                    "Endpoints": [{"BridgeEndpointType": "PSTN", "Uri": "+12065550199"}],
                },
            }
        )
    if kind == "ACTION_FAILED":
        return answer(speak("Nobody is there"), hangup())
    if kind == "HANGUP" and event["ActionData"]["Parameters"]["ParticipantTag"] == "LEG-B":
        return answer({"Type": "Hangup", "Parameters": {"ParticipantTag": "LEG-A"}})
    return answer()


def record(event: Event, _context: Any) -> dict[str, Any]:
    if event["InvocationEventType"] == "NEW_INBOUND_CALL":
        return answer(
            {
                "Type": "RecordAudio",
                "Parameters": {
                    "DurationInSeconds": 10,
                    "RecordingTerminators": ["#"],
                    "RecordingDestination": {
                        "Type": "S3",
                        "BucketName": "voicemail",
                        "Prefix": "inbox/",
                    },
                },
            }
        )
    return answer()


def interruptible(event: Event, _context: Any) -> dict[str, Any]:
    kind = event["InvocationEventType"]
    if kind == "NEW_INBOUND_CALL":
        play = {
            "Type": "PlayAudio",
            "Parameters": {
                "Repeat": 10,
                "AudioSource": {"Type": "S3", "BucketName": "hold", "Key": "music.wav"},
            },
        }
        return answer(play)
    if kind == "CALL_UPDATE_REQUESTED":
        arguments = event["ActionData"]["Parameters"]["Arguments"]
        return answer(speak(f"Agent {arguments['Agent']} is free"))
    if kind == "ACTION_INTERRUPTED":
        return answer(hangup())  # ignored: an interruption's answer runs nothing
    return answer()


def receive(event: Event, _context: Any) -> dict[str, Any]:
    kind = event["InvocationEventType"]
    if kind == "NEW_INBOUND_CALL":
        return answer(
            {
                "Type": "ReceiveDigits",
                "Parameters": {
                    "InputDigitsRegex": r"\*\d\d",
                    "InBetweenDigitsDurationInMilliseconds": 1000,
                    "FlushDigitsDurationInMilliseconds": 3000,
                },
            },
            pause(60_000),
        )
    if kind == "DIGITS_RECEIVED":
        return answer(speak(f"You chose {event['ActionData']['ReceivedDigits']}"))
    return answer()


BAD_ANSWERS: dict[str, Any] = {
    "schema": {"SchemaVersion": "2.0", "Actions": []},
    "not-an-object": ["Speak"],
    "too-many": answer(*[pause(10)] * 11),
    "unknown-type": answer({"Type": "Dance", "Parameters": {}}),
    "missing-parameter": answer({"Type": "Pause", "Parameters": {}}),
    "bad-parameter": answer({"Type": "Hangup", "Parameters": {"SipResponseCode": "404"}}),
    "bad-audio": answer({"Type": "PlayAudio", "Parameters": {"AudioSource": {"Type": "HTTP"}}}),
    "not-simulated": answer({"Type": "JoinChimeMeeting", "Parameters": {}}),
    "attributes-size": answer(TransactionAttributes={f"k{i}": "v" for i in range(101)}),
    "attributes-type": answer(TransactionAttributes={"count": 3}),
}


def bad(event: Event, _context: Any) -> Any:
    """Answers NEW_INBOUND_CALL badly, as the call's X-Bad SIP header names; then hangs up."""
    kind = event["InvocationEventType"]
    if kind == "NEW_INBOUND_CALL":
        return BAD_ANSWERS[event["CallDetails"]["Participants"][0]["SipHeaders"]["X-Bad"]]
    if kind in ("INVALID_LAMBDA_RESPONSE", "ACTION_FAILED"):
        return answer(hangup())
    return answer()


def raises(event: Event, _context: Any) -> Any:
    raise RuntimeError("the handler is broken")


def slow(event: Event, context: Any) -> Any:
    time.sleep(0.3)
    return answer(hangup())
