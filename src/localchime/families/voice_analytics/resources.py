"""The voice analytics family's resources, declared once: voice profile domains
(`voice-profile-domain`), voice profiles (`voice-profile`), speaker search and voice tone
analysis tasks (no ARN), and their quotas under `--quota-profile aws` (SPEC-voice, D)."""

from __future__ import annotations

from localchime.core.quotas import Quota
from localchime.core.resources import Resource
from localchime.families.voice_analytics import repository as repo
from localchime.families.voice_analytics.tables import (
    voice_analytics_tasks,
    voice_profile_domains,
    voice_profiles,
)
from localchime.store.database import Snapshot

# The create handlers already serialise these counts: a domain create holds its token's lock,
# a profile create the domain's row lock, a task start its call's lock.
DOMAINS_PER_REGION = Quota("voice-profile-domains", "voice profile domains", aws=3, locked=False)
PROFILES_PER_DOMAIN = Quota("voice-profiles", "voice profiles", aws=20, locked=False)
SPEAKER_SEARCHES_PER_REGION = Quota(
    "speaker-search-tasks", "active speaker search tasks", aws=25, locked=False
)
VOICE_TONE_ANALYSES_PER_REGION = Quota(
    "voice-tone-analysis-tasks", "active voice tone analysis tasks", aws=25, locked=False
)


def _domain_exists(reads: Snapshot, account: str, region: str, ident: str) -> bool:
    return repo.domain(reads, account, region, ident) is not None


def _profile_exists(reads: Snapshot, account: str, region: str, ident: str) -> bool:
    return repo.profile(reads, account, region, ident) is not None


DOMAIN = Resource(
    kind="voice profile domain",
    arn_type="voice-profile-domain",
    members=("VoiceProfileDomainId",),
    labels=("VoiceProfileDomainId",),
    table=voice_profile_domains,
    record=repo.Domain,
    taggable=True,
    exists=_domain_exists,
    quotas=(DOMAINS_PER_REGION,),
    list_operation="ListVoiceProfileDomains",
)
PROFILE = Resource(
    kind="voice profile",
    arn_type="voice-profile",
    members=("VoiceProfileId",),
    labels=("VoiceProfileId",),
    table=voice_profiles,
    record=repo.Profile,
    exists=_profile_exists,
    quotas=(PROFILES_PER_DOMAIN,),
    list_operation="ListVoiceProfiles",
)
SPEAKER_SEARCH_TASK = Resource(
    kind="speaker search task",
    arn_type=None,
    members=("SpeakerSearchTaskId",),
    table=voice_analytics_tasks,
    record=repo.Task,
    quotas=(SPEAKER_SEARCHES_PER_REGION,),
)
VOICE_TONE_ANALYSIS_TASK = Resource(
    kind="voice tone analysis task",
    arn_type=None,
    members=("VoiceToneAnalysisTaskId",),
    table=voice_analytics_tasks,
    record=repo.Task,
    quotas=(VOICE_TONE_ANALYSES_PER_REGION,),
)
RESOURCES = (DOMAIN, PROFILE, SPEAKER_SEARCH_TASK, VOICE_TONE_ANALYSIS_TASK)
ACTIVE_TASKS_PER_REGION = {
    repo.SPEAKER_SEARCH: SPEAKER_SEARCHES_PER_REGION,
    repo.VOICE_TONE: VOICE_TONE_ANALYSES_PER_REGION,
}
"""Each kind of task has its own quota of active tasks per account per Region."""
