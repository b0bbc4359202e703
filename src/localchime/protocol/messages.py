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


def declared_length(headers: dict[str, str]) -> int:
    """The Content-Length a client declared, or 0 when it is absent or not a number."""
    declared = headers.get("content-length", "")
    return int(declared) if declared.isascii() and declared.isdigit() else 0
