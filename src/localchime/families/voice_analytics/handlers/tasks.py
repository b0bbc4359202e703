"""Speaker search and voice tone analysis tasks: Start (201), Get, Stop (204).

A task runs on a call through the connector named in the path (`TransactionId`), which needs an
enabled media insights configuration in its streaming configuration (SPEC-voice, D). A call has
at most one active task of each kind, and `--quota-profile aws` allows 25 active tasks of each
kind per Region (D). `ClientRequestToken` makes Start idempotent, as for domains. How a task
then moves on the service clock is `lifecycle.py`'s.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from localchime.core import quotas
from localchime.core.context import RequestContext
from localchime.core.family import Operations, Params
from localchime.core.ids import new_guid
from localchime.families.voice_analytics import lifecycle
from localchime.families.voice_analytics import repository as repo
from localchime.families.voice_analytics.errors import (
    AnalyticsNotEnabled,
    CallEnded,
    CallNotFound,
    DomainNotFound,
    TaskAlreadyActive,
    TaskFinished,
    TaskNotFound,
    TokenReused,
)
from localchime.families.voice_analytics.repository import SPEAKER_SEARCH, VOICE_TONE, Task
from localchime.families.voice_analytics.resources import ACTIVE_TASKS_PER_REGION
from localchime.families.voice_analytics.views import speaker_search_view, voice_tone_view
from localchime.families.voice_connectors import public as connectors
from localchime.families.voice_connectors.public import (
    STREAMING,
    owned_connector,
    visible_connector,
)
from localchime.protocol.errors import require
from localchime.store.locks import lock_for_account

OPERATIONS = Operations()
NAMES = {SPEAKER_SEARCH: "speaker search task", VOICE_TONE: "voice tone analysis task"}


@OPERATIONS("StartSpeakerSearchTask")
def start_speaker_search_task(ctx: RequestContext, params: Params) -> dict[str, Any]:
    is_caller = params.get("CallLeg", "Caller") == "Caller"
    record = _start(ctx, params, SPEAKER_SEARCH, params["VoiceProfileDomainId"], is_caller)
    return {"SpeakerSearchTask": speaker_search_view(record)}


@OPERATIONS("GetSpeakerSearchTask")
def get_speaker_search_task(ctx: RequestContext, params: Params) -> dict[str, Any]:
    record = _visible(ctx, params, SPEAKER_SEARCH, params["SpeakerSearchTaskId"])
    return {"SpeakerSearchTask": speaker_search_view(record)}


@OPERATIONS("StopSpeakerSearchTask")
def stop_speaker_search_task(ctx: RequestContext, params: Params) -> None:
    _stop(ctx, params, SPEAKER_SEARCH, params["SpeakerSearchTaskId"])


@OPERATIONS("StartVoiceToneAnalysisTask")
def start_voice_tone_analysis_task(ctx: RequestContext, params: Params) -> dict[str, Any]:
    # The model's LanguageCode enum holds only en-US, which the validator enforces.
    record = _start(ctx, params, VOICE_TONE, None, True)
    return {"VoiceToneAnalysisTask": voice_tone_view(record, True)}


@OPERATIONS("GetVoiceToneAnalysisTask")
def get_voice_tone_analysis_task(ctx: RequestContext, params: Params) -> dict[str, Any]:
    record = _visible(ctx, params, VOICE_TONE, params["VoiceToneAnalysisTaskId"])
    return {"VoiceToneAnalysisTask": voice_tone_view(record, params["IsCaller"])}


@OPERATIONS("StopVoiceToneAnalysisTask")
def stop_voice_tone_analysis_task(ctx: RequestContext, params: Params) -> None:
    _stop(ctx, params, VOICE_TONE, params["VoiceToneAnalysisTaskId"])


def _start(
    ctx: RequestContext, params: Params, kind: str, domain_id: str | None, is_caller: bool
) -> Task:
    connector_id, transaction_id = params["VoiceConnectorId"], params["TransactionId"]
    token = params.get("ClientRequestToken")
    record = Task(
        task_id=new_guid(),
        kind=kind,
        account=ctx.account,
        region=ctx.region,
        voice_connector_id=connector_id,
        transaction_id=transaction_id,
        domain_id=domain_id,
        is_caller=is_caller,
        client_token=token,
        status="IN_QUEUE",
        status_message=None,
        created_ms=ctx.now_ms,
        updated_ms=ctx.now_ms,
        started_ms=None,
        finished_ms=None,
        results=None,
        voiceprint_status=None,
    )
    with ctx.store.write() as connection:
        # Serialises the token, the one-active-task-per-call rule and the quota.
        lock_for_account(connection, "voice-analytics-tasks", ctx.account)
        owned_connector(ctx, connection, connector_id)
        if token is not None:
            earlier = repo.task_with_token(connection, ctx.account, kind, token)
            if earlier is not None:
                if _same_request(earlier, record):
                    return earlier
                raise TokenReused(token, NAMES[kind], earlier.task_id)
        _require_media_insights(connection, connector_id)
        call = repo.call_for_update(connection, transaction_id)
        if call is None or call.voice_connector_id != connector_id or call.account != ctx.account:
            raise CallNotFound(transaction_id, connector_id)
        if call.ended_ms is not None:
            raise CallEnded(transaction_id, call.ended_ms)
        if domain_id is not None:
            found = repo.domain_for_update(connection, ctx.account, ctx.region, domain_id)
            require(found, DomainNotFound, domain_id)
        active = repo.active_task_on_call(connection, transaction_id, kind)
        if active is not None:
            raise TaskAlreadyActive(NAMES[kind], transaction_id, active)
        quotas.check(
            ACTIVE_TASKS_PER_REGION[kind],
            ctx.settings,
            connection,
            ctx.account,
            lambda: repo.count_active_tasks(connection, ctx.account, ctx.region, kind),
            scope=f"in {ctx.region}",
        )
        repo.insert_task(connection, record)
        lifecycle.queue(connection, record)
    return record


def _require_media_insights(connection: Connection, connector_id: str) -> None:
    streaming = connectors.document_in(connection, connector_id, STREAMING.kind) or {}
    insights = streaming.get("MediaInsightsConfiguration") or {}
    enabled = (
        streaming
        and not streaming.get("Disabled", False)
        and insights.get("ConfigurationArn")
        and not insights.get("Disabled", False)
    )
    if not enabled:
        raise AnalyticsNotEnabled(connector_id)


def _visible(ctx: RequestContext, params: Params, kind: str, task_id: str) -> Task:
    connector_id = params["VoiceConnectorId"]
    visible_connector(ctx, connector_id)
    found = repo.task(ctx.reads, kind, ctx.account, ctx.region, task_id)
    if found is None or found.voice_connector_id != connector_id:
        raise TaskNotFound(NAMES[kind].capitalize(), task_id, connector_id)
    return found


def _stop(ctx: RequestContext, params: Params, kind: str, task_id: str) -> None:
    connector_id = params["VoiceConnectorId"]
    with ctx.store.write() as connection:
        owned_connector(ctx, connection, connector_id)
        found = repo.task_for_update(connection, kind, ctx.account, ctx.region, task_id)
        if found is None or found.voice_connector_id != connector_id:
            raise TaskNotFound(NAMES[kind].capitalize(), task_id, connector_id)
        if not found.active:
            raise TaskFinished(NAMES[kind].capitalize(), task_id, found.status)
        lifecycle.stop(connection, found, ctx.now_ms)


def _same_request(earlier: Task, record: Task) -> bool:
    fields = ("region", "voice_connector_id", "transaction_id", "domain_id", "is_caller")
    return all(getattr(earlier, name) == getattr(record, name) for name in fields)
