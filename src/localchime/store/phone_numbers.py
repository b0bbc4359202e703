"""Repository for the phone number inventory and the worldwide holdings table."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import Connection, and_, bindparam, select

from localchime.store.database import Snapshot, insert_ignoring_conflict
from localchime.store.prepared import PreparedQuery, run, run_many
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

    def __post_init__(self) -> None:
        self.capable = bool(self.capable)  # SQLite hands booleans back as 0 and 1


_COLUMNS = tuple(phone_numbers.c[name] for name in PhoneNumberRecord.__slots__)  # type: ignore[attr-defined]
_KEY = and_(
    phone_numbers.c.account == bindparam("account"),
    phone_numbers.c.region == bindparam("region"),
    phone_numbers.c.e164 == bindparam("e164"),
)

_GET = PreparedQuery(select(*_COLUMNS).where(_KEY))
_STATUS = PreparedQuery(select(phone_numbers.c.status).where(_KEY))
_DELETE = PreparedQuery(phone_numbers.delete().where(_KEY))
_INSERT = PreparedQuery(
    phone_numbers.insert().values({c.name: bindparam(c.name) for c in _COLUMNS})
)
_SET_STATUS = PreparedQuery(
    phone_numbers.update()
    .where(_KEY)
    .values(
        status=bindparam("status"), updated_ms=bindparam("updated_ms"), capable=bindparam("capable")
    )
)
_HELD = PreparedQuery(
    select(number_holdings.c.account).where(number_holdings.c.e164 == bindparam("e164"))
)
_ACQUIRE = insert_ignoring_conflict(number_holdings)


def get(reads: Snapshot, account: str, region: str, e164: str) -> PhoneNumberRecord | None:
    rows = reads.fetch(_GET, account=account, region=region, e164=e164)
    return PhoneNumberRecord(*rows[0]) if rows else None


def status_of(connection: Connection, account: str, region: str, e164: str) -> str | None:
    rows = run(connection, _STATUS, account=account, region=region, e164=e164)
    return rows[0][0] if rows else None


def delete(connection: Connection, account: str, region: str, e164: str) -> None:
    run(connection, _DELETE, account=account, region=region, e164=e164)


def insert_many(connection: Connection, records: list[PhoneNumberRecord]) -> None:
    run_many(connection, _INSERT, [asdict(r) for r in records])


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
    run(
        connection,
        _SET_STATUS,
        account=account,
        region=region,
        e164=e164,
        status=status,
        updated_ms=updated_ms,
        capable=capable,
    )


def is_held(connection: Connection, e164: str) -> bool:
    """Whether some account holds the number."""
    return bool(run(connection, _HELD, e164=e164))


def acquire(
    connection: Connection, e164: str, account: str, region: str, order_id: str, at_ms: int
) -> bool:
    """Takes the number for the account; False if another account holds it already."""
    return bool(
        run(
            connection,
            _ACQUIRE,
            e164=e164,
            account=account,
            region=region,
            order_id=order_id,
            acquired_ms=at_ms,
        )
    )
