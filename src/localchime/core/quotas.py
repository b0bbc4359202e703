"""Quotas: each declared once, beside its resource, and checked by one helper.

A `Quota` names what it counts, its limit under each `--quota-profile` (lenient enforces none
by default; `aws` AWS's default quota) and the error a caller gets beyond it. `check` is the one
check-then-hold: on PostgreSQL it first takes the account's advisory lock for the quota
(`store.locks.lock_for_account`), so replicas count one after another, then counts and raises.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection

from localchime.config import Settings
from localchime.protocol.errors import ResourceLimitExceeded, ServiceError
from localchime.store.locks import lock_for_account


class QuotaExceeded(ResourceLimitExceeded):
    def __init__(self, what: str, scope: str, quota: int) -> None:
        super().__init__(
            f"This account has {quota} {what} {scope} already, the quota (--quota-profile aws)"
        )


Refusal = Callable[["Quota", int, int, int, str], ServiceError]
"""(quota, held, adding, limit, scope): the error beyond the quota."""


def already_at(quota: Quota, held: int, adding: int, limit: int, scope: str) -> ServiceError:
    return QuotaExceeded(quota.what, scope, limit)


@dataclass(frozen=True)
class Quota:
    name: str
    """Unique among quotas; also the purpose of its account lock."""
    what: str
    """What it counts, as messages say it: "Voice Connectors"."""
    aws: int
    """The limit under `--quota-profile aws`: AWS's default quota."""
    default: int | None = None
    """The limit under the default `lenient` profile: none."""
    locked: bool = True
    """Whether `check` takes the account's lock; False where the caller's transaction already
    serialises the count another way (a row lock on the parent, a token lock)."""
    refusal: Refusal = already_at

    def limit(self, settings: Settings) -> int | None:
        return self.aws if settings.quota_profile == "aws" else self.default


def hold(quota: Quota, settings: Settings, connection: Connection, account: str) -> int | None:
    """The limit in force, after taking the account's lock for the quota if there is one, for
    the rest of the transaction. Taken before the transaction touches a row it counts, so two
    transactions cannot each hold a row the other waits for."""
    limit = quota.limit(settings)
    if limit is not None and quota.locked:
        lock_for_account(connection, quota.name, account)
    return limit


def check(
    quota: Quota,
    settings: Settings,
    connection: Connection,
    account: str,
    count: Callable[[], int],
    *,
    scope: str,
    adding: int = 1,
) -> None:
    """Raises the quota's refusal if `count()` (what the account holds) plus `adding` would
    pass the limit in force; counts nothing when no limit is."""
    limit = hold(quota, settings, connection, account)
    if limit is None:
        return
    held = count()
    if held + adding > limit:
        raise quota.refusal(quota, held, adding, limit, scope)
