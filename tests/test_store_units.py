"""SQLite units of work begin and end on the driver's connection: what they commit, what they
roll back, and how they keep SQLAlchemy's own bookkeeping and the read cache in step."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import bindparam, select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from localchime import registry
from localchime.store import Store, schema
from localchime.store.prepared import PreparedQuery, insert_row, run

_PUT = insert_row(schema.meta)
_GET = PreparedQuery(select(schema.meta.c.value).where(schema.meta.c.key == bindparam("key")))


@pytest.fixture(params=["memory", "file"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    registry.load()
    url = "sqlite://" if request.param == "memory" else f"sqlite:///{tmp_path / 'units.db'}"
    store = Store(url)
    store.migrate()
    yield store
    store.close()


def _value(store: Store, key: str) -> str | None:
    rows = store.fetch(_GET, key=key)
    return rows[0][0] if rows else None


def test_a_unit_commits_prepared_and_sqlalchemy_statements_together(store: Store) -> None:
    before = store.generation()
    with store.write() as connection:
        run(connection, _PUT, key="raw", value="1")
        connection.execute(text("INSERT INTO meta (key, value) VALUES ('core', '2')"))
    assert (_value(store, "raw"), _value(store, "core")) == ("1", "2")
    assert store.generation() != before
    assert not store._raw.in_transaction
    assert store._shared is not None and not store._shared.in_transaction()


def test_an_exception_rolls_back_both_kinds_of_statement(store: Store) -> None:
    before = store.generation()
    with pytest.raises(RuntimeError, match="changed my mind"), store.write() as connection:
        run(connection, _PUT, key="raw", value="1")
        connection.execute(text("INSERT INTO meta (key, value) VALUES ('core', '2')"))
        raise RuntimeError("changed my mind")
    assert (_value(store, "raw"), _value(store, "core")) == (None, None)
    assert store.generation() == before
    assert not store._raw.in_transaction
    with store.write() as connection:  # the store is usable afterwards
        run(connection, _PUT, key="after", value="3")
    assert _value(store, "after") == "3"


def test_a_driver_error_is_sqlalchemys_and_rolls_back(store: Store) -> None:
    with store.write() as connection:
        run(connection, _PUT, key="taken", value="1")
    with pytest.raises(IntegrityError), store.write() as connection:
        run(connection, _PUT, key="new", value="1")
        run(connection, _PUT, key="taken", value="2")
    assert (_value(store, "new"), _value(store, "taken")) == (None, "1")


def test_reads_inside_a_write_are_never_cached(store: Store) -> None:
    reads = store.snapshot()
    with store.write() as connection:
        run(connection, _PUT, key="pending", value="uncommitted")
        assert store.fetch_cached(reads.generation, _GET, key="pending") == [("uncommitted",)]
        connection.execute(text("DELETE FROM meta WHERE key = 'pending'"))
    assert reads.fetch(_GET, key="pending") == []


def test_a_held_lock_at_begin_is_an_operational_error(tmp_path: Path) -> None:
    registry.load()
    path = tmp_path / "locked.db"
    store = Store(f"sqlite:///{path}", busy_timeout_ms=50)
    store.migrate()
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(OperationalError, match="database is locked"), store.write():
            raise AssertionError("the unit began under another writer's lock")
        assert not store._raw.in_transaction
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    with store.write() as connection:
        run(connection, _PUT, key="later", value="1")
    assert _value(store, "later") == "1"
    store.close()
