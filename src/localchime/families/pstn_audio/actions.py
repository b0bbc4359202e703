"""The actions a PSTN audio handler may answer with: which ones localchime simulates, their
parameters' rules and defaults, and how long each lasts on the service clock.

Parameter rules are SPEC-voice's "Actions" list. AWS's own examples send numbers both as JSON
numbers and as strings ("Repeat": "5"), so both are accepted. A broken action fails when it
starts, as ACTION_FAILED with `MissingRequiredActionParameter` or `InvalidActionParameter`
(`InvalidAudioSource` for an audio source), which is what the real service reports.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SIMULATED = (
    "CallAndBridge",
    "Hangup",
    "Pause",
    "PlayAudio",
    "PlayAudioAndGetDigits",
    "ReceiveDigits",
    "RecordAudio",
    "SendDigits",
    "Speak",
    "SpeakAndGetDigits",
)
NOT_SIMULATED = (
    "JoinChimeMeeting",
    "ModifyChimeMeetingAttendees",
    "PauseCallRecording",
    "ResumeCallRecording",
    "StartBotConversation",
    "StartCallRecording",
    "StopCallRecording",
    "VoiceFocus",
)
"""Real AWS actions the simulator does not model: each fails with a message naming it."""

DIGITS_ACTIONS = ("PlayAudioAndGetDigits", "SpeakAndGetDigits")
REPORTING_ACTIONS = (*DIGITS_ACTIONS, "RecordAudio", "CallAndBridge")
"""Actions whose success carries a result (digits, a recording, a bridged leg): each reports
ACTION_SUCCESSFUL when it ends, even in the middle of a list (I, docs/pstn-audio.md)."""
INTERRUPTIBLE = ("PlayAudio", "RecordAudio", "Pause")
"""What UpdateSipMediaApplicationCall interrupts (SPEC-voice)."""
ANSWERING = (
    "PlayAudio",
    "PlayAudioAndGetDigits",
    "Speak",
    "SpeakAndGetDigits",
    "RecordAudio",
    "SendDigits",
    "ReceiveDigits",
)
"""There is no Answer action: a media action answers an inbound call (SPEC-voice)."""

SPEECH_MS_PER_CHARACTER = 60
"""About 150 words a minute, Polly's usual pace."""
SPEECH_MINIMUM_MS = 500
PLAYBACK_MS = 5_000
"""localchime does not fetch the audio file; each playback lasts this nominal time."""
TONE_GAP_MS = 100
COMMA_PAUSE_MS = 500
DEFAULT_IN_BETWEEN_DIGITS_MS = 3_000
DEFAULT_RECORDING_MS = 30_000
MAX_SPEECH_CHARACTERS = 1_000
DTMF = frozenset("0123456789*#ABCD")
SENDABLE = DTMF | {","}
HANGUP_CODES = ("0", "480", "486")
ENGINES = ("standard", "neural")
TEXT_TYPES = ("text", "ssml")


class ActionError(Exception):
    """An action that cannot run: ACTION_FAILED with this ErrorType and message."""

    def __init__(self, error_type: str, message: str) -> None:
        super().__init__(message)
        self.error_type = error_type
        self.message = message


@dataclass(frozen=True, slots=True)
class DigitRules:
    minimum: int
    maximum: int
    terminators: tuple[str, ...]
    in_between_ms: int
    repeat: int
    repeat_duration_ms: int
    pattern: re.Pattern[str] | None

    def accepts(self, digits: str) -> bool:
        if not self.minimum <= len(digits) <= self.maximum:
            return False
        return self.pattern is None or self.pattern.fullmatch(digits) is not None


def parameters_of(action: Mapping[str, Any]) -> dict[str, Any]:
    parameters = action.get("Parameters", {})
    if not isinstance(parameters, dict):
        raise ActionError(
            "InvalidActionParameter", f"{action['Type']}: Parameters must be an object"
        )
    return parameters


def required(action_type: str, parameters: Mapping[str, Any], name: str) -> Any:
    value = parameters.get(name)
    if value is None or value == "":
        raise ActionError(
            "MissingRequiredActionParameter", f"{action_type}: parameter {name} is required"
        )
    return value


def integer(
    action_type: str,
    parameters: Mapping[str, Any],
    name: str,
    *,
    default: int | None = None,
    low: int | None = None,
    high: int | None = None,
) -> int:
    value = parameters.get(name)
    if value is None:
        if default is None:
            required(action_type, parameters, name)
        return default  # type: ignore[return-value]
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise _invalid(action_type, name, f"must be an integer, got {value!r}")
    try:
        number = int(value)
    except ValueError:
        raise _invalid(action_type, name, f"must be an integer, got {value!r}") from None
    if (low is not None and number < low) or (high is not None and number > high):
        raise _invalid(action_type, name, f"must be between {low} and {high}, got {number}")
    return number


