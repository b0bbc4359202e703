"""Repository for the phone number inventory and the worldwide holdings table."""

from __future__ import annotations

from dataclasses import dataclass, fields

from sqlalchemy import (
    Connection,
    and_,
    bindparam,
    func,
    literal_column,
    or_,
    select,
    union_all,
)

from localchime.families.phone_numbers.tables import (
    number_holdings,
    phone_number_settings,
    phone_numbers,
)
from localchime.store.database import Snapshot, insert_ignoring_conflict
from localchime.store.prepared import PreparedQuery, insert_row, row_of, run, run_many

PORTING_STATUSES = ("PortinInProgress", "PortinCancelRequested")


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
    association_name: str | None = None
    """VoiceConnectorId, VoiceConnectorGroupId or SipRuleId: what `association_value` names."""
    association_value: str | None = None
    associated_ms: int | None = None

    def __post_init__(self) -> None:
        self.capable = bool(self.capable)  # SQLite hands booleans back as 0 and 1


_FIELDS = tuple(field.name for field in fields(PhoneNumberRecord))
_COLUMNS = tuple(phone_numbers.c[name] for name in _FIELDS)
_KEY = and_(
    phone_numbers.c.account == bindparam("account"),
    phone_numbers.c.region == bindparam("region"),
    phone_numbers.c.e164 == bindparam("e164"),
)

_GET = PreparedQuery(select(*_COLUMNS).where(_KEY))
_STATUS = PreparedQuery(select(phone_numbers.c.status).where(_KEY))
_DELETE = PreparedQuery(phone_numbers.delete().where(_KEY))
_INSERT = insert_row(phone_numbers)
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
    # Sorted, so two transactions inserting overlapping numbers lock them in the same order and
    # cannot deadlock on PostgreSQL.
    ordered = records if len(records) < 2 else sorted(records, key=lambda r: r.e164)
    run_many(connection, _INSERT, [row_of(r) for r in ordered])


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


def _page_query(status: bool, product_type: bool, association: bool, after: bool) -> PreparedQuery:
    conditions = [
        phone_numbers.c.account == bindparam("account"),
        phone_numbers.c.region == bindparam("region"),
    ]
    if association:
        conditions.append(phone_numbers.c.association_name == bindparam("association_name"))
        conditions.append(phone_numbers.c.association_value == bindparam("association_value"))
    if status:
        conditions.append(phone_numbers.c.status == bindparam("status"))
    if product_type:
        conditions.append(phone_numbers.c.product_type == bindparam("product_type"))
    if after:
        conditions.append(phone_numbers.c.e164 > bindparam("after"))
    return PreparedQuery(
        select(*_COLUMNS)
        .where(*conditions)
        .order_by(phone_numbers.c.e164)
        .limit(bindparam("limit"))
    )


_PAGES = {
    (status, product, association, after): _page_query(status, product, association, after)
    for status in (False, True)
    for product in (False, True)
    for association in (False, True)
    for after in (False, True)
}


def page(
    reads: Snapshot,
    account: str,
    region: str,
    *,
    status: str | None,
    product_type: str | None,
    association: tuple[str, str] | None = None,
    after: str | None,
    limit: int,
) -> list[PhoneNumberRecord]:
    """Up to `limit` numbers in E.164 order, strictly after `after`; keyset, so stable.
    `association` is (name, value), e.g. ("VoiceConnectorId", id)."""
    query = _PAGES[
        status is not None, product_type is not None, association is not None, after is not None
    ]
    params = {"account": account, "region": region, "limit": limit}
    name, value = association if association is not None else (None, None)
    optional = {
        "status": status,
        "product_type": product_type,
        "association_name": name,
        "association_value": value,
        "after": after,
    }
    params.update({k: v for k, v in optional.items() if v is not None})
    return [PhoneNumberRecord(*row) for row in reads.fetch(query, **params)]


def get_for_update(
    connection: Connection, account: str, region: str, e164: str
) -> PhoneNumberRecord | None:
    """Reads and, on PostgreSQL, row-locks the number until the transaction ends."""
    rows = run(connection, _GET_FOR_UPDATE, account=account, region=region, e164=e164)
    return PhoneNumberRecord(*rows[0]) if rows else None


_GET_FOR_UPDATE = PreparedQuery(select(*_COLUMNS).where(_KEY).with_for_update())


def save(connection: Connection, record: PhoneNumberRecord) -> None:
    """Writes every mutable field of the record back."""
    connection.execute(
        phone_numbers.update()
        .where(
            phone_numbers.c.account == record.account,
            phone_numbers.c.region == record.region,
            phone_numbers.c.e164 == record.e164,
        )
        .values(
            status=record.status,
            product_type=record.product_type,
            name=record.name,
            capable=record.capable,
            calling_name=record.calling_name,
            calling_name_status=record.calling_name_status,
            updated_ms=record.updated_ms,
            deletion_ms=record.deletion_ms,
            association_name=record.association_name,
            association_value=record.association_value,
            associated_ms=record.associated_ms,
        )
    )


def release(connection: Connection, account: str, region: str, e164: str) -> None:
    """The number leaves the account and goes back to the pool."""
    delete(connection, account, region, e164)
    connection.execute(
        number_holdings.delete().where(
            number_holdings.c.e164 == e164,
            number_holdings.c.account == account,
            number_holdings.c.region == region,
        )
    )


def count_provisioned(connection: Connection, account: str, statuses: tuple[str, ...]) -> int:
    """How many numbers the account has in any Region with one of the statuses."""
    return int(
        connection.execute(
            select(func.count())
            .select_from(phone_numbers)
            .where(phone_numbers.c.account == account, phone_numbers.c.status.in_(statuses))
        ).scalar_one()
    )


