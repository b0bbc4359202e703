"""What clients see when the database itself pushes back: busy, locked, or racing writers."""

from __future__ import annotations

import random
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from botocore.exceptions import ClientError

from localchime.app import LocalChime
from localchime.config import Settings
from localchime.store import Store
from tests.harness import InProcessChime


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
