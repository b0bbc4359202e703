"""`/_localchime/health` never waits on the database (issue 12): it answers within 100 ms while
another session holds a lock the request path needs, on SQLite and on PostgreSQL."""

from __future__ import annotations

import dataclasses
import http.client
import sqlite3
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit

import boto3
import psycopg
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from localchime.app import LocalChime
from localchime.config import SettingError, Settings
from localchime.protocol.messages import Request
from localchime.server import request_threads
from localchime.version import __version__
from tests.harness import ServerChime, data_dir, error_of

LOCK_TIMEOUT = 1.0
ROUNDS = 15
LOCK_MESSAGE = (
    "A lock this request needs was held by another transaction for more than 1 s "
    "(LOCALCHIME_DATABASE_LOCK_TIMEOUT_SECONDS); retry the request"
)
SERVER_ENV = {
    "LOCALCHIME_DATABASE_LOCK_TIMEOUT_SECONDS": str(LOCK_TIMEOUT),
    # The ticker runs due transitions often, so it meets the lock on nearly every health call.
    "LOCALCHIME_LIFECYCLE_POLL_SECONDS": "0.05",
    "LOCALCHIME_ORDER_FULFILMENT_SECONDS": "0.5",
}


def test_health_runs_no_database_work_at_all() -> None:
    """With the database closed and the clock unreadable, health still answers."""
    app = LocalChime(Settings(ephemeral=True))
    app.close()

    def no_clock() -> NoReturn:
        raise AssertionError("health read the service clock")

    app.control.context = dataclasses.replace(app.control.context, now_ms=no_clock)
    response = app.handle(Request("GET", "/_localchime/health"))
    assert response.status == 200, response.body
    assert response.body == (
        b'{"status":"ok","version":"' + __version__.encode() + b'","database":"sqlite"}'
    )


def health_ms(endpoint: str) -> float:
    """One health check on a new connection, as a load balancer's probe makes it."""
    url = urlsplit(endpoint)
    began = time.perf_counter()
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    try:
        connection.request("GET", "/_localchime/health")
        response = connection.getresponse()
        assert response.status == 200
        response.read()
    finally:
        connection.close()
    return (time.perf_counter() - began) * 1000


def health_while_locked(endpoint: str) -> list[float]:
    """Health checks spread over more than the lock timeout, so the ticker meets the lock
    several times meanwhile."""
    times = []
    for _ in range(ROUNDS):
        times.append(health_ms(endpoint))
        time.sleep(LOCK_TIMEOUT * 2 / ROUNDS)
    return times


def one_attempt(endpoint: str, account: str = "123456789012") -> Any:
    """A client that does not retry: the harness's clients retry once, doubling a wait."""
    return boto3.client(
        "chime-sdk-voice",
        region_name="us-east-1",
        endpoint_url=endpoint,
        aws_access_key_id=account,
        aws_secret_access_key="x",
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}),
    )


def order_while_locked(client: Any) -> tuple[tuple[int, str, str], float]:
    began = time.monotonic()
    with pytest.raises(ClientError) as excinfo:
        client.create_phone_number_order(
            ProductType="VoiceConnector", E164PhoneNumbers=["+12065550101"]
        )
    return error_of(excinfo), time.monotonic() - began


