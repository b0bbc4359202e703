"""How analytics tasks move on the service clock, what they send, and when profiles expire.

Speaker search (docs/voice-analytics.md, after the developer guide's "Understanding
notifications"):
- IN_QUEUE for `QUEUE_SECONDS`, then IN_PROGRESS (StartedTimestamp);
- identification after 10 s of speech: IdentificationSuccessful (a match scores at least 0.7)
  or IdentificationNoMatchesFound, with the top 10 matches;
- a voiceprint after 20 s of speech: VoiceprintGenerationSuccessful, and the task SUCCEEDED.
- A call that ends first fails what had not happened: before identification the task FAILED
  (IdentificationFailure), between the two PARTIAL_SUCCESS (VoiceprintGenerationFailure).

Voice tone analysis runs both legs for the whole call: IN_QUEUE, IN_PROGRESS, a first result
per leg after 5 s of speech (VoiceToneAnalysisSuccessful), and at the call's end a final one per
leg (VoiceToneAnalysisCompleted) and SUCCEEDED; a call that ends before the first result leaves
the task FAILED (VoiceToneAnalysisFailed).

Finished tasks are readable for 7 days, profiles live 3 years from their last enrolment
(SPEC-voice, D); both are then deleted.
"""

from __future__ import annotations

import json
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import Connection

from localchime.config import Settings
from localchime.core.clock import later, to_datetime, to_ms
from localchime.core.family import Transitions
from localchime.families.voice_analytics import analysis
from localchime.families.voice_analytics import repository as repo
from localchime.families.voice_analytics.repository import SPEAKER_SEARCH, Call, Task
from localchime.families.voice_connectors import public as connectors
from localchime.families.voice_connectors.public import CONNECTOR, STREAMING
from localchime.store import timers

TRANSITIONS = Transitions()
QUEUE_SECONDS = 1
IDENTIFY_SECONDS = 10
VOICEPRINT_SECONDS = 20
FIRST_TONE_SECONDS = 5
KEPT_DAYS = 7
PROFILE_YEARS = 3

SEARCH_START = "speaker-search.start"
SEARCH_IDENTIFY = "speaker-search.identify"
SEARCH_VOICEPRINT = "speaker-search.voiceprint"
TONE_START = "voice-tone.start"
TONE_FIRST_RESULT = "voice-tone.first-result"
TASK_PURGE = "voice-analytics.purge"
PROFILE_EXPIRE = "voice-profile.expire"
STEPS = (SEARCH_START, SEARCH_IDENTIFY, SEARCH_VOICEPRINT, TONE_START, TONE_FIRST_RESULT)


def queue(connection: Connection, record: Task) -> None:
    """Schedules a new task's start."""
    kind = SEARCH_START if record.kind == SPEAKER_SEARCH else TONE_START
    timers.schedule(connection, later(record.created_ms, QUEUE_SECONDS), kind, record.task_id)


def profile_expiry(at_ms: int) -> int:
    """Three calendar years after an enrolment (SPEC-voice, D)."""
    return to_ms(to_datetime(at_ms) + relativedelta(years=PROFILE_YEARS))


def schedule_expiry(connection: Connection, profile_id: str, expires_ms: int) -> None:
    timers.cancel(connection, PROFILE_EXPIRE, profile_id)
    timers.schedule(connection, expires_ms, PROFILE_EXPIRE, profile_id)


@TRANSITIONS(SEARCH_START)
@TRANSITIONS(TONE_START)
def start_task(connection: Connection, _settings: Settings, task_id: str, due_ms: int) -> None:
    found = _active(connection, task_id)
    if found is None:
        return
    record, _call = found
    record.status, record.started_ms, record.updated_ms = "IN_PROGRESS", due_ms, due_ms
    repo.save_task(connection, record)
    if record.kind == SPEAKER_SEARCH:
        timers.schedule(connection, later(due_ms, IDENTIFY_SECONDS), SEARCH_IDENTIFY, task_id)
    else:
        timers.schedule(connection, later(due_ms, FIRST_TONE_SECONDS), TONE_FIRST_RESULT, task_id)


@TRANSITIONS(SEARCH_IDENTIFY)
def identify(connection: Connection, _settings: Settings, task_id: str, due_ms: int) -> None:
    found = _active(connection, task_id)
    if found is None:
        return
    record, call = found
    profiles = repo.profiles_of_domain(connection, record.domain_id) if record.domain_id else []
    results = analysis.matches(
        call.speaker(record.is_caller), [(p.profile_id, p.speaker) for p in profiles]
    )
    record.results = json.dumps(results)
    record.updated_ms = due_ms
    repo.save_task(connection, record)
    matched = bool(results) and results[0]["ConfidenceScore"] >= analysis.MATCH_THRESHOLD
    status = "IdentificationSuccessful" if matched else "IdentificationNoMatchesFound"
    _notify_search(connection, record, due_ms, status, results)
    timers.schedule(
        connection, later(due_ms, VOICEPRINT_SECONDS - IDENTIFY_SECONDS), SEARCH_VOICEPRINT, task_id
    )


@TRANSITIONS(SEARCH_VOICEPRINT)
def voiceprint(connection: Connection, _settings: Settings, task_id: str, due_ms: int) -> None:
    found = _active(connection, task_id)
    if found is None:
        return
    record, _call = found
    record.voiceprint_status = "VoiceprintGenerationSuccessful"
    _notify_search(connection, record, due_ms, record.voiceprint_status)
    _finish(connection, record, "SUCCEEDED", due_ms)


