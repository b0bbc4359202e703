"""What the simulated analyses find, and the events they send: pure functions, no storage.

A call carries a speaker label per leg (`Speaker`, the same label for the same person) and a
sentiment per leg. Speaker search compares the leg's label with each profile's: the same person
scores high, anyone else low. The scores are deterministic (a hash of the two labels), so a test
can assert them run after run. docs/voice-analytics.md explains each choice.

The events follow the shape of the examples in the Amazon Chime SDK developer guide
("Understanding notifications"): an EventBridge envelope whose `detail-type` is
SpeakerSearchStatus or VoiceToneAnalysisStatus and whose `detail` says what happened. SNS and
SQS targets receive the same JSON as the message body.
"""

from __future__ import annotations

import hashlib
from typing import Any

from localchime.core.clock import to_datetime
from localchime.core.ids import new_guid
from localchime.protocol.serializer import format_timestamp

HIGH_SCORE = 0.9
"""The lowest score of a profile enrolled from the same speaker: 0.90 to 0.99."""
LOW_SCORE = 0.3
"""The highest score of a profile of another speaker: 0.05 to 0.30."""
MATCH_THRESHOLD = 0.7
"""A score at or above which identification reports a match (IdentificationSuccessful)."""
MAX_RESULTS = 10
"""The developer guide: speaker search returns the top 10 matches."""
SENTIMENTS = ("positive", "neutral", "negative")


def _fraction(*parts: str) -> float:
    digest = hashlib.sha256("\x00".join(parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def confidence(call_speaker: str, profile_speaker: str, profile_id: str) -> float:
    """How confident speaker search is that the call's voice is the profile's: deterministic."""
    jitter = _fraction(call_speaker, profile_speaker, profile_id)
    if call_speaker == profile_speaker:
        return round(HIGH_SCORE + 0.09 * jitter, 4)
    return round(0.05 + (LOW_SCORE - 0.05) * jitter, 4)


def matches(call_speaker: str, profiles: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """The top matches of (profile id, profile speaker) pairs, best first, as the model's
    SpeakerSearchResult: `{"ConfidenceScore", "VoiceProfileId"}`."""
    scored = sorted(
        (
            (confidence(call_speaker, speaker, profile_id), profile_id)
            for profile_id, speaker in profiles
        ),
        key=lambda pair: (-pair[0], pair[1]),
    )
    return [
        {"ConfidenceScore": score, "VoiceProfileId": profile_id}
        for score, profile_id in scored[:MAX_RESULTS]
    ]


def tone_scores(sentiment: str) -> dict[str, float]:
    """Voice tone scores that sum to 1, the call's sentiment far ahead."""
    return {label: (0.8 if label == sentiment else 0.1) for label in SENTIMENTS}


def envelope(
    detail_type: str, account: str, region: str, at_ms: int, detail: dict[str, Any]
) -> dict[str, Any]:
    """The EventBridge event: SNS and SQS targets receive the same JSON as the message."""
    return {
        "version": "0",
        "id": new_guid(),
        "detail-type": detail_type,
        "service-type": "VoiceAnalytics",
        "source": "aws.chime",
        "account": account,
        "time": iso(at_ms),
        "region": region,
        "resources": [],
        "detail": detail,
    }


def tone_detail(sentiment: str, since_ms: int, until_ms: int) -> dict[str, Any]:
    """The `voiceToneAnalysisDetails` of a result over [since, until]."""
    average = {
        "startTime": iso(since_ms),
        "endTime": iso(until_ms),
        "voiceToneLabel": sentiment,
        "voiceToneScore": tone_scores(sentiment),
    }
    return {"currentAverageVoiceTone": average, "overallAverageVoiceTone": average}


def iso(ms: int) -> str:
    """A service-clock time as the events and the control API write it."""
    return format_timestamp(to_datetime(ms))
