"""Serialising a check-then-write per account, so a quota holds under any number of replicas.

On PostgreSQL a transaction-scoped advisory lock on a key derived from (purpose, account): the
second transaction to ask waits until the first commits or rolls back, then counts what the
first wrote (READ COMMITTED reads each statement's snapshot). It is released with the
transaction. An advisory lock rather than a row lock, because the rows a quota counts may not
exist yet. On SQLite every write transaction is `BEGIN IMMEDIATE`, which already serialises
writers across processes, so there is nothing to take.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import Connection, text

_LOCK = text("SELECT pg_advisory_xact_lock(:key)")


def lock_for_account(connection: Connection, purpose: str, account: str) -> None:
    """Holds the account's lock for `purpose` (e.g. "quota") until the transaction ends."""
    if connection.dialect.name != "postgresql":
        return
    connection.execute(_LOCK, {"key": advisory_key(purpose, account)})


def advisory_key(purpose: str, account: str) -> int:
    """A stable signed 64-bit key: the same on every replica and across restarts."""
    digest = hashlib.sha256(f"localchime:{purpose}:{account}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)