def test_health_answers_while_another_sqlite_connection_holds_the_write_lock(
    tmp_path: Path,
) -> None:
    data = data_dir(tmp_path)
    server = ServerChime("--data-dir", data, env=SERVER_ENV).start()
    blocker = sqlite3.connect(Path(data) / "localchime.db", isolation_level=None)
    try:
        client = one_attempt(server.endpoint)
        # Its fulfilment falls due while the lock is held: the ticker waits on the lock.
        client.create_phone_number_order(
            ProductType="VoiceConnector", E164PhoneNumbers=["+12065550100"]
        )
        blocker.execute("BEGIN IMMEDIATE")
        time.sleep(0.6)
        times = health_while_locked(server.endpoint)
        # A write gets the documented 503, as before: it may first wait for the ticker, which
        # holds this replica's one SQLite connection while it waits for the lock to run the
        # due fulfilment, then once for the due transitions it runs itself and once for its
        # own write: up to three lock timeouts.
        error, waited = order_while_locked(client)
        assert error == (503, "ServiceUnavailableException", LOCK_MESSAGE)
        assert LOCK_TIMEOUT <= waited < 3 * LOCK_TIMEOUT + 1, waited
        after = [health_ms(server.endpoint) for _ in range(5)]
        blocker.execute("ROLLBACK")
        orders = client.list_phone_number_orders()["PhoneNumberOrders"]
        assert [o["OrderedPhoneNumbers"][0]["E164PhoneNumber"] for o in orders] == ["+12065550100"]
    finally:
        blocker.close()
        server.stop()
    for measured in (times, after):
        assert statistics.median(measured) < 100, measured
        # No health call waited for the lock: a wait lasts up to the 1 s timeout.
        assert max(measured) < 500, measured
    print(
        f"\nSQLite, write lock held: health median {statistics.median(times):.1f} ms, "
        f"max {max(times):.1f} ms over {ROUNDS}; an order got 503 after {waited:.2f} s"
    )


def test_health_answers_while_another_postgres_session_locks_the_tables(pg_url: str) -> None:
    server = ServerChime("--database-url", pg_url, env=SERVER_ENV).start()
    blocker = psycopg.connect(pg_url)
    try:
        server.reset()
        client, other = one_attempt(server.endpoint), one_attempt(server.endpoint, "210987654321")
        # The numbers table an order writes: the order waits out the lock timeout and gets the
        # documented 503; another account's call that reads no numbers answers at once.
        blocker.execute("LOCK TABLE phone_numbers IN ACCESS EXCLUSIVE MODE")
        numbers_locked = health_while_locked(server.endpoint)
        error, waited = order_while_locked(client)
        assert error == (503, "ServiceUnavailableException", LOCK_MESSAGE)
        assert LOCK_TIMEOUT <= waited < LOCK_TIMEOUT + 1, waited
        began = time.monotonic()
        assert other.list_voice_connectors()["VoiceConnectors"] == []
        assert time.monotonic() - began < LOCK_TIMEOUT / 2
        # The service clock, which every call and the ticker read first: every call gets the
        # 503 within the lock timeout, and health still answers at once.
        blocker.execute("LOCK TABLE service_clock IN ACCESS EXCLUSIVE MODE")
        clock_locked = health_while_locked(server.endpoint)
        began = time.monotonic()
        with pytest.raises(ClientError) as excinfo:
            other.list_voice_connectors()
        assert error_of(excinfo) == (503, "ServiceUnavailableException", LOCK_MESSAGE)
        assert time.monotonic() - began < LOCK_TIMEOUT + 1
        after = [health_ms(server.endpoint) for _ in range(5)]
        blocker.rollback()
        assert client.list_phone_number_orders()["PhoneNumberOrders"] == []
    finally:
        blocker.close()
        server.stop()
    for times in (numbers_locked, clock_locked, after):
        assert statistics.median(times) < 100, times
        assert max(times) < 500, times
    print(
        f"\nPostgreSQL, ACCESS EXCLUSIVE on phone_numbers: health median "
        f"{statistics.median(numbers_locked):.1f} ms, max {max(numbers_locked):.1f} ms; "
        f"and on service_clock: median {statistics.median(clock_locked):.1f} ms, "
        f"max {max(clock_locked):.1f} ms ({ROUNDS} each); an order got 503 after {waited:.2f} s"
    )


