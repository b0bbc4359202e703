"""The Store: one database (SQLite file, SQLite in memory, or PostgreSQL), its units of work,
migrations and the reset the control API offers.

SQLite writes take `BEGIN IMMEDIATE`, so two writers never deadlock upgrading a read lock, and
run with WAL and `synchronous=FULL`, so a write is on disk before its response is sent. Within a
process one connection serves every thread behind a lock; several processes share the file
through SQLite's own locking (busy_timeout).
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import sqlite3
import threading
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, bindparam, create_engine, event, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import StaticPool

from localchime.store import migrations, schema
from localchime.store.prepared import PreparedQuery, run, translate, translated_errors

SQLITE_BUSY_TIMEOUT_MS = 10_000
PG_STATEMENT_TIMEOUT_MS = 30_000
log = logging.getLogger("localchime.store")


READ_CACHE_ENTRIES = 10_000
IN_MEMORY_URLS = ("sqlite://", "sqlite:///:memory:")


def insert_ignoring_conflict(table: Any) -> PreparedQuery:
    """INSERT … ON CONFLICT DO NOTHING RETURNING the key: a row back means it went in.

    Counted with RETURNING, because psycopg reports rowcount -1 for this statement.
    """
    key = next(iter(table.primary_key.columns))

    def build(dialect: str) -> Any:
        module = postgresql if dialect == "postgresql" else sqlite
        columns: dict[str, Any] = {c.name: bindparam(c.name) for c in table.columns}
        return module.insert(table).values(columns).on_conflict_do_nothing().returning(key)

    return PreparedQuery(build)


def upsert(table: Any) -> PreparedQuery:
    """INSERT … ON CONFLICT (key) DO UPDATE: the row as given, whether or not it was there. One
    statement, so two transactions writing the same key cannot both insert (a delete-then-insert
    can, under PostgreSQL's READ COMMITTED)."""
    keys = [column.name for column in table.primary_key.columns]

    def build(dialect: str) -> Any:
        module = postgresql if dialect == "postgresql" else sqlite
        columns: dict[str, Any] = {c.name: bindparam(c.name) for c in table.columns}
        statement = module.insert(table).values(columns)
        changes = {name: statement.excluded[name] for name in columns if name not in keys}
        return statement.on_conflict_do_update(index_elements=keys, set_=changes)

    return PreparedQuery(build)


_SEED_META = insert_ignoring_conflict(schema.meta)
_SEED_CLOCK = insert_ignoring_conflict(schema.service_clock)


def normalise_url(url: str) -> str:
    """Accepts plain `postgresql://` URLs and picks the psycopg 3 driver for them."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Snapshot:
    """The reads of one request, cached per database generation (see Store.generation).

    Taken once per request: a read through it returns what the database held at or after the
    moment the snapshot was taken, never older.
    """

    __slots__ = ("generation", "store")

    def __init__(self, store: Store, generation: tuple[int, int] | None) -> None:
        self.store = store
        self.generation = generation

    def fetch(self, query: PreparedQuery, **params: Any) -> list[Any]:
        return self.store.fetch_cached(self.generation, query, **params)


class _SqliteUnit:
    """One SQLite transaction of the Store's shared connection, begun and ended on the driver's
    connection: SQLAlchemy's `Connection.begin()` and its commit cost 13 µs of bookkeeping
    around a 2 µs `BEGIN IMMEDIATE` + `COMMIT` (docs/benchmarks.md). Statements run through
    `prepared.run` on the driver; a `connection.execute` inside the block still works, as
    SQLAlchemy then autobegins its bookkeeping only (the `begin` listener sees the driver's open
    transaction) and the unit ends that too."""

    __slots__ = ("_immediate", "_store")

    def __init__(self, store: Store, immediate: bool) -> None:
        self._store = store
        self._immediate = immediate

    def __enter__(self) -> Connection:
        store = self._store
        store._lock.acquire()
        try:
            statement = "BEGIN IMMEDIATE" if self._immediate else "BEGIN"
            try:
                store._raw.execute(statement)
            except sqlite3.Error as error:
                raise translate(sqlite3.Error, error, statement, ()) from error
        except BaseException:
            store._lock.release()
            raise
        assert store._shared is not None
        return store._shared

    def __exit__(self, kind: type[BaseException] | None, *_rest: object) -> None:
        store = self._store
        shared = store._shared
        assert shared is not None
        try:
            if kind is None:
                try:
                    store._raw.commit()
                except sqlite3.Error as error:
                    store._raw.rollback()
                    raise translate(sqlite3.Error, error, "COMMIT", ()) from error
                finally:
                    if shared.in_transaction():
                        shared.rollback()  # SQLAlchemy's bookkeeping only; the driver is idle
                if self._immediate:
                    store._local_writes += 1
            else:
                store._raw.rollback()
                if shared.in_transaction():
                    shared.rollback()
        finally:
            store._lock.release()


PRIVATE_DIRECTORY = 0o700
PRIVATE_FILE = 0o600


def _private_database_file(path: Path) -> None:
    """The database 0600 (and a directory made for it 0700), made so before SQLite opens it:
    the file holds every secret access key and the control token. SQLite gives its -wal and
    -shm files the database's own mode; those left by an older, looser run are tightened too.
    An existing directory is the caller's (`config.private_data_dir` tightens the data
    directory), since a `sqlite:///` URL may name a file in any directory."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIRECTORY)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE))
    for name in (path.name, path.name + "-wal", path.name + "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.chmod(path.parent / name, PRIVATE_FILE)


class Store:
    def __init__(
        self,
        url: str,
        *,
        busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS,
        statement_timeout_ms: int = PG_STATEMENT_TIMEOUT_MS,
    ) -> None:
        self.busy_timeout_ms = busy_timeout_ms
        self.statement_timeout_ms = statement_timeout_ms
        self.url = normalise_url(url)
        self.dialect = "postgresql" if self.url.startswith("postgresql") else "sqlite"
        self.engine = self._sqlite_engine() if self.dialect == "sqlite" else self._pg_engine()
        self._lock = threading.RLock()
        self._shared: Connection | None = None
        self._local_writes = 0
        self._read_cache: tuple[tuple[int, int] | None, dict[Any, list[Any]]] = (None, {})
        self._raw: Any = None
        """SQLite only: the sqlite3 connection behind `_shared`, for the hottest reads."""
        self._alone = self.url in IN_MEMORY_URLS
        """An in-memory SQLite database has one connection, ours (StaticPool): nothing else
        can commit to it, so `PRAGMA data_version` never moves and need not be asked."""
        if self.dialect == "sqlite":
            self._shared = self.engine.connect()
            self._raw = self._shared.connection.driver_connection

    def _sqlite_engine(self) -> Engine:
        in_memory = self.url in IN_MEMORY_URLS
        if not in_memory:
            _private_database_file(Path(self.url.removeprefix("sqlite:///")))
        engine = create_engine(
            self.url,
            poolclass=StaticPool,
            hide_parameters=True,
            connect_args={"check_same_thread": False, "isolation_level": None},
        )

        @event.listens_for(engine, "connect")
        def _configure(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA busy_timeout={int(self.busy_timeout_ms)}")
            if not in_memory:
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=FULL")
                cursor.execute("PRAGMA mmap_size=268435456")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(connection: Connection) -> None:
            immediate = connection.get_execution_options().get("immediate", False)
            statement = "BEGIN IMMEDIATE" if immediate else "BEGIN"
            # On the driver's connection: SQLAlchemy's own execution path cost more than the
            # statement (profiled, docs/benchmarks.md); a lock error still becomes SQLAlchemy's
            # OperationalError, which the callers turn into a 503.
            driver = connection.connection.driver_connection
            if driver is None:
                raise RuntimeError("the SQLite connection was closed")
            if driver.in_transaction:
                # Inside a `_SqliteUnit`, which began the transaction on the driver: SQLAlchemy
                # autobegins only its own bookkeeping for a `connection.execute`.
                return
            with translated_errors(connection.dialect, statement, ()):
                driver.execute(statement)

        return engine

    def _pg_engine(self) -> Engine:
        # hide_parameters: a failing statement's parameters (a credential's secret, an address)
        # must never reach a log.
        # Every session waits at most busy_timeout_ms for a lock and runs a statement at most
        # statement_timeout_ms; past either, PostgreSQL cancels it and the request gets a 503
        # that says which (store/failures.py).
        options = (
            f"-c lock_timeout={int(self.busy_timeout_ms)} "
            f"-c statement_timeout={int(self.statement_timeout_ms)}"
        )
        return create_engine(
            self.url,
            pool_size=8,
            max_overflow=8,
            pool_pre_ping=True,
            hide_parameters=True,
            connect_args={"options": options},
        )

    def read(self) -> AbstractContextManager[Connection]:
        """A consistent snapshot for reads."""
        return self._unit(immediate=False)

    def write(self) -> AbstractContextManager[Connection]:
        """A transaction that commits when the block ends and rolls back on any exception."""
        return self._unit(immediate=True)

    def _unit(self, *, immediate: bool) -> AbstractContextManager[Connection]:
        if self._shared is None:
            return self.engine.begin()
        return _SqliteUnit(self, immediate)

    def generation(self) -> tuple[int, int] | None:
        """Changes whenever the database may have changed, from this process or any other.

        SQLite's `PRAGMA data_version` moves when another connection (another replica) commits;
        this process's own commits are counted here. PostgreSQL has no such cheap signal, so it
        answers None, which turns read caching off.
        """
        if self._shared is None:
            return None
        if self._alone:
            return 0, self._local_writes
        with self._lock:
            (version,) = self._raw.execute("PRAGMA data_version").fetchone()
            return int(version), self._local_writes

    def snapshot(self) -> Snapshot:
        return Snapshot(self, self.generation())

    def fetch_cached(
        self, generation: tuple[int, int] | None, query: PreparedQuery, **params: Any
    ) -> list[Any]:
        """`fetch`, answered from memory while the database generation has not moved.

        Never inside a write: rows this thread has not committed yet must not be cached.
        """
        if generation is None or (self._raw is not None and self._raw.in_transaction):
            return self.fetch(query, **params)
        key = (query, *params.items())
        cached_generation, entries = self._read_cache
        if cached_generation == generation and key in entries:
            return entries[key]
        rows = self.fetch(query, **params)
        with self._lock:
            if self._read_cache[0] != generation or len(self._read_cache[1]) >= READ_CACHE_ENTRIES:
                self._read_cache = (generation, {})
            self._read_cache[1][key] = rows
        return rows

    def fetch(self, query: PreparedQuery, **params: Any) -> list[Any]:
        """Runs one read-only statement straight on the DBAPI connection.

        For the hottest reads: the statement was compiled once, so no SQLAlchemy statement
        building, cache-key or result processing happens per call. One statement needs no
        explicit transaction; it reads a consistent snapshot on its own.
        """
        dialect = self.engine.dialect
        sql, args = query.bind(dialect, params)
        if self._raw is not None:
            with self._lock:
                try:
                    rows: list[Any] = self._raw.execute(sql, args).fetchall()
                except sqlite3.Error as error:
                    raise translate(sqlite3.Error, error, sql, args) from error
                return rows
        raw = self.engine.raw_connection()
        try:
            # The rollback too: a connection lost between the two must be a 503, not a 500.
            with translated_errors(dialect, sql, args):
                cursor = raw.cursor()
                cursor.execute(sql, args)
                fetched = cursor.fetchall()
                raw.rollback()
            return list(fetched)
        finally:
            try:
                raw.close()
            except Exception:
                log.debug("closing a failed database connection", exc_info=True)

    def migrate(self) -> None:
        """Brings the schema to head, creating the token secret and clock on first run."""
        if self._at_head():
            return
        with self.write() as connection:
            if self.dialect == "postgresql":
                # Several replicas may start at once against one database.
                connection.execute(text("SELECT pg_advisory_xact_lock(4575)"))
            migrations.upgrade(connection)
            run(connection, _SEED_META, key="token_secret", value=secrets.token_hex(32))
            run(connection, _SEED_CLOCK, id=1, offset_ms=0)

    def _at_head(self) -> bool:
        try:
            with self.read() as connection:
                version = connection.execute(
                    text("SELECT version_num FROM alembic_version")
                ).scalar()
        except DBAPIError:
            return False
        return version == migrations.HEAD

    def seeded_meta_value(self, key: str, candidate: str) -> str:
        """The stored value of `key`, storing `candidate` first if there is none: replicas
        starting at once agree on whichever went in first."""
        with self.write() as connection:
            run(connection, _SEED_META, key=key, value=candidate)
        return self.meta_value(key)

    def meta_value(self, key: str) -> str:
        with self.read() as connection:
            value = connection.execute(
                select(schema.meta.c.value).where(schema.meta.c.key == key)
            ).scalar_one()
        return str(value)

    def reset(self) -> None:
        """Empties every table of localchime's schema but `schema.PRESERVED`, and puts the
        clock back to real time.

        Every family's tables join `schema.metadata` when the registry imports them, and
        `tests/test_registry.py` holds that the migrated database has exactly those tables. A
        table some other application keeps in a shared PostgreSQL database is not ours to
        empty, so the database's own table list is not used here."""
        with self.write() as connection:
            for table in reversed(schema.metadata.sorted_tables):
                if table.name not in schema.PRESERVED:
                    connection.execute(table.delete())
            run(connection, _SEED_CLOCK, id=1, offset_ms=0)

    def close(self) -> None:
        if self._shared is not None:
            self._shared.close()
        self.engine.dispose()