def one_of(
    action_type: str,
    parameters: Mapping[str, Any],
    name: str,
    allowed: tuple[str, ...],
    default: str,
) -> str:
    value = parameters.get(name, default)
    if value not in allowed:
        raise _invalid(action_type, name, f"must be one of {', '.join(allowed)}, got {value!r}")
    return str(value)


def digit_list(
    action_type: str, parameters: Mapping[str, Any], name: str, default: tuple[str, ...]
) -> tuple[str, ...]:
    value = parameters.get(name)
    if value is None:
        return default
    if not isinstance(value, list) or not all(isinstance(d, str) and d in DTMF for d in value):
        raise _invalid(action_type, name, "must be a list of single DTMF digits (0-9, *, #)")
    return tuple(value)


def audio_source(action_type: str, parameters: Mapping[str, Any], name: str) -> dict[str, str]:
    source = required(action_type, parameters, name)
    if (
        not isinstance(source, dict)
        or source.get("Type") != "S3"
        or not isinstance(source.get("BucketName"), str)
        or not source.get("BucketName")
        or not isinstance(source.get("Key"), str)
        or not source.get("Key")
    ):
        raise ActionError(
            "InvalidAudioSource",
            f'{action_type}: {name} must be {{"Type": "S3", "BucketName": ..., "Key": ...}}',
        )
    return {"BucketName": source["BucketName"], "Key": source["Key"]}


def speech(action_type: str, parameters: Mapping[str, Any]) -> str:
    """Speak's own parameters, or SpeechParameters' inside a *GetDigits action: the text."""
    text = required(action_type, parameters, "Text")
    if not isinstance(text, str) or len(text) > MAX_SPEECH_CHARACTERS:
        raise _invalid(
            action_type, "Text", f"must be a string of at most {MAX_SPEECH_CHARACTERS} characters"
        )
    one_of(action_type, parameters, "Engine", ENGINES, "standard")
    one_of(action_type, parameters, "TextType", TEXT_TYPES, "text")
    return text


def speech_ms(text: str) -> int:
    return max(SPEECH_MINIMUM_MS, len(text) * SPEECH_MS_PER_CHARACTER)


def digit_rules(action_type: str, parameters: Mapping[str, Any]) -> DigitRules:
    minimum = integer(action_type, parameters, "MinNumberOfDigits", default=0, low=0, high=128)
    maximum = integer(action_type, parameters, "MaxNumberOfDigits", default=128, low=1, high=128)
    if minimum > maximum:
        raise _invalid(action_type, "MinNumberOfDigits", "must not exceed MaxNumberOfDigits")
    regex = parameters.get("InputDigitsRegex")
    return DigitRules(
        minimum=minimum,
        maximum=maximum,
        terminators=digit_list(action_type, parameters, "TerminatorDigits", ("#",)),
        in_between_ms=integer(
            action_type,
            parameters,
            "InBetweenDigitsDurationInMilliseconds",
            default=DEFAULT_IN_BETWEEN_DIGITS_MS,
            low=1,
        ),
        repeat=integer(action_type, parameters, "Repeat", default=1, low=1, high=100),
        repeat_duration_ms=integer(action_type, parameters, "RepeatDurationInMilliseconds", low=1),
        pattern=None if regex is None else compiled(action_type, "InputDigitsRegex", regex),
    )


def compiled(action_type: str, name: str, regex: Any) -> re.Pattern[str]:
    if not isinstance(regex, str):
        raise _invalid(action_type, name, "must be a string")
    try:
        return re.compile(regex)
    except re.error as error:
        raise _invalid(action_type, name, f"is not a valid regular expression: {error}") from None


def prompt(action_type: str, parameters: Mapping[str, Any], failure: bool) -> dict[str, Any] | None:
    """A *GetDigits action's prompt (or failure prompt) as a media entry with its duration."""
    if action_type == "PlayAudioAndGetDigits":
        name = "FailureAudioSource" if failure else "AudioSource"
        if failure and parameters.get(name) is None:
            return None
        source = audio_source(action_type, parameters, name)
        return {"Kind": "Audio", **source, "DurationMs": PLAYBACK_MS}
    name = "FailureSpeechParameters" if failure else "SpeechParameters"
    speech_parameters = parameters.get(name)
    if speech_parameters is None:
        if failure:
            return None
        required(action_type, parameters, name)
    if not isinstance(speech_parameters, dict):
        raise _invalid(action_type, name, "must be an object with Text")
    text = speech(action_type, speech_parameters)
    return {"Kind": "Speech", "Text": text, "DurationMs": speech_ms(text)}


def check(action: Mapping[str, Any]) -> None:
    """Every rule of the action's parameters, before it starts; raises ActionError."""
    action_type = action["Type"]
    parameters = parameters_of(action)
    checker = CHECKS.get(action_type)
    if checker is not None:
        checker(action_type, parameters)


def _check_play(action_type: str, parameters: Mapping[str, Any]) -> None:
    audio_source(action_type, parameters, "AudioSource")
    integer(action_type, parameters, "Repeat", default=1, low=1, high=100)
    digit_list(action_type, parameters, "PlaybackTerminators", ())


