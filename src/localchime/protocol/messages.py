"""Framework-free HTTP request and response objects that `handle()` works on."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Request:
    method: str
    path: str
    """The raw, still percent-encoded path, without the query string."""
    query: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    """Header names are lower case."""
    body: bytes = b""


@dataclass(slots=True)
class Response:
    status: int
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        for key, value in self.headers:
            if key.lower() == lowered:
                return value
        return None


MAX_HEADER_BYTES = 16 * 1024
MAX_HEADERS = 100
MAX_TARGET_BYTES = 16 * 1024


def oversized_part(request: Request) -> str | None:
    """Why the request's head is too large to serve, or None. Limits keep one client from
    making the server parse megabytes before any rule applies."""
    headers = request.headers
    if len(headers) > MAX_HEADERS:
        return f"The request has {len(headers)} headers; the limit is {MAX_HEADERS}"
    size = sum(map(len, headers)) + sum(map(len, headers.values()))
    if size > MAX_HEADER_BYTES:
        return f"The request headers total {size} bytes; the limit is {MAX_HEADER_BYTES}"
    target = len(request.path) + len(request.query)
    if target > MAX_TARGET_BYTES:
        return f"The request path and query are {target} bytes; the limit is {MAX_TARGET_BYTES}"
    return None


def declared_length(headers: dict[str, str]) -> int:
    """The Content-Length a client declared, or 0 when it is absent or not a number."""
    declared = headers.get("content-length", "")
    return int(declared) if declared.isascii() and declared.isdigit() else 0
