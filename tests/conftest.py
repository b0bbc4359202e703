"""Fixtures: every behavioural test runs against each backend.

- `inprocess`: `LocalChime.handle` behind botocore's before-send hook, in memory.
- `sqlite`: a real `localchime serve` on a free port, on a SQLite file.
- `postgres`: a real `localchime serve` on a PostgreSQL database made for this run.

PostgreSQL tests skip when no server answers, except under CI=true, where they must run.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from localchime.app import LocalChime
from localchime.config import Settings
from tests.harness import STRICT_OUTPUT, Chime, InProcessChime, ServerChime

PG_ADMIN_URL = os.environ.get("LOCALCHIME_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
BACKENDS = ["inprocess", "sqlite", "postgres"]


def _postgres_available() -> bool:
    import psycopg

    try:
        psycopg.connect(PG_ADMIN_URL, connect_timeout=3).close()
    except psycopg.OperationalError:
        return False
    return True


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, dropped afterwards."""
    import psycopg

    if not _postgres_available():
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required in CI but {PG_ADMIN_URL} does not answer")
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_URL}")
    name = f"localchime_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = PG_ADMIN_URL.rpartition("/")
    yield f"{base}/{name}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def _inprocess() -> Iterator[InProcessChime]:
    app = LocalChime(Settings(ephemeral=True, strict_output=STRICT_OUTPUT))
    yield InProcessChime(app)
    app.close()


@pytest.fixture(scope="session")
def _sqlite_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerChime]:
    data = tmp_path_factory.mktemp("sqlite-server")
    server = ServerChime("--data-dir", str(data)).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def _postgres_server(pg_url: str) -> Iterator[ServerChime]:
    server = ServerChime("--database-url", pg_url).start()
    yield server
    server.stop()


@pytest.fixture(params=BACKENDS)
def chime(request: pytest.FixtureRequest) -> Chime:
    """A reset localchime, on each backend in turn."""
    backend: Chime = request.getfixturevalue(
        {"inprocess": "_inprocess", "sqlite": "_sqlite_server", "postgres": "_postgres_server"}[
            request.param
        ]
    )
    backend.reset()
    return backend


@pytest.fixture
def client(chime: Chime):  # type: ignore[no-untyped-def]
    """A boto3 client of the default account in us-east-1."""
    return chime.client()
