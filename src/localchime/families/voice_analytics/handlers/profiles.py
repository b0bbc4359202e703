"""Voice profiles: Create (201) and Update enrol the speaker of a speaker search task; Get, List
(by domain) and Delete.

A profile is enrolled from a speaker search task of the caller's account and Region whose
voiceprint was generated, within 24 hours of the task's call (SPEC-voice, D), into the task's
domain; one task enrols one profile. A profile expires 3 years after it was created or last
updated, and is then deleted: Get answers NotFound, the error GetVoiceProfile's model lists
(docs/voice-analytics.md).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from localchime.core import quotas
from localchime.core.context import RequestContext
from localchime.core.family import Operations, Params
from localchime.core.ids import new_guid
from localchime.core.pagination import Keyset, Pagination
from localchime.families.voice_analytics import lifecycle
from localchime.families.voice_analytics import repository as repo
from localchime.families.voice_analytics.errors import (
    AlreadyEnrolled,
    DomainNotFound,
    EnrolmentExpired,
    NoVoiceprint,
    OtherDomain,
    ProfileNotFound,
    SearchTaskNotFound,
)
from localchime.families.voice_analytics.repository import SPEAKER_SEARCH, Profile, Task
from localchime.families.voice_analytics.resources import PROFILES_PER_DOMAIN
from localchime.families.voice_analytics.views import profile_view
from localchime.protocol.errors import require
from localchime.store import timers

OPERATIONS = Operations()
LISTING = Pagination[Profile](
    "ListVoiceProfiles",
    "VoiceProfiles",
    key=lambda r: [r.created_ms, r.profile_id],
    view=profile_view,
)
ENROLMENT_WINDOW_MS = 24 * 3600 * 1000


@OPERATIONS("CreateVoiceProfile")
def create_voice_profile(ctx: RequestContext, params: Params) -> dict[str, Any]:
    with ctx.store.write() as connection:
        task, speaker = _enrolable(ctx, connection, params["SpeakerSearchTaskId"])
        earlier = repo.profile_enrolled_from(connection, task.task_id)
        if earlier is not None:
            raise AlreadyEnrolled(task.task_id, earlier)
        domain_id = str(task.domain_id)
        # The domain's row lock serialises its profile count against other creates.
        found = repo.domain_for_update(connection, ctx.account, ctx.region, domain_id)
        require(found, DomainNotFound, domain_id)
        quotas.check(
            PROFILES_PER_DOMAIN,
            ctx.settings,
            connection,
            ctx.account,
            lambda: repo.count_profiles(connection, domain_id),
            scope=f"in domain {domain_id}",
        )
        record = Profile(
            profile_id=new_guid(),
            account=ctx.account,
            region=ctx.region,
            domain_id=domain_id,
            speaker=speaker,
            source_task_id=task.task_id,
            created_ms=ctx.now_ms,
            updated_ms=ctx.now_ms,
            expires_ms=lifecycle.profile_expiry(ctx.now_ms),
        )
        repo.insert_profile(connection, record)
        lifecycle.schedule_expiry(connection, record.profile_id, record.expires_ms)
    return {"VoiceProfile": profile_view(record)}


@OPERATIONS("UpdateVoiceProfile")
def update_voice_profile(ctx: RequestContext, params: Params) -> dict[str, Any]:
    profile_id = params["VoiceProfileId"]
    with ctx.store.write() as connection:
        found = repo.profile_for_update(connection, ctx.account, ctx.region, profile_id)
        record = require(found, ProfileNotFound, profile_id)
        task, speaker = _enrolable(ctx, connection, params["SpeakerSearchTaskId"])
        if task.domain_id != record.domain_id:
            raise OtherDomain(task.task_id, task.domain_id, record.domain_id)
        earlier = repo.profile_enrolled_from(connection, task.task_id)
        if earlier is not None and earlier != profile_id:
            raise AlreadyEnrolled(task.task_id, earlier)
        record.speaker, record.source_task_id = speaker, task.task_id
        record.updated_ms = ctx.now_ms
        record.expires_ms = lifecycle.profile_expiry(ctx.now_ms)
        repo.save_profile(connection, record)
        lifecycle.schedule_expiry(connection, record.profile_id, record.expires_ms)
    return {"VoiceProfile": profile_view(record)}


@OPERATIONS("GetVoiceProfile")
def get_voice_profile(ctx: RequestContext, params: Params) -> dict[str, Any]:
    profile_id = params["VoiceProfileId"]
    found = repo.profile(ctx.reads, ctx.account, ctx.region, profile_id)
    return {"VoiceProfile": profile_view(require(found, ProfileNotFound, profile_id))}


@OPERATIONS("ListVoiceProfiles")
def list_voice_profiles(ctx: RequestContext, params: Params) -> dict[str, Any]:
    domain_id = params["VoiceProfileDomainId"]
    require(repo.domain(ctx.reads, ctx.account, ctx.region, domain_id), DomainNotFound, domain_id)

    def fetch(after: Keyset | None, limit: int) -> list[Profile]:
        return repo.profile_page(ctx.reads, domain_id, after, limit)

    return LISTING.respond(ctx, params, {"VoiceProfileDomainId": domain_id}, fetch)


@OPERATIONS("DeleteVoiceProfile")
def delete_voice_profile(ctx: RequestContext, params: Params) -> None:
    profile_id = params["VoiceProfileId"]
    with ctx.store.write() as connection:
        found = repo.profile_for_update(connection, ctx.account, ctx.region, profile_id)
        require(found, ProfileNotFound, profile_id)
        repo.delete_profile(connection, profile_id)
        timers.cancel(connection, lifecycle.PROFILE_EXPIRE, profile_id)


def _enrolable(ctx: RequestContext, connection: Connection, task_id: str) -> tuple[Task, str]:
    """The speaker search task and the voice it heard, when a profile may be enrolled from it."""
    task = repo.task_for_update(connection, SPEAKER_SEARCH, ctx.account, ctx.region, task_id)
    if task is None:
        raise SearchTaskNotFound(task_id)
    if task.voiceprint_status != "VoiceprintGenerationSuccessful":
        raise NoVoiceprint(task_id, task.status, task.voiceprint_status)
    call = repo.call(connection, task.transaction_id)
    if call is None:
        raise EnrolmentExpired(task_id, task.transaction_id)
    ended_ms = call.ended_ms if call.ended_ms is not None else ctx.now_ms
    if ctx.now_ms - ended_ms > ENROLMENT_WINDOW_MS:
        raise EnrolmentExpired(task_id, task.transaction_id)
    return task, call.speaker(task.is_caller)
