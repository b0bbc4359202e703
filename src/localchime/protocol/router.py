"""Maps an HTTP method, path and query string to a model operation.

Routes come from each operation's `requestUri`. Several operations share a method and path and
differ only by a literal query parameter (`?operation=restore`, `?type=phone-numbers`); the route
whose literals all match wins, and more literals beat fewer (SPEC: wire protocol).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from urllib.parse import parse_qs, unquote

from botocore.model import OperationModel

from localchime.protocol.errors import ServiceError
from localchime.spec.model import service_model


@dataclass(frozen=True, slots=True)
class Route:
    operation: OperationModel
    method: str
    segments: tuple[str | None, ...]
    """Literal path segments, or None where a `{label}` captures one."""
    labels: tuple[str, ...]
    """The label names, in the order their segments appear."""
    query_literals: tuple[tuple[str, str], ...]

    @property
    def specificity(self) -> tuple[int, int]:
        literal_segments = sum(1 for s in self.segments if s is not None)
        return (len(self.query_literals), literal_segments)


@dataclass(frozen=True, slots=True)
class Match:
    operation: OperationModel
    uri_params: dict[str, str]
    query: dict[str, list[str]]


def _compile(operation: OperationModel) -> Route:
    uri = operation.http["requestUri"]
    path, _, literal_query = uri.partition("?")
    segments: list[str | None] = []
    labels: list[str] = []
    for segment in path.strip("/").split("/"):
        if segment.startswith("{") and segment.endswith("}"):
            segments.append(None)
            labels.append(segment[1:-1].rstrip("+"))
        else:
            segments.append(segment)
    literals = tuple(
        (key, values[0]) for key, values in parse_qs(literal_query, keep_blank_values=True).items()
    )
    return Route(operation, operation.http["method"], tuple(segments), tuple(labels), literals)


class Router:
    def __init__(self, operations: list[OperationModel]) -> None:
        by_shape: dict[tuple[str, int, str | None], list[Route]] = {}
        for route in map(_compile, operations):
            key = (route.method, len(route.segments), route.segments[0])
            by_shape.setdefault(key, []).append(route)
        for routes in by_shape.values():
            routes.sort(key=lambda r: r.specificity, reverse=True)
        self._by_shape = by_shape
        self._paths: dict[tuple[int, str | None], set[str]] = {}
        for method, length, first in by_shape:
            self._paths.setdefault((length, first), set()).add(method)
        self._fixed: dict[tuple[str, str], OperationModel] = {}
        """Operations found for a method and a path without labels, with no query: the same
        every time (creates and listings), so looked up once."""

    def match(self, method: str, raw_path: str, raw_query: str) -> Match:
        if not raw_query:
            fixed = self._fixed.get((method, raw_path))
            if fixed is not None:
                return Match(fixed, {}, {})
        # Exact segments: "/phone-numbers//" or a trailing slash names no operation.
        parts = raw_path.removeprefix("/").split("/")
        query = parse_qs(raw_query, keep_blank_values=True) if raw_query else {}
        candidates = self._by_shape.get((method, len(parts), parts[0]), [])
        for route in candidates:
            uri_params = _match_segments(route, parts)
            if uri_params is None:
                continue
            if all(query.get(k) == [v] for k, v in route.query_literals):
                _check_literals(candidates, route, query, method, raw_path)
                if not raw_query and not route.labels:
                    self._fixed[method, raw_path] = route.operation
                return Match(route.operation, uri_params, query)
        raise self._no_route(method, raw_path, parts)

    def _no_route(self, method: str, raw_path: str, parts: list[str]) -> ServiceError:
        allowed = self._paths.get((len(parts), parts[0]))
        if allowed and method not in allowed:
            return ServiceError(
                "BadRequestException",
                f"Method {method} is not allowed on {raw_path}; allowed methods: "
                + ", ".join(sorted(allowed)),
            )
        return ServiceError(
            "NotFoundException", f"No Chime SDK Voice operation matches {method} {raw_path}"
        )


def _check_literals(
    candidates: list[Route], chosen: Route, query: dict[str, list[str]], method: str, path: str
) -> None:
    """`?operation=restor` must not fall through to the route without a literal."""
    chosen_keys = {k for k, _ in chosen.query_literals}
    for key in {k for route in candidates for k, _ in route.query_literals} - chosen_keys:
        if key in query:
            known = sorted({v for r in candidates for k, v in r.query_literals if k == key})
            raise ServiceError(
                "BadRequestException",
                f"Query parameter {key}={','.join(query[key])} names no operation on {method} "
                f"{path}; known values: {', '.join(known)}",
            )


def _match_segments(route: Route, parts: list[str]) -> dict[str, str] | None:
    params: dict[str, str] = {}
    labels = iter(route.labels)
    for expected, actual in zip(route.segments, parts, strict=True):
        if expected is None:
            if not actual:
                return None
            params[next(labels)] = unquote(actual)
        elif expected != actual:
            return None
    return params


@cache
def default_router() -> Router:
    model = service_model()
    return Router([model.operation_model(name) for name in model.operation_names])
