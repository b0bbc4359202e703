"""Cross-family events: how one family reacts to what another did without importing it.

A family declares the events it owns (`EventType`, on `Family(events=...)`) and exposes them
in its `public.py`; a family that cares declares a reaction (`@REACTIONS(EVENT)`, on
`Family(reactions=...)`). The writer publishes inside its own write transaction
(`ctx.events.publish(connection, EVENT, ...)`), and every reaction runs there, on the same
connection: the reaction commits with the write or rolls back with it, so no reader ever sees
the one without the other, and a reaction that raises fails the write.

`registry.load` merges the reactions into one `Events`, and refuses at startup an event
declared twice, a reaction to an event no family declares, or a family reacting twice to one
event. Publishing an event no family declared is a programming error (`UndeclaredEvent`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from sqlalchemy import Connection


@dataclass(frozen=True, slots=True)
class EventType:
    """The name of something that happened, e.g. `voice-connector.deleted`; the owner
    documents its payload's members."""

    name: str
    payload: tuple[str, ...] = ()
    """The members every publication carries, and only those: a reaction may rely on them."""


@dataclass(frozen=True, slots=True)
class Event:
    type: EventType
    payload: Mapping[str, Any]


Reaction = Callable[[Connection, Event], None]
"""(connection of the publisher's transaction, event): runs inside that transaction."""


class UndeclaredEvent(LookupError):
    """An event published, or reacted to, that no loaded family declares."""


class Reactions:
    """`@REACTIONS(CONNECTOR_DELETED)` makes the function a reaction of its family."""

    def __init__(self) -> None:
        self.entries: list[tuple[EventType, Reaction]] = []

    def __call__(self, event: EventType) -> Callable[[Reaction], Reaction]:
        def register(reaction: Reaction) -> Reaction:
            self.entries.append((event, reaction))
            return reaction

        return register

    def __iter__(self) -> Iterator[tuple[EventType, Reaction]]:
        return iter(self.entries)


@dataclass(frozen=True)
class Events:
    """The loaded families' declared events and their reactions: what publishing runs."""

    declared: frozenset[EventType] = frozenset()
    reactions: Mapping[EventType, tuple[Reaction, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )

    def publish(self, connection: Connection, event_type: EventType, **payload: Any) -> None:
        """Runs every reaction to the event, in family order, on the publisher's connection."""
        if event_type not in self.declared:
            raise UndeclaredEvent(f"event {event_type.name} is declared by no loaded family")
        if set(payload) != set(event_type.payload):
            raise TypeError(
                f"event {event_type.name} carries {sorted(event_type.payload)}, "
                f"not {sorted(payload)}"
            )
        event = Event(event_type, MappingProxyType(payload))
        for reaction in self.reactions.get(event_type, ()):
            reaction(connection, event)
