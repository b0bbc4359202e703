"""How voice analytics resources look on the wire, and their ARNs (SPEC-voice:
`voice-profile-domain/<id>`, `voice-profile/<id>`)."""

from __future__ import annotations

from typing import Any

from localchime.core.clock import to_datetime
from localchime.families.voice_analytics.analysis import iso
from localchime.families.voice_analytics.repository import Call, Domain, Profile, Task
from localchime.families.voice_analytics.resources import DOMAIN, PROFILE


def domain_arn(record: Domain) -> str:
    return DOMAIN.arn(record.region, record.account, record.domain_id)


def profile_arn(record: Profile) -> str:
    return PROFILE.arn(record.region, record.account, record.profile_id)


def domain_summary(record: Domain) -> dict[str, Any]:
    """ListVoiceProfileDomains' VoiceProfileDomainSummary: no encryption configuration."""
    view: dict[str, Any] = {
        "VoiceProfileDomainId": record.domain_id,
        "VoiceProfileDomainArn": domain_arn(record),
        "Name": record.name,
        "CreatedTimestamp": to_datetime(record.created_ms),
        "UpdatedTimestamp": to_datetime(record.updated_ms),
    }
    if record.description is not None:
        view["Description"] = record.description
    return view


def domain_view(record: Domain) -> dict[str, Any]:
    return {
        **domain_summary(record),
        "ServerSideEncryptionConfiguration": {"KmsKeyArn": record.kms_key_arn},
    }


def profile_view(record: Profile) -> dict[str, Any]:
    return {
        "VoiceProfileId": record.profile_id,
        "VoiceProfileArn": profile_arn(record),
        "VoiceProfileDomainId": record.domain_id,
        "CreatedTimestamp": to_datetime(record.created_ms),
        "UpdatedTimestamp": to_datetime(record.updated_ms),
        "ExpirationTimestamp": to_datetime(record.expires_ms),
    }


def _task_common(record: Task, is_caller: bool) -> dict[str, Any]:
    view: dict[str, Any] = {
        "CallDetails": {
            "VoiceConnectorId": record.voice_connector_id,
            "TransactionId": record.transaction_id,
            "IsCaller": is_caller,
        },
        "CreatedTimestamp": to_datetime(record.created_ms),
        "UpdatedTimestamp": to_datetime(record.updated_ms),
    }
    if record.started_ms is not None:
        view["StartedTimestamp"] = to_datetime(record.started_ms)
    if record.status_message is not None:
        view["StatusMessage"] = record.status_message
    return view


def speaker_search_view(record: Task) -> dict[str, Any]:
    view = {
        "SpeakerSearchTaskId": record.task_id,
        "SpeakerSearchTaskStatus": record.status,
        **_task_common(record, record.is_caller),
    }
    details: dict[str, Any] = {}
    if record.results is not None:
        details["Results"] = record.matches()
    if record.voiceprint_status is not None:
        details["VoiceprintGenerationStatus"] = record.voiceprint_status
    if details:
        view["SpeakerSearchDetails"] = details
    return view


def voice_tone_view(record: Task, is_caller: bool) -> dict[str, Any]:
    """GetVoiceToneAnalysisTask names the leg (`isCaller`) it asks about; the task analyses
    both, so the answer's CallDetails echo the leg asked for."""
    return {
        "VoiceToneAnalysisTaskId": record.task_id,
        "VoiceToneAnalysisTaskStatus": record.status,
        **_task_common(record, is_caller),
    }


def call_view(record: Call, notifications: list[tuple[int, str, Any]]) -> dict[str, Any]:
    """A call through a Voice Connector as the control API shows it, with every notification
    the analytics tasks on it would have delivered, in order."""
    view: dict[str, Any] = {
        "TransactionId": record.transaction_id,
        "VoiceConnectorId": record.voice_connector_id,
        "AccountId": record.account,
        "Region": record.region,
        "From": record.from_number,
        "To": record.to_number,
        "Speaker": record.caller_speaker,
        "Sentiment": record.caller_sentiment,
        "CalleeSpeaker": record.callee_speaker,
        "CalleeSentiment": record.callee_sentiment,
        "Status": "InProgress" if record.ended_ms is None else "Ended",
        "StartedTimestamp": iso(record.started_ms),
        "Notifications": [
            {"Target": target, "Time": iso(at_ms), "Event": event}
            for at_ms, target, event in notifications
        ],
    }
    if record.ended_ms is not None:
        view["EndedTimestamp"] = iso(record.ended_ms)
    return view
