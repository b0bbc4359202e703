"""What went wrong with the database, in words a client can act on: every such failure is a
503 `ServiceUnavailableException`, which the SDKs retry, and its message says which failure it
was, so a user can tell a lock wait from a lost connection."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import DBAPIError

from localchime.config import Settings

# PostgreSQL SQLSTATEs (Appendix A of its manual).
LOCK_NOT_AVAILABLE = "55P03"
QUERY_CANCELED = "57014"
DEADLOCK_DETECTED = "40P01"
SERIALIZATION_FAILURE = "40001"
CONNECTION_CLASS = "08"
ADMIN_SHUTDOWN_CLASS = "57P"


@dataclass(frozen=True)
class Limits:
    """The knobs the messages name."""

    lock_timeout_seconds: float
    statement_timeout_seconds: float

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        return cls(
            settings.database_lock_timeout_seconds, settings.database_statement_timeout_seconds
        )


def describe(error: DBAPIError, limits: Limits) -> str:
    """The message of the 503 a database failure becomes."""
    state = getattr(error.orig, "sqlstate", None) or ""
    if state == LOCK_NOT_AVAILABLE or "database is locked" in str(error.orig):
        return (
            f"A lock this request needs was held by another transaction for more than "
            f"{limits.lock_timeout_seconds:g} s (LOCALCHIME_DATABASE_LOCK_TIMEOUT_SECONDS); "
            "retry the request"
        )
    if state == QUERY_CANCELED:
        return (
            f"A database statement ran for more than {limits.statement_timeout_seconds:g} s "
            "(LOCALCHIME_DATABASE_STATEMENT_TIMEOUT_SECONDS); retry the request"
        )
    if state in (DEADLOCK_DETECTED, SERIALIZATION_FAILURE):
        return "The database broke a deadlock between this request and another; retry the request"
    if lost_connection(error, state):
        return "The connection to the database was lost; retry the request"
    return "The database could not complete the request now; retry the request"


def lost_connection(error: DBAPIError, state: str) -> bool:
    return (
        error.connection_invalidated
        or state.startswith(CONNECTION_CLASS)
        or state.startswith(ADMIN_SHUTDOWN_CLASS)
        or type(error.orig).__name__ in ("AdminShutdown", "InterfaceError")
        or "server closed the connection" in str(error.orig)
        or "connection is closed" in str(error.orig)
    )