def _check_get_digits(action_type: str, parameters: Mapping[str, Any]) -> None:
    digit_rules(action_type, parameters)
    prompt(action_type, parameters, failure=False)
    prompt(action_type, parameters, failure=True)


def _check_speak(action_type: str, parameters: Mapping[str, Any]) -> None:
    speech(action_type, parameters)


def _check_record(action_type: str, parameters: Mapping[str, Any]) -> None:
    terminators = required(action_type, parameters, "RecordingTerminators")
    if not isinstance(terminators, list) or not all(t in DTMF for t in terminators):
        raise _invalid(action_type, "RecordingTerminators", "must be a list of DTMF digits")
    destination = required(action_type, parameters, "RecordingDestination")
    if (
        not isinstance(destination, dict)
        or destination.get("Type") != "S3"
        or not isinstance(destination.get("BucketName"), str)
        or not destination.get("BucketName")
    ):
        raise _invalid(
            action_type,
            "RecordingDestination",
            'must be {"Type": "S3", "BucketName": ..., "Prefix"?: ...}',
        )
    integer(action_type, parameters, "DurationInSeconds", default=0, low=0, high=86_400)
    integer(action_type, parameters, "SilenceDurationInSeconds", default=3, low=1, high=1000)
    integer(action_type, parameters, "SilenceThreshold", default=200, low=1, high=1000)


def _check_pause(action_type: str, parameters: Mapping[str, Any]) -> None:
    integer(action_type, parameters, "DurationInMilliseconds", low=1, high=86_400_000)


def _check_hangup(action_type: str, parameters: Mapping[str, Any]) -> None:
    one_of(action_type, parameters, "SipResponseCode", HANGUP_CODES, "0")


def _check_receive_digits(action_type: str, parameters: Mapping[str, Any]) -> None:
    compiled(action_type, "InputDigitsRegex", required(action_type, parameters, "InputDigitsRegex"))
    integer(action_type, parameters, "InBetweenDigitsDurationInMilliseconds", low=1)
    integer(action_type, parameters, "FlushDigitsDurationInMilliseconds", low=1)


def _check_send_digits(action_type: str, parameters: Mapping[str, Any]) -> None:
    digits = required(action_type, parameters, "Digits")
    if not isinstance(digits, str) or len(digits) > 50 or not set(digits) <= SENDABLE:
        raise _invalid(action_type, "Digits", "must be up to 50 of 0-9, *, #, A-D and ,")
    integer(action_type, parameters, "ToneDurationInMilliseconds", default=250, low=50, high=24_000)


def _check_bridge(action_type: str, parameters: Mapping[str, Any]) -> None:
    integer(action_type, parameters, "CallTimeoutSeconds", default=30, low=1, high=120)
    caller_id = required(action_type, parameters, "CallerIdNumber")
    if not isinstance(caller_id, str) or not re.fullmatch(r"\+[1-9]\d{1,14}", caller_id):
        raise _invalid(
            action_type, "CallerIdNumber", "must be an E.164 number such as +12065550100"
        )
    endpoints = required(action_type, parameters, "Endpoints")
    if not isinstance(endpoints, list) or len(endpoints) != 1 or not isinstance(endpoints[0], dict):
        raise _invalid(action_type, "Endpoints", "must be a list of exactly one endpoint")
    endpoint = endpoints[0]
    one_of(action_type, endpoint, "BridgeEndpointType", ("PSTN", "AWS"), "")
    uri = endpoint.get("Uri")
    if not isinstance(uri, str) or not uri:
        raise ActionError(
            "MissingRequiredActionParameter",
            f"{action_type}: parameter Endpoints[0].Uri is required",
        )


CHECKS = {
    "PlayAudio": _check_play,
    "PlayAudioAndGetDigits": _check_get_digits,
    "SpeakAndGetDigits": _check_get_digits,
    "Speak": _check_speak,
    "RecordAudio": _check_record,
    "Pause": _check_pause,
    "Hangup": _check_hangup,
    "ReceiveDigits": _check_receive_digits,
    "SendDigits": _check_send_digits,
    "CallAndBridge": _check_bridge,
}


def send_digits_ms(parameters: Mapping[str, Any]) -> int:
    tone = integer("SendDigits", parameters, "ToneDurationInMilliseconds", default=250)
    digits = str(parameters["Digits"])
    return sum(COMMA_PAUSE_MS if d == "," else tone + TONE_GAP_MS for d in digits)


def recording_ms(parameters: Mapping[str, Any]) -> int:
    seconds = integer("RecordAudio", parameters, "DurationInSeconds", default=0)
    return seconds * 1000 if seconds else DEFAULT_RECORDING_MS


def _invalid(action_type: str, name: str, rule: str) -> ActionError:
    return ActionError("InvalidActionParameter", f"{action_type}: parameter {name} {rule}")
