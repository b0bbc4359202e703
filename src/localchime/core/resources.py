"""Resource declarations: each kind of resource the service knows, declared once by its family.

A `Resource` says what a kind is called, its ARN resource type, the members and path labels
that carry its id, its table, whether it takes tags, how to tell whether the caller has one,
its quotas and the operation that lists it. The registry merges every family's declarations
into one `Catalogue`; ARN building and parsing, the tag operations, policy evaluation of the
resources an operation names and quota checks all read it, so a new kind of resource is
declared in its own family's `resources.py` and nowhere else.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from botocore.model import ListShape, OperationModel, Shape, StructureShape
from sqlalchemy import Table

from localchime.core.arns import chime_arn
from localchime.core.quotas import Quota
from localchime.spec.model import service_model
from localchime.store.database import Snapshot

Exists = Callable[[Snapshot, str, str, str], bool]
"""(reads, account, region, id): whether the caller's account has this resource there."""

ARN = re.compile(
    r"arn:(?P<partition>aws[a-zA-Z-]*):chime:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):"
    r"(?P<type>[a-z-]+)/(?P<id>[A-Za-z0-9-]+)"
)


def _as_given(ident: str) -> str:
    return ident


@dataclass(frozen=True)
class Resource:
    """One kind of resource, as every part of the service that spans kinds sees it."""

    kind: str
    """What messages call it: "Voice Connector"."""
    arn_type: str | None
    """The resource type in its ARN (`vc` in `arn:aws:chime:…:vc/<id>`); None when it has no ARN."""
    members: tuple[str, ...] = ()
    """Input members (as the model names them) that carry its id, or a list of its ids, in a
    path, query or body: where policies look for the resources an operation names."""
    labels: tuple[str, ...] = ()
    """Path labels (`{voiceConnectorId}`) naming it, read before the input is parsed."""
    table: Table | None = None
    record: type | None = None
    """The repository's dataclass for one row. (Its wire view stays in the family's `views.py`,
    which builds ARNs from this declaration, so the declaration cannot point back at it.)"""
    taggable: bool = False
    exists: Exists | None = None
    quotas: tuple[Quota, ...] = ()
    list_operation: str | None = None
    canonical: Callable[[str], str] = field(default=_as_given)
    """The id as its ARN spells it, from however a request spelled it."""

    def arn(self, region: str, account: str, ident: str) -> str:
        if self.arn_type is None:
            raise LookupError(f"a {self.kind} has no ARN")
        return chime_arn(region, account, f"{self.arn_type}/{self.canonical(ident)}")


@dataclass(frozen=True, slots=True)
class ParsedArn:
    partition: str
    region: str
    account: str
    arn_type: str
    ident: str
    resource: Resource | None
    """The declaration of its type, or None for a type no family declares."""


