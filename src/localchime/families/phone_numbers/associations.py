"""Associating numbers with a Voice Connector, a group or a SIP rule: the per-number checks, the
ForceAssociate rule, and the Assigned/Unassigned status that follows.

SPEC (phone number associations): each number is checked on its own and reported in
`PhoneNumberErrors`; the others go ahead. Numbers are locked in E.164 order, so two batches
that overlap cannot deadlock on PostgreSQL, and the row lock makes two clients racing to
associate one number end with exactly one association.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection

from localchime.core.context import RequestContext
from localchime.families.phone_numbers import repository as phone_numbers
from localchime.families.phone_numbers.errors import (
    AssociatedElsewhere,
    NotAssociated,
    WrongNumberStatus,
    WrongProductType,
)
from localchime.families.phone_numbers.handlers.inventory import batch_error, owned_number
from localchime.families.phone_numbers.repository import PhoneNumberRecord
from localchime.families.phone_numbers.views import phone_number_id
from localchime.protocol.errors import ServiceError

ASSOCIABLE_STATUSES = ("Unassigned", "Assigned")


@dataclass(frozen=True, slots=True)
class Target:
    """What numbers are associated with: `name` is the Associations entry's Name."""

    name: str
    """VoiceConnectorId, VoiceConnectorGroupId or SipRuleId."""
    value: str
    kind: str
    """How messages call it: "Voice Connector", "Voice Connector group", "SIP rule"."""
    product_type: str
    """The ProductType a number needs to join it."""


def associate(
    ctx: RequestContext,
    connection: Connection,
    target: Target,
    numbers: list[str],
    *,
    force: bool,
) -> list[dict[str, str]]:
    """Associates each number it can; returns the PhoneNumberErrors of the others."""
    return _each(numbers, lambda e164: associate_one(ctx, connection, target, e164, force))


def disassociate(
    ctx: RequestContext, connection: Connection, target: Target, numbers: list[str]
) -> list[dict[str, str]]:
    return _each(numbers, lambda e164: disassociate_one(ctx, connection, target, e164))


def count(connection: Connection, ctx: RequestContext, target: Target) -> int:
    return phone_numbers.count_associated(
        connection, ctx.account, ctx.region, target.name, target.value
    )


def _each(numbers: list[str], act: Callable[[str], None]) -> list[dict[str, str]]:
    parsed: list[tuple[str, int, str]] = []
    errors: list[tuple[int, dict[str, str]]] = []
    for position, raw in enumerate(numbers):
        try:
            parsed.append((phone_number_id(raw), position, raw))
        except ServiceError as error:
            errors.append((position, batch_error(raw, error)))
    for e164, position, raw in sorted(parsed):
        try:
            act(e164)
        except ServiceError as error:
            errors.append((position, batch_error(raw, error)))
    return [error for _, error in sorted(errors, key=lambda pair: pair[0])]


def associate_one(
    ctx: RequestContext, connection: Connection, target: Target, e164: str, force: bool
) -> None:
    """Associates one number, row-locked, or raises the error that says why it cannot."""
    record = owned_number(connection, ctx, e164)
    if record.status not in ASSOCIABLE_STATUSES:
        raise WrongNumberStatus(e164, "associated", record.status)
    if record.product_type != target.product_type:
        raise WrongProductType(e164, record.product_type, target.kind, target.product_type)
    current = (record.association_name, record.association_value)
    if current == (target.name, target.value):
        return
    if record.association_name is not None and not force:
        raise AssociatedElsewhere(e164, record.association_name, str(record.association_value))
    _set(record, target.name, target.value, ctx.now_ms)
    phone_numbers.save(connection, record)


def disassociate_one(
    ctx: RequestContext, connection: Connection, target: Target, e164: str
) -> None:
    record = owned_number(connection, ctx, e164)
    if (record.association_name, record.association_value) != (target.name, target.value):
        raise NotAssociated(e164, target.name, target.value)
    _set(record, None, None, ctx.now_ms)
    phone_numbers.save(connection, record)


def release_all(
    connection: Connection, account: str, region: str, holder: tuple[str, str], at_ms: int
) -> None:
    """Every number of the account in the Region that `holder` (association name, value) still
    holds becomes Unassigned; each is re-read under its row lock, in E.164 order, as
    `disassociate_one` would."""
    name, value = holder
    for found in phone_numbers.associated_in(connection, account, region, name, value):
        record = phone_numbers.get_for_update(connection, account, region, found.e164)
        if record is not None and (record.association_name, record.association_value) == holder:
            _set(record, None, None, at_ms)
            phone_numbers.save(connection, record)


def _set(record: PhoneNumberRecord, name: str | None, value: str | None, now_ms: int) -> None:
    record.association_name = name
    record.association_value = value
    record.associated_ms = None if name is None else now_ms
    record.status = "Unassigned" if name is None else "Assigned"
    record.updated_ms = now_ms