def test_a_replica_serves_others_while_its_own_requests_wait_on_a_lock(pg_url: str) -> None:
    """Issue 12's must-show, at the same time on one replica: while another session holds the
    numbers table past the lock timeout, orders waiting on it get the 503 within the timeout
    plus one second, health answers within 100 ms throughout, and another account's
    ListVoiceConnectors answers normally. Another account's ListPhoneNumbers needs that table,
    so it gets the same 503 within the timeout. On the event loop (before), health and the
    list waited for the orders."""
    server = ServerChime("--database-url", pg_url, env=SERVER_ENV).start()
    blocker = psycopg.connect(pg_url)
    try:
        server.reset()
        orderers = [one_attempt(server.endpoint) for _ in range(3)]
        other = one_attempt(server.endpoint, "210987654321")
        lister = one_attempt(server.endpoint, "210987654321")
        blocker.execute("LOCK TABLE phone_numbers IN ACCESS EXCLUSIVE MODE")
        with ThreadPoolExecutor(len(orderers) + 1) as pool:
            began = time.monotonic()
            orders = [pool.submit(order_while_locked, client) for client in orderers]
            numbers = pool.submit(numbers_while_locked, lister)
            waiting = [*orders, numbers]
            time.sleep(0.1)  # the four are in the server, waiting on the lock
            health, lists = [], []
            while not any(future.done() for future in waiting):
                health.append(health_ms(server.endpoint))
                listed = time.perf_counter()
                assert other.list_voice_connectors()["VoiceConnectors"] == []
                lists.append((time.perf_counter() - listed) * 1000)
                time.sleep(0.03)
            results = [future.result() for future in orders]
            numbers_error, numbers_waited = numbers.result()
        overlapped = time.monotonic() - began
        blocker.rollback()
        assert other.list_phone_numbers()["PhoneNumbers"] == []
    finally:
        blocker.close()
        server.stop()
    for error, waited in results:
        assert error == (503, "ServiceUnavailableException", LOCK_MESSAGE)
        assert LOCK_TIMEOUT <= waited < LOCK_TIMEOUT + 1, waited
    assert numbers_error == (503, "ServiceUnavailableException", LOCK_MESSAGE)
    assert LOCK_TIMEOUT <= numbers_waited < LOCK_TIMEOUT + 1, numbers_waited
    # Every check and list below ran while all four requests were still waiting.
    assert len(health) >= 8, (health, overlapped)
    assert max(health) < 100, health
    assert max(lists) < 250, lists
    print(
        f"\nPostgreSQL, 3 orders and a ListPhoneNumbers waiting on the lock: 503 after "
        f"{min(w for _, w in results):.2f}-{max(w for _, w in results):.2f} s; meanwhile "
        f"{len(health)} health checks, median {statistics.median(health):.1f} ms, max "
        f"{max(health):.1f} ms; another account's ListVoiceConnectors median "
        f"{statistics.median(lists):.1f} ms, max {max(lists):.1f} ms"
    )


def numbers_while_locked(client: Any) -> tuple[tuple[int, str, str], float]:
    began = time.monotonic()
    with pytest.raises(ClientError) as excinfo:
        client.list_phone_numbers()
    return error_of(excinfo), time.monotonic() - began


def test_request_threads_follow_the_database(pg_url: str) -> None:
    """`auto`: the pool's size on PostgreSQL, none (inline) on SQLite; a number overrides it;
    anything else is refused naming the variable."""
    sqlite_app = LocalChime(Settings(ephemeral=True))
    pg_app = LocalChime(Settings(database_url=pg_url))
    forced = LocalChime(Settings(ephemeral=True, request_threads="4"))
    try:
        assert request_threads(sqlite_app) == 0
        assert request_threads(pg_app) == 8
        assert request_threads(forced) == 4
    finally:
        for app in (sqlite_app, pg_app, forced):
            app.close()
    for bad in ("many", "-1", "257", "٣"):
        with pytest.raises(SettingError) as excinfo:
            Settings(request_threads=bad)
        assert str(excinfo.value) == (
            f"LOCALCHIME_REQUEST_THREADS must be auto or a whole number from 0 to 256; got {bad!r}"
        )
