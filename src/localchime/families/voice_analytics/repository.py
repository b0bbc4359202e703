"""Repository for the voice analytics family: calls through Voice Connectors, voice profile
domains, voice profiles, analytics tasks and their notifications."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, func, select, tuple_

from localchime.families.voice_analytics.tables import (
    voice_analytics_notifications,
    voice_analytics_tasks,
    voice_connector_calls,
    voice_profile_domains,
    voice_profiles,
)
from localchime.store.database import Snapshot
from localchime.store.owned import OwnedReads, count_owned
from localchime.store.prepared import PreparedQuery, insert_row, row_of, run

SPEAKER_SEARCH = "speaker-search"
VOICE_TONE = "voice-tone"
ACTIVE = ("IN_QUEUE", "IN_PROGRESS")
"""The statuses of an active task: exactly the tasks with no `finished_ms`."""


@dataclass(slots=True)
class Call:
    transaction_id: str
    account: str
    region: str
    voice_connector_id: str
    from_number: str
    to_number: str
    caller_speaker: str
    caller_sentiment: str
    callee_speaker: str
    callee_sentiment: str
    started_ms: int
    ended_ms: int | None

    def speaker(self, is_caller: bool) -> str:
        return self.caller_speaker if is_caller else self.callee_speaker

    def sentiment(self, is_caller: bool) -> str:
        return self.caller_sentiment if is_caller else self.callee_sentiment

    def up_at(self, moment_ms: int) -> bool:
        """Whether the call was still connected at `moment_ms`."""
        return self.ended_ms is None or self.ended_ms > moment_ms


@dataclass(slots=True)
class Domain:
    domain_id: str
    account: str
    region: str
    name: str
    description: str | None
    kms_key_arn: str
    client_token: str | None
    created_ms: int
    updated_ms: int


@dataclass(slots=True)
class Profile:
    profile_id: str
    account: str
    region: str
    domain_id: str
    speaker: str
    source_task_id: str
    created_ms: int
    updated_ms: int
    expires_ms: int


@dataclass(slots=True)
class Task:
    task_id: str
    kind: str
    account: str
    region: str
    voice_connector_id: str
    transaction_id: str
    domain_id: str | None
    is_caller: bool
    client_token: str | None
    status: str
    status_message: str | None
    created_ms: int
    updated_ms: int
    started_ms: int | None
    finished_ms: int | None
    results: str | None
    voiceprint_status: str | None

    def __post_init__(self) -> None:
        self.is_caller = bool(self.is_caller)  # SQLite answers 0 and 1

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    def matches(self) -> list[dict[str, Any]]:
        """The identification's results, best first; empty before identification."""
        return list(json.loads(self.results)) if self.results else []


def _columns(table: Any, record_type: Any) -> list[Any]:
    return [table.c[name] for name in record_type.__dataclass_fields__]


# Calls

_CALL_COLUMNS = _columns(voice_connector_calls, Call)
_CALL = PreparedQuery(
    select(*_CALL_COLUMNS).where(voice_connector_calls.c.transaction_id == bindparam("id"))
)
_CALL_FOR_UPDATE = PreparedQuery(
    select(*_CALL_COLUMNS)
    .where(voice_connector_calls.c.transaction_id == bindparam("id"))
    .with_for_update()
)
_INSERT_CALL = insert_row(voice_connector_calls)
_END_CALL = PreparedQuery(
    voice_connector_calls.update()
    .where(voice_connector_calls.c.transaction_id == bindparam("id"))
    .values(ended_ms=bindparam("ended_ms"))
)


def call(connection: Connection, transaction_id: str) -> Call | None:
    rows = run(connection, _CALL, id=transaction_id)
    return Call(*rows[0]) if rows else None


def call_for_update(connection: Connection, transaction_id: str) -> Call | None:
    """Row-locked on PostgreSQL, so a hang-up and a task starting on the call take turns."""
    rows = run(connection, _CALL_FOR_UPDATE, id=transaction_id)
    return Call(*rows[0]) if rows else None


