"""The one list of families, and the one function that loads them.

`load()` merges every family's operations, timed transitions, control routes and tables into a
`Registry`, and fails at startup on a name claimed twice. `NOT_YET` names, with the reason, each
model operation no family implements yet: `tests/test_registry.py` holds that the two together
are exactly the model's operations. `localchime coverage` prints both; README's count is text
that the same test checks against the registry.

Adding a family: write its package under `families/`, add it to FAMILIES, add its migration.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TypeVar

from sqlalchemy import Table

from localchime import auth, faults
from localchime.control import api as control_api
from localchime.core.events import Events, EventType, Reaction, UndeclaredEvent
from localchime.core.family import (
    BackgroundTask,
    ControlRoute,
    DuplicateRegistration,
    Family,
    Handler,
    Transition,
)
from localchime.core.quotas import Quota
from localchime.core.resources import Catalogue, Resource
from localchime.families import (
    e911,
    orders,
    phone_numbers,
    porting,
    proxy_sessions,
    pstn_audio,
    sip_media_applications,
    tags,
    voice_analytics,
    voice_connectors,
)
from localchime.store import schema

PLATFORM_TABLES: tuple[Table, ...] = (schema.meta, schema.service_clock, schema.timers)
PLATFORM = Family(name="platform", routes=(control_api.PLATFORM_ROUTES,), tables=PLATFORM_TABLES)
"""Not a resource family: the control API's health, reset and clock, and the platform's tables."""

FAMILIES: tuple[Family, ...] = (
    PLATFORM,
    auth.FAMILY,
    faults.FAMILY,
    phone_numbers.FAMILY,
    orders.FAMILY,
    tags.FAMILY,
    voice_connectors.FAMILY,
    proxy_sessions.FAMILY,
    sip_media_applications.FAMILY,
    pstn_audio.FAMILY,
    voice_analytics.FAMILY,
    porting.FAMILY,
    e911.FAMILY,
)

K = TypeVar("K")
V = TypeVar("V")

NOT_YET: Mapping[str, tuple[str, ...]] = MappingProxyType({})


@dataclass(frozen=True)
class Registry:
    """Everything the loaded families add to the service, merged."""

    operations: Mapping[str, Handler]
    transitions: Mapping[str, Transition]
    routes: tuple[ControlRoute, ...]
    tables: tuple[Table, ...]
    background: tuple[BackgroundTask, ...] = ()
    events: Events = field(default_factory=Events)
    resources: Catalogue = field(default_factory=Catalogue)
    """Every family's declared resources, merged."""


def load(families: tuple[Family, ...] = FAMILIES) -> Registry:
    """Merges the families; a second claim on an operation, timer kind, control route, table,
    family name, resource kind, ARN resource type, id member or quota name raises
    DuplicateRegistration."""
    operations: dict[str, Handler] = {}
    transitions: dict[str, Transition] = {}
    routes: dict[tuple[str, str], ControlRoute] = {}
    tables: dict[str, Table] = {}
    names: dict[str, Family] = {}
    for family in families:
        _claim(names, family.name, family, "family")
        for name, handler in family.handlers():
            _claim(operations, name, handler, f"operation (in {family.name})")
        for kind, transition in family.timed_transitions():
            _claim(transitions, kind, transition, f"timer kind (in {family.name})")
        for route in family.control_routes():
            # `/x/{id}` and `/x/{key}` are one route: the parameter's name does not route.
            shape = re.sub(r"\{\w+\}", "{}", route.template)
            _claim(routes, (route.method, shape), route, f"route (in {family.name})")
        for table in family.tables:
            _claim(tables, table.name, table, f"table (in {family.name})")
    resources = _resources(families)
    return Registry(
        operations=MappingProxyType(operations),
        transitions=MappingProxyType(transitions),
        routes=tuple(routes.values()),
        tables=tuple(tables.values()),
        background=tuple(task for family in families for task in family.background),
        events=_events(families),
        resources=resources,
    )


def _events(families: tuple[Family, ...]) -> Events:
    """An event declared twice, a reaction to an event no family declares, or a family reacting
    twice to one event is refused at startup, like any other name claimed twice."""
    declared: dict[EventType, str] = {}
    for family in families:
        for event in family.events:
            _claim(declared, event, family.name, f"event (in {family.name})")
    reactions: dict[EventType, list[Reaction]] = {}
    reacting: dict[tuple[str, EventType], Reaction] = {}
    for family in families:
        for event, reaction in family.event_reactions():
            if event not in declared:
                raise UndeclaredEvent(
                    f"{family.name} reacts to {event.name}, which no family declares"
                )
            _claim(reacting, (family.name, event), reaction, "reaction")
            reactions.setdefault(event, []).append(reaction)
    return Events(
        declared=frozenset(declared),
        reactions=MappingProxyType({e: tuple(r) for e, r in reactions.items()}),
    )


def _resources(families: tuple[Family, ...]) -> Catalogue:
    kinds: dict[str, Resource] = {}
    arn_types: dict[str, Resource] = {}
    members: dict[str, Resource] = {}
    quotas: dict[str, Quota] = {}
    for family in families:
        for resource in family.resources:
            _claim(kinds, resource.kind, resource, f"resource kind (in {family.name})")
            if resource.arn_type is not None:
                _claim(arn_types, resource.arn_type, resource, f"ARN type (in {family.name})")
            for name in sorted(set(resource.members) | set(resource.labels)):
                _claim(members, name, resource, f"id member (in {family.name})")
            for quota in resource.quotas:
                _claim(quotas, quota.name, quota, f"quota (in {family.name})")
    return Catalogue(kinds.values())


def _claim(claimed: dict[K, V], key: K, value: V, what: str) -> None:
    if key in claimed:
        raise DuplicateRegistration(f"{what} {key} is claimed twice")
    claimed[key] = value


def not_yet() -> dict[str, str]:
    """Each operation no family implements yet, with the reason."""
    return {name: reason for reason, names in NOT_YET.items() for name in names}