def taken_among(connection: Connection, e164s: list[str]) -> set[str]:
    """The numbers among `e164s` that some account holds or has in its inventory."""
    if not e164s:
        return set()
    query = union_all(
        select(number_holdings.c.e164).where(number_holdings.c.e164.in_(e164s)),
        select(phone_numbers.c.e164).where(phone_numbers.c.e164.in_(e164s)),
    )
    return {e164 for (e164,) in connection.execute(query)}


def settings_of(reads: Snapshot, account: str, region: str) -> tuple[str, int] | None:
    rows = reads.fetch(_SETTINGS, account=account, region=region)
    return (rows[0][0], rows[0][1]) if rows else None


def settings_for_update(
    connection: Connection, account: str, region: str
) -> tuple[str, int] | None:
    rows = run(connection, _SETTINGS_FOR_UPDATE, account=account, region=region)
    return (rows[0][0], rows[0][1]) if rows else None


def save_settings(
    connection: Connection, account: str, region: str, calling_name: str, at_ms: int
) -> None:
    values = {"account": account, "region": region, "calling_name": calling_name}
    if not run(connection, _FIRST_SETTINGS, **values, updated_ms=at_ms):
        connection.execute(
            phone_number_settings.update()
            .where(
                phone_number_settings.c.account == account,
                phone_number_settings.c.region == region,
            )
            .values(calling_name=calling_name, updated_ms=at_ms)
        )


_SETTINGS_SELECT = select(
    phone_number_settings.c.calling_name, phone_number_settings.c.updated_ms
).where(
    phone_number_settings.c.account == bindparam("account"),
    phone_number_settings.c.region == bindparam("region"),
)
_SETTINGS = PreparedQuery(_SETTINGS_SELECT)
_SETTINGS_FOR_UPDATE = PreparedQuery(_SETTINGS_SELECT.with_for_update())
_FIRST_SETTINGS = insert_ignoring_conflict(phone_number_settings)


_BEING_PORTED_WHERE = (
    phone_numbers.c.e164 == bindparam("e164"),
    # Spelled out rather than IN (...): an IN list compiles to a placeholder that only
    # SQLAlchemy's own execution expands.
    or_(*(phone_numbers.c.status == status for status in PORTING_STATUSES)),
)
_BEING_PORTED = PreparedQuery(select(phone_numbers.c.account).where(*_BEING_PORTED_WHERE))


def being_ported_by(connection: Connection, e164: str) -> str | None:
    """The account a number is being ported into, if any."""
    rows = run(connection, _BEING_PORTED, e164=e164)
    return rows[0][0] if rows else None


@dataclass(frozen=True, slots=True)
class Claims:
    """Every claim on one number, as one account in one Region sees it."""

    own_status: str | None
    """The status of the number in the account's own inventory there, if it has an entry."""
    held: bool
    """Some account holds the number (the worldwide holdings)."""
    ported_into: str | None
    """The account the number is being ported into, if any."""


_CLAIM_INVENTORY = "i"
_CLAIM_HELD = "h"
_CLAIM_PORTING = "p"
_CLAIMS = PreparedQuery(
    union_all(
        select(literal_column(f"'{_CLAIM_INVENTORY}'"), phone_numbers.c.status).where(_KEY),
        select(literal_column(f"'{_CLAIM_HELD}'"), number_holdings.c.account).where(
            number_holdings.c.e164 == bindparam("e164")
        ),
        select(literal_column(f"'{_CLAIM_PORTING}'"), phone_numbers.c.account).where(
            *_BEING_PORTED_WHERE
        ),
    )
)


def claims_on(connection: Connection, account: str, region: str, e164: str) -> Claims:
    """`status_of`, `is_held` and `being_ported_by` in one round trip (UNION ALL): a create
    asks all three for every number it takes."""
    found: dict[str, str] = {}
    for kind, value in run(connection, _CLAIMS, account=account, region=region, e164=e164):
        found.setdefault(kind, value)
    return Claims(found.get(_CLAIM_INVENTORY), _CLAIM_HELD in found, found.get(_CLAIM_PORTING))


_ASSOCIATED_COUNT = PreparedQuery(
    select(func.count())
    .select_from(phone_numbers)
    .where(
        phone_numbers.c.account == bindparam("account"),
        phone_numbers.c.region == bindparam("region"),
        phone_numbers.c.association_name == bindparam("name"),
        phone_numbers.c.association_value == bindparam("value"),
    )
)


def count_associated(
    connection: Connection, account: str, region: str, name: str, value: str
) -> int:
    """How many of the account's numbers in the Region carry the association (name, value)."""
    rows = run(
        connection, _ASSOCIATED_COUNT, account=account, region=region, name=name, value=value
    )
    return int(rows[0][0])


_ASSOCIATED = PreparedQuery(
    select(*_COLUMNS)
    .where(
        phone_numbers.c.account == bindparam("account"),
        phone_numbers.c.region == bindparam("region"),
        phone_numbers.c.association_name == bindparam("name"),
        phone_numbers.c.association_value == bindparam("value"),
    )
    .order_by(phone_numbers.c.e164)
)


def associated_in(
    connection: Connection, account: str, region: str, name: str, value: str
) -> list[PhoneNumberRecord]:
    """The account's numbers in the Region that carry the association (name, value), in E.164
    order, as the current transaction sees them."""
    rows = run(connection, _ASSOCIATED, account=account, region=region, name=name, value=value)
    return [PhoneNumberRecord(*row) for row in rows]