def insert_call(connection: Connection, record: Call) -> None:
    run(connection, _INSERT_CALL, **row_of(record))


def end_call(connection: Connection, transaction_id: str, at_ms: int) -> None:
    run(connection, _END_CALL, id=transaction_id, ended_ms=at_ms)


# Voice profile domains

DOMAINS = OwnedReads(voice_profile_domains, voice_profile_domains.c.domain_id, Domain)
_INSERT_DOMAIN = insert_row(voice_profile_domains)
_DOMAIN_BY_TOKEN = PreparedQuery(
    select(*DOMAINS.columns).where(
        voice_profile_domains.c.account == bindparam("account"),
        voice_profile_domains.c.client_token == bindparam("token"),
    )
)


domain = DOMAINS.record
domain_for_update = DOMAINS.record_for_update
domain_page = DOMAINS.records


def domain_with_token(connection: Connection, account: str, token: str) -> Domain | None:
    rows = run(connection, _DOMAIN_BY_TOKEN, account=account, token=token)
    return Domain(*rows[0]) if rows else None


def insert_domain(connection: Connection, record: Domain) -> None:
    run(connection, _INSERT_DOMAIN, **row_of(record))


def save_domain(connection: Connection, record: Domain) -> None:
    connection.execute(
        voice_profile_domains.update()
        .where(voice_profile_domains.c.domain_id == record.domain_id)
        .values(name=record.name, description=record.description, updated_ms=record.updated_ms)
    )


def delete_domain(connection: Connection, domain_id: str) -> list[str]:
    """Deletes the domain and its profiles; returns the profiles' ids."""
    profile_ids = [
        row[0]
        for row in connection.execute(
            select(voice_profiles.c.profile_id).where(voice_profiles.c.domain_id == domain_id)
        )
    ]
    connection.execute(voice_profiles.delete().where(voice_profiles.c.domain_id == domain_id))
    connection.execute(
        voice_profile_domains.delete().where(voice_profile_domains.c.domain_id == domain_id)
    )
    return profile_ids


def count_domains(connection: Connection, account: str, region: str) -> int:
    return count_owned(connection, voice_profile_domains, account, region)


# Voice profiles

PROFILES = OwnedReads(voice_profiles, voice_profiles.c.profile_id, Profile)
_INSERT_PROFILE = insert_row(voice_profiles)
_PROFILES_OF_DOMAIN = PreparedQuery(
    select(*PROFILES.columns)
    .where(voice_profiles.c.domain_id == bindparam("domain_id"))
    .order_by(voice_profiles.c.created_ms, voice_profiles.c.profile_id)
)
_PROFILE_PAGES = {
    resumed: PreparedQuery(
        select(*PROFILES.columns)
        .where(
            voice_profiles.c.domain_id == bindparam("domain_id"),
            *(
                (
                    tuple_(voice_profiles.c.created_ms, voice_profiles.c.profile_id)
                    > tuple_(bindparam("after_ms"), bindparam("after_id")),
                )
                if resumed
                else ()
            ),
        )
        .order_by(voice_profiles.c.created_ms, voice_profiles.c.profile_id)
        .limit(bindparam("limit"))
    )
    for resumed in (False, True)
}
_PROFILE_FROM_TASK = PreparedQuery(
    select(voice_profiles.c.profile_id).where(
        voice_profiles.c.source_task_id == bindparam("task_id")
    )
)


profile = PROFILES.record
profile_for_update = PROFILES.record_for_update


def profiles_of_domain(connection: Connection, domain_id: str) -> list[Profile]:
    return [Profile(*row) for row in run(connection, _PROFILES_OF_DOMAIN, domain_id=domain_id)]


