"""An IVR for a PSTN audio SIP media application: the Lambda handler, as it would be deployed.

Inbound: it greets the caller, collects a four-digit PIN with SpeakAndGetDigits, allows three
tries, then says goodbye and hangs up. Outbound (CreateSipMediaApplicationCall): it reads the
call's `Message` argument to whoever answers, then hangs up.
"""

from __future__ import annotations

from typing import Any

PIN = "1234"
TRIES = 3
GREETING = "Welcome to Example Bank."
PROMPT = "Please enter your four digit PIN."
RETRY = "Sorry, I did not get that."
WRONG = "That PIN is not right."
GOODBYE = "Thank you. Goodbye."
TOO_MANY = "Too many wrong PINs. Goodbye."
SILENCE = "We did not hear from you. Goodbye."


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    kind = event["InvocationEventType"]
    attributes = event["CallDetails"].get("TransactionAttributes", {})
    data = event.get("ActionData", {})
    if kind == "NEW_INBOUND_CALL":
        return respond(speak(GREETING), ask_pin(), attributes={"wrong": "0"})
    if kind == "ACTION_SUCCESSFUL" and data.get("Type") == "SpeakAndGetDigits":
        return check_pin(data["ReceivedDigits"], int(attributes.get("wrong", "0")))
    if kind == "ACTION_FAILED" and data.get("Type") == "SpeakAndGetDigits":
        return respond(speak(SILENCE), hangup())
    if kind == "NEW_OUTBOUND_CALL":
        arguments = data["Parameters"]["Arguments"]
        return respond(attributes={"message": arguments.get("Message", "")})
    if kind == "CALL_ANSWERED":
        return respond(speak(attributes.get("message", "")), hangup())
    return respond()


def check_pin(digits: str, wrong: int) -> dict[str, Any]:
    if digits == PIN:
        return respond(speak(GOODBYE), hangup())
    wrong += 1
    if wrong >= TRIES:
        return respond(speak(TOO_MANY), hangup())
    return respond(speak(WRONG), ask_pin(), attributes={"wrong": str(wrong)})


def respond(*actions: dict[str, Any], attributes: dict[str, str] | None = None) -> dict[str, Any]:
    answer: dict[str, Any] = {"SchemaVersion": "1.0", "Actions": list(actions)}
    if attributes is not None:
        answer["TransactionAttributes"] = attributes
    return answer


def speak(text: str) -> dict[str, Any]:
    return {"Type": "Speak", "Parameters": {"Text": text, "Engine": "neural", "VoiceId": "Joanna"}}


def ask_pin() -> dict[str, Any]:
    return {
        "Type": "SpeakAndGetDigits",
        "Parameters": {
            "SpeechParameters": {"Text": PROMPT},
            "FailureSpeechParameters": {"Text": RETRY},
            "MinNumberOfDigits": 4,
            "MaxNumberOfDigits": 4,
            "TerminatorDigits": ["#"],
            "Repeat": 2,
            "RepeatDurationInMilliseconds": 5000,
        },
    }


def hangup() -> dict[str, Any]:
    return {"Type": "Hangup", "Parameters": {"SipResponseCode": "0"}}
