"""Reads of the resources an account owns in a Region, shared by the families whose resources
are owned that way (Voice Connectors and groups, SIP media applications and rules): one by id,
plain or row-locked, keyset pages in creation order, and a count for quotas."""

from __future__ import annotations

from dataclasses import fields
from typing import Any, Generic, TypeVar

from sqlalchemy import Column, Connection, Table, and_, bindparam, func, select, tuple_

from localchime.store.database import Snapshot
from localchime.store.prepared import PreparedQuery, run

R = TypeVar("R")


class OwnedReads(Generic[R]):
    """The reads of one kind of resource an account owns in a Region: one by id (plain or
    row-locked), and keyset pages in creation order; `record`, `record_for_update` and
    `records` answer them as the dataclass records whose fields name the columns."""

    def __init__(self, table: Table, id_column: Column[Any], record_type: type[R]) -> None:
        self.record_type = record_type
        names = [f.name for f in fields(record_type)]  # type: ignore[arg-type]
        self.columns = tuple(table.c[name] for name in names if name in table.c)
        key = and_(
            id_column == bindparam("id"),
            table.c.account == bindparam("account"),
            table.c.region == bindparam("region"),
        )
        self.one = PreparedQuery(select(*self.columns).where(key))
        self.one_for_update = PreparedQuery(select(*self.columns).where(key).with_for_update())
        owner = (table.c.account == bindparam("account"), table.c.region == bindparam("region"))
        order = (table.c.created_ms, id_column)
        after = tuple_(*order) > tuple_(bindparam("after_ms"), bindparam("after_id"))
        self.pages = {
            resumed: PreparedQuery(
                select(*self.columns)
                .where(*owner, *((after,) if resumed else ()))
                .order_by(*order)
                .limit(bindparam("limit"))
            )
            for resumed in (False, True)
        }

    def page(
        self, reads: Snapshot, account: str, region: str, after: list[Any] | None, limit: int
    ) -> list[Any]:
        params: dict[str, Any] = {"account": account, "region": region, "limit": limit}
        if after is not None:
            params.update(after_ms=after[0], after_id=after[1])
        return reads.fetch(self.pages[after is not None], **params)

    def record(self, reads: Snapshot, account: str, region: str, ident: str) -> R | None:
        rows = reads.fetch(self.one, id=ident, account=account, region=region)
        return self.record_type(*rows[0]) if rows else None

    def record_for_update(
        self, connection: Connection, account: str, region: str, ident: str
    ) -> R | None:
        rows = run(connection, self.one_for_update, id=ident, account=account, region=region)
        return self.record_type(*rows[0]) if rows else None

    def records(
        self, reads: Snapshot, account: str, region: str, after: list[Any] | None, limit: int
    ) -> list[R]:
        return [self.record_type(*row) for row in self.page(reads, account, region, after, limit)]


def count_owned(connection: Connection, table: Table, account: str, region: str) -> int:
    """How many rows of `table` the account owns in the Region: what a quota counts."""
    return int(
        connection.execute(
            select(func.count())
            .select_from(table)
            .where(table.c.account == account, table.c.region == region)
        ).scalar_one()
    )