def profile_page(
    reads: Snapshot, domain_id: str, after: list[Any] | None, limit: int
) -> list[Profile]:
    params: dict[str, Any] = {"domain_id": domain_id, "limit": limit}
    if after is not None:
        params.update(after_ms=after[0], after_id=after[1])
    return [Profile(*row) for row in reads.fetch(_PROFILE_PAGES[after is not None], **params)]


def profile_enrolled_from(connection: Connection, task_id: str) -> str | None:
    rows = run(connection, _PROFILE_FROM_TASK, task_id=task_id)
    return rows[0][0] if rows else None


def count_profiles(connection: Connection, domain_id: str) -> int:
    return int(
        connection.execute(
            select(func.count())
            .select_from(voice_profiles)
            .where(voice_profiles.c.domain_id == domain_id)
        ).scalar_one()
    )


def insert_profile(connection: Connection, record: Profile) -> None:
    run(connection, _INSERT_PROFILE, **row_of(record))


def save_profile(connection: Connection, record: Profile) -> None:
    connection.execute(
        voice_profiles.update()
        .where(voice_profiles.c.profile_id == record.profile_id)
        .values(
            speaker=record.speaker,
            source_task_id=record.source_task_id,
            updated_ms=record.updated_ms,
            expires_ms=record.expires_ms,
        )
    )


def delete_profile(connection: Connection, profile_id: str) -> None:
    connection.execute(voice_profiles.delete().where(voice_profiles.c.profile_id == profile_id))


def delete_expired_profile(connection: Connection, profile_id: str, due_ms: int) -> None:
    """Deletes the profile only if it is still expired as of `due_ms`: an UpdateVoiceProfile
    committing at the same moment (PostgreSQL re-checks the condition after waiting for its
    row) re-enrols it instead."""
    connection.execute(
        voice_profiles.delete().where(
            voice_profiles.c.profile_id == profile_id, voice_profiles.c.expires_ms <= due_ms
        )
    )


# Tasks

_TASK_COLUMNS = _columns(voice_analytics_tasks, Task)
_TASK_KEY = (
    voice_analytics_tasks.c.task_id == bindparam("id"),
    voice_analytics_tasks.c.kind == bindparam("kind"),
    voice_analytics_tasks.c.account == bindparam("account"),
    voice_analytics_tasks.c.region == bindparam("region"),
)
_TASK = PreparedQuery(select(*_TASK_COLUMNS).where(*_TASK_KEY))
_TASK_FOR_UPDATE = PreparedQuery(select(*_TASK_COLUMNS).where(*_TASK_KEY).with_for_update())
_TASK_BY_ID = PreparedQuery(
    select(*_TASK_COLUMNS)
    .where(voice_analytics_tasks.c.task_id == bindparam("id"))
    .with_for_update()
)
_TASK_BY_TOKEN = PreparedQuery(
    select(*_TASK_COLUMNS).where(
        voice_analytics_tasks.c.account == bindparam("account"),
        voice_analytics_tasks.c.kind == bindparam("kind"),
        voice_analytics_tasks.c.client_token == bindparam("token"),
    )
)
_ACTIVE_ON_CALL = PreparedQuery(
    select(voice_analytics_tasks.c.task_id).where(
        voice_analytics_tasks.c.transaction_id == bindparam("transaction_id"),
        voice_analytics_tasks.c.kind == bindparam("kind"),
        voice_analytics_tasks.c.finished_ms.is_(None),
    )
)
_ACTIVE_TASKS_OF_CALL = PreparedQuery(
    select(*_TASK_COLUMNS)
    .where(
        voice_analytics_tasks.c.transaction_id == bindparam("transaction_id"),
        voice_analytics_tasks.c.finished_ms.is_(None),
    )
    .order_by(voice_analytics_tasks.c.created_ms, voice_analytics_tasks.c.task_id)
    .with_for_update()
)
_COUNT_ACTIVE = PreparedQuery(
    select(func.count())
    .select_from(voice_analytics_tasks)
    .where(
        voice_analytics_tasks.c.account == bindparam("account"),
        voice_analytics_tasks.c.region == bindparam("region"),
        voice_analytics_tasks.c.kind == bindparam("kind"),
        voice_analytics_tasks.c.finished_ms.is_(None),
    )
)
_INSERT_TASK = insert_row(voice_analytics_tasks)


