"""Repository for the phone number inventory and the worldwide holdings table."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from localchime.store.schema import number_holdings, phone_numbers


@dataclass(slots=True)
class PhoneNumberRecord:
    account: str
    region: str
    e164: str
    status: str
    product_type: str
    number_type: str
    country: str
    name: str | None
    order_id: str | None
    capable: bool
    calling_name: str | None
    calling_name_status: str | None
    created_ms: int
    updated_ms: int
    deletion_ms: int | None = None


_COLUMNS = tuple(phone_numbers.c[name] for name in PhoneNumberRecord.__slots__)  # type: ignore[attr-defined]


def _key(account: str, region: str, e164: str):  # type: ignore[no-untyped-def]
    return (
        (phone_numbers.c.account == account)
        & (phone_numbers.c.region == region)
        & (phone_numbers.c.e164 == e164)
    )


def get(connection: Connection, account: str, region: str, e164: str) -> PhoneNumberRecord | None:
    row = connection.execute(select(*_COLUMNS).where(_key(account, region, e164))).first()
    return None if row is None else PhoneNumberRecord(*row)


def statuses(connection: Connection, account: str, region: str, e164s: list[str]) -> dict[str, str]:
    rows = connection.execute(
        select(phone_numbers.c.e164, phone_numbers.c.status).where(
            phone_numbers.c.account == account,
            phone_numbers.c.region == region,
            phone_numbers.c.e164.in_(e164s),
        )
    )
    return {e164: status for e164, status in rows}


def delete(connection: Connection, account: str, region: str, e164s: list[str]) -> None:
    connection.execute(
        phone_numbers.delete().where(
            phone_numbers.c.account == account,
            phone_numbers.c.region == region,
            phone_numbers.c.e164.in_(e164s),
        )
    )


def insert_many(connection: Connection, records: list[PhoneNumberRecord]) -> None:
    if records:
        connection.execute(
            phone_numbers.insert(),
            [{name: getattr(r, name) for name in PhoneNumberRecord.__slots__} for r in records],  # type: ignore[attr-defined]
        )


def set_status(
    connection: Connection,
    account: str,
    region: str,
    e164: str,
    status: str,
    updated_ms: int,
    *,
    capable: bool,
) -> None:
    connection.execute(
        phone_numbers.update()
        .where(_key(account, region, e164))
        .values(status=status, updated_ms=updated_ms, capable=capable)
    )


def held(connection: Connection, e164s: list[str]) -> set[str]:
    """The numbers among `e164s` that some account holds."""
    rows = connection.execute(
        select(number_holdings.c.e164).where(number_holdings.c.e164.in_(e164s))
    )
    return {e164 for (e164,) in rows}
