"""Reads of the resources an account owns in a Region, shared by the families whose resources
are owned that way (Voice Connectors and groups, SIP media applications and rules): one by id,
plain or row-locked, keyset pages in creation order, and a count for quotas."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from sqlalchemy import Column, Connection, Table, and_, bindparam, func, select, tuple_

from localchime.store.database import Snapshot
from localchime.store.prepared import PreparedQuery


class OwnedReads:
    """The reads of one kind of resource an account owns in a Region: one by id (plain or
    row-locked), and keyset pages in creation order."""

    def __init__(self, table: Table, id_column: Column[Any], record_type: Any) -> None:
        self.columns = tuple(table.c[f.name] for f in fields(record_type) if f.name in table.c)
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


def count_owned(connection: Connection, table: Table, account: str, region: str) -> int:
    """How many rows of `table` the account owns in the Region: what a quota counts."""
    return int(
        connection.execute(
            select(func.count())
            .select_from(table)
            .where(table.c.account == account, table.c.region == region)
        ).scalar_one()
    )
