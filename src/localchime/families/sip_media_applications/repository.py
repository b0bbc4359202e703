"""Repository for SIP media applications, SIP rules and their target applications."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, bindparam, select, tuple_

from localchime.families.sip_media_applications.tables import (
    sip_media_applications,
    sip_rule_targets,
    sip_rules,
)
from localchime.store.database import Snapshot
from localchime.store.owned import OwnedReads, count_owned
from localchime.store.prepared import PreparedQuery, insert_row, row_of, run, run_many


@dataclass(slots=True)
class Application:
    application_id: str
    account: str
    region: str
    name: str
    lambda_arn: str
    message_logs: bool
    created_ms: int
    updated_ms: int

    def __post_init__(self) -> None:
        self.message_logs = bool(self.message_logs)  # SQLite answers 0 and 1


@dataclass(frozen=True, slots=True)
class Target:
    application_id: str
    priority: int
    region: str


@dataclass(slots=True)
class Rule:
    rule_id: str
    account: str
    region: str
    name: str
    disabled: bool
    trigger_type: str
    trigger_value: str
    created_ms: int
    updated_ms: int
    targets: tuple[Target, ...] = field(default=())

    def __post_init__(self) -> None:
        self.disabled = bool(self.disabled)


APPLICATIONS = OwnedReads(
    sip_media_applications, sip_media_applications.c.application_id, Application
)
RULES = OwnedReads(sip_rules, sip_rules.c.rule_id, Rule)
_APPLICATION_OF_ACCOUNT = PreparedQuery(
    select(*APPLICATIONS.columns)
    .where(
        sip_media_applications.c.application_id == bindparam("id"),
        sip_media_applications.c.account == bindparam("account"),
    )
    .with_for_update()
)
_INSERT_APPLICATION = insert_row(sip_media_applications)
_TARGETS = PreparedQuery(
    select(
        sip_rule_targets.c.application_id, sip_rule_targets.c.priority, sip_rule_targets.c.region
    )
    .where(sip_rule_targets.c.rule_id == bindparam("id"))
    .order_by(sip_rule_targets.c.position)
)
_INSERT_TARGET = insert_row(sip_rule_targets)
_RULE_BY_TRIGGER = PreparedQuery(
    select(*RULES.columns).where(
        sip_rules.c.trigger_type == bindparam("trigger_type"),
        sip_rules.c.trigger_value == bindparam("trigger_value"),
        sip_rules.c.disabled.is_(False),
    )
)
_RULE_ID_BY_TRIGGER = PreparedQuery(
    select(sip_rules.c.rule_id).where(
        sip_rules.c.trigger_type == bindparam("trigger_type"),
        sip_rules.c.trigger_value == bindparam("trigger_value"),
    )
)
_ENABLED_RULES_TARGETING = PreparedQuery(
    select(sip_rules.c.rule_id)
    .join(sip_rule_targets, sip_rule_targets.c.rule_id == sip_rules.c.rule_id)
    .where(
        sip_rule_targets.c.application_id == bindparam("id"),
        sip_rules.c.disabled.is_(False),
    )
    .order_by(sip_rules.c.rule_id)
)


_TARGETING_PAGES = {
    resumed: PreparedQuery(
        select(*RULES.columns)
        .where(
            sip_rules.c.account == bindparam("account"),
            sip_rules.c.region == bindparam("region"),
            sip_rules.c.rule_id.in_(
                select(sip_rule_targets.c.rule_id).where(
                    sip_rule_targets.c.application_id == bindparam("application_id")
                )
            ),
            *(
                (
                    tuple_(sip_rules.c.created_ms, sip_rules.c.rule_id)
                    > tuple_(bindparam("after_ms"), bindparam("after_id")),
                )
                if resumed
                else ()
            ),
        )
        .order_by(sip_rules.c.created_ms, sip_rules.c.rule_id)
        .limit(bindparam("limit"))
    )
    for resumed in (False, True)
}


# Applications


def _application(row: Any) -> Application:
    return Application(*row)


def application(
    reads: Snapshot, account: str, region: str, application_id: str
) -> Application | None:
    rows = reads.fetch(APPLICATIONS.one, id=application_id, account=account, region=region)
    return _application(rows[0]) if rows else None


def application_for_update(
    connection: Connection, account: str, region: str, application_id: str
) -> Application | None:
    rows = run(
        connection, APPLICATIONS.one_for_update, id=application_id, account=account, region=region
    )
    return _application(rows[0]) if rows else None


def application_by_id(
    connection: Connection, account: str, application_id: str
) -> Application | None:
    """The account's application in any Region, row-locked: for rules, whose targets name
    applications of several Regions, and for calls."""
    rows = run(connection, _APPLICATION_OF_ACCOUNT, id=application_id, account=account)
    return _application(rows[0]) if rows else None


def application_page(
    reads: Snapshot, account: str, region: str, after: list[Any] | None, limit: int
) -> list[Application]:
    return [_application(row) for row in APPLICATIONS.page(reads, account, region, after, limit)]


def insert_application(connection: Connection, record: Application) -> None:
    run(connection, _INSERT_APPLICATION, **row_of(record))


def save_application(connection: Connection, record: Application) -> None:
    connection.execute(
        sip_media_applications.update()
        .where(sip_media_applications.c.application_id == record.application_id)
        .values(
            name=record.name,
            lambda_arn=record.lambda_arn,
            message_logs=record.message_logs,
            updated_ms=record.updated_ms,
        )
    )


def delete_application(connection: Connection, application_id: str) -> None:
    connection.execute(
        sip_media_applications.delete().where(
            sip_media_applications.c.application_id == application_id
        )
    )


def count_applications(connection: Connection, account: str, region: str) -> int:
    return count_owned(connection, sip_media_applications, account, region)


def enabled_rules_targeting(connection: Connection, application_id: str) -> list[str]:
    return [row[0] for row in run(connection, _ENABLED_RULES_TARGETING, id=application_id)]


# Rules


def _with_targets(fetch: Any, row: Any) -> Rule:
    rule = Rule(*row)
    rule.targets = tuple(Target(*target) for target in fetch(_TARGETS, id=rule.rule_id))
    return rule


def rule(reads: Snapshot, account: str, region: str, rule_id: str) -> Rule | None:
    rows = reads.fetch(RULES.one, id=rule_id, account=account, region=region)
    return _with_targets(reads.fetch, rows[0]) if rows else None


def rule_for_update(connection: Connection, account: str, region: str, rule_id: str) -> Rule | None:
    rows = run(connection, RULES.one_for_update, id=rule_id, account=account, region=region)
    return _with_targets(_runner(connection), rows[0]) if rows else None


def rule_with_trigger(connection: Connection, trigger_type: str, trigger_value: str) -> str | None:
    """The id of the rule, enabled or not, whose trigger is this value."""
    rows = run(
        connection, _RULE_ID_BY_TRIGGER, trigger_type=trigger_type, trigger_value=trigger_value
    )
    return rows[0][0] if rows else None


def enabled_rule_for_trigger(
    connection: Connection, trigger_type: str, trigger_value: str
) -> Rule | None:
    """The enabled rule, of any account, whose trigger is this value: where a call goes."""
    rows = run(connection, _RULE_BY_TRIGGER, trigger_type=trigger_type, trigger_value=trigger_value)
    return _with_targets(_runner(connection), rows[0]) if rows else None


def rule_page(
    reads: Snapshot,
    account: str,
    region: str,
    after: list[Any] | None,
    limit: int,
    application_id: str | None,
) -> list[Rule]:
    """A page of the account's rules, or of those that target one application."""
    if application_id is None:
        rows = RULES.page(reads, account, region, after, limit)
    else:
        params: dict[str, Any] = {
            "account": account,
            "region": region,
            "limit": limit,
            "application_id": application_id,
        }
        if after is not None:
            params.update(after_ms=after[0], after_id=after[1])
        rows = reads.fetch(_TARGETING_PAGES[after is not None], **params)
    return [_with_targets(reads.fetch, row) for row in rows]


