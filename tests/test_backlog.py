"""A large backlog of due transitions runs in bounded chunks, so the replica keeps answering
(issue 12). The audit's case: a clock advance that completed 13,000 orders took 7 s, and its
replica answered nothing else meanwhile.

`BACKLOG_ORDERS=13000 pytest tests/test_backlog.py -s` reruns the audit's size.
"""

from __future__ import annotations

import http.client
import json
import os
import sqlite3
import statistics
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest

from localchime.core.scheduler import CHUNK
from tests.harness import ServerChime, data_dir
from tests.test_health import health_ms, one_attempt

SIZES = {"sqlite": 8000, "postgres": 2000}
"""Orders in the backlog: SQLite runs 2,000 fulfilments in about 0.1 s, too short to watch."""
OTHER = "210987654321"
ENV = {"LOCALCHIME_ORDER_FULFILMENT_SECONDS": "3600"}
"""Long enough that no order completes in real time while the backlog is built."""
POLL_PAUSE = 0.02
"""Between one client's calls: a client and a probe, not a load test (that slows the advance,
whose worker thread then shares two cores with the calls)."""


def create_orders(endpoint: str, count: int, threads: int = 4) -> None:
    """`count` single-number orders of the default account, over raw keep-alive HTTP: boto3
    would spend more time than the server."""
    url = urlsplit(endpoint)

    def worker(first: int) -> None:
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        try:
            for n in range(first, count, threads):
                number = f"+1206{200 + n // 10_000}{n % 10_000:04d}"
                body = json.dumps(
                    {"ProductType": "VoiceConnector", "E164PhoneNumbers": [number]}
                ).encode()
                connection.request(
                    "POST",
                    "/phone-number-orders",
                    body,
                    {"Content-Type": "application/json"},
                )
                response = connection.getresponse()
                assert response.status == 201, response.read()
                response.read()
        finally:
            connection.close()

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(worker, range(threads)))


def advance_while_polling(server: ServerChime) -> tuple[float, list[float], list[float]]:
    """Advances the clock past every order's fulfilment; meanwhile health and another account's
    calls, one after another. (advance seconds, health ms, other account's call ms)."""
    other = one_attempt(server.endpoint, OTHER)
    done = threading.Event()
    took: list[float] = []

    def advance() -> None:
        began = time.monotonic()
        try:
            server.advance(7200)
        finally:
            took.append(time.monotonic() - began)
            done.set()

    calls: list[Callable[[], object]] = [
        lambda: other.list_voice_connectors(),
        lambda: other.list_phone_number_orders(),
    ]
    health, answers = [], []
    runner = threading.Thread(target=advance)
    runner.start()
    while not done.is_set():
        health.append(health_ms(server.endpoint))
        began = time.perf_counter()
        calls[len(answers) % 2]()
        answers.append((time.perf_counter() - began) * 1000)
        time.sleep(POLL_PAUSE)
    runner.join()
    return took[0], health, answers


def unfinished_orders(count_rows: Callable[[str], int]) -> int:
    return count_rows("SELECT count(*) FROM phone_number_orders WHERE status <> 'Successful'")


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_a_clock_advance_over_thousands_of_orders_lets_other_calls_through(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    orders = int(os.environ.get("BACKLOG_ORDERS", SIZES[backend]))
    if backend == "sqlite":
        data = data_dir(tmp_path)
        server = ServerChime("--data-dir", data, env=ENV).start()
        database = sqlite3.connect(Path(data) / "localchime.db")

        def count_rows(sql: str) -> int:
            return int(database.execute(sql).fetchone()[0])
    else:
        pg_url = request.getfixturevalue("pg_url")
        server = ServerChime("--database-url", pg_url, env=ENV).start()
        database = psycopg.connect(pg_url, autocommit=True)  # type: ignore[assignment]

        def count_rows(sql: str) -> int:
            row = database.execute(sql).fetchone()
            assert row is not None
            return int(row[0])

    try:
        server.reset()
        other = one_attempt(server.endpoint, OTHER)
        mine = other.create_phone_number_order(
            ProductType="VoiceConnector", E164PhoneNumbers=["+13125550100"]
        )["PhoneNumberOrder"]["PhoneNumberOrderId"]
        create_orders(server.endpoint, orders)
        assert unfinished_orders(count_rows) == orders + 1
        took, health, answers = advance_while_polling(server)
        assert unfinished_orders(count_rows) == 0
        assert count_rows("SELECT count(*) FROM timers") == 0
        order = other.get_phone_number_order(PhoneNumberOrderId=mine)["PhoneNumberOrder"]
        assert order["Status"] == "Successful"
    finally:
        database.close()
        server.stop()
    print(
        f"\n{backend}: advance over {orders + 1} orders took {took:.2f} s ({CHUNK} per "
        f"transaction); meanwhile {len(health)} health checks, median "
        f"{statistics.median(health):.1f} ms, max {max(health):.1f} ms; {len(answers)} calls of "
        f"another account, median {statistics.median(answers):.1f} ms, max {max(answers):.1f} ms"
    )
    # The replica answered all along, not once the advance was over: a call at least every
    # 200 ms of the advance.
    assert len(answers) >= max(1, int(took / 0.2)), (took, answers)
    assert max(health) < 100, health
    assert statistics.median(answers) < 100, answers
    assert max(answers) < 500, answers
