"""`/_localchime/reset` empties every table but store.schema.PRESERVED, on both databases.

A row goes into every table the database has, whichever family declared it; after the reset
only the preserved tables keep theirs, and the clock is back to real time.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import (
    BigInteger,
    Boolean,
    Float,
    Integer,
    MetaData,
    Table,
    func,
    inspect,
    select,
    text,
)

from localchime.app import LocalChime
from localchime.config import Settings
from localchime.protocol.messages import Request
from localchime.store import Store, schema


def sample_row(table: Table) -> dict[str, Any]:
    """A row of made-up values that satisfies the table's column types and lengths."""
    row: dict[str, Any] = {}
    for column in table.columns:
        if isinstance(column.type, Boolean):
            row[column.name] = True
        elif isinstance(column.type, Integer | BigInteger | Float):
            row[column.name] = 7
        else:
            length = getattr(column.type, "length", None) or 8
            row[column.name] = "x" * min(length, 8)
    return row


@pytest.fixture(params=["sqlite", "postgres"])
def app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LocalChime]:
    if request.param == "sqlite":
        settings = Settings(data_dir=tmp_path_factory.mktemp("reset"))
    else:
        settings = Settings(database_url=request.getfixturevalue("pg_url"))
    instance = LocalChime(settings)
    yield instance
    instance.store.reset()
    instance.close()


def fill_every_table(store: Store) -> list[str]:
    with store.write() as connection:
        reflected = MetaData()
        reflected.reflect(connection)
        names = sorted(name for name in reflected.tables if name != "alembic_version")
        for name in names:
            # Made-up keys: they collide with no seeded row (meta's token_secret, clock id 1).
            table = reflected.tables[name]
            connection.execute(table.insert().values(sample_row(table)))
    return names


def counts(store: Store, names: list[str]) -> dict[str, int]:
    reflected = MetaData()
    with store.read() as connection:
        reflected.reflect(connection)
        return {
            name: connection.execute(
                select(func.count()).select_from(reflected.tables[name])
            ).scalar_one()
            for name in names
        }


def test_reset_empties_all_but_the_preserved_tables(app: LocalChime) -> None:
    names = fill_every_table(app.store)
    assert len(names) >= 12
    before = counts(app.store, names)
    assert all(count >= 1 for count in before.values())

    response = app.handle(Request("POST", "/_localchime/reset", "", {}, b""))
    assert response.status == 200

    after = counts(app.store, names)
    for name in names:
        if name in schema.PRESERVED:
            assert after[name] == before[name], name
        elif name == "service_clock":
            assert after[name] == 1
        else:
            assert after[name] == 0, f"{name} survived the reset"
    with app.store.read() as connection:
        offsets = connection.execute(select(schema.service_clock.c.offset_ms)).scalars().all()
    assert offsets == [0]


def test_preserved_names_real_tables(app: LocalChime) -> None:
    with app.store.read() as connection:
        tables = set(inspect(connection).get_table_names())
    assert tables >= schema.PRESERVED
    assert {"credentials", "policies", "meta", "alembic_version"} == set(schema.PRESERVED)


def test_reset_leaves_another_applications_table_alone(app: LocalChime) -> None:
    """A shared PostgreSQL database may hold other applications' tables; only ours are wiped."""
    with app.store.write() as connection:
        connection.execute(text("CREATE TABLE someone_elses (id INTEGER PRIMARY KEY)"))
        connection.execute(text("INSERT INTO someone_elses (id) VALUES (1)"))
    try:
        assert app.handle(Request("POST", "/_localchime/reset", "", {}, b"")).status == 200
        with app.store.read() as connection:
            kept = connection.execute(text("SELECT id FROM someone_elses")).scalars().all()
        assert kept == [1]
    finally:
        with app.store.write() as connection:
            connection.execute(text("DROP TABLE someone_elses"))
