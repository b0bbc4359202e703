"""Statements written with SQLAlchemy Core, compiled once per dialect, run on the DBAPI cursor.

SQLAlchemy builds and compiles the SQL; the hot path then skips its per-call statement
construction, cache-key generation and result processing, which profiling showed to cost more
than the queries themselves (docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import fields
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, bindparam
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError

Compiled = tuple[str, tuple[str, ...] | None, dict[str, Any]]


class PreparedQuery:
    """A Core statement, or a function of the dialect name that builds one (for dialect-specific
    constructs such as `INSERT … ON CONFLICT`)."""

    def __init__(self, statement: Any | Callable[[str], Any]) -> None:
        self._statement = statement
        self._by_dialect: dict[str, Compiled] = {}
        self._binders: dict[str, tuple[str, Callable[[dict[str, Any]], Any]]] = {}

    def compiled(self, dialect: Dialect) -> Compiled:
        """(SQL, positional parameter order or None for named, literal parameter values)."""
        found = self._by_dialect.get(dialect.name)
        if found is None:
            statement = self._statement
            if callable(statement) and not hasattr(statement, "compile"):
                statement = statement(dialect.name)
            compiled = statement.compile(dialect=dialect)
            order = tuple(compiled.positiontup) if compiled.positional else None
            literals = {k: v for k, v in compiled.params.items() if v is not None}
            found = self._by_dialect[dialect.name] = (str(compiled), order, literals)
        return found

    def bind(self, dialect: Dialect, params: dict[str, Any]) -> tuple[str, Any]:
        """The SQL and the driver's parameters for `params` (positional or named)."""
        binder = self._binders.get(dialect.name)
        if binder is None:
            binder = self._binders[dialect.name] = self._binder(dialect)
        sql, arguments = binder
        return sql, arguments(params)

    def _binder(self, dialect: Dialect) -> tuple[str, Callable[[dict[str, Any]], Any]]:
        """Built once per dialect: the literals merged in and, for positional SQL, the values
        picked in order by one `itemgetter`."""
        sql, order, literals = self.compiled(dialect)

        def merged(params: dict[str, Any]) -> dict[str, Any]:
            return {**literals, **params}

        if order is None:
            return sql, (merged if literals else _as_given)
        if not order:
            return sql, lambda _params: ()
        pick = itemgetter(*order)
        if len(order) == 1:
            single = order[0]
            if literals:
                return sql, lambda params: (merged(params)[single],)
            return sql, lambda params: (params[single],)
        if literals:
            return sql, lambda params: pick(merged(params))
        return sql, pick


def _as_given(params: dict[str, Any]) -> dict[str, Any]:
    return params


def translate(base: type[Exception], error: Exception, sql: str, args: Any) -> DBAPIError:
    """A driver error as SQLAlchemy's (IntegrityError, OperationalError, …), as SQLAlchemy's own
    execution path would raise it, so callers catch one family on every database. Parameters
    stay out of the message, as the engines' `hide_parameters` keeps them out of theirs. `base`
    is the driver's `Error` class."""
    translated = DBAPIError.instance(sql, args, error, base, hide_parameters=True)
    assert isinstance(translated, DBAPIError)  # `error` is one of `base`'s
    return translated


@contextmanager
def translated_errors(dialect: Dialect, sql: str, args: Any) -> Iterator[None]:
    """`translate` over a block, for the colder paths."""
    dbapi = dialect.loaded_dbapi
    try:
        yield
    except dbapi.Error as error:
        raise translate(dbapi.Error, error, sql, args) from error


def insert_row(table: Any) -> PreparedQuery:
    """INSERT of one row, every column bound by its name; an autoincrement key is left to the
    database."""
    columns = [c for c in table.columns if c is not table.autoincrement_column]
    return PreparedQuery(table.insert().values({c.name: bindparam(c.name) for c in columns}))


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def row_of(record: Any) -> dict[str, Any]:
    """A dataclass record's fields by name, shallow: the bind parameters of its row."""
    kind = type(record)
    names = _FIELD_NAMES.get(kind)
    if names is None:
        # `fields()` walks the class's field objects on every call: a third of an insert.
        names = _FIELD_NAMES[kind] = tuple(field.name for field in fields(record))
    return {name: getattr(record, name) for name in names}


def _driver(connection: Connection) -> Any:
    dbapi_connection = connection.connection.dbapi_connection
    if dbapi_connection is None:
        raise RuntimeError("the connection was closed or invalidated")
    return dbapi_connection


def run(connection: Connection, query: PreparedQuery, **params: Any) -> list[Any]:
    """Runs one statement inside the connection's transaction; returns its rows, if any."""
    dialect = connection.dialect
    sql, args = query.bind(dialect, params)
    cursor = _driver(connection).cursor()
    try:
        cursor.execute(sql, args)
        rows: list[Any] = cursor.fetchall() if cursor.description else []
        return rows
    except dialect.loaded_dbapi.Error as error:
        raise translate(dialect.loaded_dbapi.Error, error, sql, args) from error
    finally:
        cursor.close()


def run_many(connection: Connection, query: PreparedQuery, rows: Sequence[dict[str, Any]]) -> None:
    if not rows:
        return
    dialect = connection.dialect
    sql, first = query.bind(dialect, rows[0])
    cursor = _driver(connection).cursor()
    try:
        if len(rows) == 1:
            cursor.execute(sql, first)
        else:
            cursor.executemany(sql, [query.bind(dialect, row)[1] for row in rows])
    except dialect.loaded_dbapi.Error as error:
        raise translate(dialect.loaded_dbapi.Error, error, sql, rows) from error
    finally:
        cursor.close()
