"""What a resource family declares: its operations, timed transitions, control routes, tables
and resources.

A family's modules fill collections of their own (`Operations`, `Transitions`, `ControlRoutes`)
with decorators, and its package's `FAMILY` gathers them. Nothing here is global: importing a
family registers no handler anywhere (its tables do join SQLAlchemy's shared MetaData), and
`localchime.registry.load` is the one place that merges families, refusing a name claimed
twice.

A handler is `(RequestContext, params) -> output dict | None`, the smithy-rs shape of
`Input -> Result<Output, Error>`, with errors raised as ServiceError.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, Table

from localchime.config import Settings
from localchime.core.context import RequestContext
from localchime.core.control import (
    ControlContext,
    ControlRequest,
    Field,
    Reply,
    RouteSpec,
    with_path_fields,
)
from localchime.core.events import EventType, Reaction, Reactions
from localchime.core.resources import Resource
from localchime.spec.model import operation_names
from localchime.store import Store

Params = dict[str, Any]
Output = dict[str, Any] | None
Handler = Callable[[RequestContext, Params], Output]
Transition = Callable[[Connection, Settings, str, int], None]
"""(connection, settings, ref, due_ms): applies a timed transition as of its due time."""
ControlHandler = Callable[[ControlContext, ControlRequest], Reply]
BackgroundTask = Callable[[Store, Settings, Callable[[], int]], None]
"""(store, settings, service clock): work the server runs off the event loop on every tick,
such as driving simulated calls whose next step fell due."""

K = TypeVar("K")
V = TypeVar("V")


class DuplicateRegistration(LookupError):
    """Two declarations claim one name; raised at import or at startup, never at request time."""


class Registrations(Generic[K, V]):
    """Named entries filled by a decorator; a name given twice fails at once."""

    what = "entry"

    def __init__(self) -> None:
        self.entries: dict[K, V] = {}

    def add(self, key: K) -> Callable[[V], V]:
        """A decorator that registers its function under `key`."""
        self.check_key(key)

        def register(value: V) -> V:
            if key in self.entries:
                raise DuplicateRegistration(f"{self.what} {key} is registered twice")
            self.entries[key] = value
            return value

        return register

    def check_key(self, key: K) -> None:
        """Refuses a key before anything is registered under it."""

    def __iter__(self) -> Iterator[tuple[K, V]]:
        return iter(self.entries.items())


class Operations(Registrations[str, Handler]):
    """`@OPERATIONS("GetPhoneNumber")` binds a handler to a model operation. A name the model
    does not know fails at import, so a typo cannot ship."""

    what = "operation"

    def __call__(self, name: str) -> Callable[[Handler], Handler]:
        return self.add(name)

    def check_key(self, key: str) -> None:
        if key not in operation_names():
            raise LookupError(f"{key} is not an operation of the chime-sdk-voice model")


class Transitions(Registrations[str, Transition]):
    """`@TRANSITIONS("order.fulfil")` binds a timer kind to the transition it runs."""

    what = "transition"

    def __call__(self, kind: str) -> Callable[[Transition], Transition]:
        return self.add(kind)


@dataclass(frozen=True, slots=True)
class ControlRoute:
    method: str
    template: str
    """Below /_localchime, with `{name}` for a path segment, e.g. `/porting-orders/{id}`."""
    handler: ControlHandler
    blocking: bool = False
    """The handler may wait on something slow (a user's handler): the server runs it off the
    event loop, so other requests go on meanwhile."""
    spec: RouteSpec | None = None
    """Its name and parameters, the one declaration the CLI and the mock are built on."""


class ControlRoutes(Registrations[tuple[str, str], ControlHandler]):
    """`@ROUTES("POST", "/porting-orders", name=..., fields=(Field(...), ...))` adds a control
    API endpoint and declares its parameters (`core.control.Field`) once."""

    what = "control route"

    def __init__(self) -> None:
        super().__init__()
        self.blocking: set[tuple[str, str]] = set()
        self.specs: dict[tuple[str, str], RouteSpec] = {}

    def __call__(
        self,
        method: str,
        template: str,
        *,
        blocking: bool = False,
        name: str = "",
        fields: tuple[Field, ...] = (),
    ) -> Callable[[ControlHandler], ControlHandler]:
        if blocking:
            self.blocking.add((method, template))
        register = self.add((method, template))

        def declare(handler: ControlHandler) -> ControlHandler:
            self.specs[(method, template)] = RouteSpec(
                method, template, name or handler.__name__, with_path_fields(template, fields)
            )
            return register(handler)

        return declare

    def routes(self) -> list[ControlRoute]:
        return [
            ControlRoute(
                method,
                template,
                handler,
                (method, template) in self.blocking,
                self.specs.get((method, template)),
            )
            for (method, template), handler in self
        ]


@dataclass(frozen=True)
class Family:
    """One resource family: everything it adds to the service."""

    name: str
    operations: tuple[Operations, ...] = ()
    transitions: tuple[Transitions, ...] = ()
    routes: tuple[ControlRoutes, ...] = ()
    tables: tuple[Table, ...] = ()
    background: tuple[BackgroundTask, ...] = ()
    events: tuple[EventType, ...] = ()
    """The events this family publishes or lets others publish to it (core.events)."""
    reactions: tuple[Reactions, ...] = ()
    resources: tuple[Resource, ...] = ()
    """Its kinds of resource, declared once (`families/<family>/resources.py`)."""

    def handlers(self) -> Iterable[tuple[str, Handler]]:
        for collection in self.operations:
            yield from collection

    def timed_transitions(self) -> Iterable[tuple[str, Transition]]:
        for collection in self.transitions:
            yield from collection

    def control_routes(self) -> Iterable[ControlRoute]:
        for collection in self.routes:
            yield from collection.routes()

    def event_reactions(self) -> Iterable[tuple[EventType, Reaction]]:
        for collection in self.reactions:
            yield from collection