def task(reads: Snapshot, kind: str, account: str, region: str, task_id: str) -> Task | None:
    rows = reads.fetch(_TASK, id=task_id, kind=kind, account=account, region=region)
    return Task(*rows[0]) if rows else None


def task_for_update(
    connection: Connection, kind: str, account: str, region: str, task_id: str
) -> Task | None:
    rows = run(connection, _TASK_FOR_UPDATE, id=task_id, kind=kind, account=account, region=region)
    return Task(*rows[0]) if rows else None


def task_by_id(connection: Connection, task_id: str) -> Task | None:
    """Any task by its id, row-locked: for timed transitions."""
    rows = run(connection, _TASK_BY_ID, id=task_id)
    return Task(*rows[0]) if rows else None


def task_with_token(connection: Connection, account: str, kind: str, token: str) -> Task | None:
    rows = run(connection, _TASK_BY_TOKEN, account=account, kind=kind, token=token)
    return Task(*rows[0]) if rows else None


def active_task_on_call(connection: Connection, transaction_id: str, kind: str) -> str | None:
    rows = run(connection, _ACTIVE_ON_CALL, transaction_id=transaction_id, kind=kind)
    return rows[0][0] if rows else None


def active_tasks_of_call(connection: Connection, transaction_id: str) -> list[Task]:
    return [
        Task(*row) for row in run(connection, _ACTIVE_TASKS_OF_CALL, transaction_id=transaction_id)
    ]


def count_active_tasks(connection: Connection, account: str, region: str, kind: str) -> int:
    return int(run(connection, _COUNT_ACTIVE, account=account, region=region, kind=kind)[0][0])


def insert_task(connection: Connection, record: Task) -> None:
    run(connection, _INSERT_TASK, **row_of(record))


def save_task(connection: Connection, record: Task) -> None:
    connection.execute(
        voice_analytics_tasks.update()
        .where(voice_analytics_tasks.c.task_id == record.task_id)
        .values(
            status=record.status,
            status_message=record.status_message,
            updated_ms=record.updated_ms,
            started_ms=record.started_ms,
            finished_ms=record.finished_ms,
            results=record.results,
            voiceprint_status=record.voiceprint_status,
        )
    )


def delete_task(connection: Connection, task_id: str) -> None:
    connection.execute(
        voice_analytics_tasks.delete().where(voice_analytics_tasks.c.task_id == task_id)
    )


# Notifications

_INSERT_NOTIFICATION = PreparedQuery(
    voice_analytics_notifications.insert().values(
        transaction_id=bindparam("transaction_id"),
        at_ms=bindparam("at_ms"),
        target=bindparam("target"),
        event=bindparam("event"),
    )
)


def record_notification(
    connection: Connection, transaction_id: str, at_ms: int, target: str, event: dict[str, Any]
) -> None:
    run(
        connection,
        _INSERT_NOTIFICATION,
        transaction_id=transaction_id,
        at_ms=at_ms,
        target=target,
        event=json.dumps(event),
    )


def notifications(connection: Connection, transaction_id: str) -> list[tuple[int, str, Any]]:
    """(at_ms, target, event) of the call's notifications, in the order they were sent."""
    rows = connection.execute(
        select(
            voice_analytics_notifications.c.at_ms,
            voice_analytics_notifications.c.target,
            voice_analytics_notifications.c.event,
        )
        .where(voice_analytics_notifications.c.transaction_id == transaction_id)
        .order_by(voice_analytics_notifications.c.notification_id)
    )
    return [(int(at_ms), str(target), json.loads(event)) for at_ms, target, event in rows]