@TRANSITIONS(TONE_FIRST_RESULT)
def first_tone_result(
    connection: Connection, _settings: Settings, task_id: str, due_ms: int
) -> None:
    found = _active(connection, task_id)
    if found is None:
        return
    record, call = found
    assert record.started_ms is not None
    for is_caller in (True, False):
        detail = analysis.tone_detail(call.sentiment(is_caller), record.started_ms, due_ms)
        _notify_tone(connection, record, due_ms, "VoiceToneAnalysisSuccessful", is_caller, detail)
    record.updated_ms = due_ms
    repo.save_task(connection, record)


@TRANSITIONS(TASK_PURGE)
def purge_task(connection: Connection, _settings: Settings, task_id: str, _due_ms: int) -> None:
    repo.delete_task(connection, task_id)


@TRANSITIONS(PROFILE_EXPIRE)
def expire_profile(
    connection: Connection, _settings: Settings, profile_id: str, due_ms: int
) -> None:
    repo.delete_expired_profile(connection, profile_id, due_ms)


def end_of_call(connection: Connection, call: Call, at_ms: int) -> None:
    """Settles the call's active tasks when it ends: what needed more speech fails."""
    for record in repo.active_tasks_of_call(connection, call.transaction_id):
        if record.status == "IN_QUEUE":
            record.status_message = "The call ended before the task started"
            _finish(connection, record, "FAILED", at_ms)
        elif record.kind == SPEAKER_SEARCH:
            _end_search(connection, record, at_ms)
        else:
            _end_tone(connection, record, call, at_ms)


def stop(connection: Connection, record: Task, at_ms: int) -> None:
    """StopSpeakerSearchTask / StopVoiceToneAnalysisTask: no event is sent."""
    record.status_message = "Stopped by request"
    _finish(connection, record, "STOPPED", at_ms)


def _end_search(connection: Connection, record: Task, at_ms: int) -> None:
    if record.results is None:
        record.status_message = f"The call ended before {IDENTIFY_SECONDS} s of speech"
        _notify_search(connection, record, at_ms, "IdentificationFailure")
        _finish(connection, record, "FAILED", at_ms)
        return
    record.voiceprint_status = "VoiceprintGenerationFailure"
    record.status_message = f"The call ended before {VOICEPRINT_SECONDS} s of speech"
    _notify_search(connection, record, at_ms, record.voiceprint_status)
    _finish(connection, record, "PARTIAL_SUCCESS", at_ms)


def _end_tone(connection: Connection, record: Task, call: Call, at_ms: int) -> None:
    assert record.started_ms is not None
    if at_ms < later(record.started_ms, FIRST_TONE_SECONDS):
        record.status_message = f"The call ended before {FIRST_TONE_SECONDS} s of speech"
        for is_caller in (True, False):
            _notify_tone(connection, record, at_ms, "VoiceToneAnalysisFailed", is_caller, None)
        _finish(connection, record, "FAILED", at_ms)
        return
    for is_caller in (True, False):
        detail = analysis.tone_detail(call.sentiment(is_caller), record.started_ms, at_ms)
        _notify_tone(connection, record, at_ms, "VoiceToneAnalysisCompleted", is_caller, detail)
    _finish(connection, record, "SUCCEEDED", at_ms)


def _finish(connection: Connection, record: Task, status: str, at_ms: int) -> None:
    record.status, record.finished_ms, record.updated_ms = status, at_ms, at_ms
    repo.save_task(connection, record)
    for kind in STEPS:
        timers.cancel(connection, kind, record.task_id)
    timers.schedule(connection, later(at_ms, KEPT_DAYS * 86_400), TASK_PURGE, record.task_id)


def _active(connection: Connection, task_id: str) -> tuple[Task, Call] | None:
    record = repo.task_by_id(connection, task_id)
    if record is None or not record.active:
        return None
    call = repo.call(connection, record.transaction_id)
    if call is None:
        return None
    return record, call


def _notify_search(
    connection: Connection,
    record: Task,
    at_ms: int,
    status: str,
    results: list[dict[str, Any]] | None = None,
) -> None:
    detail = _detail(record, status, record.is_caller)
    if results is not None:
        detail["speakerSearchDetails"] = {
            "results": [
                {"voiceProfileId": r["VoiceProfileId"], "confidenceScore": r["ConfidenceScore"]}
                for r in results
            ]
        }
    _notify(connection, record, at_ms, "SpeakerSearchStatus", detail)


def _notify_tone(
    connection: Connection,
    record: Task,
    at_ms: int,
    status: str,
    is_caller: bool,
    tone: dict[str, Any] | None,
) -> None:
    detail = _detail(record, status, is_caller)
    if tone is not None:
        detail["voiceToneAnalysisDetails"] = tone
    _notify(connection, record, at_ms, "VoiceToneAnalysisStatus", detail)


def _detail(record: Task, status: str, is_caller: bool) -> dict[str, Any]:
    return {
        "taskId": record.task_id,
        "detailStatus": status,
        "transactionId": record.transaction_id,
        "voiceConnectorId": record.voice_connector_id,
        "isCaller": is_caller,
        "sourceArn": CONNECTOR.arn(record.region, record.account, record.voice_connector_id),
    }


def _notify(
    connection: Connection, record: Task, at_ms: int, detail_type: str, detail: dict[str, Any]
) -> None:
    """Records the event once per notification target of the connector's streaming
    configuration, as of now: a target added mid-call receives later events only."""
    streaming = connectors.document_in(connection, record.voice_connector_id, STREAMING.kind)
    targets = [
        entry["NotificationTarget"]
        for entry in (streaming or {}).get("StreamingNotificationTargets", [])
    ]
    event = analysis.envelope(detail_type, record.account, record.region, at_ms, detail)
    for target in targets:
        repo.record_notification(connection, record.transaction_id, at_ms, target, event)
