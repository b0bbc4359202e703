"""Whether an account may take a number: the rule orders and porting share, and the number quota.

SPEC (order completion, porting): a number belongs to at most one account worldwide; a number
another account holds, or is porting in, cannot be ordered or ported.
"""

from __future__ import annotations

from sqlalchemy import Connection

from localchime.config import Settings
from localchime.core import quotas
from localchime.families.phone_numbers import repository as phone_numbers
from localchime.families.phone_numbers.resources import PROVISIONED_NUMBERS

ACTIVE_STATUSES = (
    "AcquireInProgress",
    "Unassigned",
    "Assigned",
    "PortinInProgress",
    "PortinCancelRequested",
)
"""What counts against the provisioned-numbers quota; numbers in the deletion queue do not,
which is why restoring one can exceed it (SPEC: RestorePhoneNumber may raise
ResourceLimitExceededException)."""

STALE_ENTRIES = ("AcquireFailed", "Cancelled")
"""Inventory entries of numbers the account never got; a new order or port replaces them."""


def obstacle(
    connection: Connection, account: str, region: str, e164: str
) -> tuple[str, str | None] | None:
    """Why the account cannot take the number now, or None, clearing its stale entry first.

    ("inventory", status): the account has it already; ("held", None): another account holds
    it; ("porting", account): it is being ported into that account.
    """
    claims = phone_numbers.claims_on(connection, account, region, e164)
    status = claims.own_status
    if status in STALE_ENTRIES:
        # A stale entry is neither held nor porting, so the claims read before deleting it
        # stand.
        phone_numbers.delete(connection, account, region, e164)
    elif status is not None:
        return "inventory", status
    if claims.held:
        return "held", None
    if claims.ported_into is not None:
        return "porting", claims.ported_into
    return None


def hold_number_quota(settings: Settings, connection: Connection, account: str) -> None:
    """Under `--quota-profile aws`, takes the account's quota lock for the rest of the
    transaction, so concurrent orders, restores and ports of one account count one after
    another, whichever replica serves them. Taken before a transaction touches any number, so
    two transactions cannot each hold a row the other waits for."""
    quotas.hold(PROVISIONED_NUMBERS, settings, connection, account)


def check_number_quota(
    settings: Settings, connection: Connection, account: str, adding: int
) -> None:
    """Under `--quota-profile aws`, an account holds at most 5 numbers (SPEC: default quotas)."""
    quotas.check(
        PROVISIONED_NUMBERS,
        settings,
        connection,
        account,
        lambda: phone_numbers.count_provisioned(connection, account, ACTIVE_STATUSES),
        scope="",
        adding=adding,
    )