def insert_rule(connection: Connection, record: Rule) -> None:
    connection.execute(
        sip_rules.insert().values(
            rule_id=record.rule_id,
            account=record.account,
            region=record.region,
            name=record.name,
            disabled=record.disabled,
            trigger_type=record.trigger_type,
            trigger_value=record.trigger_value,
            created_ms=record.created_ms,
            updated_ms=record.updated_ms,
        )
    )
    _put_targets(connection, record)


def save_rule(connection: Connection, record: Rule) -> None:
    connection.execute(
        sip_rules.update()
        .where(sip_rules.c.rule_id == record.rule_id)
        .values(name=record.name, disabled=record.disabled, updated_ms=record.updated_ms)
    )
    connection.execute(
        sip_rule_targets.delete().where(sip_rule_targets.c.rule_id == record.rule_id)
    )
    _put_targets(connection, record)


def delete_rule(connection: Connection, rule_id: str) -> None:
    connection.execute(sip_rule_targets.delete().where(sip_rule_targets.c.rule_id == rule_id))
    connection.execute(sip_rules.delete().where(sip_rules.c.rule_id == rule_id))


def count_rules(connection: Connection, account: str, region: str) -> int:
    return count_owned(connection, sip_rules, account, region)


def _put_targets(connection: Connection, record: Rule) -> None:
    rows = [
        {
            "rule_id": record.rule_id,
            "position": position,
            "application_id": target.application_id,
            "priority": target.priority,
            "region": target.region,
        }
        for position, target in enumerate(record.targets)
    ]
    run_many(connection, _INSERT_TARGET, rows)


def _runner(connection: Connection) -> Any:
    return lambda query, **params: run(connection, query, **params)
