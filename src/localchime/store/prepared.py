"""Statements written with SQLAlchemy Core, compiled once per dialect, run on the DBAPI cursor.

SQLAlchemy builds and compiles the SQL; the hot path then skips its per-call statement
construction, cache-key generation and result processing, which profiling showed to cost more
than the queries themselves (docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import fields
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
        sql, order, literals = self.compiled(dialect)
        values = {**literals, **params} if literals else params
        return sql, (tuple(values[name] for name in order) if order is not None else values)


@contextmanager
def translated_errors(dialect: Dialect, sql: str, args: Any) -> Iterator[None]:
    """Driver errors become SQLAlchemy's (IntegrityError, OperationalError, …), as they would on
    SQLAlchemy's own execution path, so callers catch one family on every database. Parameters
    stay out of the message, as the engines' `hide_parameters` keeps them out of theirs."""
    dbapi = dialect.loaded_dbapi
    try:
        yield
    except dbapi.Error as error:
        raise DBAPIError.instance(sql, args, error, dbapi.Error, hide_parameters=True) from error


def insert_row(table: Any) -> PreparedQuery:
    """INSERT of one row, every column bound by its name; an autoincrement key is left to the
    database."""
    columns = [c for c in table.columns if c is not table.autoincrement_column]
    return PreparedQuery(table.insert().values({c.name: bindparam(c.name) for c in columns}))


def row_of(record: Any) -> dict[str, Any]:
    """A dataclass record's fields by name, shallow: the bind parameters of its row."""
    return {field.name: getattr(record, field.name) for field in fields(record)}


def _cursor(connection: Connection) -> Any:
    dbapi_connection = connection.connection.dbapi_connection
    if dbapi_connection is None:
        raise RuntimeError("the connection was closed or invalidated")
    return dbapi_connection.cursor()


def run(connection: Connection, query: PreparedQuery, **params: Any) -> list[Any]:
    """Runs one statement inside the connection's transaction; returns its rows, if any."""
    sql, args = query.bind(connection.dialect, params)
    cursor = _cursor(connection)
    try:
        with translated_errors(connection.dialect, sql, args):
            cursor.execute(sql, args)
            return list(cursor.fetchall()) if cursor.description else []
    finally:
        cursor.close()


def run_many(connection: Connection, query: PreparedQuery, rows: Sequence[dict[str, Any]]) -> None:
    if not rows:
        return
    dialect = connection.dialect
    sql, _ = query.bind(dialect, rows[0])
    cursor = _cursor(connection)
    try:
        with translated_errors(dialect, sql, rows):
            cursor.executemany(sql, [query.bind(dialect, row)[1] for row in rows])
    finally:
        cursor.close()
