"""What clients see when the database itself pushes back: busy, locked, timed out, racing
writers, or gone."""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import boto3
import psycopg
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from sqlalchemy.exc import DBAPIError

from localchime.app import LocalChime
from localchime.config import Settings
from localchime.store import Store
from localchime.store.failures import Limits, describe
from tests.harness import InProcessChime, ServerChime, error_of


def test_locked_sqlite_answers_503_and_keeps_nothing(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    app = LocalChime(settings, Store(settings.storage_url, busy_timeout_ms=200))
    chime = InProcessChime(app)
    client = chime.client()
    blocker = sqlite3.connect(tmp_path / "localchime.db", isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        try:
            client.create_phone_number_order(
                ProductType="VoiceConnector", E164PhoneNumbers=["+12065550100"]
            )
        except ClientError as error:
            response = error.response
        else:
            raise AssertionError("the order went through a locked database")
        assert response["ResponseMetadata"]["HTTPStatusCode"] == 503
        assert response["Error"]["Code"] == "ServiceUnavailableException"
        assert "retry" in response["Error"]["Message"]
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert client.list_phone_number_orders()["PhoneNumberOrders"] == []
    app.close()


def test_racing_orders_on_postgres_are_bad_requests_not_failures(pg_url: str) -> None:
    """Threads in one process write PostgreSQL concurrently (the server serialises its own
    requests, replicas do not): the inventory key lets one order in, the rest get BadRequest."""
    app = LocalChime(Settings(database_url=pg_url))
    app.store.reset()
    chime = InProcessChime(app)
    numbers = [f"+1206555{i:04d}" for i in range(50)]

    def order(seed: int) -> str:
        mine = numbers[:]
        random.Random(seed).shuffle(mine)
        try:
            chime.client().create_phone_number_order(
                ProductType="VoiceConnector", E164PhoneNumbers=mine
            )
        except ClientError as error:
            return error.response["Error"]["Code"]
        return "Created"

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(order, range(16)))
    assert outcomes.count("Created") == 1, outcomes
    assert set(outcomes) <= {"Created", "BadRequestException", "ServiceUnavailableException"}
    app.store.reset()
    app.close()


def test_cached_answers_follow_writes_from_another_process(tmp_path: Path) -> None:
    """Two apps on one SQLite file stand in for two replicas: B's cached GET answers must
    notice A's writes (SQLite's data_version moves) and A's own writes and transitions."""
    settings = Settings(data_dir=tmp_path)
    first, second = InProcessChime(LocalChime(settings)), InProcessChime(LocalChime(settings))
    a, b = first.client(), second.client()
    assert b.list_phone_number_orders()["PhoneNumberOrders"] == []
    order = a.create_phone_number_order(
        ProductType="VoiceConnector", E164PhoneNumbers=["+12065550100"]
    )
    order_id = order["PhoneNumberOrder"]["PhoneNumberOrderId"]
    assert [o["PhoneNumberOrderId"] for o in b.list_phone_number_orders()["PhoneNumberOrders"]] == [
        order_id
    ]
    assert (
        b.get_phone_number_order(PhoneNumberOrderId=order_id)["PhoneNumberOrder"]["Status"]
        == "Processing"
    )
    first.advance(5)
    assert (
        b.get_phone_number_order(PhoneNumberOrderId=order_id)["PhoneNumberOrder"]["Status"]
        == "Successful"
    )
    a.update_phone_number(PhoneNumberId="+12065550100", Name="renamed")
    assert b.get_phone_number(PhoneNumberId="+12065550100")["PhoneNumber"]["Name"] == "renamed"
    first.app.close()
    second.app.close()


LOCK_MESSAGE = (
    "A lock this request needs was held by another transaction for more than 1 s "
    "(LOCALCHIME_DATABASE_LOCK_TIMEOUT_SECONDS); retry the request"
)


def test_a_lock_held_past_the_lock_timeout_is_a_503_that_says_so(pg_url: str) -> None:
    server = ServerChime(
        "--database-url", pg_url, env={"LOCALCHIME_DATABASE_LOCK_TIMEOUT_SECONDS": "1"}
    ).start()
    blocker = psycopg.connect(pg_url)
    try:
        server.reset()
        client = server.client()
        # One attempt in all: the harness's clients retry once, which would double the wait.
        client = boto3.client(
            "chime-sdk-voice",
            region_name="us-east-1",
            endpoint_url=server.endpoint,
            aws_access_key_id="123456789012",
            aws_secret_access_key="x",
            config=Config(retries={"total_max_attempts": 1, "mode": "standard"}),
        )
        blocker.execute("LOCK TABLE phone_numbers IN ACCESS EXCLUSIVE MODE")
        began = time.monotonic()
        with pytest.raises(ClientError) as excinfo:
            client.create_phone_number_order(
                ProductType="VoiceConnector", E164PhoneNumbers=["+12065550100"]
            )
        waited = time.monotonic() - began
        assert error_of(excinfo) == (503, "ServiceUnavailableException", LOCK_MESSAGE)
        assert 1 <= waited < 2, waited
        assert server.control("GET", "health").status == 200
        blocker.rollback()
        assert client.list_phone_number_orders()["PhoneNumberOrders"] == []
    finally:
        blocker.close()
        server.stop()


@pytest.fixture
def own_database(pg_url: str) -> Iterator[str]:
    """A database of this test's own, so terminating its sessions touches no other server."""
    base, _, session_database = pg_url.rpartition("/")
    name = f"{session_database}_own"
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{base}/{name}"
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_terminated_database_sessions_are_replaced_not_a_500(own_database: str) -> None:
    server = ServerChime("--database-url", own_database).start()
    admin = psycopg.connect(own_database, autocommit=True)
    try:
        server.reset()
        client = server.client()
        client.list_phone_numbers()
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        statuses = []
        for _ in range(5):
            try:
                client.list_phone_numbers()
                statuses.append(200)
            except ClientError as error:
                statuses.append(error.response["ResponseMetadata"]["HTTPStatusCode"])
        assert set(statuses) <= {200, 503}, statuses
        assert statuses[-1] == 200
    finally:
        admin.close()
        server.stop()


class _DriverError(Exception):
    def __init__(self, message: str, sqlstate: str | None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


class AdminShutdown(_DriverError):
    """Named as psycopg names it."""


@pytest.mark.parametrize(
    ("orig", "expected"),
    [
        (_DriverError("canceling statement due to lock timeout", "55P03"), LOCK_MESSAGE),
        (_DriverError("database is locked", None), LOCK_MESSAGE),
        (
            _DriverError("canceling statement due to statement timeout", "57014"),
            "A database statement ran for more than 30 s "
            "(LOCALCHIME_DATABASE_STATEMENT_TIMEOUT_SECONDS); retry the request",
        ),
        (
            _DriverError("deadlock detected", "40P01"),
            "The database broke a deadlock between this request and another; retry the request",
        ),
        (
            AdminShutdown("terminating connection due to administrator command", "57P01"),
            "The connection to the database was lost; retry the request",
        ),
        (
            _DriverError("server closed the connection unexpectedly", None),
            "The connection to the database was lost; retry the request",
        ),
    ],
)
def test_each_database_failure_gets_its_own_message(orig: Exception, expected: str) -> None:
    error = DBAPIError.instance("SELECT 1", (), orig, _DriverError)
    assert describe(error, Limits(1, 30)) == expected