class Catalogue:
    """Every declared resource, found by kind, ARN type, input member or path label. Built by
    `registry.load`, which refuses a kind or ARN type declared twice."""

    def __init__(self, resources: Iterable[Resource] = ()) -> None:
        self.resources = tuple(resources)
        self._by_kind = {r.kind: r for r in self.resources}
        self._by_type = {r.arn_type: r for r in self.resources if r.arn_type is not None}
        self._by_member = {m: r for r in self.resources for m in r.members}
        self._by_label = {label: r for r in self.resources for label in r.labels}

    def __iter__(self) -> Iterator[Resource]:
        return iter(self.resources)

    def by_kind(self, kind: str) -> Resource | None:
        return self._by_kind.get(kind)

    def by_arn_type(self, arn_type: str) -> Resource | None:
        return self._by_type.get(arn_type)

    def by_member(self, member: str) -> Resource | None:
        return self._by_member.get(member)

    @property
    def members(self) -> Mapping[str, Resource]:
        return MappingProxyType(self._by_member)

    def taggable(self) -> tuple[Resource, ...]:
        return tuple(r for r in self.resources if r.taggable)

    def quotas(self) -> tuple[Quota, ...]:
        return tuple(q for r in self.resources for q in r.quotas)

    def parse(self, arn: str) -> ParsedArn | None:
        """The parts of a Chime ARN and the declaration of its type, or None if it is none."""
        found = ARN.fullmatch(arn)
        if found is None:
            return None
        return ParsedArn(
            found["partition"],
            found["region"],
            found["account"],
            found["type"],
            found["id"],
            self._by_type.get(found["type"]),
        )

    def path_arn(self, region: str, account: str, uri_params: Mapping[str, str]) -> str:
        """The first resource the request path names, or every resource of the account (`*`)."""
        for label, value in uri_params.items():
            resource = self._by_label.get(label)
            if resource is not None and resource.arn_type is not None:
                return resource.arn(region, account, value)
        return chime_arn(region, account, "*")

    def named_arns(self, region: str, account: str, params: Mapping[str, Any]) -> list[str]:
        """The ARN of every resource the parsed input names, in path, query or body, in the
        order met (IAM evaluates an action against each resource it takes)."""
        arns: list[str] = []
        for resource, ident in self._named(params):
            arn = resource.arn(region, account, ident)
            if arn not in arns:
                arns.append(arn)
        return arns

    def _named(self, value: Any) -> Iterator[tuple[Resource, str]]:
        if isinstance(value, Mapping):
            for key, inner in value.items():
                resource = self._by_member.get(key)
                if resource is not None and resource.arn_type is not None:
                    yield from _ids(resource, inner)
                else:
                    yield from self._named(inner)
        elif isinstance(value, list):
            for item in value:
                yield from self._named(item)


def _ids(resource: Resource, value: Any) -> Iterator[tuple[Resource, str]]:
    if isinstance(value, str):
        yield resource, value
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, str):
                yield resource, item


def named_members(catalogue: Catalogue, shape: Shape | None) -> list[tuple[str, Resource]]:
    """Each input member of `shape` (at any depth) that names a resource with an ARN, as
    `(member, resource)`, in model order: what `named_arns` reads from a parsed input."""
    found: list[tuple[str, Resource]] = []
    _walk(catalogue, shape, found, frozenset())
    return found


def _walk(
    catalogue: Catalogue,
    shape: Shape | None,
    found: list[tuple[str, Resource]],
    seen: frozenset[str],
) -> None:
    if shape is None or shape.name in seen:
        return
    seen = seen | {shape.name}
    if isinstance(shape, StructureShape):
        for name, member in shape.members.items():
            resource = catalogue.by_member(name)
            if resource is not None and resource.arn_type is not None:
                if (name, resource) not in found:
                    found.append((name, resource))
            else:
                _walk(catalogue, member, found, seen)
    elif isinstance(shape, ListShape):
        _walk(catalogue, shape.member, found, seen)


def authorization_table(catalogue: Catalogue) -> str:
    """The Markdown table docs/authentication.md shows: for each operation that names a
    resource, the ARN types a policy is evaluated against and the members they come from."""
    model = service_model()
    lines = ["| operation | resources evaluated (from) |", "|---|---|"]
    for name in sorted(model.operation_names):
        operation = model.operation_model(name)
        members = named_members(catalogue, operation.input_shape)
        if not members:
            continue
        named = ", ".join(f"`{r.arn_type}` ({_where(operation, m)})" for m, r in members)
        lines.append(f"| {name} | {named} |")
    return "\n".join(lines) + "\n"


def _where(operation: OperationModel, member: str) -> str:
    shape = operation.input_shape
    top = shape.members.get(member) if isinstance(shape, StructureShape) else None
    if top is None:
        return f"body, nested `{member}`"
    location = top.serialization.get("location")
    label = top.serialization.get("name", member)
    if location == "uri":
        return f"path `{{{label}}}`"
    if location == "querystring":
        return f"query `{label}`"
    return f"body `{member}`"
